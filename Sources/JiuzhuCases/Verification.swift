import Crypto
import FluentKit
import Foundation
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore

/// What an import did.
public struct FeedImportSummary: Sendable, Equatable, Codable {
    public let record: FeedImportRecord
    /// The same file had been imported before: nothing was applied again.
    public let repeated: Bool
    public let flagsBySeverity: [String: Int]

    enum CodingKeys: String, CodingKey { case record, repeated, flagsBySeverity = "flags_by_severity" }
}

public enum FeedImportError: Error, Equatable, CustomStringConvertible {
    case unknownHeader(String)
    case wrongDepartment(department: String, kind: FeedKind)
    public var description: String {
        switch self {
        case .unknownHeader(let h): return "line 1: the header \(h) is not one of the feed formats (docs/feeds/): " + FeedKind.allCases.map { ($0.rawValue + ": id_number," + $0.columns.joined(separator: ",")) }.joined(separator: "; ")
        case .wrongDepartment(let d, let k): return "department: \(d) does not send \(k.rawValue) (\(k.chineseName)); it comes from " + k.departments.joined(separator: "、")
        }
    }
}

/// 家庭经济状况核对: department data matched to the households the county serves. Each row names
/// an ID number; rows of registered members are checked against what the household declared,
/// under its pack, and every disagreement becomes a flag with its evidence; rows of people the
/// registry does not know are kept as leads. Nothing changes a benefit: flags are officers' work.
public struct Verification: Sendable {
    public let db: any Database
    public let scope: Jurisdiction
    public let actor: AuditActor
    public let now: @Sendable () -> Date
    public let packs: Packs

    public init(db: any Database, scope: Jurisdiction = .everywhere, actor: AuditActor, now: @escaping @Sendable () -> Date = { Date() },
                packs: Packs = .bundled) {
        self.db = db
        self.scope = scope
        self.actor = actor
        self.now = now
        self.packs = packs
    }

    /// Imports a feed held in memory (the API's body): see ``importFeed(from:department:asOf:fileName:encoding:)``.
    public func importFeed(_ file: Data, department: String, asOf: Day, fileName: String, encoding declared: FeedEncoding? = nil) async throws -> FeedImportSummary {
        try await importFeed(from: .data(file), department: department, asOf: asOf, fileName: fileName, encoding: declared)
    }

