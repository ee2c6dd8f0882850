import Crypto
import FluentKit
import Foundation
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore

/// What a month's roll owes, from the entitlements (pure): for each entitlement with an account,
/// each month from the first Jiuzhu pays to the roll's month (or the last month paid, after a stop),
/// the amount in force less what other rolls already paid for that month. The roll's own month is a
/// `regular` line; an earlier month is `arrears` (a late start, a raise back-dated), or `reissue`
/// when a payment for it came back from the bank. Nothing is ever paid twice; an overpayment (an
/// amount lowered back-dated) is reported, not clawed back: recovery is an officer's decision.
public enum PaymentRoll {
    public struct Result: Sendable, Equatable {
        public var lines: [PayrollLine] = []
        /// Entitlements owed something but without a bank account: not paid until one is recorded.
        public var held: [Held] = []
        /// Months paid more than is now owed.
        public var overpaid: [Overpaid] = []
    }

    public struct Held: Sendable, Equatable, Codable {
        public let householdID: String
        public let programme: PaymentProgramme
        public let owedFen: Int64
        public init(householdID: String, programme: PaymentProgramme, owedFen: Int64) { self.householdID = householdID; self.programme = programme; self.owedFen = owedFen }
        enum CodingKeys: String, CodingKey { case householdID = "household_id", programme, owedFen = "owed_fen" }
    }

    public struct Overpaid: Sendable, Equatable, Codable {
        public let householdID: String
        public let programme: PaymentProgramme
        public let month: Month
        public let paidFen: Int64
        public let owedFen: Int64
        enum CodingKeys: String, CodingKey { case householdID = "household_id", programme, month, paidFen = "paid_fen", owedFen = "owed_fen" }
    }

    /// A payment beside the benefit an entitlement is due in the roll's month.
    public struct Extra: Sendable, Equatable {
        public let kind: PayrollLine.Kind
        public let forMonth: Month
        public let amountFen: Int64
        public init(kind: PayrollLine.Kind, forMonth: Month, amountFen: Int64) { self.kind = kind; self.forMonth = forMonth; self.amountFen = amountFen }
    }

    /// - Parameters:
    ///   - paidExtras: the payments beside the benefit other rolls made (not returned).
    ///   - extras: the payments beside the benefit each entitlement is due this month (price subsidy,
    ///     emergency, heating); one already paid by another roll is not paid again.
    public static func compute(month: Month, entitlements: [Entitlement], coverage: [Int64: [Month: Coverage]], names: [String: String],
                               paidExtras: Set<PaidExtra> = [], extras: (Entitlement) -> [Extra] = { _ in [] }) -> Result {
        var out = Result()
        for e in entitlements {
            let last = min(month, e.endMonth ?? month)
            guard e.owedFrom <= last else { continue }
            var owedLines: [PayrollLine] = []
            var m = e.owedFrom
            while m <= last {
                let owed = e.amount(in: m)
                let covered = coverage[e.id]?[m] ?? Coverage()
                if owed > covered.fen {
                    let kind: PayrollLine.Kind = m == month ? .regular : covered.returned ? .reissue : .arrears
                    owedLines.append(PayrollLine(month: month, forMonth: m, kind: kind, entitlementID: e.id, householdID: e.householdID,
                                                 countyCode: e.countyCode, divisionCode: e.divisionCode, programme: e.programme, payee: e.payee,
                                                 payeeName: names[e.payee] ?? "", bankAccount: e.bankAccount ?? "", amountFen: owed - covered.fen))
                } else if owed < covered.fen {
                    out.overpaid.append(Overpaid(householdID: e.householdID, programme: e.programme, month: m, paidFen: covered.fen, owedFen: owed))
                }
                m = m.adding(months: 1)
            }
            for x in extras(e) where x.amountFen > 0 && !paidExtras.contains(PaidExtra(entitlementID: e.id, kind: x.kind, forMonth: x.forMonth)) {
                owedLines.append(PayrollLine(month: month, forMonth: x.forMonth, kind: x.kind, entitlementID: e.id, householdID: e.householdID,
                                             countyCode: e.countyCode, divisionCode: e.divisionCode, programme: e.programme, payee: e.payee,
                                             payeeName: names[e.payee] ?? "", bankAccount: e.bankAccount ?? "", amountFen: x.amountFen))
            }
            if e.bankAccount == nil {
                let owed = owedLines.reduce(Int64(0)) { $0 + $1.amountFen }
                if owed > 0 { out.held.append(Held(householdID: e.householdID, programme: e.programme, owedFen: owed)) }
            } else {
                out.lines += owedLines
            }
        }
        return out
    }
}

