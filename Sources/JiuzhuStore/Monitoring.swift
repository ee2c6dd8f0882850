import FluentKit
import Foundation
import JiuzhuCore
import SQLKit
import VaporCSQLite

/// Where a warning (预警) stands on its way from a department's push to a home visit
/// (seed 002's annex 二、2–3 and 三).
public enum WarningState: String, Sendable, Codable, CaseIterable {
    /// Received by the city bureau; to be sent to the county.
    case received
    /// At the county bureau; to be dispatched to a township.
    case atCounty = "at_county"
    /// At the township; to be visited.
    case atTownship = "at_township"
    /// Visited; to be classified.
    case visited
    /// On the watch ledger (台账): not eligible for now, visited again on schedule.
    case watch
    /// Classified into assistance: an application opened or a referral made.
    case closed

    public var chineseName: String {
        switch self {
        case .received: return "市级已接收"
        case .atCounty: return "已反馈至县"
        case .atTownship: return "已分发至乡镇"
        case .visited: return "已入户核实"
        case .watch: return "纳入台账跟踪"
        case .closed: return "已分类处置"
        }
    }
}

/// A person the monitoring marks as at risk, and each step of the warning chain with its day and due day.
public struct MonitoringWarning: Sendable, Equatable, Codable {
    public let id: Int64
    /// The push it came from (nil: found by hand, 主动发现).
    public let pushID: Int64?
    /// The push's kind of data, or how it was found: `village_visit`, `hardship_ledger`, `crowdfunding`.
    public let source: String
    /// From the year's initial data (visit within a month) rather than a new warning (10 working days).
    public let initial: Bool
    public let idNumber: String
    public let name: String?
    /// The registered household, when the person is in the registry.
    public let householdID: String?
    /// The household's division (or the division found by hand): the township it will be dispatched to.
    public let divisionHint: String?
    public var countyCode: String?
    public var townshipCode: String?
    /// The monitored groups (``MonitoredGroup`` raw values).
    public let groups: [String]
    /// Why, with the department's data and the rule.
    public let reason: String
    public var state: WarningState
    public let receivedOn: Day
    public var countyDue: Day?
    public var sentToCountyOn: Day?
    public var townshipDue: Day?
    public var dispatchedOn: Day?
    public var visitDue: Day?
    public var visitedOn: Day?
    public var findings: String?
    /// `dibao`, `tekun`, `temporary`, `referral` or `watch`.
    public var outcome: String?
    /// The case opened, or the programme referred.
    public var outcomeRef: String?
    /// The day it was last classified (a watch-ledger warning classified again moves it).
    public var classifiedOn: Day?
    public var closedOn: Day?
    /// The next visit of a person on the watch ledger.
    public var nextVisitDue: Day?
    /// A due day lies beyond the working-day calendar (counted on weekends only).
    public var provisional: Bool
    public var version: Int

    public init(id: Int64, pushID: Int64?, source: String, initial: Bool, idNumber: String, name: String?, householdID: String?, divisionHint: String?,
                countyCode: String?, townshipCode: String?, groups: [String], reason: String, state: WarningState, receivedOn: Day,
                countyDue: Day?, sentToCountyOn: Day? = nil, townshipDue: Day? = nil, dispatchedOn: Day? = nil, visitDue: Day? = nil, visitedOn: Day? = nil,
                findings: String? = nil, outcome: String? = nil, outcomeRef: String? = nil, classifiedOn: Day? = nil, closedOn: Day? = nil, nextVisitDue: Day? = nil,
                provisional: Bool, version: Int = 1) {
        self.id = id; self.pushID = pushID; self.source = source; self.initial = initial; self.idNumber = idNumber; self.name = name
        self.householdID = householdID; self.divisionHint = divisionHint; self.countyCode = countyCode; self.townshipCode = townshipCode
        self.groups = groups; self.reason = reason; self.state = state; self.receivedOn = receivedOn; self.countyDue = countyDue
        self.sentToCountyOn = sentToCountyOn; self.townshipDue = townshipDue; self.dispatchedOn = dispatchedOn; self.visitDue = visitDue
        self.visitedOn = visitedOn; self.findings = findings; self.outcome = outcome; self.outcomeRef = outcomeRef; self.classifiedOn = classifiedOn; self.closedOn = closedOn
        self.nextVisitDue = nextVisitDue; self.provisional = provisional; self.version = version
    }

    /// The step waiting now and its due day (nil when nothing is due: classified, or visited and awaiting its class).
    public var pending: (step: String, due: Day)? {
        switch state {
        case .received: return countyDue.map { ("send_to_county", $0) }
        case .atCounty: return townshipDue.map { ("dispatch", $0) }
        case .atTownship: return visitDue.map { ("visit", $0) }
        case .watch: return nextVisitDue.map { ("revisit", $0) }
        case .visited, .closed: return nil
        }
    }

