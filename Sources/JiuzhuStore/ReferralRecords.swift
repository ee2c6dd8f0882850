import FluentKit
import Foundation
import JiuzhuCore
import SQLKit

/// A referral (转办) of one specialised programme to its department, as stored.
public struct StoredReferral: Sendable, Equatable, Codable {
    public let number: String
    public let caseNumber: String
    public let householdID: String
    public let divisionCode: String
    public let programme: String
    public let department: String
    public let title: String
    public let reason: String
    public let state: String
    public let sentOn: String
    public let dueOn: String
    public let outcome: String?
    public let version: Int

    public init(number: String, caseNumber: String, householdID: String, divisionCode: String, programme: String, department: String,
                title: String, reason: String, state: String, sentOn: String, dueOn: String, outcome: String?, version: Int) {
        self.number = number
        self.caseNumber = caseNumber
        self.householdID = householdID
        self.divisionCode = divisionCode
        self.programme = programme
        self.department = department
        self.title = title
        self.reason = reason
        self.state = state
        self.sentOn = sentOn
        self.dueOn = dueOn
        self.outcome = outcome
        self.version = version
    }

    enum CodingKeys: String, CodingKey {
        case number, caseNumber = "case_number", householdID = "household_id", divisionCode = "division_code", programme, department
        case title, reason, state, sentOn = "sent_on", dueOn = "due_on", outcome, version
    }
}

/// Referrals within a jurisdiction; a department liaison sees only their department's.
public struct ReferralRecords: Sendable {
    public let db: any Database
    public let scope: Jurisdiction
    /// Only this department's referrals (a liaison), or all (officers).
    public let department: String?
    public let actor: AuditActor
    public let now: @Sendable () -> Date

    public init(db: any Database, scope: Jurisdiction, department: String?, actor: AuditActor, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.scope = scope
        self.department = department
        self.actor = actor
        self.now = now
    }

    func referrals(on db: any Database) -> QueryBuilder<ReferralModel> {
        var q = ReferralModel.query(on: db)
        if scope.division != nil { q = q.filter(\.$divisionCode =~ scope.prefix) }
        if let department { q = q.filter(\.$department == department) }
        return q
    }

    /// Sends referrals (in the transaction of the case that makes them).
    static func create(_ refs: [StoredReferral], countyCode: String, on tx: any Database, at: Date, actor: AuditActor) async throws {
        for r in refs {
            try await ReferralModel(r, countyCode: countyCode, at: at).create(on: tx)
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .create, entity: "referral", key: r.number, county: countyCode,
                                      detail: ["case": r.caseNumber, "department": r.department, "programme": r.programme])
        }
    }

    public func list(state: String? = nil, caseNumber: String? = nil) async throws -> [StoredReferral] {
        var q = referrals(on: db)
        if let state { q = q.filter(\.$state == state) }
        if let caseNumber { q = q.filter(\.$caseNumber == caseNumber) }
        return try await q.sort(\.$dueOn).sort(\.$id).all().map(\.stored)
    }

    /// One step on a referral, if it is still at `expectedVersion`.
    public func update(_ number: String, expectedVersion: Int, action: String,
                       _ change: @escaping @Sendable (StoredReferral) throws -> StoredReferral) async throws -> StoredReferral {
        let (at, actor) = (now(), actor)
        return try await AuditLog.transaction(on: db) { tx in
            guard let row = try await referrals(on: tx).filter(\.$number == number).first() else {
                throw StoreError.notFound(entity: "referral", key: number)
            }
            guard row.version == Int64(expectedVersion) else {
                throw StoreError.conflict(FieldProblem(field: "version",
                    rule: "referral \(number) has changed since you loaded it (you have version \(expectedVersion), it is now at \(row.version))"))
            }
            let before = row.stored
            let after = try change(before)
            row.state = after.state
            row.outcome = after.outcome
            row.version = row.version + 1
            row.updatedAt = at
            try await row.update(on: tx)
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .update, entity: "referral", key: number, county: row.countyCode,
                                      detail: ["action": action, "from": before.state, "to": after.state, "outcome": after.outcome ?? ""])
            return row.stored
        }
    }
}

final class ReferralModel: Model, @unchecked Sendable {
    static let schema = "referrals"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "number") var number: String
    @Field(key: "case_number") var caseNumber: String
    @Field(key: "household_id") var householdID: String
    @Field(key: "county_code") var countyCode: String
    @Field(key: "division_code") var divisionCode: String
    @Field(key: "programme") var programme: String
    @Field(key: "department") var department: String
    @Field(key: "title") var title: String
    @Field(key: "reason") var reason: String
    @Field(key: "state") var state: String
    @Field(key: "sent_on") var sentOn: String
    @Field(key: "due_on") var dueOn: String
    @OptionalField(key: "outcome") var outcome: String?
    @Field(key: "version") var version: Int64
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    init(_ r: StoredReferral, countyCode: String, at: Date) {
        number = r.number
        caseNumber = r.caseNumber
        householdID = r.householdID
        self.countyCode = countyCode
        divisionCode = r.divisionCode
        programme = r.programme
        department = r.department
        title = r.title
        reason = r.reason
        state = r.state
        sentOn = r.sentOn
        dueOn = r.dueOn
        outcome = r.outcome
        version = Int64(r.version)
        updatedAt = at
    }

    var stored: StoredReferral {
        StoredReferral(number: number, caseNumber: caseNumber, householdID: householdID, divisionCode: divisionCode, programme: programme,
                       department: department, title: title, reason: reason, state: state, sentOn: sentOn, dueOn: dueOn, outcome: outcome,
                       version: Int(version))
    }
}
