import FluentKit
import Foundation
import JiuzhuCore

/// Who is acting: a signed-in user (from the casework issue on), a command-line operator,
/// or an unauthenticated client of the loopback server.
public struct AuditActor: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public init(_ name: String) { self.name = name }

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
}

/// One audit record as read back.
public struct AuditEvent: Sendable, Equatable, Codable {
    public let countyCode: String
    public let at: Date
    public let actor: String
    public let action: String
    public let entity: String
    public let entityKey: String
    /// JSON: for an update, `{"changes":{"field":{"from":…,"to":…}}}`; for a create, the record.
    public let detail: String
}

/// Writes audit records. Always called inside the transaction of the change it records.
public enum AuditLog {
    static func record(on db: any Database, at: Date, actor: AuditActor, action: AuditAction, entity: String,
                       key: String, county: String, detail: some Encodable) async throws {
        let e = AuditEventModel()
        e.countyCode = county
        e.at = at
        e.actor = actor.name
        e.action = action.rawValue
        e.entity = entity
        e.entityKey = key
        e.detail = try String(decoding: encoder.encode(detail), as: UTF8.self)
        try await e.create(on: db)
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
        AuditEvent(countyCode: countyCode, at: at, actor: actor, action: action, entity: entity, entityKey: entityKey, detail: detail)
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