    /// Who answers for the step now, and who an overdue step is escalated to (the level above).
    public var escalatedTo: String? {
        switch state {
        case .received: return "city_bureau_head"
        case .atCounty: return "city"
        case .atTownship, .watch: return "county"
        case .visited, .closed: return nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, pushID = "push_id", source, initial, idNumber = "id_number", name, householdID = "household_id", divisionHint = "division_hint"
        case countyCode = "county_code", townshipCode = "township_code", groups, reason, state, receivedOn = "received_on", countyDue = "county_due"
        case sentToCountyOn = "sent_to_county_on", townshipDue = "township_due", dispatchedOn = "dispatched_on", visitDue = "visit_due"
        case visitedOn = "visited_on", findings, outcome, outcomeRef = "outcome_ref", classifiedOn = "classified_on", closedOn = "closed_on", nextVisitDue = "next_visit_due"
        case provisional, version
    }
}

/// A home visit of a warning: the first, or a repeat visit of the watch ledger.
public struct WarningVisit: Sendable, Equatable, Codable {
    public let warningID: Int64
    public let visitedOn: Day
    public let visitor: String
    public let findings: String
    public let repeatVisit: Bool
    public init(warningID: Int64, visitedOn: Day, visitor: String, findings: String, repeatVisit: Bool) {
        self.warningID = warningID; self.visitedOn = visitedOn; self.visitor = visitor; self.findings = findings; self.repeatVisit = repeatVisit
    }
    enum CodingKeys: String, CodingKey { case warningID = "warning_id", visitedOn = "visited_on", visitor, findings, repeatVisit = "repeat" }
}

/// An overdue step escalated to the level above, once per warning and step.
public struct WarningEscalation: Sendable, Equatable, Codable {
    public let warningID: Int64
    public let step: String
    public let dueOn: Day
    public let escalatedOn: Day
    public let escalatedTo: String
    public init(warningID: Int64, step: String, dueOn: Day, escalatedOn: Day, escalatedTo: String) {
        self.warningID = warningID; self.step = step; self.dueOn = dueOn; self.escalatedOn = escalatedOn; self.escalatedTo = escalatedTo
    }
    enum CodingKeys: String, CodingKey { case warningID = "warning_id", step, dueOn = "due_on", escalatedOn = "escalated_on", escalatedTo = "escalated_to" }
}

/// One push received: its provenance and what it became.
public struct MonitoringPush: Sendable, Equatable, Codable {
    public let id: Int64
    public let kind: String
    public let department: String
    /// `initial` (the year's initial data) or `monthly` (new data).
    public let pushType: String
    public let receivedOn: Day
    public let fileName: String
    public let digest: String
    public let rows: Int
    /// Rows that mark a person as monitored.
    public let signalled: Int
    /// Warnings opened (one a person).
    public let warnings: Int
    /// People signalled who already have a warning under way.
    public let alreadyOpen: Int
    /// Rows below the thresholds.
    public let belowThreshold: Int
    /// People neither registered nor born in a county of the jurisdiction: another county's.
    public let outside: Int
    public let importedBy: String

    public init(id: Int64, kind: String, department: String, pushType: String, receivedOn: Day, fileName: String, digest: String, rows: Int,
                signalled: Int, warnings: Int, alreadyOpen: Int, belowThreshold: Int, outside: Int, importedBy: String) {
        self.id = id; self.kind = kind; self.department = department; self.pushType = pushType; self.receivedOn = receivedOn; self.fileName = fileName
        self.digest = digest; self.rows = rows; self.signalled = signalled; self.warnings = warnings; self.alreadyOpen = alreadyOpen
        self.belowThreshold = belowThreshold; self.outside = outside; self.importedBy = importedBy
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, department, pushType = "push_type", receivedOn = "received_on", fileName = "file_name", digest, rows, signalled, warnings
        case alreadyOpen = "already_open", belowThreshold = "below_threshold", outside, importedBy = "imported_by"
    }
}

/// The warnings of a jurisdiction. A county sees the warnings sent to it; a township those
/// dispatched to it; a village those of its township about its residents; the command line all.
/// Every change is one transaction with its audit record; every push applies whole or not at all, once.
public struct MonitoringStore: Sendable {
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

    var sql: any SQLDatabase { db as! any SQLDatabase }
    var scopeKey: String { scope.division?.digits ?? "*" }

    static let columns = ["id", "push_id", "source", "initial", "id_number", "name", "household_id", "division_hint", "county_code", "township_code",
                          "groups", "reason", "state", "received_on", "county_due", "provisional", "version", "recorded_by", "recorded_at"]