/// A roll's totals by township and programme: rows, columns and the grand total reconcile to the fen.
public struct RollTotals: Sendable, Equatable, Codable {
    public struct Row: Sendable, Equatable, Codable {
        public let township: String
        public let name: String
        public let byProgramme: [String: Int64]
        public let lines: Int
        public let totalFen: Int64
        enum CodingKeys: String, CodingKey { case township, name, byProgramme = "by_programme", lines, totalFen = "total_fen" }
    }
    public let rows: [Row]
    public let byProgramme: [String: Int64]
    public let lines: Int
    public let totalFen: Int64

    public init(_ lines: [PayrollLine]) {
        var rows: [String: [PayrollLine]] = [:]
        for l in lines { rows[l.township, default: []].append(l) }
        self.rows = rows.keys.sorted().map { t in
            let ls = rows[t]!
            return Row(township: t, name: (try? DivisionCode(t)).flatMap { Divisions.bundled[$0]?.name } ?? t,
                       byProgramme: Dictionary(grouping: ls, by: \.programme.rawValue).mapValues { $0.reduce(0) { $0 + $1.amountFen } },
                       lines: ls.count, totalFen: ls.reduce(0) { $0 + $1.amountFen })
        }
        byProgramme = Dictionary(grouping: lines, by: \.programme.rawValue).mapValues { $0.reduce(0) { $0 + $1.amountFen } }
        self.lines = lines.count
        totalFen = lines.reduce(0) { $0 + $1.amountFen }
    }

    enum CodingKeys: String, CodingKey { case rows, byProgramme = "by_programme", lines, totalFen = "total_fen" }
}

/// The bank file of a roll (../shared/spec/recipients-csv.md): the county's column layout, the
/// default one unless it sets another. The same roll always gives the same bytes.
public struct PaymentFileLayout: Sendable, Equatable {
    public static let columnsAvailable = ["household_id", "payee_name", "payee_id_number", "bank_account", "programme", "month", "amount_fen",
                                          "township", "kind", "roll_month"]
    public static let standard = PaymentFileLayout(columns: ["household_id", "payee_name", "payee_id_number", "bank_account", "programme", "month", "amount_fen"])
    public let columns: [String]

    /// A layout from a comma-separated list of column names.
    public init(parsing text: String) throws(StoreError) {
        let cols = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if let bad = cols.first(where: { !Self.columnsAvailable.contains($0) }) {
            throw .invalid([FieldProblem(field: "columns", rule: "'\(bad)' is not a column of the payment file; choose from \(Self.columnsAvailable.joined(separator: ", "))")])
        }
        if !cols.contains("bank_account") || !cols.contains("amount_fen") {
            throw .invalid([FieldProblem(field: "columns", rule: "a payment file needs bank_account and amount_fen")])
        }
        self.init(columns: cols)
    }

    init(columns: [String]) { self.columns = columns }

    func value(_ column: String, _ l: PayrollLine) -> XLSX.Cell {
        switch column {
        case "household_id": return .text(l.householdID)
        case "payee_name": return .text(l.payeeName)
        case "payee_id_number": return .text(l.payee)
        case "bank_account": return .text(l.bankAccount)
        case "programme": return .text(l.programme.rawValue)
        case "month": return .text(l.forMonth.description)
        case "amount_fen": return .number(l.amountFen)
        case "township": return .text(l.township)
        case "kind": return .text(l.kind.rawValue)
        default: return .text(l.month.description)
        }
    }

    /// UTF-8 CSV, the header then one line per payment.
    public func csv(_ lines: [PayrollLine]) -> Data {
        func field(_ c: XLSX.Cell) -> String {
            switch c {
            case .number(let n): return String(n)
            case .text(let t): return t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : t
            }
        }
        var out = columns.joined(separator: ",") + "\n"
        for l in lines { out += columns.map { field(value($0, l)) }.joined(separator: ",") + "\n" }
        return Data(out.utf8)
    }

