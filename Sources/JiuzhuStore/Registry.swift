import FluentKit
import Foundation
import JiuzhuCore
import SQLKit

/// The household registry: create, read, change and search households and members.
///
/// Every call runs inside the caller's ``Jurisdiction`` and records who did it: each change
/// is one transaction with its audit record; each read of a household's file is audited.
public struct Registry: Sendable {
    public let db: any Database
    public let scope: Jurisdiction
    public let actor: AuditActor
    public let now: @Sendable () -> Date
    public let divisions: Divisions
    /// What the caller's role allows: reading files, or reading and changing them.
    public let access: Access

    public enum Access: Sendable { case none, read, readWrite }

    public init(db: any Database, scope: Jurisdiction = .everywhere, actor: AuditActor, access: Access = .readWrite,
                divisions: Divisions = .bundled, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.scope = scope
        self.actor = actor
        self.access = access
        self.divisions = divisions
        self.now = now
    }

    /// The registry as a signed-in user may use it: their division, what their role allows.
    public init(db: any Database, user: UserAccount, address: String, now: @escaping @Sendable () -> Date = { Date() }) {
        self.init(db: db, scope: user.jurisdiction, actor: AuditActor("user:\(user.username)", address: address),
                  access: user.role.writesRegistry ? .readWrite : user.role.readsRegistry ? .read : .none, now: now)
    }

    func mayRead() throws {
        if access == .none { throw StoreError.forbidden("your role may not read households' files") }
    }

    func mayWrite() throws {
        if access != .readWrite { throw StoreError.forbidden("your role may not register or change households") }
    }

    var today: Day { Day(now()) }

    // MARK: Households

