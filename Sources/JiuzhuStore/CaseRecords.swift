import FluentKit
import Foundation
import JiuzhuCore
import SQLKit

/// A case file (案卷) as stored: the columns lists and deadlines need, and the whole file as JSON
/// (its shape belongs to JiuzhuCases). `version` grows by one with every change, so two officers
/// acting on the same case at once cannot both succeed.
public struct StoredCase: Sendable, Equatable {
    public let number: String
    public let householdID: String
    public let divisionCode: String
    public let programme: String
    public let state: String
    public let version: Int
    /// The earliest open deadline (YYYY-MM-DD), for "due" lists.
    public let dueOn: String?
    public let body: String

    public init(number: String, householdID: String, divisionCode: String, programme: String, state: String, version: Int,
                dueOn: String?, body: String) {
        self.number = number
        self.householdID = householdID
        self.divisionCode = divisionCode
        self.programme = programme
        self.state = state
        self.version = version
        self.dueOn = dueOn
        self.body = body
    }
}

/// One step of a case's timeline.
public struct CaseEvent: Sendable, Equatable, Codable {
    public let at: Date
    public let actor: String
    public let action: String
    public let fromState: String
    public let toState: String
    public let detail: String

    enum CodingKeys: String, CodingKey { case at, actor, action, fromState = "from_state", toState = "to_state", detail }
}

/// Case files and their timelines, within a jurisdiction; every change is one transaction with
/// its timeline event and its audit record, and every read of a file is audited.
public struct CaseRecords: Sendable {
    public let db: any Database
    public let scope: Jurisdiction
    public let actor: AuditActor
    public let now: @Sendable () -> Date

    public init(db: any Database, scope: Jurisdiction, actor: AuditActor, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.scope = scope
        self.actor = actor
        self.now = now
    }

    func cases(on db: any Database) -> QueryBuilder<CaseModel> {
        let q = CaseModel.query(on: db)
        return scope.division == nil ? q : q.filter(\.$divisionCode =~ scope.prefix)
    }

