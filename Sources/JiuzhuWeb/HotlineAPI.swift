import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuStore
import Vapor

extension HotlineTicket: Content {}
extension HotlineReport: Content {}

extension Role {
    /// Answers the 12349 hotline: the county's officers and administrators, and the townships' officers (tickets routed to them).
    var worksHotline: Bool { self == .countyOfficer || self == .countyAdmin || self == .townshipOfficer }
}

/// `/api/v1/hotline`: the 12349 social-assistance hotline of the user's county.
enum HotlineAPI {
    static func register(_ signedIn: any RoutesBuilder) {
        let hotline = signedIn.grouped("hotline")
        hotline.get(use: list)
        hotline.post(use: receive)
        hotline.get("report", use: report)
        hotline.post(":number", "close", use: close)
    }

    static func hotline(_ req: Request, may allowed: (Role) -> Bool) throws -> (Hotline, county: String, user: UserAccount) {
        guard let user = req.user else { throw Abort(.unauthorized, reason: "sign in first") }
        guard allowed(user.role) else { throw StoreError.forbidden("the hotline is answered by the county's and the townships' officers") }
        let clock = req.application.storage[ClockKey.self] ?? { Date() }
        return (Hotline(db: req.db, actor: AuditActor("user:\(user.username)", address: req.clientAddress), now: clock), user.division.countyCode.digits, user)
    }

    struct ReceiveRequest: Content {
        let kind: HotlineTicket.Kind
        let caller: String
        let phone: String?
        let householdID: String?
        let description: String
        let routedTo: String
        let on: Day?
        enum CodingKeys: String, CodingKey { case kind, caller, phone, householdID = "household_id", description, routedTo = "routed_to", on }
    }

    /// `POST /api/v1/hotline`: a call received as a ticket.
    static func receive(req: Request) async throws -> Response {
        let (h, county, _) = try hotline(req, may: \.worksHotline)
        let b = try req.content.decode(ReceiveRequest.self)
        let t = try await h.receive(county: county, kind: b.kind, caller: b.caller, phone: b.phone ?? "", householdID: b.householdID, description: b.description,
                                    routedTo: b.routedTo, on: b.on ?? Day(req.now))
        return try await t.encodeResponse(status: .created, for: req)
    }

    struct CloseRequest: Content { let resolution: String; let on: Day? }

    /// `POST /api/v1/hotline/{number}/close` `{"resolution": "…"}`.
    static func close(req: Request) async throws -> HotlineTicket {
        let (h, county, user) = try hotline(req, may: \.worksHotline)
        let number = try req.pathParameter("number")
        try await mayClose(number, h, county: county, user: user)
        let b = try req.content.decode(CloseRequest.self)
        return try await h.close(county: county, number: number, on: b.on ?? Day(req.now), resolution: b.resolution)
    }

    /// A township officer closes only the tickets routed to their township (the API and the page alike).
    static func mayClose(_ number: String, _ h: Hotline, county: String, user: UserAccount) async throws {
        guard user.role == .townshipOfficer else { return }
        guard let t = try await HotlineStore(db: h.db, actor: h.actor).tickets(county: county, number: number).first else { throw StoreError.notFound(entity: "ticket", key: number) }
        guard t.routedTo.hasPrefix(user.division.digits) else { throw StoreError.forbidden("\(number) is routed to \(t.routedTo), not your township") }
    }

    /// `GET /api/v1/hotline[?overdue=true]`: the county's tickets by due day, or the open ones past due.
    static func list(req: Request) async throws -> [HotlineTicket] {
        let (h, county, user) = try hotline(req, may: { $0.worksHotline || $0 == .auditor })
        let all = req.query[Bool.self, at: "overdue"] == true ? try await h.overdue(county: county, on: Day(req.now))
            : try await HotlineStore(db: req.db, actor: h.actor).tickets(county: county)
        return user.role == .townshipOfficer ? all.filter { $0.routedTo.hasPrefix(user.division.digits) } : all
    }

    /// `GET /api/v1/hotline/report?month=YYYY-MM`: the month's on-time rate.
    static func report(req: Request) async throws -> HotlineReport {
        let (h, county, _) = try hotline(req, may: { $0.worksHotline || $0 == .auditor })
        let month: Month
        do { month = try Month(parsing: req.query[String.self, at: "month"] ?? "") } catch { throw RequestProblem("month", "is required (YYYY-MM)") }
        return try await h.report(county: county, month: month)
    }
}