    /// Registers a new household with its members.
    @discardableResult
    public func create(_ record: HouseholdRecord) async throws -> HouseholdRecord {
        try mayWrite()
        try validate(record)
        let at = now()
        return try await AuditLog.transaction(on: db) { tx in
            if try await HouseholdModel.query(on: tx).filter(\.$householdID == record.household.householdID).first() != nil {
                throw StoreError.conflict(FieldProblem(field: "household_id", rule: "\(record.household.householdID) is already registered"))
            }
            try await checkIDNumbersFree(record, on: tx)
            try await HouseholdModel(record.household).create(on: tx)
            for m in record.members { try await MemberModel(m, countyCode: record.household.countyCode).create(on: tx) }
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .create, entity: "household",
                                      key: record.household.householdID, county: record.household.countyCode.digits, detail: record)
            return record
        }
    }

    /// A household's file. Reading it is audited.
    public func household(_ householdID: String) async throws -> HouseholdRecord {
        try mayRead()
        let at = now()
        return try await AuditLog.transaction(on: db) { tx in
            let record = try await load(householdID, on: tx)
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .read, entity: "household", key: householdID,
                                      county: record.household.countyCode.digits, detail: [String: String]())
            return record
        }
    }

    /// Replaces a household's facts and its member list in one change.
    /// Members left out are removed from the household; new ID numbers are added.
    @discardableResult
    public func replace(_ householdID: String, with record: HouseholdRecord, effective: Day? = nil,
                        kind: FactChange = .change) async throws -> HouseholdRecord {
        try mayWrite()
        let effectiveDay = effective ?? today
        if effectiveDay > today {
            throw StoreError.invalid([FieldProblem(field: "effective", rule: "a change takes effect on or before today (\(today)), not \(effectiveDay)")])
        }
        guard record.household.householdID == householdID else {
            throw StoreError.invalid([FieldProblem(field: "household_id", rule: "must be \(householdID), the household being changed")])
        }
        try validate(record)
        let at = now()
        return try await AuditLog.transaction(on: db) { tx in
            let before = try await load(householdID, on: tx)
            try await checkIDNumbersFree(record, on: tx)
            guard let model = try await HouseholdModel.query(on: tx).filter(\.$householdID == householdID).first() else {
                throw StoreError.notFound(entity: "household", key: householdID)
            }
            model.apply(record.household)
            try await model.update(on: tx)
            let existing = try await MemberModel.query(on: tx).filter(\.$householdID == householdID).all()
            let byID = Dictionary(existing.map { ($0.idNumber, $0) }, uniquingKeysWith: { a, _ in a })
            let kept = Set(record.members.map(\.idNumber.value))
            for m in existing where !kept.contains(m.idNumber) { try await m.delete(on: tx) }
            for m in record.members {
                if let row = byID[m.idNumber.value] {
                    row.apply(m, countyCode: record.household.countyCode)
                    try await row.update(on: tx)
                } else {
                    try await MemberModel(m, countyCode: record.household.countyCode).create(on: tx)
                }
            }
            // The dated history: the facts before (from registration, if this is the first change) and after.
            if try await HouseholdVersionModel.query(on: tx).filter(\.$householdID == householdID).first() == nil {
                // Registered when its audit record says (the registry's clock), else imported: from the effective day.
                let created = try await AuditEventModel.query(on: tx).filter(\.$entity == "household").filter(\.$entityKey == householdID)
                    .filter(\.$action == AuditAction.create.rawValue).first()
                let registered = created.map { Day($0.at) } ?? effectiveDay
                try await HouseholdVersionModel(before, effective: min(registered, effectiveDay), kind: .registration, at: at, by: actor.name).create(on: tx)
            }
            try await HouseholdVersionModel(record, effective: effectiveDay, kind: kind, at: at, by: actor.name).create(on: tx)
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .update, entity: "household", key: householdID,
                                      county: record.household.countyCode.digits,
                                      detail: DatedChanges(effective: effectiveDay.description, kind: kind.rawValue, changes: try RecordChanges(before: before, after: record)))
            return record
        }
    }

    // MARK: Members

    /// One member, by ID number, with the household they belong to. Audited as a read of that household.
    public func member(_ idNumber: String) async throws -> Member {
        try mayRead()
        let at = now()
        return try await AuditLog.transaction(on: db) { tx in
            guard let row = try await scope.members(on: tx).filter(\.$idNumber == idNumber.uppercased()).first() else {
                throw StoreError.notFound(entity: "member", key: idNumber)
            }
            let m = try row.domain()
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .read, entity: "member", key: m.idNumber.value,
                                      county: row.countyCode, detail: ["household_id": m.householdID])
            return m
        }
    }

    /// Adds a member to a household.
    @discardableResult
    public func addMember(_ member: Member, to householdID: String) async throws -> HouseholdRecord {
        try mayWrite()
        return try await changeHousehold(householdID) { record in
            var m = member
            m.householdID = householdID
            record.members.append(m)
        }
    }

    /// Changes a member's facts (the ID number itself may be corrected).
    @discardableResult
    public func updateMember(_ idNumber: String, with member: Member) async throws -> HouseholdRecord {
        try mayWrite()
        let current = try await scope.members(on: db).filter(\.$idNumber == idNumber.uppercased()).first()
        guard let current else { throw StoreError.notFound(entity: "member", key: idNumber) }
        return try await changeHousehold(current.householdID) { record in
            guard let i = record.members.firstIndex(where: { $0.idNumber.value == current.idNumber }) else { return }
            var m = member
            m.householdID = current.householdID
            record.members[i] = m
        }
    }

    private func changeHousehold(_ householdID: String, _ change: (inout HouseholdRecord) -> Void) async throws -> HouseholdRecord {
        var record = try await load(householdID, on: db)
        change(&record)
        return try await replace(householdID, with: record)
    }

    // MARK: Dated facts

    /// Every recorded version of the household's facts, by the day each took effect (then by when it
    /// was recorded): what changed when, and what was corrected. Empty until the first change.
    public func history(_ householdID: String) async throws -> [HouseholdVersion] {
        try mayRead()
        let at = now()
        return try await AuditLog.transaction(on: db) { tx in
            let record = try await load(householdID, on: tx)
            let rows = try await HouseholdVersionModel.query(on: tx).filter(\.$householdID == householdID).sort(\.$effectiveFrom).sort(\.$id).all()
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .read, entity: "household_history", key: householdID,
                                      county: record.household.countyCode.digits, detail: [String: String]())
            return try rows.map { try $0.version() }
        }
    }

    /// The household's facts as they stood on `day`, as known now (corrections applied): the latest
    /// version in effect by then; before the first recorded version, the earliest. An audited read.
    public func household(_ householdID: String, asOf day: Day) async throws -> HouseholdRecord {
        let current = try await household(householdID)
        let rows = try await HouseholdVersionModel.query(on: db).filter(\.$householdID == householdID).sort(\.$effectiveFrom).sort(\.$id).all()
        guard !rows.isEmpty else { return current }
        let inForce = rows.last { $0.effectiveFrom <= day.description } ?? rows.first!
        return try inForce.version().record
    }

    // MARK: Circumstances

    /// Records the household's circumstances from `month` on (replacing a version from the same month).
    /// Checked against the household's members; one transaction with its audit record.
    @discardableResult
    public func setCircumstances(_ householdID: String, from month: Month, _ circumstances: Circumstances) async throws -> CircumstancesVersion {
        try mayWrite()
        let at = now()
        return try await AuditLog.transaction(on: db) { tx in
            let record = try await load(householdID, on: tx)
            let problems = circumstances.problems(members: record.members)
            if !problems.isEmpty { throw StoreError.invalid(problems) }
            let from = month.description
            let existing = try await CircumstancesModel.query(on: tx).filter(\.$householdID == householdID)
                .filter(\.$effectiveFrom == from).first()
            let before = try existing?.version().circumstances
            let row = existing ?? CircumstancesModel()
            row.householdID = householdID
            row.countyCode = record.household.countyCode.digits
            row.effectiveFrom = from
            row.body = try String(decoding: AuditLog.encoder.encode(circumstances), as: UTF8.self)
            row.recordedAt = at
            row.recordedBy = actor.name
            try await row.save(on: tx)
            try await AuditLog.record(on: tx, at: at, actor: actor, action: existing == nil ? .create : .update, entity: "circumstances",
                                      key: "\(householdID)@\(from)", county: row.countyCode,
                                      detail: ["before": before, "after": circumstances])
            return try row.version()
        }
    }

    /// The circumstances in force in `month`: the latest version from that month or before (none: empty).
    public func circumstances(_ householdID: String, in month: Month) async throws -> Circumstances {
        try mayRead()
        return try await AuditLog.transaction(on: db) { tx in
            let record = try await load(householdID, on: tx) // scoped: 404 outside the jurisdiction
            let row = try await CircumstancesModel.query(on: tx).filter(\.$householdID == householdID)
                .filter(\.$effectiveFrom <= month.description).sort(\.$effectiveFrom, .descending).first()
            guard var c = try row?.version().circumstances else { return .none }
            // A member who has since left the household takes their circumstances with them.
            let ids = Set(record.members.map(\.idNumber))
            c.members.removeAll { !ids.contains($0.idNumber) }
            return c
        }
    }

    /// Every recorded version, oldest first. Reading them is audited as a read of the file.
    public func circumstancesHistory(_ householdID: String) async throws -> [CircumstancesVersion] {
        try mayRead()
        let at = now()
        return try await AuditLog.transaction(on: db) { tx in
            let record = try await load(householdID, on: tx)
            let rows = try await CircumstancesModel.query(on: tx).filter(\.$householdID == householdID).sort(\.$effectiveFrom).all()
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .read, entity: "circumstances", key: householdID,
                                      county: record.household.countyCode.digits, detail: [String: String]())
            return try rows.map { try $0.version() }
        }
    }

    // MARK: Search and counts

    /// Households matching every given criterion, in registration order.
    public func search(_ query: RegistryQuery) async throws -> RegistryPage {
        try mayRead()
        var q = scope.households(on: db)
        if let division = query.division {
            q = q.filter(\.$divisionCode =~ Jurisdiction(division: division).prefix)
        }
        if let id = query.idNumber {
            let ids = try await scope.members(on: db).filter(\.$idNumber == id.uppercased()).all().map(\.householdID)
            q = q.filter(\.$householdID ~~ ids)
        }
        if let name = query.name {
            // Names match from their start (the surname, then the given name): a range on the name
            // index, fast at a million households on both databases.
            var members = scope.members(on: db).filter(\.$name >= name).filter(\.$name < name + "\u{10FFFF}")
            if scope.prefix.count >= 6 { members = members.filter(\.$countyCode == String(scope.prefix.prefix(6))) }
            let ids = try await members.limit(1000).all().map(\.householdID)
            q = q.filter(\.$householdID ~~ Array(Set(ids)))
        }
        let total = try await q.copy().count()
        let rows = try await q.sort(\.$id).offset((query.page - 1) * query.perPage).limit(query.perPage).all()
        let hids = rows.map(\.householdID)
        let members = hids.isEmpty ? [] : try await MemberModel.query(on: db).filter(\.$householdID ~~ hids).sort(\.$id).all()
        let grouped = Dictionary(grouping: members, by: \.householdID)
        let items = try rows.map { row -> RegistrySummary in
            let ms = grouped[row.householdID] ?? []
            let head = ms.first { $0.relation == Relation.head.rawValue }
            let masked = head.map { String($0.idNumber.prefix(4)) + String(repeating: "*", count: 10) + String($0.idNumber.suffix(4)) } ?? ""
            return RegistrySummary(household: try row.domain(), headName: head?.name ?? "", headIDNumber: masked,
                                   memberCount: ms.count, divisionName: divisions.fullName(try row.domain().divisionCode))
        }
        let (at, actor, county) = (now(), actor, scope.division?.countyCode.digits ?? "")
        try await AuditLog.transaction(on: db) { tx in
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .search, entity: "household", key: "*", county: county, detail: query)
        }
        return RegistryPage(items: items, total: total, page: query.page, perPage: query.perPage)
    }

    /// Households and members per township within the jurisdiction (the home page's table).
    public func countsByTownship() async throws -> [TownshipCount] {
        try mayRead()
        let sql = db as! any SQLDatabase
        let rows = try await sql.select()
            .column(SQLFunction("substr", args: SQLIdentifier("division_code"), SQLLiteral.numeric("1"), SQLLiteral.numeric("9")), as: "township")
            .column(SQLFunction("count", args: SQLLiteral.all), as: "households")
            .from("households")
            .where(scope.condition())
            .groupBy("township")
            .orderBy("township")
            .all()
        let memberRows = try await sql.select()
            .column(SQLFunction("substr", args: SQLColumn("division_code", table: "households"), SQLLiteral.numeric("1"), SQLLiteral.numeric("9")), as: "township")
            .column(SQLFunction("count", args: SQLLiteral.all), as: "members")
            .from("members")
            .join("households", on: SQLColumn("household_id", table: "members"), .equal, SQLColumn("household_id", table: "households"))
            .where(scope.condition())
            .groupBy("township")
            .all()
        var memberCounts: [String: Int] = [:]
        for r in memberRows { memberCounts[try r.decode(column: "township", as: String.self)] = try r.decode(column: "members", as: Int.self) }
        return try rows.map { r in
            let t = try r.decode(column: "township", as: String.self)
            let code = try? DivisionCode(t)
            return TownshipCount(code: t, name: code.flatMap { divisions[$0]?.name } ?? "（未到乡镇）",
                                 countyName: code.flatMap { divisions[$0.countyCode]?.name } ?? "",
                                 households: try r.decode(column: "households", as: Int.self), members: memberCounts[t] ?? 0)
        }
    }

    // MARK: Helpers

    private func validate(_ record: HouseholdRecord) throws {
        var problems = record.problems(today: today, divisions: divisions)
        if !scope.contains(record.household.divisionCode) {
            problems.append(FieldProblem(field: "division_code", rule: "\(record.household.divisionCode) is outside your jurisdiction (\(scope))"))
        }
        if !problems.isEmpty { throw StoreError.invalid(problems) }
    }

    /// An ID number may be registered in one household only.
    private func checkIDNumbersFree(_ record: HouseholdRecord, on tx: any Database) async throws {
        let ids = record.members.map(\.idNumber.value)
        let clashes = try await MemberModel.query(on: tx).filter(\.$idNumber ~~ ids)
            .filter(\.$householdID != record.household.householdID).all()
        if let c = clashes.first, let i = ids.firstIndex(of: c.idNumber) {
            // ID numbers are unique in the whole registry, but a household outside the caller's
            // jurisdiction is not named.
            let visible = try await scope.households(on: tx).filter(\.$householdID == c.householdID).first() != nil
            throw StoreError.conflict(FieldProblem(field: "members[\(i)].id_number",
                rule: visible ? "\(c.idNumber) is already registered in household \(c.householdID)"
                              : "\(c.idNumber) is already registered in a household outside your jurisdiction"))
        }
    }

    func load(_ householdID: String, on tx: any Database) async throws -> HouseholdRecord {
        guard let h = try await scope.households(on: tx).filter(\.$householdID == householdID).first() else {
            throw StoreError.notFound(entity: "household", key: householdID)
        }
        let ms = try await MemberModel.query(on: tx).filter(\.$householdID == householdID).sort(\.$id).all()
        return HouseholdRecord(household: try h.domain(), members: try ms.map { try $0.domain() })
    }
}

