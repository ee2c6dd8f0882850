import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuStore
import Vapor

extension CaseView: Content {}
extension CaseSummary: Content {}
extension ReferralView: Content {}
extension TemporaryCaseView: Content {}
extension StoredReferral: Content {}

/// `/api/v1/cases`: receive applications at the window, look at them, act on them.
/// Each handler reads the request and calls one `Casework` function.
enum CaseAPI {
    static func register(_ signedIn: any RoutesBuilder) {
        let cases = signedIn.grouped("cases")
        cases.post(use: receive)
        cases.get(use: list)
        cases.get(":number", use: read)
        cases.post(":number", "actions", use: act)
        let temporary = signedIn.grouped("temporary-cases")
        temporary.post(use: receiveTemporary)
        temporary.get(":number", use: readTemporary)
        temporary.post(":number", "actions", use: actOnTemporary)
        let referrals = signedIn.grouped("referrals")
        referrals.get(use: listReferrals)
        referrals.post(":number", "actions", use: actOnReferral)
    }

    static func receiveTemporary(req: Request) async throws -> Response {
        let intake = try req.content.decode(TemporaryIntake.self)
        let view = try await req.casework.receiveTemporary(intake)
        let response = try await view.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/temporary-cases/\(view.file.number)")
        return response
    }

    static func readTemporary(req: Request) async throws -> TemporaryCaseView {
        try await req.casework.temporaryCase(try req.pathParameter("number"))
    }

    struct TemporaryActionRequest: Decodable {
        let version: Int
        let action: TemporaryAction

        enum Keys: String, CodingKey { case action, version, amountFen = "amount_fen", on, investigators, findings, members, minutes }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            version = try c.decode(Int.self, forKey: .version)
            switch try c.decode(String.self, forKey: .action) {
            case "pay_relief": action = .payRelief(amountFen: try c.decode(Int64.self, forKey: .amountFen))
            case "approve": action = .approve(amountFen: try c.decode(Int64.self, forKey: .amountFen))
            case "pay": action = .pay(amountFen: try c.decode(Int64.self, forKey: .amountFen))
            case "complete_file":
                action = .completeFile(HomeVisit(on: try c.decode(Day.self, forKey: .on), investigators: try c.decode([String].self, forKey: .investigators),
                                                 findings: try c.decodeIfPresent(String.self, forKey: .findings) ?? ""))
            case "committee_decide":
                action = .committeeDecide(CommitteeDecision(on: try c.decode(Day.self, forKey: .on), members: try c.decode([String].self, forKey: .members),
                                                            amountFen: try c.decode(Int64.self, forKey: .amountFen), minutes: try c.decode(String.self, forKey: .minutes)))
            default:
                throw DecodingError.dataCorruptedError(forKey: .action, in: c, debugDescription: "must be one of pay_relief, complete_file, approve, committee_decide, pay")
            }
        }
    }

    static func actOnTemporary(req: Request) async throws -> TemporaryCaseView {
        let a = try req.content.decode(TemporaryActionRequest.self)
        return try await req.casework.act(onTemporary: try req.pathParameter("number"), version: a.version, a.action)
    }

    /// `GET /api/v1/referrals?state=sent|accepted|done|returned`
    static func listReferrals(req: Request) async throws -> [ReferralView] {
        let state = req.query[String.self, at: "state"].flatMap { $0.isEmpty ? nil : $0 }
        if let state, !["sent", "accepted", "done", "returned"].contains(state) {
            throw RequestProblem("state", "must be one of sent, accepted, done, returned")
        }
        return try await req.casework.referrals(state: state)
    }

    struct ReferralActionRequest: Content {
        let action: String
        let version: Int
        let outcome: String?
        let reason: String?
    }

    /// `POST /api/v1/referrals/{number}/actions` `{"action": "accept"|"complete"|"return", "version": N, "outcome"|"reason": …}`
    static func actOnReferral(req: Request) async throws -> StoredReferral {
        let a = try req.content.decode(ReferralActionRequest.self)
        let action: ReferralAction
        switch a.action {
        case "accept": action = .accept
        case "complete": action = .complete(outcome: a.outcome ?? "")
        case "return": action = .giveBack(reason: a.reason ?? "")
        default: throw RequestProblem("action", "must be accept, complete or return")
        }
        return try await req.casework.act(onReferral: try req.pathParameter("number"), version: a.version, action)
    }

    static func receive(req: Request) async throws -> Response {
        let intake = try req.content.decode(Intake.self)
        let view = try await req.casework.receive(intake)
        let response = try await view.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/cases/\(view.file.number)")
        return response
    }

    static func read(req: Request) async throws -> CaseView {
        try await req.casework.file(try req.pathParameter("number"))
    }

    /// `GET /api/v1/cases?state=…&due_by=YYYY-MM-DD&household_id=…`
    static func list(req: Request) async throws -> [CaseSummary] {
        var state: CaseState?
        if let s = req.query[String.self, at: "state"], !s.isEmpty {
            guard let v = CaseState(rawValue: s) else {
                throw RequestProblem("state", "must be one of " + CaseState.allCases.map(\.rawValue).joined(separator: ", "))
            }
            state = v
        }
        var due: Day?
        if let d = req.query[String.self, at: "due_by"], !d.isEmpty {
            do { due = try Day(parsing: d) } catch { throw RequestProblem("due_by", error.description) }
        }
        let household = req.query[String.self, at: "household_id"].flatMap { $0.isEmpty ? nil : $0 }
        return try await req.casework.list(state: state, dueBy: due, householdID: household)
    }

    /// `POST /api/v1/cases/{number}/actions` `{"action": …, "version": N, …}`.
    static func act(req: Request) async throws -> CaseView {
        let a = try req.content.decode(ActionRequest.self)
        return try await req.casework.act(try req.pathParameter("number"), version: a.version, a.action)
    }
}

