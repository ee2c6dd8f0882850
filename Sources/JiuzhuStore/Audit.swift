import Crypto
import FluentKit
import Foundation
import JiuzhuCore
import SQLKit

/// Who is acting: a signed-in user (from the casework issue on), a command-line operator,
/// or an unauthenticated client of the loopback server.
public struct AuditActor: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    /// Where the action came from: the client's address, or empty on the command line.
    public let address: String
    public init(_ name: String, address: String = "") { self.name = name; self.address = address }

    /// The operator of a command, from the OS account.
    public static func commandLine(environment: [String: String] = ProcessInfo.processInfo.environment) -> AuditActor {
        AuditActor("cli:" + (environment["USER"] ?? environment["LOGNAME"] ?? "unknown"))
    }

    public static let system = AuditActor("system")
    public var description: String { name }
}

/// What kind of thing happened.
public enum AuditAction: String, Sendable, Codable {
    case create, update, read, search, `import`, export
    case signIn = "sign_in", signInFailed = "sign_in_failed", signOut = "sign_out"
}

/// One audit record as read back.
public struct AuditEvent: Sendable, Equatable, Codable {
    public let id: Int64
    public let countyCode: String
    public let at: Date
    public let actor: String
    public let action: String
    public let entity: String
    public let entityKey: String
    /// JSON: for an update, `{"changes":{"field":{"from":…,"to":…}}}`; for a create, the record.
    public let detail: String
    public let address: String
    /// The hash of the record before this one (64 zeros for the first), and this record's own.
    public let prevHash: String
    public let hash: String
}

/// Writes audit records, each chained to the one before by a SHA-256 hash (``AuditChain``).
/// Always called inside the transaction of the change it records, which ``AuditLog/transaction(on:_:)``
/// opens so that records are appended one at a time.
public enum AuditLog {
    static func record(on db: any Database, at: Date, actor: AuditActor, action: AuditAction, entity: String,
                       key: String, county: String, detail: some Encodable) async throws {
        let e = AuditEventModel()
        e.countyCode = county
        e.at = AuditChain.stamp(at)
        e.actor = actor.name
        e.address = actor.address
        e.action = action.rawValue
        e.entity = entity
        e.entityKey = key
        e.detail = try String(decoding: encoder.encode(detail), as: UTF8.self)
        let last = try await AuditEventModel.query(on: db).sort(\.$id, .descending).first()
        e.prevHash = last?.hash ?? AuditChain.genesis
        e.hash = AuditChain.hash(e.fields)
        try await e.create(on: db)
    }

    /// Runs `body` in one transaction in which audit records may be appended: SQLite transactions
    /// of this process take turns (one writer at a time, so the chain's last record is stable);
    /// PostgreSQL ones take a transaction-scoped advisory lock, which serialises every process.
    public static func transaction<T: Sendable>(on db: any Database, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let sql = db as? any SQLDatabase
        if sql?.dialect.name == "postgresql" {
            return try await db.transaction { tx in
                try await (tx as! any SQLDatabase).raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(AuditChain.lockKey)))").run()
                return try await body(tx)
            }
        }
        return try await AuditChain.sqliteWriters.run { try await db.transaction(body) }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// The audit records about one entity, oldest first.
    public static func events(on db: any Database, entity: String, key: String) async throws -> [AuditEvent] {
        try await AuditEventModel.query(on: db).filter(\.$entity == entity).filter(\.$entityKey == key)
            .sort(\.$id).all().map(\.event)
    }

    /// All audit records, oldest first (for tests and the auditor's export).
    public static func all(on db: any Database) async throws -> [AuditEvent] {
        try await AuditEventModel.query(on: db).sort(\.$id).all().map(\.event)
    }
}

extension AuditEventModel {
    var event: AuditEvent {
        AuditEvent(id: id ?? 0, countyCode: countyCode, at: at, actor: actor, action: action, entity: entity, entityKey: entityKey,
                   detail: detail, address: address ?? "", prevHash: prevHash ?? "", hash: hash ?? "")
    }

    var fields: AuditChain.Fields {
        AuditChain.Fields(prevHash: prevHash ?? "", countyCode: countyCode, atMillis: AuditChain.millis(at), actor: actor,
                          address: address ?? "", action: action, entity: entity, entityKey: entityKey, detail: detail)
    }
}

/// A field that changed, for the audit record of an update.
struct Change: Encodable, Equatable {
    let from: String
    let to: String
}

/// The fields that differ between two encodable values, compared through their JSON form.
func changes<T: Encodable>(from old: T, to new: T) throws -> [String: Change] {
    let a = try JSONSerialization.jsonObject(with: AuditLog.encoder.encode(old)) as? [String: Any] ?? [:]
    let b = try JSONSerialization.jsonObject(with: AuditLog.encoder.encode(new)) as? [String: Any] ?? [:]
    var out: [String: Change] = [:]
    for key in Set(a.keys).union(b.keys) {
        let x = a[key].map { "\($0)" } ?? "", y = b[key].map { "\($0)" } ?? ""
        if x != y { out[key] = Change(from: x, to: y) }
    }
    return out
}