    /// The same as an .xlsx workbook (amounts as numbers, account and ID numbers as text).
    public func xlsx(_ lines: [PayrollLine], sheet: String) -> Data {
        XLSX.workbook(sheet: sheet, rows: [columns.map { .text($0) }] + lines.map { l in columns.map { value($0, l) } })
    }
}

/// Monthly payments (发放): the migration of a county's current caseload, the rolls generated from
/// entitlements, confirmed, exported for the bank and answered by it.
public struct Payroll: Sendable {
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

    var store: PaymentStore { PaymentStore(db: db, actor: actor, now: now) }

    /// A county this user may pay in: the county of the user's division, or any for the whole database.
    func county(_ code: String) throws -> String {
        guard let c = try? DivisionCode(code), c.digits.count == 6 else {
            throw StoreError.invalid([FieldProblem(field: "county", rule: "must be a county code of 6 digits, found '\(code)'")])
        }
        if let d = scope.division, d.countyCode.digits != c.digits { throw StoreError.forbidden("county \(code) is outside your division") }
        return c.digits
    }

    /// Generates a county's roll for a month (a draft may be generated again; a confirmed one is kept).
    public func generate(county code: String, month: Month) async throws -> (run: PayrollRun, result: PaymentRoll.Result) {
        let county = try county(code)
        let names = try await store.payeeNames(county: county)
        let extras = try await extras(county: county, month: month)
        let box = ResultBox()
        let run = try await store.generate(county: county, month: month) { entitlements, coverage, paid in
            let r = PaymentRoll.compute(month: month, entitlements: entitlements, coverage: coverage, names: names, paidExtras: paid, extras: extras(entitlements))
            box.result = r
            return r.lines
        }
        return (run, box.result)
    }

    /// The price subsidy decided for a roll's month: from the previous month's indices recorded for
    /// the county, under the county's pack (nil: no indices, or they do not trigger it).
    func priceDecision(county: String, month: Month) async throws -> PriceLinkage.Decision? {
        guard let figures = try await store.priceIndices(county: county, month: month.adding(months: -1)) else { return nil }
        let indices = PriceIndices(month: month.adding(months: -1), cpiRise: try Rate(parsing: figures.cpi), foodCpiRise: try Rate(parsing: figures.foodCpi))
        let decision = try PriceLinkage.decide(indices, pack: try PackChoice.byDivision(packs).pack(forDivision: try DivisionCode(county)))
        return decision.triggered ? decision : nil
    }

    /// Records a month's price indices for a county (a fall is entered as 0%: it triggers nothing);
    /// a rise above 100% is refused as a typing error.
    public func recordPriceIndices(county code: String, month: Month, cpi: Rate, foodCpi: Rate) async throws {
        let county = try county(code)
        let ceiling = Rate(units: 1, scale: 0)
        for (name, r) in [("cpi", cpi), ("food_cpi", foodCpi)] where !PriceLinkage.atLeast(ceiling, r) {
            throw StoreError.invalid([FieldProblem(field: name, rule: "a year-on-year rise of \(r.percent) is out of range (0% to 100%)")])
        }
        try await store.recordPriceIndices(county: county, month: month, cpi: cpi.percent, foodCpi: foodCpi.percent)
    }

    public func confirm(county code: String, month: Month) async throws -> PayrollRun {
        try await store.advance(county: try county(code), month: month, to: .confirmed)
    }

    /// The roll's lines and totals.
    public func roll(county code: String, month: Month) async throws -> (run: PayrollRun, lines: [PayrollLine], totals: RollTotals) {
        let county = try county(code)
        guard let run = try await store.run(county: county, month: month) else { throw PaymentError.noRoll(county: county, month: month) }
        let lines = try await store.lines(county: county, month: month)
        return (run, lines, RollTotals(lines))
    }