    /// The condition that keeps every query within the jurisdiction (the one place it is written).
    func inScope(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
        guard scope.division != nil else { return q }
        let p = scope.prefix + "%"
        if scope.division!.level == .village {
            // A village sees the warnings dispatched to its township about people who live in it.
            return q.where("township_code", .equal, String(scope.prefix.prefix(9))).where("division_hint", .like, p)
        }
        if scope.division!.level == .township {
            return q.where("township_code", .like, p)
        }
        return q.where { $0.where("county_code", .like, p).orWhere("township_code", .like, p) }
    }

    // MARK: pushes

    public func existingPush(kind: String, digest: String) async throws -> MonitoringPush? {
        try await sql.select().columns("*").from("monitoring_pushes").where("scope", .equal, scopeKey).where("kind", .equal, kind)
            .where("digest", .equal, digest).first().map(Self.push)
    }

    public func pushes() async throws -> [MonitoringPush] {
        try await sql.select().columns("*").from("monitoring_pushes").where("scope", .equal, scopeKey).orderBy("id", .descending).all().map(Self.push)
    }

    /// The ID keys of the people with a warning under way (not closed) within the jurisdiction.
    public func openWarningKeys() async throws -> Set<UInt64> {
        let box = KeyBox()
        let q = inScope(sql.select().column("id_number").from("warnings").where("state", .notEqual, WarningState.closed.rawValue))
        try await q.run { row in
            guard var id = try? row.decode(column: "id_number", as: String.self) else { return }
            box.keys.insert(id.withUTF8 { IDNumber.key($0) })
        }
        return box.keys
    }

    /// Household → division code, for the households of the jurisdiction.
    public func householdDivisions() async throws -> [String: String] {
        let box = DivisionBox()
        var q = sql.select().column("household_id").column("division_code").from("households")
        if scope.division != nil { q = q.where("division_code", .like, scope.prefix + "%") }
        try await q.run { row in
            guard let h = try? row.decode(column: "household_id", as: String.self), let d = try? row.decode(column: "division_code", as: String.self) else { return }
            box.map[h] = d
        }
        return box.map
    }