/// One dated version of a household's circumstances.
public struct CircumstancesVersion: Sendable, Equatable, Codable {
    public let effectiveFrom: Month
    public let circumstances: Circumstances
    public let recordedAt: Date
    public let recordedBy: String

    enum CodingKeys: String, CodingKey {
        case effectiveFrom = "effective_from", circumstances, recordedAt = "recorded_at", recordedBy = "recorded_by"
    }
}

/// Whether a change of facts is a change of circumstance (it happened on the effective day) or a
/// correction (the facts were wrong as recorded, from the effective day on).
public enum FactChange: String, Sendable, Codable {
    case registration, change, correction
}

/// One dated version of a household's facts.
public struct HouseholdVersion: Sendable, Equatable, Codable {
    public let effectiveFrom: Day
    public let kind: FactChange
    public let recordedAt: Date
    public let recordedBy: String
    public let record: HouseholdRecord

    enum CodingKeys: String, CodingKey {
        case effectiveFrom = "effective_from", kind, recordedAt = "recorded_at", recordedBy = "recorded_by", record
    }
}

struct DatedChanges: Encodable {
    let effective: String
    let kind: String
    let changes: RecordChanges
}

/// What to search for; every given criterion must hold.
public struct RegistryQuery: Sendable, Codable, Equatable {
    public var idNumber: String?
    /// The beginning of a member's name (李, 李建, 李建国).
    public var name: String?
    public var division: DivisionCode?
    public var page: Int
    public var perPage: Int