    /// Writes the bank file of a confirmed roll (CSV and .xlsx) into `directory`: each file is
    /// written whole under a temporary name and then renamed, so a file either is complete or is
    /// not there; writing again gives the same bytes. Then the roll is marked exported.
    public func export(county code: String, month: Month, to directory: URL, layout: PaymentFileLayout = .standard) async throws -> [URL] {
        let files = try await bankFile(county: code, month: month, layout: layout)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [URL] = []
        for (name, data) in [(files.name + ".csv", files.csv), (files.name + ".xlsx", files.xlsx)] {
            let url = directory.appendingPathComponent(name)
            let temp = directory.appendingPathComponent("." + name + ".partial")
            try data.write(to: temp)
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
            try FileManager.default.moveItem(at: temp, to: url)
            written.append(url)
        }
        return written
    }

    /// The bank file of a confirmed roll, as CSV and .xlsx bytes (the same roll, the same bytes);
    /// the roll is marked exported.
    public func bankFile(county code: String, month: Month, layout: PaymentFileLayout = .standard) async throws -> (name: String, csv: Data, xlsx: Data) {
        let county = try county(code)
        guard let run = try await store.run(county: county, month: month) else { throw PaymentError.noRoll(county: county, month: month) }
        guard run.status != .generated else { throw PaymentError.notConfirmed(county: county, month: month) }
        let lines = try await store.lines(county: county, month: month)
        let files = ("payroll-\(county)-\(month)", layout.csv(lines), layout.xlsx(lines, sheet: "发放名册 \(month)"))
        try await store.advance(county: county, month: month, to: .exported)
        return files
    }

    /// Records the bank's answer: the returned payments (a CSV of the payment file's columns and
    /// `reason`), every other payment of the roll paid. A returned payment is paid again by the
    /// next roll, into the account then recorded.
    public func recordBankAnswer(county code: String, month: Month, returned file: Data?, fileName: String = "returned.csv") async throws -> (paid: Int, returned: Int) {
        let county = try county(code)
        var returned: [(key: PayrollLineKey, reason: String, line: Int)] = []
        if let file { returned = try ReturnedPayments.read(file, fileName: fileName) }
        return try await store.recordBankAnswer(county: county, month: month, returned: returned)
    }
}

private final class ResultBox: @unchecked Sendable {
    var result = PaymentRoll.Result()
}

/// The bank's list of payments it could not make: `household_id,payee_id_number,bank_account,programme,month,amount_fen,reason`.
public enum ReturnedPayments {
    public static let header = ["household_id", "payee_id_number", "bank_account", "programme", "month", "amount_fen", "reason"]

    public static func read(_ data: Data, fileName: String) throws(FeedErrors) -> [(key: PayrollLineKey, reason: String, line: Int)] {
        var out: [(key: PayrollLineKey, reason: String, line: Int)] = []
        var errors: [FeedError] = []
        var sawHeader = false
        var splitter = CSVRecordSplitter()
        let record: (Int, inout CSVRecordSplitter) -> Void = { line, s in
            let f = s.fields.map { String(decoding: s.bytes[$0], as: UTF8.self).trimmingCharacters(in: .whitespaces) }
            if !sawHeader {
                sawHeader = true
                if f != header { errors.append(FeedError(line: 1, column: "-", rule: "the header must be exactly \(header.joined(separator: ","))")) }
                return
            }
            if f == [""] { return }
            guard f.count == header.count else { errors.append(FeedError(line: line, column: "-", rule: "expected \(header.count) columns, found \(f.count)")); return }
            guard let p = PaymentProgramme(rawValue: f[3]) else { errors.append(FeedError(line: line, column: "programme", rule: "unknown programme '\(f[3])'")); return }
            guard let m = try? Month(parsing: f[4]) else { errors.append(FeedError(line: line, column: "month", rule: "must be YYYY-MM, found '\(f[4])'")); return }
            guard let fen = Int64(f[5]), fen > 0 else { errors.append(FeedError(line: line, column: "amount_fen", rule: "must be a whole number of fen above 0, found '\(f[5])'")); return }
            if f[6].isEmpty { errors.append(FeedError(line: line, column: "reason", rule: "must say why the payment came back")); return }
            out.append((PayrollLineKey(householdID: f[0], payee: f[1], bankAccount: f[2], programme: p, forMonth: m, amountFen: fen), f[6], line))
        }
        var body = data
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        do {
            try splitter.feed(body, record)
            try splitter.finish(record)
        } catch {
            errors.append(FeedError(line: (error as? CSVRecordTooLong)?.line ?? 1, column: "-", rule: "a quote is not closed"))
        }
        if !errors.isEmpty { throw FeedErrors(file: fileName, errors: errors) }
        return out
    }
}