    /// Records a push and its warnings in one transaction (a push seen before returns the earlier record).
    /// `make` is given the first free warning ID.
    /// With `location` an SQLite file, the rows go through ``SQLiteWarningWriter`` (prepared statements on a
    /// connection of its own); otherwise through multi-row INSERTs on `db`. Both write the same rows.
    public func apply(push: @escaping @Sendable (Int64) -> MonitoringPush, warnings: @escaping @Sendable (_ pushID: Int64, _ firstID: Int64) -> [MonitoringWarning],
                      location: DatabaseLocation? = nil) async throws -> (MonitoringPush, repeated: Bool) {
        let (actor, at, scopeKey) = (actor, now(), scopeKey)
        if case .sqlite(let path) = location {
            // The writer blocks for the seconds a large push takes: it runs on a thread of its own, not on the
            // cooperative pool the server's requests share.
            let written: MonitoringPush? = try await withCheckedThrowingContinuation { done in
                Thread.detachNewThread {
                    do { done.resume(returning: try SQLiteWarningWriter.run(path: path, scopeKey: scopeKey, actor: actor, at: at, push: push, warnings: warnings)) }
                    catch { done.resume(throwing: error) }
                }
            }
            if let p = written { return (p, false) }
            let seen = push(0)
            guard let earlier = try await existingPush(kind: seen.kind, digest: seen.digest) else { throw StoreError.notFound(entity: "push", key: seen.digest) }
            return (earlier, true)
        }
        return try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            let pushID = try await PaymentStore.nextID(sql, "monitoring_pushes")
            let p = push(pushID)
            if let earlier = try await sql.select().columns("*").from("monitoring_pushes").where("scope", .equal, scopeKey).where("kind", .equal, p.kind)
                .where("digest", .equal, p.digest).first().map(Self.push) {
                return (earlier, true)
            }
            try await sql.insert(into: "monitoring_pushes")
                .columns("id", "scope", "kind", "department", "push_type", "received_on", "file_name", "digest", "rows", "signalled", "warnings",
                         "already_open", "below_threshold", "outside", "imported_by", "imported_at")
                .values(SQLBind(p.id), SQLBind(scopeKey), SQLBind(p.kind), SQLBind(p.department), SQLBind(p.pushType), SQLBind(p.receivedOn.description),
                        SQLBind(p.fileName), SQLBind(p.digest), SQLBind(Int64(p.rows)), SQLBind(Int64(p.signalled)), SQLBind(Int64(p.warnings)),
                        SQLBind(Int64(p.alreadyOpen)), SQLBind(Int64(p.belowThreshold)), SQLBind(Int64(p.outside)), SQLBind(p.importedBy), SQLBind(at)).run()
            let list = warnings(pushID, try await PaymentStore.nextID(sql, "warnings"))
            try await Self.insert(list, on: sql, at: at, by: actor.name)
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .import, entity: "monitoring_push", key: p.digest,
                                      county: scopeKey == "*" ? "" : String(scopeKey.prefix(6)), detail: p)
            return (p, false)
        }
    }

    static func insert(_ list: [MonitoringWarning], on sql: any SQLDatabase, at: Date, by: String) async throws {
        for start in stride(from: 0, to: list.count, by: 1000) {
            let rows: [[any Encodable & Sendable]] = list[start..<min(start + 1000, list.count)].map { w in
                [w.id, w.pushID, w.source, w.initial, w.idNumber, w.name, w.householdID, w.divisionHint, w.countyCode, w.townshipCode,
                 w.groups.joined(separator: ","), w.reason, w.state.rawValue, w.receivedOn.description, w.countyDue?.description, w.provisional,
                 Int64(w.version), by, at]
            }
            try await sql.execute(sql: BulkInsert(table: "warnings", columns: columns, rows: rows)) { _ in }
        }
    }

    /// Records one warning found by hand (主动发现), with its audit record.
    public func add(_ make: @escaping @Sendable (Int64) -> MonitoringWarning) async throws -> MonitoringWarning {
        let (actor, at) = (actor, now())
        return try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            let w = make(try await PaymentStore.nextID(sql, "warnings"))
            try await Self.insert([w], on: sql, at: at, by: actor.name)
            try await Self.saveSteps(w, on: sql)
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .create, entity: "warning", key: String(w.id),
                                      county: w.countyCode ?? "", detail: ["source": w.source, "state": w.state.rawValue, "division": w.divisionHint ?? ""])
            return w
        }
    }

    // MARK: reading

    /// The registered household of the member with this ID number, and its division, within the jurisdiction.
    public func household(ofMember idNumber: String) async throws -> (householdID: String, division: String)? {
        var q = sql.select().column(SQLColumn("household_id", table: "m")).column(SQLColumn("division_code", table: "h"))
            .from(SQLAlias(SQLIdentifier("members"), as: SQLIdentifier("m")))
            .join(SQLAlias(SQLIdentifier("households"), as: SQLIdentifier("h")), on: SQLColumn("household_id", table: "m"), .equal, SQLColumn("household_id", table: "h"))
            .where(SQLColumn("id_number", table: "m"), .equal, SQLBind(idNumber))
        if scope.division != nil { q = q.where(SQLColumn("division_code", table: "h"), .like, SQLBind(scope.prefix + "%")) }
        guard let r = try await q.first() else { return nil }
        return (try r.decode(column: "household_id", as: String.self), try r.decode(column: "division_code", as: String.self))
    }

    public struct Filter: Sendable {
        public var state: WarningState?
        public var township: String?
        public var idNumber: String?
        public var limit: Int?
        public init(state: WarningState? = nil, township: String? = nil, idNumber: String? = nil, limit: Int? = nil) {
            self.state = state; self.township = township; self.idNumber = idNumber; self.limit = limit
        }
    }

    /// Warnings within the jurisdiction, oldest first.
    public func warnings(_ f: Filter = Filter()) async throws -> [MonitoringWarning] {
        var q = inScope(sql.select().columns("*").from("warnings"))
        if let s = f.state { q = q.where("state", .equal, s.rawValue) }
        if let t = f.township { q = q.where("township_code", .equal, t) }
        if let id = f.idNumber { q = q.where("id_number", .equal, id) }
        q = q.orderBy("id")
        if let l = f.limit { q = q.limit(l) }
        return try await q.all().map(Self.warning)
    }

    /// The warnings not closed (those with a step to do, or on the watch ledger), oldest first.
    public func underWay(limit: Int? = nil) async throws -> [MonitoringWarning] {
        var q = inScope(sql.select().columns("*").from("warnings").where("state", .notEqual, WarningState.closed.rawValue)).orderBy("id")
        if let limit { q = q.limit(limit) }
        return try await q.all().map(Self.warning)
    }

    /// The condition "the step waiting is past due on `day`" (the due day of the state's step).
    func overdueCondition(_ q: SQLSelectBuilder, on day: Day) -> SQLSelectBuilder {
        let d = day.description
        let steps: [(WarningState, String)] = [(.received, "county_due"), (.atCounty, "township_due"), (.atTownship, "visit_due"), (.watch, "next_visit_due")]
        return q.where { g in
            var g = g
            for (state, column) in steps {
                g = g.orWhere { $0.where("state", .equal, state.rawValue).where(column, .lessThan, d) }
            }
            return g
        }
    }

    /// The warnings whose step is past due on `day`, oldest first.
    public func overdue(on day: Day, limit: Int? = nil) async throws -> [MonitoringWarning] {
        var q = overdueCondition(inScope(sql.select().columns("*").from("warnings")), on: day).orderBy("id")
        if let limit { q = q.limit(limit) }
        return try await q.all().map(Self.warning)
    }

    /// How many warnings have a step past due on `day`.
    public func overdueCount(on day: Day) async throws -> Int {
        let q = overdueCondition(inScope(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("warnings")), on: day)
        return Int(try await q.first()?.decode(column: "n", as: Int64.self) ?? 0)
    }

    /// The warnings with a day of the chain from `from` through `through`: received, a step due, or classified.
    public func warnings(touching from: Day, through: Day) async throws -> [MonitoringWarning] {
        let (a, b) = (from.description, through.description)
        let q = inScope(sql.select().columns("*").from("warnings")).where { g in
            var g = g
            for c in ["received_on", "county_due", "township_due", "visit_due", "classified_on"] {
                g = g.orWhere { $0.where(c, .greaterThanOrEqual, a).where(c, .lessThanOrEqual, b) }
            }
            return g
        }
        return try await q.orderBy("id").all().map(Self.warning)
    }

    /// The warnings on the watch ledger now, by township.
    public func watchLedger() async throws -> [String: Int] {
        let rows = try await inScope(sql.select().column("township_code").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("warnings")
            .where("state", .equal, WarningState.watch.rawValue)).groupBy("township_code").all()
        var out: [String: Int] = [:]
        for r in rows { out[try r.decode(column: "township_code", as: String?.self) ?? "", default: 0] += Int(try r.decode(column: "n", as: Int64.self)) }
        return out
    }

    public func warning(_ id: Int64) async throws -> MonitoringWarning {
        guard let w = try await inScope(sql.select().columns("*").from("warnings").where("id", .equal, id)).first().map(Self.warning) else {
            throw StoreError.notFound(entity: "warning", key: String(id))
        }
        return w
    }

    /// A warning as an officer opens it: an audited read of a person's file.
    public func read(_ id: Int64) async throws -> MonitoringWarning {
        let (actor, at, scope) = (actor, now(), scope)
        return try await AuditLog.transaction(on: db) { tx in
            let w = try await MonitoringStore(db: tx, scope: scope, actor: actor).warning(id)
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .read, entity: "warning", key: String(id), county: w.countyCode ?? "",
                                      detail: ["id_number": w.idNumber])
            return w
        }
    }

    /// The ids of the warnings within the jurisdiction, as a subquery.
    var scopedIDs: SQLGroupExpression { SQLGroupExpression(inScope(sql.select().column("id").from("warnings")).query) }

    public func visits(_ id: Int64) async throws -> [WarningVisit] {
        try await sql.select().columns("*").from("warning_visits").where("warning_id", .equal, id).where(SQLColumn("warning_id"), .in, scopedIDs)
            .orderBy("visited_on").orderBy("id").all().map(Self.visit)
    }

    /// Every visit made in the jurisdiction from `from` through `through`.
    public func visits(from: Day, through: Day) async throws -> [WarningVisit] {
        try await sql.select().columns("*").from("warning_visits").where("visited_on", .greaterThanOrEqual, from.description)
            .where("visited_on", .lessThanOrEqual, through.description).where(SQLColumn("warning_id"), .in, scopedIDs)
            .orderBy("visited_on").all().map(Self.visit)
    }

    public func escalations(_ id: Int64? = nil) async throws -> [WarningEscalation] {
        var q = sql.select().columns("*").from("warning_escalations").where(SQLColumn("warning_id"), .in, scopedIDs)
        if let id { q = q.where("warning_id", .equal, id) }
        return try await q.orderBy("escalated_on").orderBy("warning_id").all().map(Self.escalation)
    }

    // MARK: changing

    /// One step on a warning, if it is still at `version`: `change` returns the warning after the step
    /// (or throws the reason it is out of order); `visit` is recorded with it; `also` runs in the transaction.
    public func step(_ id: Int64, version: Int?, action: String, visit: WarningVisit? = nil,
                     _ change: @escaping @Sendable (MonitoringWarning) throws -> MonitoringWarning) async throws -> MonitoringWarning {
        try await AuditLog.transaction(on: db) { tx in
            try await step(id, version: version, action: action, visit: visit, on: tx, change)
        }
    }

    /// The same step inside a caller's transaction (the case a classification opens).
    public func step(_ id: Int64, version: Int?, action: String, visit: WarningVisit? = nil, on tx: any Database,
                     _ change: @escaping @Sendable (MonitoringWarning) throws -> MonitoringWarning) async throws -> MonitoringWarning {
        let (actor, at) = (actor, now())
        let sql = tx as! any SQLDatabase
        let store = MonitoringStore(db: tx, scope: scope, actor: actor)
        let before = try await store.warning(id)
        if let version, before.version != version {
            throw StoreError.conflict(FieldProblem(field: "version", rule: "warning \(id) has changed since you loaded it (you have version \(version), it is now at \(before.version))"))
        }
        var after = try change(before)
        after.version = before.version + 1
        try await Self.saveSteps(after, on: sql)
        if let v = visit {
            try await sql.insert(into: "warning_visits").columns("id", "warning_id", "visited_on", "visitor", "findings", "repeat_visit")
                .values(SQLBind(try await PaymentStore.nextID(sql, "warning_visits")), SQLBind(v.warningID), SQLBind(v.visitedOn.description),
                        SQLBind(v.visitor), SQLBind(v.findings), SQLBind(v.repeatVisit)).run()
        }
        try await AuditLog.record(on: tx, at: at, actor: actor, action: .update, entity: "warning", key: String(id), county: after.countyCode ?? "",
                                  detail: ["action": action, "from": before.state.rawValue, "to": after.state.rawValue, "outcome": after.outcome ?? ""])
        return after
    }

    static func saveSteps(_ w: MonitoringWarning, on sql: any SQLDatabase) async throws {
        try await sql.update("warnings").set("state", to: w.state.rawValue).set("county_code", to: w.countyCode).set("township_code", to: w.townshipCode)
            .set("county_due", to: w.countyDue?.description).set("sent_to_county_on", to: w.sentToCountyOn?.description)
            .set("township_due", to: w.townshipDue?.description).set("dispatched_on", to: w.dispatchedOn?.description)
            .set("visit_due", to: w.visitDue?.description).set("visited_on", to: w.visitedOn?.description).set("findings", to: w.findings)
            .set("outcome", to: w.outcome).set("outcome_ref", to: w.outcomeRef).set("classified_on", to: w.classifiedOn?.description)
            .set("closed_on", to: w.closedOn?.description)
            .set("next_visit_due", to: w.nextVisitDue?.description).set("provisional", to: w.provisional).set("version", to: Int64(w.version))
            .where("id", .equal, w.id).run()
    }

    /// Records the escalations not recorded before (one per warning and step), each audited; returns the new ones.
    public func escalate(_ list: [WarningEscalation]) async throws -> [WarningEscalation] {
        let (actor, at, scope) = (actor, now(), scope)
        return try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            // The escalations recorded before, read once: a step is escalated once per due day.
            let earlier = try await MonitoringStore(db: tx, scope: scope, actor: actor).escalations()
            let seen = Set(earlier.map { "\($0.warningID) \($0.step) \($0.dueOn)" })
            let new = list.filter { !seen.contains("\($0.warningID) \($0.step) \($0.dueOn)") }
            for start in stride(from: 0, to: new.count, by: 1000) {
                let rows: [[any Encodable & Sendable]] = new[start..<min(start + 1000, new.count)].map { e in
                    [e.warningID, e.step, e.dueOn.description, e.escalatedOn.description, e.escalatedTo]
                }
                try await sql.execute(sql: BulkInsert(table: "warning_escalations", columns: ["warning_id", "step", "due_on", "escalated_on", "escalated_to"], rows: rows)) { _ in }
            }
            if !new.isEmpty {
                try await AuditLog.record(on: tx, at: at, actor: actor, action: .update, entity: "warning_escalation", key: new.first!.escalatedOn.description,
                                          county: scope.division?.countyCode.digits ?? "", detail: ["escalated": String(new.count)])
            }
            return new
        }
    }

    // MARK: rows

    static func day(_ r: any SQLRow, _ c: String) throws -> Day? {
        try r.decode(column: c, as: String?.self).map { try Day(parsing: $0) }
    }

    static func warning(_ r: any SQLRow) throws -> MonitoringWarning {
        MonitoringWarning(
            id: try r.decode(column: "id", as: Int64.self), pushID: try r.decode(column: "push_id", as: Int64?.self), source: try r.decode(column: "source", as: String.self),
            initial: try r.decode(column: "initial", as: Bool.self), idNumber: try r.decode(column: "id_number", as: String.self),
            name: try r.decode(column: "name", as: String?.self), householdID: try r.decode(column: "household_id", as: String?.self),
            divisionHint: try r.decode(column: "division_hint", as: String?.self), countyCode: try r.decode(column: "county_code", as: String?.self),
            townshipCode: try r.decode(column: "township_code", as: String?.self),
            groups: try r.decode(column: "groups", as: String.self).split(separator: ",").map(String.init), reason: try r.decode(column: "reason", as: String.self),
            state: WarningState(rawValue: try r.decode(column: "state", as: String.self)) ?? .received, receivedOn: try day(r, "received_on")!,
            countyDue: try day(r, "county_due"), sentToCountyOn: try day(r, "sent_to_county_on"), townshipDue: try day(r, "township_due"),
            dispatchedOn: try day(r, "dispatched_on"), visitDue: try day(r, "visit_due"), visitedOn: try day(r, "visited_on"),
            findings: try r.decode(column: "findings", as: String?.self), outcome: try r.decode(column: "outcome", as: String?.self),
            outcomeRef: try r.decode(column: "outcome_ref", as: String?.self), classifiedOn: try day(r, "classified_on"), closedOn: try day(r, "closed_on"), nextVisitDue: try day(r, "next_visit_due"),
            provisional: try r.decode(column: "provisional", as: Bool.self), version: Int(try r.decode(column: "version", as: Int64.self)))
    }

    static func push(_ r: any SQLRow) throws -> MonitoringPush {
        MonitoringPush(id: try r.decode(column: "id", as: Int64.self), kind: try r.decode(column: "kind", as: String.self),
                       department: try r.decode(column: "department", as: String.self), pushType: try r.decode(column: "push_type", as: String.self),
                       receivedOn: try day(r, "received_on")!, fileName: try r.decode(column: "file_name", as: String.self),
                       digest: try r.decode(column: "digest", as: String.self), rows: Int(try r.decode(column: "rows", as: Int64.self)),
                       signalled: Int(try r.decode(column: "signalled", as: Int64.self)), warnings: Int(try r.decode(column: "warnings", as: Int64.self)),
                       alreadyOpen: Int(try r.decode(column: "already_open", as: Int64.self)), belowThreshold: Int(try r.decode(column: "below_threshold", as: Int64.self)),
                       outside: Int(try r.decode(column: "outside", as: Int64.self)), importedBy: try r.decode(column: "imported_by", as: String.self))
    }

    static func visit(_ r: any SQLRow) throws -> WarningVisit {
        WarningVisit(warningID: try r.decode(column: "warning_id", as: Int64.self), visitedOn: try day(r, "visited_on")!,
                     visitor: try r.decode(column: "visitor", as: String.self), findings: try r.decode(column: "findings", as: String.self),
                     repeatVisit: try r.decode(column: "repeat_visit", as: Bool.self))
    }

    static func escalation(_ r: any SQLRow) throws -> WarningEscalation {
        WarningEscalation(warningID: try r.decode(column: "warning_id", as: Int64.self), step: try r.decode(column: "step", as: String.self),
                          dueOn: try day(r, "due_on")!, escalatedOn: try day(r, "escalated_on")!, escalatedTo: try r.decode(column: "escalated_to", as: String.self))
    }
}

