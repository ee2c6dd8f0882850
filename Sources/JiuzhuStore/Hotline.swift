import FluentKit
import Foundation
import JiuzhuCore
import SQLKit

/// A call to the 12349 social-assistance hotline (社会救助服务热线): what it is, who it is routed
/// to, when it is due (working days by kind), and how it was closed.
public struct HotlineTicket: Sendable, Equatable, Codable {
    /// 咨询, 求助, 投诉, 举报.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case enquiry, help, complaint, fraud
        public var chineseName: String { ["enquiry": "咨询", "help": "求助", "complaint": "投诉", "fraud": "举报"][rawValue]! }
    }
    public enum State: String, Sendable, Codable { case open, closed }

    public let number: String
    public let countyCode: String
    public let kind: Kind
    public let caller: String
    public let phone: String
    public let householdID: String?
    public let description: String
    public let receivedOn: Day
    /// A township code, or a department's name.
    public let routedTo: String
    public let dueOn: Day
    /// The due day lies beyond the working-day calendar: counted on weekends only.
    public let provisional: Bool
    public var state: State
    public var closedOn: Day?
    public var resolution: String?
    /// The day it was found overdue and escalated to the county.
    public var escalatedOn: Day?

    public init(number: String, countyCode: String, kind: Kind, caller: String, phone: String, householdID: String?, description: String,
                receivedOn: Day, routedTo: String, dueOn: Day, provisional: Bool, state: State = .open, closedOn: Day? = nil, resolution: String? = nil, escalatedOn: Day? = nil) {
        self.number = number; self.countyCode = countyCode; self.kind = kind; self.caller = caller; self.phone = phone; self.householdID = householdID
        self.description = description; self.receivedOn = receivedOn; self.routedTo = routedTo; self.dueOn = dueOn; self.provisional = provisional
        self.state = state; self.closedOn = closedOn; self.resolution = resolution; self.escalatedOn = escalatedOn
    }

    /// Closed on or before its due day.
    public var closedOnTime: Bool { closedOn.map { $0 <= dueOn } ?? false }

    enum CodingKeys: String, CodingKey {
        case number, countyCode = "county_code", kind, caller, phone, householdID = "household_id", description, receivedOn = "received_on"
        case routedTo = "routed_to", dueOn = "due_on", provisional, state, closedOn = "closed_on", resolution, escalatedOn = "escalated_on"
    }
}

/// The hotline's tickets of a county: numbered per county and year, each change one transaction with its audit record.
public struct HotlineStore: Sendable {
    public let db: any Database
    public let actor: AuditActor
    public let now: @Sendable () -> Date

    public init(db: any Database, actor: AuditActor, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.actor = actor
        self.now = now
    }

