import Foundation
import JiuzhuCore
import JiuzhuPolicy

/// One thing an official does to a case.
public enum CaseAction: Sendable, Equatable {
    case startInvestigation
    case recordHomeVisit(HomeVisit)
    case recordCheck(CheckResult)
    case provideMaterials([String])
    case recordConsent
    case propose(eligible: Bool, reason: String)
    case startPublicNotice(from: Day)
    case recordObjection(String)
    case closePublicNotice
    case reinvestigate
    case communityReview(CommunityReview)
    case decide(approve: Bool, reasons: String)
    case notifyRefusal(on: Day)
    case withdraw(reason: String)

    /// The action's name in the API and the timeline.
    public var name: String {
        switch self {
        case .startInvestigation: return "start_investigation"
        case .recordHomeVisit: return "record_home_visit"
        case .recordCheck: return "record_check"
        case .provideMaterials: return "provide_materials"
        case .recordConsent: return "record_consent"
        case .propose: return "propose"
        case .startPublicNotice: return "start_public_notice"
        case .recordObjection: return "record_objection"
        case .closePublicNotice: return "close_public_notice"
        case .reinvestigate: return "reinvestigate"
        case .communityReview: return "community_review"
        case .decide: return "decide"
        case .notifyRefusal: return "notify_refusal"
        case .withdraw: return "withdraw"
        }
    }

    public static let names = ["start_investigation", "record_home_visit", "record_check", "provide_materials", "record_consent", "propose",
                               "start_public_notice", "record_objection", "close_public_notice", "reinvestigate", "community_review",
                               "decide", "notify_refusal", "withdraw"]

    public var chineseName: String {
        switch self {
        case .startInvestigation: return "启动调查"
        case .recordHomeVisit: return "录入入户调查"
        case .recordCheck: return "录入核对结果"
        case .provideMaterials: return "补齐材料"
        case .recordConsent: return "签署核对授权"
        case .propose: return "提出初审意见"
        case .startPublicNotice: return "开始公示"
        case .recordObjection: return "登记公示异议"
        case .closePublicNotice: return "结束公示"
        case .reinvestigate: return "重新调查"
        case .communityReview: return "民主评议"
        case .decide: return "审核确认"
        case .notifyRefusal: return "书面告知不予确认"
        case .withdraw: return "撤回申请"
        }
    }
}

/// Why an action cannot be taken. Nothing changes.
public enum CaseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The action does not apply in this state.
    case illegal(action: String, state: CaseState, allowed: [String])
    /// The user's role (or level) may not take this action.
    case notAllowed(action: String, role: Role, why: String)
    /// A rule of the procedure is not met.
    case unmet(field: String, rule: String)

    public var description: String {
        switch self {
        case .illegal(let a, let s, let allowed):
            return "\(a) is not possible while the case is \(s.rawValue) (\(s.chineseName)); possible now: "
                + (allowed.isEmpty ? "nothing" : allowed.joined(separator: ", "))
        case .notAllowed(let a, let r, let why): return "a \(r.rawValue) may not \(a): \(why)"
        case .unmet(let f, let r): return "\(f): \(r)"
        }
    }
}

/// The procedure of 民发〔2021〕57号 (低保) and 43号 (特困) as a state machine: which action applies in
/// which state, who may take it, what it requires, and the deadlines it opens and meets. Pure: the
/// day, the pack and the calendar are given.
public struct Procedure: Sendable {
    public let pack: PolicyPack
    public let calendar: WorkdayCalendar

    public init(pack: PolicyPack, calendar: WorkdayCalendar = .bundled) {
        self.pack = pack
        self.calendar = calendar
    }

    /// The actions that apply in a state.
    public static func actions(in state: CaseState) -> [String] {
        switch state {
        case .received: return ["start_investigation", "provide_materials", "record_consent", "withdraw"]
        case .investigating: return ["record_home_visit", "record_check", "provide_materials", "record_consent", "propose", "withdraw"]
        case .proposed: return ["start_public_notice", "withdraw"]
        case .publicNotice: return ["record_objection", "close_public_notice", "withdraw"]
        case .objected: return ["reinvestigate", "community_review", "withdraw"]
        case .awaitingDecision: return ["record_home_visit", "decide", "withdraw"]
        case .refused: return ["notify_refusal"]
        case .enrolled, .closed, .withdrawn, .referred: return []
        }
    }