/// One imported line whose amount or programme the rules of its pack would not give.
public struct RecipientDifference: Sendable, Equatable, Codable {
    public let line: Int
    public let householdID: String
    public let programme: String
    public let importedFen: Int64
    public let rulesProgramme: String
    public let rulesFen: Int64

    enum CodingKeys: String, CodingKey {
        case line, householdID = "household_id", programme, importedFen = "imported_fen", rulesProgramme = "rules_programme", rulesFen = "rules_fen"
    }
}

/// What a migration of recipients did.
public struct RecipientImportSummary: Sendable, Equatable, Codable {
    public let lines: Int
    public let repeated: Bool
    public let owedFrom: Month
    /// Lines the rules of the pack would pay otherwise (the imported amount stands until an officer decides).
    public let differences: [RecipientDifference]
    /// Lines of programmes outside basic living, not re-evaluated.
    public let notEvaluated: Int

    enum CodingKeys: String, CodingKey { case lines, repeated, owedFrom = "owed_from", differences, notEvaluated = "not_evaluated" }
}

extension Payroll {
    /// Migrates a county's current caseload (recipients.csv): every line checked against the
    /// registry (the household registered in the division, the payee one of its members, no active
    /// entitlement already) and re-evaluated under its pack for `owedFrom`; all lines or none;
    /// the same file again changes nothing. Jiuzhu pays from `owedFrom` on.
    public func importRecipients(_ data: Data, fileName: String, owedFrom: Month) async throws -> RecipientImportSummary {
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        if let earlier = try await store.earlierImport(digest: digest, scope: scope.prefix) {
            return RecipientImportSummary(lines: earlier.lines, repeated: true, owedFrom: earlier.owedFrom, differences: [], notEvaluated: 0)
        }
        let lines = try RecipientsCSV.read(data, file: fileName, today: Day(now()))
        let feeds = FeedStore(db: db, scope: scope, actor: actor, now: now)
        let records = Dictionary(uniqueKeysWithValues: try await feeds.records(Array(Set(lines.map(\.householdID))).sorted(),
                                                                                purpose: "recipients import \(digest.prefix(12))")
            .map { ($0.household.householdID, $0) })
        var existing: Set<String> = []
        for county in Set(records.values.map(\.household.countyCode.digits)) {
            for e in try await store.entitlements(county: county) where e.endMonth == nil {
                existing.insert(e.householdID + "|" + e.programme.rawValue + (e.programme == .dibaoSingle ? "|" + e.payee : ""))
            }
        }
        var errors: [FeedError] = []
        var new: [NewEntitlement] = []
        for l in lines {
            guard let r = records[l.householdID] else {
                errors.append(FeedError(line: l.line, column: "household_id", rule: "\(l.householdID) is not registered" + (scope.division == nil ? "" : " in your division")))
                continue
            }
            guard r.members.contains(where: { $0.idNumber == l.payee }) else {
                errors.append(FeedError(line: l.line, column: "payee_id_number", rule: "\(l.payee.masked) is not a member of household \(l.householdID)"))
                continue
            }
            if existing.contains(l.householdID + "|" + l.programme.rawValue + (l.programme == .dibaoSingle ? "|" + l.payee.value : "")) {
                errors.append(FeedError(line: l.line, column: "programme", rule: "household \(l.householdID) already has an active \(l.programme.rawValue) entitlement"))
                continue
            }
            new.append(NewEntitlement(householdID: l.householdID, countyCode: r.household.countyCode.digits, divisionCode: r.household.divisionCode.digits,
                                      programme: l.programme, payee: l.payee.value, bankAccount: l.bankAccount, firstMonth: l.firstMonth,
                                      owedFrom: max(owedFrom, l.firstMonth), nextReview: l.nextReview, source: "import:\(digest.prefix(12)):\(l.line)",
                                      amount: DatedAmount(from: max(owedFrom, l.firstMonth), fen: l.monthlyAmount.fen, reason: "migrated (\(fileName) line \(l.line))")))
        }
        if !errors.isEmpty { throw FeedErrors(file: fileName, errors: errors) }
        // Re-evaluated under the pack: per household and basic-living programme, the amounts imported against the rules'.
        var differences: [RecipientDifference] = []
        var notEvaluated = 0
        let basic: [PaymentProgramme: Programme] = [.tekun: .tekun, .dibao: .dibao, .dibaoSingle: .dibaoSingle, .lowIncome: .lowIncome]
        for (_, group) in Dictionary(grouping: lines, by: { $0.householdID + "|" + $0.programme.rawValue }).sorted(by: { $0.key < $1.key }) {
            let first = group.min { $0.line < $1.line }!
            guard let programme = basic[first.programme], let r = records[first.householdID] else { notEvaluated += group.count; continue }
            let pack = try PackChoice.byDivision(packs).pack(for: r.household)
            let e = try ReferenceRules.evaluate(r.household, members: r.members, month: owedFrom, pack: pack, explain: false)
            let imported = group.reduce(Int64(0)) { $0 + $1.monthlyAmount.fen }
            if e.programme != programme || e.benefit.fen != imported {
                differences.append(RecipientDifference(line: first.line, householdID: first.householdID, programme: programme.rawValue, importedFen: imported,
                                                       rulesProgramme: e.programme.rawValue, rulesFen: e.benefit.fen))
            }
        }
        let counties = Set(new.map(\.countyCode))
        let (recorded, repeated) = try await store.record(new, importDigest: digest, scope: scope.prefix, fileName: fileName, owedFrom: owedFrom,
                                                          county: counties.count == 1 ? counties.first! : "")
        return RecipientImportSummary(lines: recorded, repeated: repeated, owedFrom: owedFrom, differences: repeated ? [] : differences.sorted { $0.line < $1.line },
                                      notEvaluated: repeated ? 0 : notEvaluated)
    }
}