    /// Records a new ticket; `make` gets its number (`12349-COUNTY-YEAR-NNNNN`). `alsoInTransaction`
    /// runs in the same transaction (a fraud report opening an investigation).
    public func receive(county: String, year: Int, _ make: @escaping @Sendable (String) -> HotlineTicket,
                        alsoInTransaction: (@Sendable (HotlineTicket, any Database) async throws -> Void)? = nil) async throws -> HotlineTicket {
        let (actor, at) = (actor, now())
        return try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            let prefix = "12349-\(county)-\(year)-"
            let count = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("hotline_tickets")
                .where("number", .like, prefix + "%").first()?.decode(column: "n", as: Int64.self) ?? 0
            let t = make(prefix + String(format: "%05d", count + 1))
            try await sql.insert(into: "hotline_tickets").columns("id", "number", "county_code", "kind", "caller", "phone", "household_id", "description",
                                                                 "received_on", "routed_to", "due_on", "provisional", "state", "recorded_by", "recorded_at")
                .values(SQLBind(try await PaymentStore.nextID(sql, "hotline_tickets")), SQLBind(t.number), SQLBind(t.countyCode), SQLBind(t.kind.rawValue),
                        SQLBind(t.caller), SQLBind(t.phone), SQLBind(t.householdID), SQLBind(t.description), SQLBind(t.receivedOn.description),
                        SQLBind(t.routedTo), SQLBind(t.dueOn.description), SQLBind(t.provisional), SQLBind(t.state.rawValue), SQLBind(actor.name), SQLBind(at)).run()
            try await alsoInTransaction?(t, tx)
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .create, entity: "hotline", key: t.number, county: county,
                                      detail: ["kind": t.kind.rawValue, "routed_to": t.routedTo, "due_on": t.dueOn.description, "household": t.householdID ?? ""])
            return t
        }
    }

    /// Closes a ticket with its resolution on a day.
    public func close(number: String, county: String, on day: Day, resolution: String) async throws -> HotlineTicket {
        let (actor, at) = (actor, now())
        return try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            guard var t = try await Self.tickets(on: sql, county: county, number: number).first else { throw StoreError.notFound(entity: "ticket", key: number) }
            guard t.state == .open else { throw StoreError.conflict(FieldProblem(field: "number", rule: "\(number) was closed on \(t.closedOn?.description ?? "")")) }
            guard day >= t.receivedOn else { throw StoreError.invalid([FieldProblem(field: "on", rule: "a ticket is closed on or after the day it was received (\(t.receivedOn))")]) }
            try await sql.update("hotline_tickets").set("state", to: HotlineTicket.State.closed.rawValue).set("closed_on", to: day.description)
                .set("resolution", to: resolution).where("number", .equal, number).run()
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .update, entity: "hotline", key: number, county: county,
                                      detail: ["closed_on": day.description, "on_time": day <= t.dueOn ? "yes" : "no"])
            t.state = .closed; t.closedOn = day; t.resolution = resolution
            return t
        }
    }

    /// The county's tickets (or one), by due day.
    public func tickets(county: String, number: String? = nil) async throws -> [HotlineTicket] {
        try await Self.tickets(on: db as! any SQLDatabase, county: county, number: number)
    }

    static func tickets(on sql: any SQLDatabase, county: String, number: String?) async throws -> [HotlineTicket] {
        var q = sql.select().columns("*").from("hotline_tickets").where("county_code", .equal, county)
        if let number { q = q.where("number", .equal, number) }
        return try await q.orderBy("due_on").orderBy("number").all().map { r in
            HotlineTicket(number: try r.decode(column: "number", as: String.self), countyCode: county,
                          kind: HotlineTicket.Kind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .enquiry,
                          caller: try r.decode(column: "caller", as: String.self), phone: try r.decode(column: "phone", as: String.self),
                          householdID: try r.decode(column: "household_id", as: String?.self), description: try r.decode(column: "description", as: String.self),
                          receivedOn: try Day(parsing: try r.decode(column: "received_on", as: String.self)), routedTo: try r.decode(column: "routed_to", as: String.self),
                          dueOn: try Day(parsing: try r.decode(column: "due_on", as: String.self)), provisional: try r.decode(column: "provisional", as: Bool.self),
                          state: HotlineTicket.State(rawValue: try r.decode(column: "state", as: String.self)) ?? .open,
                          closedOn: try r.decode(column: "closed_on", as: String?.self).map { try Day(parsing: $0) },
                          resolution: try r.decode(column: "resolution", as: String?.self),
                          escalatedOn: try r.decode(column: "escalated_on", as: String?.self).map { try Day(parsing: $0) })
        }
    }
}

extension PaymentStore {
    /// Opens an investigation on a household's active entitlements (a fraud report): their next
    /// review becomes `day`, inside the caller's transaction, audited.
    public static func openInvestigation(householdID: String, county: String, on day: Day, because: String, tx: any Database, at: Date, actor: AuditActor) async throws -> Int {
        let sql = tx as! any SQLDatabase
        let ids = try await sql.select().column("id").from("entitlements").where("county_code", .equal, county).where("household_id", .equal, householdID)
            .where("end_month", .is, SQLLiteral.null).all().map { try $0.decode(column: "id", as: Int64.self) }
        guard !ids.isEmpty else { return 0 }
        try await sql.update("entitlements").set("next_review", to: day.description).where("id", .in, ids).run()
        try await AuditLog.record(on: tx, at: at, actor: actor, action: .update, entity: "entitlement", key: householdID, county: county,
                                  detail: ["investigation": because, "review_due": day.description])
        return ids.count
    }
}