    /// Who decides under the pack in force on `day`: `county` or `township`.
    public func approvalLevel(on day: Day) throws(PolicyError) -> String {
        let (v, _) = try PackReader(pack: pack, needs: "the procedure needs").get("approval_level", .choice, on: day)
        guard case .choice(let c) = v, c == "county" || c == "township" else {
            throw PolicyError(pack: pack.id, parameter: "approval_level", "must be county or township")
        }
        return c
    }

    func count(_ name: String, on day: Day) throws(PolicyError) -> Int {
        let (v, _) = try PackReader(pack: pack, needs: "the procedure needs").get(name, .count, on: day)
        guard case .integer(let n) = v else { throw PolicyError(pack: pack.id, parameter: name, "must be a count") }
        return Int(n)
    }

    /// Whether `role` may take `action` on this case (the action's own conditions aside).
    public func mayTake(_ action: String, role: Role, file: CaseFile, on day: Day) -> Bool {
        let township: Set<Role> = [.townshipOfficer, .countyOfficer, .countyAdmin]
        switch action {
        case "record_home_visit", "provide_materials", "record_objection":
            return township.contains(role) || role == .villageAssistant
        case "decide":
            let level = (try? approvalLevel(on: day)) ?? "county"
            return role == .countyOfficer || role == .countyAdmin || (level == "township" && role == .townshipOfficer)
        default:
            return township.contains(role)
        }
    }

    /// Why a role may not take an action.
    public func whyNot(_ action: String, on day: Day) -> String {
        action == "decide" ? "the decision belongs to the \((try? approvalLevel(on: day)) ?? "county") level under this pack" : "not a step for this role"
    }

    /// The actions this role may take now.
    public func available(to role: Role, file: CaseFile, on day: Day) -> [String] {
        Self.actions(in: file.state).filter { mayTake($0, role: role, file: file, on: day) }
    }

    /// The deadlines a new case opens.
    public func openingDeadlines(programme: CaseProgramme, received: Day) throws -> [Deadline] {
        guard programme.isBasicLiving else { return [] }   // the referral carries the department's deadline
        let delegated = try approvalLevel(on: received) == "township"
        var out: [Deadline] = []
        if programme == .tekun {
            out.append(try deadline("investigation", "调查并提出初审意见", workdays: try count("tekun_investigation_workdays", on: received),
                                    after: received, basis: "民发〔2021〕43号：受理后15个工作日内（tekun_investigation_workdays）"))
        } else {
            out.append(try deadline("investigation_start", "启动家庭经济状况调查", workdays: try count("investigation_start_workdays", on: received),
                                    after: received, basis: "民发〔2021〕57号 第十五条（investigation_start_workdays）"))
            let total = delegated ? "decision_total_delegated_workdays" : "decision_total_workdays"
            out.append(try deadline("decision_total", "自受理至作出审核确认决定", workdays: try count(total, on: received), after: received,
                                    basis: "民发〔2021〕57号 第二十二条（\(total)）"))
        }
        return out
    }

    func deadline(_ key: String, _ title: String, workdays n: Int, after day: Day, basis: String) throws -> Deadline {
        let (due, provisional) = Workdays.add(n, to: day, calendar: calendar)
        return Deadline(key: key, title: title, due: due, met: nil, basis: basis, provisional: provisional)
    }