    public init(idNumber: String? = nil, name: String? = nil, division: DivisionCode? = nil, page: Int = 1, perPage: Int = 20) {
        self.idNumber = idNumber
        self.name = name
        self.division = division
        self.page = max(1, page)
        self.perPage = min(max(1, perPage), 200)
    }

    enum CodingKeys: String, CodingKey { case idNumber = "id_number", name, division, page, perPage = "per_page" }
}

/// One household in a search result.
public struct RegistrySummary: Sendable, Codable, Equatable {
    public let household: Household
    public let headName: String
    /// Masked, as in every list: 5304**********123X.
    public let headIDNumber: String
    public let memberCount: Int
    public let divisionName: String

    enum CodingKeys: String, CodingKey {
        case household, headName = "head_name", headIDNumber = "head_id_number", memberCount = "member_count", divisionName = "division_name"
    }
}

public struct RegistryPage: Sendable, Codable, Equatable {
    public let items: [RegistrySummary]
    public let total: Int
    public let page: Int
    public let perPage: Int

    enum CodingKeys: String, CodingKey { case items, total, page, perPage = "per_page" }
}

public struct TownshipCount: Sendable, Equatable {
    public let code: String
    public let name: String
    public let countyName: String
    public let households: Int
    public let members: Int

    public init(code: String, name: String, countyName: String, households: Int, members: Int) {
        self.code = code
        self.name = name
        self.countyName = countyName
        self.households = households
        self.members = members
    }
}

/// The audit detail of a household change: each household field and member that differs.
struct RecordChanges: Encodable {
    let household: [String: Change]
    let membersAdded: [String]
    let membersRemoved: [String]
    let membersChanged: [String: [String: Change]]

    init(before: HouseholdRecord, after: HouseholdRecord) throws {
        household = try changes(from: before.household, to: after.household)
        let b = Dictionary(before.members.map { ($0.idNumber.value, $0) }, uniquingKeysWith: { a, _ in a })
        let a = Dictionary(after.members.map { ($0.idNumber.value, $0) }, uniquingKeysWith: { a, _ in a })
        membersAdded = a.keys.filter { b[$0] == nil }.sorted()
        membersRemoved = b.keys.filter { a[$0] == nil }.sorted()
        var changed: [String: [String: Change]] = [:]
        for (id, m) in a { if let old = b[id], old != m { changed[id] = try changes(from: old, to: m) } }
        membersChanged = changed
    }

    enum CodingKeys: String, CodingKey {
        case household, membersAdded = "members_added", membersRemoved = "members_removed", membersChanged = "members_changed"
    }
}