/// An action as the API takes it: its name, the version the caller saw, and its own fields.
struct ActionRequest: Decodable {
    let version: Int
    let action: CaseAction

    enum Keys: String, CodingKey {
        case action, version, on, investigators, findings, department, finding, discrepancy, materials, eligible, reason, from
        case objection, participants, outcome, approve, reasons
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        version = try c.decode(Int.self, forKey: .version)
        let name = try c.decode(String.self, forKey: .action)
        switch name {
        case "start_investigation": action = .startInvestigation
        case "record_home_visit":
            action = .recordHomeVisit(HomeVisit(on: try c.decode(Day.self, forKey: .on), investigators: try c.decode([String].self, forKey: .investigators),
                                                findings: try c.decodeIfPresent(String.self, forKey: .findings) ?? ""))
        case "record_check":
            action = .recordCheck(CheckResult(department: try c.decode(String.self, forKey: .department), finding: try c.decode(String.self, forKey: .finding),
                                              discrepancy: try c.decodeIfPresent(Bool.self, forKey: .discrepancy) ?? false))
        case "provide_materials": action = .provideMaterials(try c.decode([String].self, forKey: .materials))
        case "record_consent": action = .recordConsent
        case "propose": action = .propose(eligible: try c.decode(Bool.self, forKey: .eligible), reason: try c.decode(String.self, forKey: .reason))
        case "start_public_notice": action = .startPublicNotice(from: try c.decode(Day.self, forKey: .from))
        case "record_objection": action = .recordObjection(try c.decode(String.self, forKey: .objection))
        case "close_public_notice": action = .closePublicNotice
        case "reinvestigate": action = .reinvestigate
        case "community_review":
            action = .communityReview(CommunityReview(on: try c.decode(Day.self, forKey: .on), participants: try c.decode(Int.self, forKey: .participants),
                                                      outcome: try c.decode(String.self, forKey: .outcome)))
        case "decide": action = .decide(approve: try c.decode(Bool.self, forKey: .approve), reasons: try c.decodeIfPresent(String.self, forKey: .reasons) ?? "")
        case "notify_refusal": action = .notifyRefusal(on: try c.decode(Day.self, forKey: .on))
        case "withdraw": action = .withdraw(reason: try c.decode(String.self, forKey: .reason))
        default:
            throw DecodingError.dataCorruptedError(forKey: .action, in: c, debugDescription: "must be one of " + CaseAction.names.joined(separator: ", "))
        }
    }
}

extension Request {
    /// Casework as this request's signed-in user does it: their division, their role.
    var casework: Casework {
        get throws {
            guard let user else { throw Abort(.unauthorized, reason: "sign in first") }
            let clock = application.storage[ClockKey.self] ?? { Date() }
            return Casework(db: db, user: user, address: clientAddress, now: clock)
        }
    }
}
