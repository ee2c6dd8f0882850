import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import Vapor

extension MonitoringWarning: Content {}
extension MonitoringPush: Content {}
extension PushSummary: Content {}
extension MonitoringReport: Content {}
extension AnnualWorkReport: Content {}
extension WarningEscalation: Content {}
extension WarningVisit: Content {}

extension Role {
    /// Receives pushes, routes warnings down and escalates: the county's officers and administrators.
    var routesWarnings: Bool { self == .countyOfficer || self == .countyAdmin }
    /// Visits and classifies warnings: the townships' officers and village assistants (and the county's officers).
    var visitsWarnings: Bool { routesWarnings || self == .townshipOfficer || self == .villageAssistant }
    /// Reads the warnings and the reports of their division.
    var readsWarnings: Bool { visitsWarnings || self == .auditor }
}

/// `/api/v1/monitoring`: monitoring and early warning within the user's division.
enum MonitoringAPI {
    static func register(_ signedIn: any RoutesBuilder) {
        let m = signedIn.grouped("monitoring")
        m.on(.POST, "pushes", body: .collect(maxSize: "256mb"), use: push)
        m.get("pushes", use: pushes)
        m.get("warnings", use: list)
        m.get("warnings", ":id", use: one)
        m.post("warnings", ":id", ":step", use: step)
        m.post("discoveries", use: discover)
        m.post("escalate", use: escalate)
        m.get("report", use: report)
        m.get("annual", use: annual)
    }

    static func monitoring(_ req: Request, may allowed: (Role) -> Bool, _ why: String) throws -> (Monitoring, UserAccount) {
        guard let user = req.user else { throw Abort(.unauthorized, reason: "sign in first") }
        guard allowed(user.role) else { throw StoreError.forbidden(why) }
        let clock = req.application.storage[ClockKey.self] ?? { Date() }
        return (Monitoring(db: req.db, scope: user.jurisdiction, actor: AuditActor("user:\(user.username)", address: req.clientAddress), user: user,
                           address: req.clientAddress, now: clock, location: req.application.storage[LocationKey.self]), user)
    }

    static func day(_ req: Request, _ text: String?, _ field: String = "on") throws -> Day {
        guard let text, !text.isEmpty else { return Day(req.now) }
        do { return try Day(parsing: text) } catch { throw RequestProblem(field, "must be YYYY-MM-DD, found '\(text)'") }
    }

    /// `POST /api/v1/monitoring/pushes?department=医保&type=monthly&received_on=YYYY-MM-DD&file_name=…` with the file as the body.
    static func push(req: Request) async throws -> Response {
        let (m, _) = try monitoring(req, may: \.routesWarnings, "pushes are received by the county")
        guard let department = req.query[String.self, at: "department"], !department.isEmpty else { throw RequestProblem("department", "is required") }
        guard let type = PushType(rawValue: req.query[String.self, at: "type"] ?? "monthly") else { throw RequestProblem("type", "must be initial or monthly") }
        let received = try day(req, req.query[String.self, at: "received_on"], "received_on")
        var encoding: FeedEncoding?
        if let e = req.query[String.self, at: "encoding"], !e.isEmpty {
            guard let known = FeedEncoding(named: e) else { throw RequestProblem("encoding", "must be utf-8 or gbk") }
            encoding = known
        }
        guard let buffer = req.body.data else { throw RequestProblem("body", "the pushed file is required as the body") }
        let summary: PushSummary
        do {
            summary = try await m.push(from: .data(Data(buffer: buffer)), department: department, type: type, receivedOn: received,
                                       fileName: req.query[String.self, at: "file_name"] ?? "push.csv", encoding: encoding)
        } catch let e as FeedErrors {
            throw FeedProblems(errors: e)
        } catch let e as FeedImportError {
            throw RequestProblem(e.description.hasPrefix("department") ? "department" : "body", e.description)
        }
        return try await summary.encodeResponse(status: summary.repeated ? .ok : .created, for: req)
    }

