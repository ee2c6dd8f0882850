import FluentKit
import Foundation
import JiuzhuCore
import SQLKit

/// One imported feed: where it came from (department, as-of day, file and its SHA-256) and what
/// it held (rows, matched to members, unknown people).
public struct FeedImportRecord: Sendable, Equatable, Codable {
    public let kind: String
    public let department: String
    public let asOf: Day
    public let fileName: String
    public let digest: String
    public let encoding: String
    public let rows: Int
    public let matched: Int
    public let unknown: Int
    public let flags: Int
    public let importedAt: Date
    public let importedBy: String

    public init(kind: String, department: String, asOf: Day, fileName: String, digest: String, encoding: String, rows: Int, matched: Int,
                unknown: Int, flags: Int, importedAt: Date, importedBy: String) {
        self.kind = kind
        self.department = department
        self.asOf = asOf
        self.fileName = fileName
        self.digest = digest
        self.encoding = encoding
        self.rows = rows
        self.matched = matched
        self.unknown = unknown
        self.flags = flags
        self.importedAt = importedAt
        self.importedBy = importedBy
    }

    enum CodingKeys: String, CodingKey {
        case kind, department, asOf = "as_of", fileName = "file_name", digest, encoding, rows, matched, unknown, flags
        case importedAt = "imported_at", importedBy = "imported_by"
    }
}

/// A flag as stored: the household (and its division, for scoping), what, how serious, the evidence.
public struct StoredFlag: Sendable, Equatable, Codable {
    public let householdID: String
    public let divisionCode: String
    public let kind: String
    public let severity: String
    public let idNumber: String?
    public let message: String
    /// JSON of the feed rows behind it.
    public let evidence: String
    public let citation: String
    public let feedDigest: String
    public let status: String

    public init(householdID: String, divisionCode: String, kind: String, severity: String, idNumber: String?, message: String, evidence: String,
                citation: String, feedDigest: String, status: String = "open") {
        self.householdID = householdID
        self.divisionCode = divisionCode
        self.kind = kind
        self.severity = severity
        self.idNumber = idNumber
        self.message = message
        self.evidence = evidence
        self.citation = citation
        self.feedDigest = feedDigest
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case householdID = "household_id", divisionCode = "division_code", kind, severity, idNumber = "id_number", message, evidence, citation
        case feedDigest = "feed_digest", status
    }
}

/// Department feeds and the flags they raise, within a jurisdiction. An import applies whole or
/// not at all, and the same file (kind and digest) is never applied twice.
public struct FeedStore: Sendable {
    public let db: any Database
    public let scope: Jurisdiction
    public let actor: AuditActor
    public let now: @Sendable () -> Date

    public init(db: any Database, scope: Jurisdiction = .everywhere, actor: AuditActor, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.scope = scope
        self.actor = actor
        self.now = now
    }

    /// Imports are kept per jurisdiction: the same provincial file imported by two counties is
    /// applied once in each.
    var scopeKey: String { scope.prefix }

    /// The earlier import of the same file in this jurisdiction, if any.
    public func existing(kind: String, digest: String) async throws -> FeedImportRecord? {
        try await FeedImportModel.query(on: db).filter(\.$kind == kind).filter(\.$digest == digest).filter(\.$scope == scopeKey).first()?.record
    }

    /// The imports of this jurisdiction, newest first: those it made itself (a county does not see
    /// another county's import of the same provincial file); the whole database sees all.
    public func imports() async throws -> [FeedImportRecord] {
        var q = FeedImportModel.query(on: db)
        if scope.division != nil { q = q.filter(\.$scope == scopeKey) }
        return try await q.sort(\.$importedAt, .descending).sort(\.$id, .descending).all().map(\.record)
    }