private final class KeyBox: @unchecked Sendable { var keys = Set<UInt64>() }
private final class DivisionBox: @unchecked Sendable { var map: [String: String] = [:] }

extension HotlineStore {
    /// Marks the open tickets past their due day on `day` as escalated to the county (once each), audited; returns them.
    public func escalate(county: String, on day: Day) async throws -> [HotlineTicket] {
        let (actor, at) = (actor, now())
        return try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            let due = try await Self.tickets(on: sql, county: county, number: nil).filter { $0.state == .open && $0.dueOn < day && $0.escalatedOn == nil }
            for t in due {
                try await sql.update("hotline_tickets").set("escalated_on", to: day.description).where("number", .equal, t.number).run()
            }
            if !due.isEmpty {
                try await AuditLog.record(on: tx, at: at, actor: actor, action: .update, entity: "hotline", key: "escalate \(day)", county: county,
                                          detail: ["escalated": due.map(\.number).joined(separator: ",")])
            }
            return due.map { var t = $0; t.escalatedOn = day; return t }
        }
    }
}

/// The SQLite fast path of ``MonitoringStore/apply(push:warnings:location:)``: one connection of its
/// own, one `BEGIN IMMEDIATE … COMMIT`, one prepared INSERT reused for every warning, and the audit
/// record chained to the last one — the same rows the portable path writes, or none.
enum SQLiteWarningWriter {
    /// Returns nil when the same push was applied before (the caller reads it).
    static func run(path: String, scopeKey: String, actor: AuditActor, at: Date, push: (Int64) -> MonitoringPush,
                    warnings: (_ pushID: Int64, _ firstID: Int64) -> [MonitoringWarning]) throws -> MonitoringPush? {
        typealias B = SQLiteBulkImport
        let db = try B.Connection(path: path)
        try db.exec("PRAGMA busy_timeout = 10000")
        try db.exec("PRAGMA cache_size = -262144")
        try db.exec("PRAGMA temp_store = MEMORY")
        try db.exec("BEGIN IMMEDIATE")
        do {
            func next(_ table: String) throws -> Int64 {
                let s = try db.prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM \"\(table)\"")
                guard s.step() == SQLITE_ROW else { throw db.error(SQLITE_ERROR, "numbering \(table)") }
                return Int64(s.columnText(0)) ?? 1
            }
            let p = push(try next("monitoring_pushes"))
            let seen = try db.prepare("SELECT id FROM monitoring_pushes WHERE scope = ?1 AND kind = ?2 AND digest = ?3")
            seen.text(1, scopeKey); seen.text(2, p.kind); seen.text(3, p.digest)
            if seen.step() == SQLITE_ROW {
                _ = seen.columnText(0)
                try db.exec("ROLLBACK")
                return nil
            }
            let stamp = at.timeIntervalSince1970
            let ps = try db.prepare(B.insertSQL("monitoring_pushes", ["id", "scope", "kind", "department", "push_type", "received_on", "file_name", "digest", "rows",
                                                                      "signalled", "warnings", "already_open", "below_threshold", "outside", "imported_by", "imported_at"]))
            ps.int(1, p.id); ps.text(2, scopeKey); ps.text(3, p.kind); ps.text(4, p.department); ps.text(5, p.pushType); ps.text(6, p.receivedOn.description)
            ps.text(7, p.fileName); ps.text(8, p.digest); ps.int(9, Int64(p.rows)); ps.int(10, Int64(p.signalled)); ps.int(11, Int64(p.warnings))
            ps.int(12, Int64(p.alreadyOpen)); ps.int(13, Int64(p.belowThreshold)); ps.int(14, Int64(p.outside)); ps.text(15, p.importedBy); ps.double(16, stamp)
            var rc = ps.step()
            guard rc == SQLITE_DONE else { throw db.error(rc, "recording the push") }
            let ws = try db.prepare(B.insertSQL("warnings", MonitoringStore.columns))
            for w in warnings(p.id, try next("warnings")) {
                ws.int(1, w.id); if let id = w.pushID { ws.int(2, id) } else { ws.null(2) }
                ws.text(3, w.source); ws.bool(4, w.initial); ws.text(5, w.idNumber); ws.text(6, w.name); ws.text(7, w.householdID)
                ws.text(8, w.divisionHint); ws.text(9, w.countyCode); ws.text(10, w.townshipCode); ws.text(11, w.groups.joined(separator: ","))
                ws.text(12, w.reason); ws.text(13, w.state.rawValue); ws.text(14, w.receivedOn.description); ws.text(15, w.countyDue?.description)
                ws.bool(16, w.provisional); ws.int(17, Int64(w.version)); ws.text(18, actor.name); ws.double(19, stamp)
                rc = ws.step()
                guard rc == SQLITE_DONE else { throw db.error(rc, "writing warning \(w.id)") }
            }
            let last = try db.prepare("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1")
            let prev = last.step() == SQLITE_ROW ? last.columnText(0) : AuditChain.genesis
            let stamped = AuditChain.stamp(at)
            let fields = AuditChain.Fields(prevHash: prev, countyCode: scopeKey == "*" ? "" : String(scopeKey.prefix(6)), atMillis: AuditChain.millis(stamped),
                                           actor: actor.name, address: actor.address, action: AuditAction.import.rawValue, entity: "monitoring_push",
                                           entityKey: p.digest, detail: String(decoding: try AuditLog.encoder.encode(p), as: UTF8.self))
            let a = try db.prepare(B.insertSQL("audit_events", ["county_code", "at", "actor", "action", "entity", "entity_key", "detail", "address", "prev_hash", "hash"]))
            a.text(1, fields.countyCode); a.double(2, stamped.timeIntervalSince1970); a.text(3, fields.actor); a.text(4, fields.action); a.text(5, fields.entity)
            a.text(6, fields.entityKey); a.text(7, fields.detail); a.text(8, fields.address); a.text(9, prev); a.text(10, AuditChain.hash(fields))
            rc = a.step()
            guard rc == SQLITE_DONE else { throw db.error(rc, "writing the audit record") }
            try db.exec("COMMIT")
            return p
        } catch {
            try? db.exec("ROLLBACK")
            throw error
        }
    }
}