    /// `GET /api/v1/monitoring/pushes`: the pushes received, newest first.
    static func pushes(req: Request) async throws -> [MonitoringPush] {
        let (m, _) = try monitoring(req, may: \.readsWarnings, "the warnings are read by the civil-affairs officers")
        return try await m.store.pushes()
    }

    /// `GET /api/v1/monitoring/warnings[?state=…][&overdue=true]`.
    static func list(req: Request) async throws -> [MonitoringWarning] {
        let (m, _) = try monitoring(req, may: \.readsWarnings, "the warnings are read by the civil-affairs officers")
        if req.query[Bool.self, at: "overdue"] == true { return try await m.overdue(on: Day(req.now), limit: 5000).map(\.warning) }
        var filter = MonitoringStore.Filter(limit: 5000)
        if let s = req.query[String.self, at: "state"], !s.isEmpty {
            guard let state = WarningState(rawValue: s) else { throw RequestProblem("state", "one of " + WarningState.allCases.map(\.rawValue).joined(separator: ", ")) }
            filter.state = state
        }
        return try await m.store.warnings(filter)
    }

    struct WarningFile: Content {
        let warning: MonitoringWarning
        let visits: [WarningVisit]
        let escalations: [WarningEscalation]
    }

    static func warningID(_ req: Request) throws -> Int64 {
        guard let id = Int64(try req.pathParameter("id")) else { throw RequestProblem("id", "must be a warning's number") }
        return id
    }

    /// `GET /api/v1/monitoring/warnings/{id}`: the warning, its visits and escalations.
    static func one(req: Request) async throws -> WarningFile {
        let (m, _) = try monitoring(req, may: \.readsWarnings, "the warnings are read by the civil-affairs officers")
        let id = try warningID(req)
        let w = try await m.store.read(id)
        return WarningFile(warning: w, visits: try await m.store.visits(id), escalations: try await m.store.escalations(id))
    }

    struct StepRequest: Content {
        let on: String?
        let version: Int?
        let county: String?
        let township: String?
        let visitor: String?
        let findings: String?
        let outcome: String?
        let programme: String?
        let kind: String?
        let cause: String?
        let people: Int?
        let needFen: Int64?
        let perCapitaIncomeFen: Int64?
        enum CodingKeys: String, CodingKey {
            case on, version, county, township, visitor, findings, outcome, programme, kind, cause, people, needFen = "need_fen", perCapitaIncomeFen = "per_capita_income_fen"
        }
    }

    /// `POST /api/v1/monitoring/warnings/{id}/{send|dispatch|visit|classify|revisit}`.
    static func step(req: Request) async throws -> MonitoringWarning {
        let id = try warningID(req)
        let step = try req.pathParameter("step")
        let b = try req.content.decode(StepRequest.self)
        let on = try day(req, b.on)
        switch step {
        case "send", "dispatch":
            let (m, _) = try monitoring(req, may: \.routesWarnings, "warnings are routed by the county")
            return step == "send" ? try await m.sendToCounty(id, on: on, county: b.county, version: b.version)
                : try await m.dispatch(id, on: on, township: b.township, version: b.version)
        case "visit", "revisit":
            let (m, _) = try monitoring(req, may: \.visitsWarnings, "home visits are recorded by the township")
            return step == "visit" ? try await m.visit(id, on: on, visitor: b.visitor ?? "", findings: b.findings ?? "", version: b.version)
                : try await m.revisit(id, on: on, visitor: b.visitor ?? "", findings: b.findings ?? "", version: b.version)
        case "classify":
            let (m, _) = try monitoring(req, may: \.visitsWarnings, "warnings are classified by the township")
            return try await m.classify(id, as: try outcome(b), on: on, version: b.version)
        default:
            throw RequestProblem("step", "one of send, dispatch, visit, classify, revisit, found '\(step)'")
        }
    }