    /// Files a new case: `make` receives the case number (county-year-sequence) and returns the file.
    public func create(county: DivisionCode, year: Int, event: String,
                       referrals: @escaping @Sendable (StoredCase) throws -> [StoredReferral] = { _ in [] },
                       alsoInTransaction: (@Sendable (StoredCase, any Database) async throws -> Void)? = nil,
                       _ make: @escaping @Sendable (String) throws -> StoredCase) async throws -> StoredCase {
        let (at, actor, scope) = (now(), actor, scope)
        return try await AuditLog.transaction(on: db) { tx in
            let prefix = "\(county.digits)-\(year)-"
            let count = try await CaseModel.query(on: tx).filter(\.$number =~ prefix).count()
            let stored = try make(prefix + String(format: "%06d", count + 1))
            guard let division = try? DivisionCode(stored.divisionCode), scope.contains(division) else {
                throw StoreError.notFound(entity: "household", key: stored.householdID)
            }
            let row = CaseModel(stored, countyCode: county.digits, at: at)
            try await row.create(on: tx)
            try await CaseEventModel(number: stored.number, countyCode: county.digits, at: at, actor: actor.name, action: event,
                                     from: "", to: stored.state, detail: "{}").create(on: tx)
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .create, entity: "case", key: stored.number,
                                      county: county.digits, detail: ["household_id": stored.householdID, "programme": stored.programme])
            try await ReferralRecords.create(try referrals(stored), countyCode: county.digits, on: tx, at: at, actor: actor)
            try await alsoInTransaction?(stored, tx)
            return stored
        }
    }

    /// A case file (an audited read). Outside the jurisdiction it does not exist.
    public func load(_ number: String) async throws -> StoredCase {
        let (at, actor) = (now(), actor)
        return try await AuditLog.transaction(on: db) { tx in
            guard let row = try await cases(on: tx).filter(\.$number == number).first() else {
                throw StoreError.notFound(entity: "case", key: number)
            }
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .read, entity: "case", key: number,
                                      county: row.countyCode, detail: [String: String]())
            return row.stored
        }
    }

    /// A case file as the service reads it before changing it (the change itself is audited, with
    /// what it changed): within the jurisdiction, not recorded as a read.
    public func current(_ number: String) async throws -> StoredCase {
        guard let row = try await cases(on: db).filter(\.$number == number).first() else {
            throw StoreError.notFound(entity: "case", key: number)
        }
        return row.stored
    }

    /// Every case of a programme within a division prefix (no limit), for the service's own sums —
    /// the township's reserve fund, a household's grants this year. Within the jurisdiction; not a read shown to anyone.
    public func all(programme: String, divisionPrefix: String = "", householdID: String? = nil) async throws -> [StoredCase] {
        var q = cases(on: db).filter(\.$programme == programme)
        if !divisionPrefix.isEmpty { q = q.filter(\.$divisionCode =~ divisionPrefix) }
        if let householdID { q = q.filter(\.$householdID == householdID) }
        return try await q.sort(\.$id).all().map(\.stored)
    }

    /// Applies one step: only if the file is still at `expectedVersion` (else a conflict naming both
    /// versions, and nothing changes); `change` returns the new file from the current one.
    public func update(_ number: String, expectedVersion: Int, action: String, detail: String,
                       then: (@Sendable (StoredCase, any Database) async throws -> Void)? = nil,
                       _ change: @escaping @Sendable (StoredCase) throws -> StoredCase) async throws -> StoredCase {
        let (at, actor) = (now(), actor)
        return try await AuditLog.transaction(on: db) { tx in
            guard let row = try await cases(on: tx).filter(\.$number == number).first() else {
                throw StoreError.notFound(entity: "case", key: number)
            }
            guard row.version == Int64(expectedVersion) else {
                throw StoreError.conflict(FieldProblem(field: "version",
                    rule: "case \(number) has changed since you loaded it (you have version \(expectedVersion), it is now at \(row.version)): reload it and try again"))
            }
            let before = row.stored
            let after = try change(before)
            row.state = after.state
            row.dueOn = after.dueOn
            row.body = after.body
            row.version = Int64(before.version + 1)
            row.updatedAt = at
            // The version in the WHERE clause makes the write itself refuse a lost update.
            let sql = tx as! any SQLDatabase
            try await sql.update("cases").set("state", to: row.state).set("due_on", to: row.dueOn).set("body", to: row.body)
                .set("version", to: row.version).set("updated_at", to: at)
                .where("number", .equal, number).where("version", .equal, Int64(expectedVersion)).run()
            try await CaseEventModel(number: number, countyCode: row.countyCode, at: at, actor: actor.name, action: action,
                                     from: before.state, to: after.state, detail: detail).create(on: tx)
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .update, entity: "case", key: number, county: row.countyCode,
                                      detail: ["action": action, "from": before.state, "to": after.state, "detail": detail])
            // What the step starts elsewhere (an entitlement on enrolment) commits or fails with it.
            try await then?(after, tx)
            return row.stored
        }
    }

    /// The cases in the jurisdiction, optionally in one state or due by a day, oldest deadline first.
    public func list(state: String? = nil, dueBy: Day? = nil, householdID: String? = nil, limit: Int = 200) async throws -> [StoredCase] {
        var q = cases(on: db)
        if let state { q = q.filter(\.$state == state) }
        if let dueBy { q = q.filter(\.$dueOn <= dueBy.description) }
        if let householdID { q = q.filter(\.$householdID == householdID) }
        let rows = try await q.sort(\.$dueOn).sort(\.$id).limit(limit).all()
        try await AuditLog.transaction(on: db) { [at = now(), actor, county = scope.division?.countyCode.digits ?? ""] tx in
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .search, entity: "case", key: "*", county: county,
                                      detail: ["state": state ?? "", "due_by": dueBy?.description ?? "", "household_id": householdID ?? ""])
        }
        return rows.map(\.stored)
    }

    /// The latest steps on any case in the jurisdiction, newest first: (case number, event).
    public func recentEvents(limit: Int = 10) async throws -> [(String, CaseEvent)] {
        var q = CaseEventModel.query(on: db).join(CaseModel.self, on: \CaseEventModel.$number == \CaseModel.$number)
        if scope.division != nil { q = q.filter(CaseModel.self, \.$divisionCode =~ scope.prefix) }
        return try await q.sort(\.$id, .descending).limit(limit).all().map {
            ($0.number, CaseEvent(at: $0.at, actor: $0.actor, action: $0.action, fromState: $0.fromState, toState: $0.toState, detail: $0.detail))
        }
    }

    /// The case's timeline, oldest first (within the jurisdiction).
    public func events(_ number: String) async throws -> [CaseEvent] {
        guard try await cases(on: db).filter(\.$number == number).first() != nil else { throw StoreError.notFound(entity: "case", key: number) }
        return try await CaseEventModel.query(on: db).filter(\.$number == number).sort(\.$id).all().map {
            CaseEvent(at: $0.at, actor: $0.actor, action: $0.action, fromState: $0.fromState, toState: $0.toState, detail: $0.detail)
        }
    }
}

/// Stored case file.
final class CaseModel: Model, @unchecked Sendable {
    static let schema = "cases"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "number") var number: String
    @Field(key: "household_id") var householdID: String
    @Field(key: "county_code") var countyCode: String
    @Field(key: "division_code") var divisionCode: String
    @Field(key: "programme") var programme: String
    @Field(key: "state") var state: String
    @Field(key: "version") var version: Int64
    @OptionalField(key: "due_on") var dueOn: String?
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    init(_ s: StoredCase, countyCode: String, at: Date) {
        number = s.number
        householdID = s.householdID
        self.countyCode = countyCode
        divisionCode = s.divisionCode
        programme = s.programme
        state = s.state
        version = Int64(s.version)
        dueOn = s.dueOn
        body = s.body
        createdAt = at
        updatedAt = at
    }

    var stored: StoredCase {
        StoredCase(number: number, householdID: householdID, divisionCode: divisionCode, programme: programme, state: state,
                   version: Int(version), dueOn: dueOn, body: body)
    }
}

/// Stored timeline event.
final class CaseEventModel: Model, @unchecked Sendable {
    static let schema = "case_events"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "number") var number: String
    @Field(key: "county_code") var countyCode: String
    @Field(key: "at") var at: Date
    @Field(key: "actor") var actor: String
    @Field(key: "action") var action: String
    @Field(key: "from_state") var fromState: String
    @Field(key: "to_state") var toState: String
    @Field(key: "detail") var detail: String

    init() {}

    init(number: String, countyCode: String, at: Date, actor: String, action: String, from: String, to: String, detail: String) {
        self.number = number
        self.countyCode = countyCode
        self.at = at
        self.actor = actor
        self.action = action
        fromState = from
        toState = to
        self.detail = detail
    }
}