extension Payroll {
    /// Declares a public emergency in a county: its divisions (known, within the county), its months,
    /// the raise of the standards there (0–100%) and a bulk living subsidy per person in one of its months.
    public func declareEmergency(county code: String, name: String, divisions: [String], from: Month, to: Month, raise: Rate,
                                 subsidyPerPersonFen: Int64, subsidyMonth: Month?) async throws -> Emergency {
        let county = try county(code)
        var problems: [FieldProblem] = []
        if name.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(FieldProblem(field: "name", rule: "must not be empty")) }
        if divisions.isEmpty { problems.append(FieldProblem(field: "divisions", rule: "name at least one division")) }
        for d in divisions {
            guard let c = try? DivisionCode(d), c.digits.hasPrefix(county), Divisions.bundled[c] != nil || c.digits.count == 12 else {
                problems.append(FieldProblem(field: "divisions", rule: "'\(d)' is not a known division of county \(county)"))
                continue
            }
        }
        if to < from { problems.append(FieldProblem(field: "to", rule: "the last month \(to) is before the first \(from)")) }
        if !PriceLinkage.atLeast(Rate(units: 1, scale: 0), raise) { problems.append(FieldProblem(field: "raise", rule: "must be 0% to 100%, found \(raise.percent)")) }
        if subsidyPerPersonFen < 0 { problems.append(FieldProblem(field: "subsidy_per_person_fen", rule: "must be 0 or more")) }
        if let m = subsidyMonth, m < from || m > to { problems.append(FieldProblem(field: "subsidy_month", rule: "must be within \(from)…\(to)")) }
        if subsidyPerPersonFen > 0 && subsidyMonth == nil { problems.append(FieldProblem(field: "subsidy_month", rule: "a subsidy needs the month it is paid")) }
        if !problems.isEmpty { throw StoreError.invalid(problems) }
        let codes = divisions.compactMap { try? DivisionCode($0).digits }
        return try await store.declare(Emergency(id: 0, countyCode: county, name: name, divisions: codes, from: from, to: to, raise: raise.percent,
                                                 subsidyPerPersonFen: subsidyPerPersonFen, subsidyMonth: subsidyMonth))
    }

    /// What each entitlement is due beside its benefit in a roll's month: the price subsidy (per
    /// person × the people the programme covers: the household for 低保, one for the others), an
    /// emergency's raise of the standards and its bulk subsidy, heating once a season (双鸭山),
    /// funeral subsidies. Household-level payments (the bulk subsidy, heating) go with the
    /// household's first entitlement of a basic-living programme. Given the entitlements the roll
    /// is generated from, it returns each one's extras.
    func extras(county: String, month: Month) async throws -> @Sendable ([Entitlement]) -> @Sendable (Entitlement) -> [PaymentRoll.Extra] {
        let price = try await priceDecision(county: county, month: month)
        let pack = try PackChoice.byDivision(packs).pack(forDivision: try DivisionCode(county))
        let emergencies = try await store.emergencies(county: county).filter { $0.from <= month && month <= $0.to }
        let reader = PackReader(pack: pack, needs: "heating needs")
        var season: (start: Month, amount: Int64, groups: [String])?
        if let (groups, _) = try? reader.names("heating_assistance_groups", on: month.firstDay), let amount = try? reader.money("heating_assistance_amount", on: month.firstDay),
           let (p, _) = try? reader.get("heating_payment_month", .count, on: month.firstDay), case .integer(let pm) = p, (1...12).contains(pm) {
            let start = Month(year: month.month >= Int(pm) ? month.year : month.year - 1, month: Int(pm))!
            if month <= start.adding(months: 6) { season = (start, amount.0.fen, groups) }
        }
        let heating = season
        // Funeral subsidies go with the first roll from their month, whether or not the benefit continues.
        let funerals = Dictionary(grouping: try await store.funeralSubsidies(county: county).filter { $0.payMonth <= month }, by: \.entitlementID)
            .mapValues { $0.map { PaymentRoll.Extra(kind: .funeral, forMonth: $0.payMonth, amountFen: $0.amountFen) } }
        // Household size and hukou only when something is paid per person or per household.
        let facts = price != nil || !emergencies.isEmpty || heating != nil ? try await store.householdFacts(county: county) : [:]
        let standards = try ReferenceParameters(pack: pack, month: month)
        let basic: Set<PaymentProgramme> = [.dibao, .dibaoSingle, .tekun]
        return { entitlements in
            let first = Dictionary(entitlements.filter { basic.contains($0.programme) && $0.isPaid(in: month) }.map { ($0.householdID, $0.id) },
                                   uniquingKeysWith: min)
            return { e in
                guard e.isPaid(in: month) else { return funerals[e.id] ?? [] }
                var out = funerals[e.id] ?? []
                let f = facts[e.householdID] ?? (members: 1, hukou: .rural)
                if let price {
                    let people = e.programme == .dibao || e.programme == .lowIncome ? f.members : 1
                    out.append(PaymentRoll.Extra(kind: .priceSubsidy, forMonth: month, amountFen: price.subsidy(programme: e.programme.rawValue, people: people, hukou: f.hukou).fen))
                }
                let people = e.programme == .dibao ? f.members : 1
                let covering = emergencies.filter { $0.covers(division: e.divisionCode) }
                if basic.contains(e.programme), let top = covering.compactMap({ try? Rate(parsing: $0.raise) }).max(by: { !PriceLinkage.atLeast($0, $1) }) {
                    out.append(PaymentRoll.Extra(kind: .emergencyRaise, forMonth: month, amountFen: top.timesFloor(standards.standard(f.hukou)).fen * Int64(people)))
                }
                if first[e.householdID] == e.id {
                    let bulk = covering.filter { $0.subsidyMonth == month }.map(\.subsidyPerPersonFen).max() ?? 0
                    out.append(PaymentRoll.Extra(kind: .emergencySubsidy, forMonth: month, amountFen: bulk * Int64(f.members)))
                    if let h = heating, h.groups.contains(e.programme == .dibaoSingle ? "dibao" : e.programme.rawValue) {
                        out.append(PaymentRoll.Extra(kind: .heating, forMonth: h.start, amountFen: h.amount))
                    }
                }
                return out
            }
        }
    }
}