    /// Imports a feed file from a department as of a day: whole or not at all, once.
    ///
    /// A CSV file is read in pieces, twice: once for its SHA-256 (a file seen before stops there),
    /// once to check every row and match it by ID number against an index of the jurisdiction's
    /// members. Only the rows of registered members are kept, grouped by household, and the
    /// unknown people of kinds that signal need (``FeedKind/signalsNeed``); memory follows the
    /// registry and the matches, never the file's length. An .xlsx file is read whole.
    public func importFeed(from source: FeedSource, department: String, asOf: Day, fileName: String,
                           encoding declared: FeedEncoding? = nil) async throws -> FeedImportSummary {
        let input = try OpenedFeed(source, fileName: fileName, encoding: declared)
        let (digest, isSheet, encoding, source) = (input.digest, input.isSheet, input.encoding, input.source)
        guard let kind = FeedCSV.kind(of: input.head, encoding: encoding) else {
            let first = String(decoding: input.head, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            throw FeedImportError.unknownHeader(first)
        }
        guard kind.departments.contains(department) else { throw FeedImportError.wrongDepartment(department: department, kind: kind) }
        let store = FeedStore(db: db, scope: scope, actor: actor, now: now)
        if let earlier = try await store.existing(kind: kind.rawValue, digest: digest) {
            return FeedImportSummary(record: earlier, repeated: true, flagsBySeverity: [:])
        }
        let index = try await store.memberIndex()
        var matched: [Int32: [FeedRow]] = [:]
        var unknown = 0
        var leads: [(line: Int, idNumber: String)] = []
        let keepLeads = kind.signalsNeed
        let scanned = try FeedCSV.scan(source, kind: kind, encoding: encoding, file: fileName, today: Day(now())) { line, id, row in
            if let slot = index.slot(of: id) {
                matched[slot, default: []].append(row())
            } else {
                unknown += 1
                if keepLeads { leads.append((line, id.value)) }
            }
        }
        let byHousehold = Dictionary(uniqueKeysWithValues: matched.map { (index.householdIDs[Int($0.key)], $0.value) })
        let records = try await store.records(byHousehold.keys.sorted(), purpose: "feed \(kind.rawValue) \(digest.prefix(12))")
        let month = asOf.monthOfYear
        var flags: [StoredFlag] = []
        var bySeverity: [String: Int] = [:]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for record in records {
            let pack = try PackChoice.byDivision(packs).pack(for: record.household)
            for f in try VerificationFlags.flags(kind, rows: byHousehold[record.household.householdID] ?? [], record: record, month: month, pack: pack) {
                bySeverity[f.severity.rawValue, default: 0] += 1
                flags.append(StoredFlag(householdID: f.householdID, divisionCode: record.household.divisionCode.digits, kind: f.kind,
                                        severity: f.severity.rawValue, idNumber: f.idNumber?.value, message: f.message,
                                        evidence: String(decoding: try encoder.encode(f.evidence), as: UTF8.self), citation: f.citation, feedDigest: digest))
            }
        }
        let record = FeedImportRecord(kind: kind.rawValue, department: department, asOf: asOf, fileName: fileName, digest: digest,
                                      encoding: isSheet ? "xlsx" : scanned.encoding.rawValue, rows: scanned.rows, matched: scanned.rows - unknown,
                                      unknown: unknown, flags: flags.count, importedAt: now(), importedBy: actor.name)
        let applied = try await store.apply(record, flags: flags, unknown: leads)
        return FeedImportSummary(record: applied, repeated: applied != record, flagsBySeverity: applied != record ? [:] : bySeverity)
    }

    /// The SHA-256 of the file's bytes, read in pieces.
    static func sha256(_ source: FeedSource) throws -> String {
        var hasher = SHA256()
        try source.forEachChunk { hasher.update(data: $0) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// A department's file as an import reads it: its SHA-256 (of the file's own bytes), and the CSV to
/// scan — a spreadsheet is read as the CSV of its first sheet, in UTF-8 — with its first 4 KiB, from
/// which the kind is told. Feeds and monitoring pushes open their files the same way.
struct OpenedFeed {
    let digest: String
    let isSheet: Bool
    let source: FeedSource
    let encoding: FeedEncoding?
    let head: Data

    init(_ file: FeedSource, fileName: String, encoding declared: FeedEncoding?) throws {
        digest = try Verification.sha256(file)
        isSheet = XLSXReader.isXLSX(try file.prefix(4))
        if isSheet {
            do { source = .data(try XLSXReader.csv(file.all())) } catch {
                throw FeedErrors(file: fileName, errors: [FeedError(line: 1, column: "-", rule: "the .xlsx file cannot be read: \(error)")])
            }
        } else {
            source = file
        }
        encoding = isSheet ? .utf8 : declared
        head = try source.prefix(4096)
    }
}

/// One flagged household on the officers' worklist: what it gets now, and what it would get with
/// the department's data taken as true.
public struct ReevaluationItem: Sendable, Equatable, Codable {
    /// `likely_ineligible`, `benefit_up`, `benefit_down`, `newly_eligible` or `unchanged`.
    public let outcome: String
    public let householdID: String
    public let divisionCode: String
    public let nowProgramme: String
    public let nowBenefitFen: Int64
    public let withFeedsProgramme: String
    public let withFeedsBenefitFen: Int64
    public let flags: [String]
    /// The feed kind of each flag (the department data behind it).
    public let kinds: [String]

    enum CodingKeys: String, CodingKey {
        case outcome, householdID = "household_id", divisionCode = "division_code", nowProgramme = "now_programme", nowBenefitFen = "now_benefit_fen"
        case withFeedsProgramme = "with_feeds_programme", withFeedsBenefitFen = "with_feeds_benefit_fen", flags, kinds
    }
}

extension Verification {
    /// The worklist of a month: every household with open flags, evaluated as registered and with
    /// the flags' rows taken as true, sorted likely-ineligible first. Changes nothing.
    public func worklist(month: Month) async throws -> [ReevaluationItem] {
        let store = FeedStore(db: db, scope: scope, actor: actor, now: now)
        let flags = Dictionary(grouping: try await store.flags(), by: \.householdID)
        let records = try await store.records(flags.keys.sorted(), purpose: "re-evaluation \(month)")
        return try records.map { try reevaluate($0, flags: flags[$0.household.householdID] ?? [], month: month) }.sorted(by: ReevaluationItem.order)
    }

    /// The month's verification of every household of the jurisdiction (核对, 定期比对): each is
    /// evaluated under its pack, and those with open flags again with the department data taken
    /// as true. A summary by township (households, recipients, recipients flagged, outcomes) and
    /// by kind of data (what was received and what it raised), then the worklist. Changes nothing.
    public func monthly(month: Month) async throws -> MonthlyVerification {
        let store = FeedStore(db: db, scope: scope, actor: actor, now: now)
        let flags = Dictionary(grouping: try await store.flags(), by: \.householdID)
        var townships: [String: MonthlyVerification.Township] = [:]
        var worklist: [ReevaluationItem] = []
        let ids = try await store.householdIDs()
        for start in stride(from: 0, to: ids.count, by: 5000) {
            let part = Array(ids[start..<min(start + 5000, ids.count)])
            for record in try await store.records(part, purpose: "monthly verification \(month)") {
                let code = String(record.household.divisionCode.digits.prefix(9))
                var t = townships[code] ?? .init(code: code, name: (try? DivisionCode(code)).flatMap { Divisions.bundled[$0]?.name } ?? code)
                t.households += 1
                let own = flags[record.household.householdID] ?? []
                if own.isEmpty {
                    let pack = try PackChoice.byDivision(packs).pack(for: record.household)
                    if try ReferenceRules.evaluate(record.household, members: record.members, month: month, pack: pack, explain: false).programme.isPaid {
                        t.recipients += 1
                    }
                } else {
                    let item = try reevaluate(record, flags: own, month: month)
                    if Programme(rawValue: item.nowProgramme)?.isPaid == true { t.recipients += 1; t.recipientsFlagged += 1 }
                    t.outcomes[item.outcome, default: 0] += 1
                    worklist.append(item)
                }
                townships[code] = t
            }
        }
        var kinds: [String: MonthlyVerification.KindLine] = [:]
        for i in try await store.imports() {
            var k = kinds[i.kind] ?? .init(kind: i.kind)
            k.imports += 1
            k.rows += i.rows
            k.matched += i.matched
            k.unknown += i.unknown
            if i.asOf.monthOfYear == month { k.importsThisMonth += 1 }
            kinds[i.kind] = k
        }
        for f in flags.values.joined() {
            var k = kinds[f.kind] ?? .init(kind: f.kind)
            k.openFlags[f.severity, default: 0] += 1
            kinds[f.kind] = k
        }
        let order = FeedKind.allCases.map(\.rawValue)
        return MonthlyVerification(month: month, townships: townships.values.sorted { $0.code < $1.code },
                                   kinds: kinds.values.sorted { (order.firstIndex(of: $0.kind) ?? 99) < (order.firstIndex(of: $1.kind) ?? 99) },
                                   worklist: worklist.sorted(by: ReevaluationItem.order))
    }

    /// One household now and with its flags' rows taken as true.
    func reevaluate(_ record: HouseholdRecord, flags: [StoredFlag], month: Month) throws -> ReevaluationItem {
        let pack = try PackChoice.byDivision(packs).pack(for: record.household)
        let now = try ReferenceRules.evaluate(record.household, members: record.members, month: month, pack: pack, explain: false)
        var changed = record
        let decoder = JSONDecoder()
        for f in flags {
            guard let kind = FeedKind(rawValue: f.kind), let rows = try? decoder.decode([FeedRow].self, from: Data(f.evidence.utf8)) else { continue }
            changed = FeedFacts.apply(kind, rows: rows, to: changed)
        }
        let after = try ReferenceRules.evaluate(changed.household, members: changed.members, month: month, pack: pack, explain: false)
        let outcome: String
        if now.programme.isPaid && !after.programme.isPaid { outcome = "likely_ineligible" }
        else if !now.programme.isPaid && after.programme.isPaid { outcome = "newly_eligible" }
        else if after.benefit > now.benefit { outcome = "benefit_up" }
        else if after.benefit < now.benefit { outcome = "benefit_down" }
        else { outcome = "unchanged" }
        return ReevaluationItem(outcome: outcome, householdID: record.household.householdID, divisionCode: record.household.divisionCode.digits,
                                nowProgramme: now.programme.rawValue, nowBenefitFen: now.benefit.fen, withFeedsProgramme: after.programme.rawValue,
                                withFeedsBenefitFen: after.benefit.fen, flags: flags.map(\.message), kinds: flags.map(\.kind))
    }
}

extension ReevaluationItem {
    /// The outcomes in the order officers take them.
    public static let outcomes = ["likely_ineligible", "benefit_down", "newly_eligible", "benefit_up", "unchanged"]

    static func order(_ a: ReevaluationItem, _ b: ReevaluationItem) -> Bool {
        (outcomes.firstIndex(of: a.outcome) ?? 9, a.householdID) < (outcomes.firstIndex(of: b.outcome) ?? 9, b.householdID)
    }
}

/// A month's verification of every household: by township, by kind of data, and the worklist.
public struct MonthlyVerification: Sendable, Equatable, Codable {
    public struct Township: Sendable, Equatable, Codable {
        public let code: String
        public let name: String
        public var households = 0
        /// Households paid 低保 or 特困 this month as registered.
        public var recipients = 0
        /// Of those, the ones with open flags.
        public var recipientsFlagged = 0
        /// Flagged households by outcome.
        public var outcomes: [String: Int] = [:]

        init(code: String, name: String) { self.code = code; self.name = name }
        enum CodingKeys: String, CodingKey { case code, name, households, recipients, recipientsFlagged = "recipients_flagged", outcomes }
    }

    /// One kind of department data: what was received (all imports of the jurisdiction) and the open flags it raised.
    public struct KindLine: Sendable, Equatable, Codable {
        public let kind: String
        public var imports = 0
        /// Imports whose data is as of this month.
        public var importsThisMonth = 0
        public var rows = 0
        public var matched = 0
        public var unknown = 0
        public var openFlags: [String: Int] = [:]

        init(kind: String) { self.kind = kind }
        enum CodingKeys: String, CodingKey {
            case kind, imports, importsThisMonth = "imports_this_month", rows, matched, unknown, openFlags = "open_flags"
        }
    }

    public let month: Month
    public let townships: [Township]
    public let kinds: [KindLine]
    public let worklist: [ReevaluationItem]
}