    /// Applies `action` by `user` on `day`; returns the new file, or says what and why not.
    public func apply(_ action: CaseAction, to file: CaseFile, by user: UserRole, on day: Day, assessment: () throws -> Assessment) throws -> CaseFile {
        guard Self.actions(in: file.state).contains(action.name) else {
            throw CaseError.illegal(action: action.name, state: file.state, allowed: available(to: user.role, file: file, on: day))
        }
        guard mayTake(action.name, role: user.role, file: file, on: day) else {
            throw CaseError.notAllowed(action: action.name, role: user.role, why: whyNot(action.name, on: day))
        }
        var f = file
        func meet(_ key: String) { if let i = f.deadlines.firstIndex(where: { $0.key == key && $0.met == nil }) { f.deadlines[i].met = day } }
        switch action {
        case .startInvestigation:
            f.state = .investigating
            meet("investigation_start")
        case .recordHomeVisit(let v):
            let minimum = try count("investigators_min", on: day)
            let names = Set(v.investigators.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            guard names.count >= minimum else {
                throw CaseError.unmet(field: "investigators", rule: "a home visit needs at least \(minimum) investigators (民发〔2021〕57号 第十六条), found \(names.count)")
            }
            guard v.on >= file.receivedOn, v.on <= day else {
                throw CaseError.unmet(field: "on", rule: "the visit must fall between the day the case was received (\(file.receivedOn)) and today (\(day))")
            }
            let county = user.role == .countyOfficer || user.role == .countyAdmin
            f.homeVisits.append(HomeVisit(on: v.on, investigators: Array(names).sorted(), findings: v.findings, byCounty: county))
        case .recordCheck(let c):
            guard !c.department.isEmpty else { throw CaseError.unmet(field: "department", rule: "is required") }
            f.checks.append(c)
        case .provideMaterials(let keys):
            for k in keys {
                guard let i = f.materials.firstIndex(where: { $0.key == k }) else {
                    throw CaseError.unmet(field: "materials", rule: "'\(k)' is not a material of this case: " + f.materials.map(\.key).joined(separator: ", "))
                }
                f.materials[i].provided = true
            }
        case .recordConsent:
            f.consentToVerification = true
        case .propose(let eligible, let reason):
            guard !f.homeVisits.isEmpty else { throw CaseError.unmet(field: "home_visits", rule: "record the home visit first (民发〔2021〕57号 第十六条)") }
            guard f.consentToVerification else { throw CaseError.unmet(field: "consent_to_verification", rule: "the household has not signed the authorisation for the economic check (第九条)") }
            guard !f.checks.isEmpty else { throw CaseError.unmet(field: "checks", rule: "record the information check first (第十七条)") }
            guard f.missingMaterials.isEmpty else {
                throw CaseError.unmet(field: "materials", rule: "still missing: " + f.missingMaterials.map(\.title).joined(separator: "、"))
            }
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw CaseError.unmet(field: "reason", rule: "is required") }
            let a = try assessment()
            f.opinion = Opinion(eligible: eligible, programme: a.evaluation.programme.rawValue, benefitFen: a.evaluation.benefit.fen,
                                reason: reason, on: day)
            f.state = .proposed
            meet("investigation")
        case .startPublicNotice(let from):
            guard let o = f.opinion, from >= o.on else {
                throw CaseError.unmet(field: "from", rule: "the notice starts on or after the opinion (\(f.opinion?.on.description ?? "none"))")
            }
            let days = try count("publicity_days", on: from)
            f.notices.append(PublicNotice(from: from, through: from.adding(days: days - 1), objections: []))
            f.state = .publicNotice
        case .recordObjection(let text):
            let n = f.notices[f.notices.count - 1]
            guard day >= n.from, day <= n.through else {
                throw CaseError.unmet(field: "objection", rule: "objections are received during the notice, \(n.from) to \(n.through)")
            }
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw CaseError.unmet(field: "objection", rule: "is required") }
            f.notices[f.notices.count - 1].objections.append(text)
        case .closePublicNotice:
            let n = f.notices[f.notices.count - 1]
            guard day > n.through else {
                throw CaseError.unmet(field: "public_notice", rule: "the notice runs through \(n.through) (\(try count("publicity_days", on: n.from)) days, 第十九条); close it after that")
            }
            if !n.objections.isEmpty {
                f.state = .objected
                if !f.extended, let i = f.deadlines.firstIndex(where: { $0.key == "decision_total" }) {
                    f.extended = true
                    let old = f.deadlines[i]
                    let ext = try deadline("decision_total", old.title + "（公示有异议，延长）", workdays: try count("decision_total_extended_workdays", on: f.receivedOn),
                                           after: f.receivedOn, basis: "民发〔2021〕57号 第二十二条（decision_total_extended_workdays）")
                    f.deadlines[i] = ext
                }
            } else {
                f.state = .awaitingDecision
                let (name, basis) = f.programme == .tekun
                    ? ("tekun_county_confirm_workdays", "民发〔2021〕43号：县级15个工作日内确认（tekun_county_confirm_workdays）")
                    : ("county_review_workdays", "民发〔2021〕57号 第二十条（county_review_workdays）")
                f.deadlines.append(try deadline("decision", "审核确认", workdays: try count(name, on: day), after: day, basis: basis))
            }
        case .reinvestigate:
            f.state = .investigating
        case .communityReview(let r):
            guard r.participants > 0, !r.outcome.isEmpty else { throw CaseError.unmet(field: "community_review", rule: "give the participants and the outcome") }
            f.reviews.append(r)
            f.state = .investigating
        case .decide(let approve, let reasons):
            if f.relativeOfStaff && !f.homeVisits.contains(where: \.byCounty) {
                throw CaseError.unmet(field: "home_visits", rule: "a near relative of staff or of a village committee member: the county must visit the home before deciding (第十一、二十条)")
            }
            guard approve || !reasons.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CaseError.unmet(field: "reasons", rule: "a refusal states its reasons (第二十一条)")
            }
            let a = try assessment()
            f.decision = CaseDecision(approved: approve, on: day, by: user.username, level: try approvalLevel(on: day),
                                      programme: a.evaluation.programme.rawValue, benefitFen: approve ? a.evaluation.benefit.fen : 0,
                                      reasons: reasons, benefitFrom: approve ? day.monthOfYear.adding(months: 1) : nil, assessment: a)
            meet("decision")
            meet("decision_total")
            if approve {
                f.state = .enrolled
            } else {
                f.state = .refused
                f.deadlines.append(try deadline("refusal_notice", "书面告知不予确认及理由", workdays: try count("refusal_notice_workdays", on: day),
                                                after: day, basis: "民发〔2021〕57号 第二十一条（refusal_notice_workdays）"))
            }
        case .notifyRefusal(let on):
            guard let d = f.decision, on >= d.on, on <= day else {
                throw CaseError.unmet(field: "on", rule: "the notice is given on or after the decision (\(f.decision?.on.description ?? "none")) and not after today")
            }
            f.refusalNotifiedOn = on
            if let i = f.deadlines.firstIndex(where: { $0.key == "refusal_notice" }) { f.deadlines[i].met = on }
            f.state = .closed
        case .withdraw(let reason):
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw CaseError.unmet(field: "reason", rule: "is required") }
            f.state = .withdrawn
        }
        f.version += 1
        return f
    }
}

/// Who is acting, as the procedure needs to know.
public struct UserRole: Sendable {
    public let username: String
    public let role: Role
    public init(username: String, role: Role) { self.username = username; self.role = role }
}

/// Working days with a visible fallback: where the count runs into a year whose State Council
/// notice is not loaded, weekends only are skipped and the result is marked provisional.
public enum Workdays {
    public static func add(_ n: Int, to day: Day, calendar: WorkdayCalendar) -> (Day, provisional: Bool) {
        if let d = try? calendar.adding(workdays: n, to: day) { return (d, false) }
        var d = day, left = n
        while left > 0 {
            d = d.adding(days: 1)
            let known = (try? calendar.isWorkday(d))
            if known ?? !d.isWeekend { left -= 1 }
        }
        return (d, true)
    }

    /// Open deadlines due within `soon` working days of `today` are due soon; past them, overdue.
    public static func status(of d: Deadline, today: Day, soon: Int, calendar: WorkdayCalendar) -> String {
        if d.met != nil { return d.met! <= d.due ? "met" : "met_late" }
        if today > d.due { return "overdue" }
        let (limit, _) = add(soon, to: today, calendar: calendar)
        return d.due <= limit ? "due_soon" : "open"
    }
}