extension Payroll {
    /// Funeral assistance on the death of a member of a household paid 低保 or 特困 (殡葬救助):
    /// the basic funeral services waived (the pack's items), or a one-off subsidy paid by the roll
    /// of the decision's month into the household's account. Once per person; the notice says which.
    public func recordFuneral(county code: String, householdID: String, deceased: String, choice: FuneralAssistance.Choice,
                              amountFen: Int64?, on day: Day) async throws -> FuneralAssistance {
        let county = try county(code)
        let month = day.monthOfYear
        let basic: Set<PaymentProgramme> = [.dibao, .dibaoSingle, .tekun]
        guard let e = try await store.entitlements(county: county, householdID: householdID)
            .first(where: { basic.contains($0.programme) && $0.owedFrom <= month && ($0.endMonth.map { $0 >= month.adding(months: -3) } ?? true) }) else {
            throw PaymentError.noEntitlement("household: \(householdID) is not paid 低保 or 特困 in \(county): no funeral assistance (殡葬救助 is for their members)")
        }
        guard let record = try await FeedStore(db: db, scope: scope, actor: actor, now: now).records([householdID], purpose: "funeral assistance").first,
              let member = record.members.first(where: { $0.idNumber.value == deceased }) else {
            throw StoreError.invalid([FieldProblem(field: "deceased_id_number", rule: "is not a member of household \(householdID)")])
        }
        let pack = try PackChoice.byDivision(packs).pack(for: record.household)
        let notice: String
        var fen: Int64 = 0
        switch choice {
        case .waiver:
            let reader = PackReader(pack: pack, needs: "funeral assistance needs")
            let items = ((try? reader.names("funeral_waiver_items", on: day))?.0 ?? []).map { FuneralAssistance.itemNames[$0] ?? $0 }
            notice = "\(member.name)身故，减免基本殡葬服务费用" + (items.isEmpty ? "（遗体接运、暂存、火化、骨灰寄存等）" : "：" + items.joined(separator: "、")) + "。"
        case .subsidy:
            guard let a = amountFen, a > 0 else {
                throw StoreError.invalid([FieldProblem(field: "amount_fen", rule: "a one-off funeral subsidy gives its amount (not less than the value of the basic services waived)")])
            }
            fen = a
            notice = "\(member.name)身故，未享受基本殡葬服务费用减免，发放一次性丧葬补贴 \(Money(fen: a))，随 \(month) 发放名册发放。"
        }
        let f = FuneralAssistance(householdID: householdID, deceased: deceased, entitlementID: e.id, choice: choice, amountFen: fen, payMonth: month, notice: notice)
        try await store.record(f, county: county)
        return f
    }
}