    static func outcome(_ b: StepRequest) throws -> WarningOutcome {
        switch b.outcome ?? "" {
        case "dibao": return .basicLiving(.dibao)
        case "tekun": return .basicLiving(.tekun)
        case "watch": return .watch
        case "referral":
            guard let p = b.programme.flatMap(CaseProgramme.init(rawValue:)) else { throw RequestProblem("programme", "the specialised programme referred to (medical, education, housing, employment, …)") }
            return .referral(p)
        case "temporary":
            guard let k = b.kind.flatMap(TemporaryAssistanceRequest.Kind.init(rawValue:)) else { throw RequestProblem("kind", "emergency or expenditure") }
            guard let cause = b.cause, !cause.isEmpty else { throw RequestProblem("cause", "is required") }
            guard let need = b.needFen, need > 0 else { throw RequestProblem("need_fen", "the need in fen, more than 0") }
            return .temporary(kind: k, cause: cause, people: b.people ?? 1, needFen: need, perCapitaIncomeFen: b.perCapitaIncomeFen ?? 0)
        default:
            throw RequestProblem("outcome", "one of dibao, tekun, temporary, referral, watch, found '\(b.outcome ?? "")'")
        }
    }

    struct DiscoverRequest: Content {
        let source: DiscoverySource
        let idNumber: String
        let name: String
        let division: String
        let description: String
        let on: String?
        enum CodingKeys: String, CodingKey { case source, idNumber = "id_number", name, division, description, on }
    }

    /// `POST /api/v1/monitoring/discoveries`: a person found by hand.
    static func discover(req: Request) async throws -> Response {
        let (m, _) = try monitoring(req, may: \.visitsWarnings, "people found by hand are recorded by the township or the county")
        let b = try req.content.decode(DiscoverRequest.self)
        let w = try await m.discover(b.source, idNumber: b.idNumber, name: b.name, division: b.division, description: b.description, on: try day(req, b.on))
        return try await w.encodeResponse(status: .created, for: req)
    }

    struct EscalationResult: Content {
        let warnings: [WarningEscalation]
        let tickets: [HotlineTicket]
    }

    /// `POST /api/v1/monitoring/escalate`: every overdue step and hotline ticket of the county, escalated once.
    static func escalate(req: Request) async throws -> EscalationResult {
        let (m, user) = try monitoring(req, may: \.routesWarnings, "escalation is the county's")
        let today = Day(req.now)
        let warnings = try await m.escalate(on: today)
        let tickets = try await Hotline(db: req.db, actor: m.actor, now: m.now).escalate(county: user.division.countyCode.digits, on: today)
        return EscalationResult(warnings: warnings, tickets: tickets)
    }

    /// `GET /api/v1/monitoring/report?month=YYYY-MM[&format=xlsx]`: the monthly monitoring report.
    static func report(req: Request) async throws -> Response {
        let (m, user) = try monitoring(req, may: \.readsWarnings, "the reports are read by the civil-affairs officers")
        let month: Month
        do { month = try Month(parsing: req.query[String.self, at: "month"] ?? "") } catch { throw RequestProblem("month", "is required (YYYY-MM)") }
        let r = try await m.report(month: month, county: user.division.countyCode.digits)
        if req.query[String.self, at: "format"] == "xlsx" {
            return download(r.workbook.data, .xlsx, name: r.workbook.name)
        }
        return try await r.encodeResponse(for: req)
    }

    /// `GET /api/v1/monitoring/annual?year=YYYY[&format=xlsx]`: the annual work report (due 15 January).
    static func annual(req: Request) async throws -> Response {
        let (m, user) = try monitoring(req, may: \.readsWarnings, "the reports are read by the civil-affairs officers")
        guard let year = req.query[Int.self, at: "year"], (2000...2100).contains(year) else { throw RequestProblem("year", "is required (YYYY)") }
        let r = try await m.annualReport(year: year, county: user.division.countyCode.digits)
        if req.query[String.self, at: "format"] == "xlsx" {
            return download(r.workbook.data, .xlsx, name: r.workbook.name)
        }
        return try await r.encodeResponse(for: req)
    }

}