    /// The households' files, for verification: one audit record names them all.
    public func records(_ householdIDs: [String], purpose: String) async throws -> [HouseholdRecord] {
        var out: [HouseholdRecord] = []
        let sql = db as! any SQLDatabase
        for chunk in stride(from: 0, to: householdIDs.count, by: 500) {
            let part = Array(householdIDs[chunk..<min(chunk + 500, householdIDs.count)])
            let hs = try await sql.select().columns(PopulationStore.householdSelect.map { SQLColumn($0) }).from("households")
                .where(scope.condition()).where("household_id", .in, part).orderBy("household_id").all().map(PopulationStore.household(from:))
            let ms = Dictionary(grouping: try await sql.select().columns(PopulationStore.memberSelect.map { SQLColumn($0) }).from("members")
                .where("household_id", .in, part).orderBy("id").all().map(PopulationStore.member(from:)), by: \.householdID)
            for h in hs { out.append(HouseholdRecord(household: h, members: ms[h.householdID] ?? [])) }
        }
        let (at, actor, county) = (now(), actor, scope.division?.countyCode.digits ?? "")
        try await AuditLog.transaction(on: db) { tx in
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .read, entity: "household", key: "*", county: county,
                                      detail: ["purpose": purpose, "households": String(householdIDs.count)])
        }
        return out
    }

    /// Records the import, its flags and its unknown people in one transaction with its audit record.
    public func apply(_ record: FeedImportRecord, flags: [StoredFlag], unknown: [(line: Int, idNumber: String)]) async throws -> FeedImportRecord {
        let (actor, scopeKey) = (actor, scopeKey)
        return try await AuditLog.transaction(on: db) { tx in
            if let earlier = try await FeedImportModel.query(on: tx).filter(\.$kind == record.kind).filter(\.$digest == record.digest)
                .filter(\.$scope == scopeKey).first() {
                return earlier.record
            }
            let row = FeedImportModel(record, scope: scopeKey)
            try await row.create(on: tx)
            let id = try row.requireID()
            let sql = tx as! any SQLDatabase
            for start in stride(from: 0, to: flags.count, by: 1000) {
                let rows: [[any Encodable & Sendable]] = flags[start..<min(start + 1000, flags.count)].map { f in
                    [id, f.householdID, String(f.divisionCode.prefix(6)), f.divisionCode, f.kind, f.severity, f.idNumber, f.message, f.evidence,
                     f.citation, f.feedDigest, f.status, record.importedAt]
                }
                try await sql.execute(sql: BulkInsert(table: FlagModel.schema, columns: FlagModel.columns, rows: rows)) { _ in }
            }
            for start in stride(from: 0, to: unknown.count, by: 5000) {
                let rows: [[any Encodable & Sendable]] = unknown[start..<min(start + 5000, unknown.count)].map { [id, Int64($0.line), $0.idNumber] }
                try await sql.execute(sql: BulkInsert(table: FeedLeadModel.schema, columns: ["feed_import_id", "line", "id_number"], rows: rows)) { _ in }
            }
            try await AuditLog.record(on: tx, at: record.importedAt, actor: actor, action: .import, entity: "feed", key: record.digest,
                                      county: scope.division?.countyCode.digits ?? "", detail: record)
            return record
        }
    }

    /// Every household ID within the jurisdiction, in order.
    public func householdIDs() async throws -> [String] {
        try await scope.households(on: db).sort(\.$householdID).all(\.$householdID)
    }

    /// The flags within the jurisdiction: all, one household's, or by status.
    public func flags(householdID: String? = nil, status: String? = "open") async throws -> [StoredFlag] {
        var q = FlagModel.query(on: db)
        if scope.division != nil { q = q.filter(\.$divisionCode =~ scope.prefix) }
        if let householdID { q = q.filter(\.$householdID == householdID) }
        if let status { q = q.filter(\.$status == status) }
        return try await q.sort(\.$id).all().map(\.stored)
    }

    /// The people of an import whom the registry does not know (leads for proactive discovery).
    public func leads(digest: String) async throws -> [(line: Int, idNumber: String)] {
        guard let imp = try await FeedImportModel.query(on: db).filter(\.$digest == digest).filter(\.$scope == scopeKey).first(),
              let id = imp.id else { return [] }
        return try await FeedLeadModel.query(on: db).filter(\.$importID == id).sort(\.$line).all().map { ($0.lineNumber, $0.idNumber) }
    }
}

final class FeedImportModel: Model, @unchecked Sendable {
    static let schema = "feed_imports"
    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "kind") var kind: String
    @Field(key: "department") var department: String
    @Field(key: "as_of") var asOf: String
    @Field(key: "file_name") var fileName: String
    @Field(key: "digest") var digest: String
    @Field(key: "encoding") var encoding: String
    @Field(key: "rows") var rows: Int64
    @Field(key: "matched") var matched: Int64
    @Field(key: "unknown") var unknown: Int64
    @Field(key: "flags") var flags: Int64
    @Field(key: "imported_at") var importedAt: Date
    @Field(key: "imported_by") var importedBy: String
    /// The importing jurisdiction's division prefix (empty: the whole database).
    @Field(key: "scope") var scope: String

    init() {}

    init(_ r: FeedImportRecord, scope: String) {
        self.scope = scope
        kind = r.kind; department = r.department; asOf = r.asOf.description; fileName = r.fileName; digest = r.digest; encoding = r.encoding
        rows = Int64(r.rows); matched = Int64(r.matched); unknown = Int64(r.unknown); flags = Int64(r.flags)
        importedAt = r.importedAt; importedBy = r.importedBy
    }

    var record: FeedImportRecord {
        FeedImportRecord(kind: kind, department: department, asOf: (try? Day(parsing: asOf)) ?? Day(importedAt), fileName: fileName, digest: digest,
                         encoding: encoding, rows: Int(rows), matched: Int(matched), unknown: Int(unknown), flags: Int(flags),
                         importedAt: importedAt, importedBy: importedBy)
    }
}

final class FlagModel: Model, @unchecked Sendable {
    static let schema = "flags"
    /// The columns a bulk insert writes, in order.
    static let columns = ["feed_import_id", "household_id", "county_code", "division_code", "kind", "severity", "id_number", "message",
                          "evidence", "citation", "feed_digest", "status", "created_at"]
    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "feed_import_id") var importID: Int64
    @Field(key: "household_id") var householdID: String
    @Field(key: "county_code") var countyCode: String
    @Field(key: "division_code") var divisionCode: String
    @Field(key: "kind") var kind: String
    @Field(key: "severity") var severity: String
    @OptionalField(key: "id_number") var idNumber: String?
    @Field(key: "message") var message: String
    @Field(key: "evidence") var evidence: String
    @Field(key: "citation") var citation: String
    @Field(key: "feed_digest") var feedDigest: String
    @Field(key: "status") var status: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var stored: StoredFlag {
        StoredFlag(householdID: householdID, divisionCode: divisionCode, kind: kind, severity: severity, idNumber: idNumber, message: message,
                   evidence: evidence, citation: citation, feedDigest: feedDigest, status: status)
    }
}

final class FeedLeadModel: Model, @unchecked Sendable {
    static let schema = "feed_leads"
    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "feed_import_id") var importID: Int64
    @Field(key: "line") var line: Int64
    @Field(key: "id_number") var idNumber: String

    init() {}

    var lineNumber: Int { Int(line) }
}