extension FuneralAssistance {
    /// The basic funeral services by the codes packs use.
    public static let itemNames = ["body_transport": "遗体接运", "body_storage": "遗体存放", "cremation": "遗体火化", "ashes_storage": "骨灰寄存"]
}

extension Payroll {
    /// The demo county's caseload: every registered household the rules of its pack pay 低保 or 特困
    /// this month, migrated through the real import (recipients.csv built here, paid to the head,
    /// an account each) — so that a demo's roll has lines. Returns the lines imported.
    public func migrateDemoCaseload(month: Month) async throws -> Int {
        let store = FeedStore(db: db, scope: scope, actor: actor, now: now)
        var text = RecipientsCSV.header.joined(separator: ",") + "\n"
        var n = 0
        for record in try await store.records(try await store.householdIDs(), purpose: "demo caseload") {
            let pack = try PackChoice.byDivision(packs).pack(for: record.household)
            let e = try ReferenceRules.evaluate(record.household, members: record.members, month: month, pack: pack, explain: false)
            guard e.programme == .dibao || e.programme == .tekun, e.benefit.fen > 0,
                  let head = record.members.first(where: { $0.relation == .head }) ?? record.members.first else { continue }
            let review = try ReviewSchedule.next(after: month.adding(months: -1).firstDay, tekun: e.programme == .tekun, members: record.members, pack: pack)
            text += "\(record.household.householdID),\(e.programme.rawValue),\(head.idNumber.value),\(e.benefit.fen),\(month.adding(months: -1)),\(review.on),"
                + "6217\(String(format: "%012d", n + 1))\n"
            n += 1
        }
        guard n > 0 else { return 0 }
        return try await importRecipients(Data(text.utf8), fileName: "demo-recipients.csv", owedFrom: month).lines
    }
}
