import FluentKit
import Foundation
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore

/// What the township window records when it receives an application (一门受理).
public struct Intake: Sendable, Codable, Equatable {
    public var householdID: String
    public var programme: CaseProgramme
    /// The applicant: a member of the household.
    public var applicantIDNumber: String
    /// Who applied on the household's behalf under a written authorisation (委托), if anyone.
    public var proxy: String?
    public var consentToVerification: Bool
    /// A member is a near relative of social-assistance staff or of a village committee member.
    public var relativeOfStaff: Bool
    /// The materials handed in (keys of the checklist).
    public var materialsProvided: [String]

    enum CodingKeys: String, CodingKey {
        case householdID = "household_id", programme, applicantIDNumber = "applicant_id_number", proxy
        case consentToVerification = "consent_to_verification", relativeOfStaff = "relative_of_staff", materialsProvided = "materials_provided"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        householdID = try c.decode(String.self, forKey: .householdID)
        programme = try c.decode(CaseProgramme.self, forKey: .programme)
        applicantIDNumber = try c.decode(String.self, forKey: .applicantIDNumber)
        proxy = try c.decodeIfPresent(String.self, forKey: .proxy)
        consentToVerification = try c.decodeIfPresent(Bool.self, forKey: .consentToVerification) ?? false
        relativeOfStaff = try c.decodeIfPresent(Bool.self, forKey: .relativeOfStaff) ?? false
        materialsProvided = try c.decodeIfPresent([String].self, forKey: .materialsProvided) ?? []
    }

    public init(householdID: String, programme: CaseProgramme, applicantIDNumber: String, proxy: String? = nil,
                consentToVerification: Bool = false, relativeOfStaff: Bool = false, materialsProvided: [String] = []) {
        self.householdID = householdID
        self.programme = programme
        self.applicantIDNumber = applicantIDNumber
        self.proxy = proxy
        self.consentToVerification = consentToVerification
        self.relativeOfStaff = relativeOfStaff
        self.materialsProvided = materialsProvided
    }
}

/// A deadline with its state today.
public struct DeadlineView: Sendable, Codable, Equatable {
    public let deadline: Deadline
    /// `open`, `due_soon`, `overdue`, `met` or `met_late`.
    public let status: String
}

extension CaseView {
    enum CodingKeys: String, CodingKey { case file, deadlines, oneTimeNotice = "one_time_notice", actions, timeline, referrals }
}

extension CaseSummary {
    enum CodingKeys: String, CodingKey { case number, householdID = "household_id", programme, state, dueOn = "due_on", version }

}

/// A case as one user sees it today: the file, each deadline's status, the one-time notice, the
/// actions this user may take now, and the timeline.
public struct CaseView: Sendable, Codable, Equatable {
    public let file: CaseFile
    public let deadlines: [DeadlineView]
    public let oneTimeNotice: String?
    public let actions: [String]
    public let timeline: [CaseEvent]
    /// What went to other departments, and how far each has got.
    public let referrals: [StoredReferral]
}

/// One line of a case list.
public struct CaseSummary: Sendable, Codable, Equatable {
    public let number: String
    public let householdID: String
    public let programme: String
    public let state: String
    public let dueOn: String?
    public let version: Int

    public init(number: String, householdID: String, programme: String, state: String, dueOn: String?, version: Int) {
        self.number = number
        self.householdID = householdID
        self.programme = programme
        self.state = state
        self.dueOn = dueOn
        self.version = version
    }
}

/// The casework of one signed-in user: receive, look at, act on and list cases — all within the
/// user's division (the registry and the case records are scoped to it), each change audited.
public struct Casework: Sendable {
    public let db: any Database
    public let user: UserAccount
    public let address: String
    public let now: @Sendable () -> Date
    public let packs: Packs
    public let calendar: WorkdayCalendar

    public init(db: any Database, user: UserAccount, address: String, now: @escaping @Sendable () -> Date = { Date() },
                packs: Packs = .bundled, calendar: WorkdayCalendar = .bundled) {
        self.db = db
        self.user = user
        self.address = address
        self.now = now
        self.packs = packs
        self.calendar = calendar
    }

    var today: Day { Day(now()) }
    var registry: Registry { Registry(db: db, user: user, address: address, now: now) }
    var records: CaseRecords { CaseRecords(db: db, scope: user.jurisdiction, actor: AuditActor("user:\(user.username)", address: address), now: now) }
    var actor: UserRole { UserRole(username: user.username, role: user.role) }
    var referralRecords: ReferralRecords {
        ReferralRecords(db: db, scope: user.jurisdiction, department: user.role == .departmentLiaison ? user.department : nil,
                        actor: AuditActor("user:\(user.username)", address: address), now: now)
    }

    /// Case files are for the civil-affairs staff and those who oversee them; a department's liaison
    /// works the referrals sent to the department.
    func mayReadCases() throws {
        if !user.role.readsRegistry { throw CaseError.notAllowed(action: "read cases", role: user.role, why: "a department liaison works the referrals sent to the department") }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    /// Receives an application: checks the applicant, assesses the household (every programme it may
    /// qualify for), lists the materials and what is missing, opens the deadlines, files the case.
    /// `alsoInTransaction` runs in the case's transaction (a warning classified by the application it opens).
    public func receive(_ intake: Intake, alsoInTransaction: (@Sendable (StoredCase, any Database) async throws -> Void)? = nil) async throws -> CaseView {
        let (record, applicant) = try await window(intake.householdID, applicant: intake.applicantIDNumber)
        if let proxy = intake.proxy, proxy.trimmingCharacters(in: .whitespaces).isEmpty {
            throw CaseError.unmet(field: "proxy", rule: "name the person applying on the household's behalf, or leave it out")
        }
        let day = today
        let pack = try PackChoice.byDivision(packs).pack(for: record.household)
        let procedure = Procedure(pack: pack, calendar: calendar)
        let circumstances = try await registry.circumstances(intake.householdID, in: day.monthOfYear)
        let assessment = try ComprehensiveAssessment.assess(record, circumstances: circumstances, month: day.monthOfYear, pack: pack)
        var materials = Self.materials(for: intake.programme, record: record, proxy: intake.proxy != nil)
        let unknown = intake.materialsProvided.filter { k in !materials.contains { $0.key == k } }
        if !unknown.isEmpty {
            throw CaseError.unmet(field: "materials_provided", rule: "not materials of this application: " + unknown.joined(separator: ", ")
                                  + " (the checklist: " + materials.map(\.key).joined(separator: ", ") + ")")
        }
        for i in materials.indices where intake.materialsProvided.contains(materials[i].key)
            || (materials[i].key == "verification_consent" && intake.consentToVerification) {
            materials[i].provided = true
        }
        let deadlines = try procedure.openingDeadlines(programme: intake.programme, received: day)
        let checklist = materials
        let county = record.household.countyCode
        let user = user
        let (days, _) = try PackReader(pack: pack, needs: "referrals need").whole("referral_response_workdays", .count, on: day)
        let (due, _) = Workdays.add(days, to: day, calendar: calendar)
        // A specialised application is passed to its department, first; then whatever else the assessment found.
        var toRefer = assessment.referrals
        if !intake.programme.isBasicLiving {
            let p = intake.programme.referralProgramme
            toRefer.removeAll { $0.programme == p }
            toRefer.insert(Referral(programme: p, title: intake.programme.chineseName + "（窗口申请）", department: Department.receiving(p).chineseName,
                                    members: [applicant.name], reason: "申请人在乡镇窗口申请\(intake.programme.chineseName)，按“一门受理、协同办理”转交主管部门",
                                    citation: "中办发〔2020〕18号（一门受理、协同办理）", toVerify: true), at: 0)
        }
        let refer = toRefer
        let referrals: @Sendable (StoredCase) throws -> [StoredReferral] = { c in
            refer.enumerated().map { i, r in
                StoredReferral(number: c.number + "-" + String(format: "%02d", i + 1), caseNumber: c.number, householdID: c.householdID,
                               divisionCode: c.divisionCode, programme: r.programme, department: Department.receiving(r.programme).rawValue,
                               title: r.title, reason: r.reason + (r.members.isEmpty ? "" : "（" + r.members.joined(separator: "、") + "）"),
                               state: "sent", sentOn: day.description, dueOn: due.description, outcome: nil, version: 1)
            }
        }
        let stored = try await records.create(county: county, year: day.year, event: "receive", referrals: referrals,
                                                alsoInTransaction: alsoInTransaction) { number in
            let file = CaseFile(number: number, householdID: record.household.householdID, division: record.household.divisionCode,
                                programme: intake.programme, state: intake.programme.isBasicLiving ? .received : .referred, version: 1, pack: pack.id, receivedOn: day,
                                receivedBy: user.username, applicant: applicant.idNumber, proxy: intake.proxy,
                                consentToVerification: intake.consentToVerification || intake.materialsProvided.contains("verification_consent"),
                                relativeOfStaff: intake.relativeOfStaff, materials: checklist, assessment: assessment, deadlines: deadlines,
                                homeVisits: [], checks: [], opinion: nil, notices: [], reviews: [], decision: nil, refusalNotifiedOn: nil,
                                extended: false)
            return try Self.stored(file)
        }
        return try await view(Self.file(stored), procedure: procedure)
    }

    /// What every request at the window starts with: a role that receives, the household (an audited
    /// read, within the user's division) and the applicant among its members.
    func window(_ householdID: String, applicant id: String) async throws -> (HouseholdRecord, Member) {
        guard [.townshipOfficer, .countyOfficer, .countyAdmin].contains(user.role) else {
            throw CaseError.notAllowed(action: "receive", role: user.role, why: "applications are received by the township (or county) officers")
        }
        let record = try await registry.household(householdID)
        guard let applicant = record.members.first(where: { $0.idNumber.value == id.uppercased() }) else {
            throw CaseError.unmet(field: "applicant_id_number", rule: "must be a member of household \(householdID)")
        }
        return (record, applicant)
    }

    /// The case as this user sees it (an audited read).
    public func file(_ number: String) async throws -> CaseView {
        try mayReadCases()
        let f = try Self.file(try await records.load(number))
        return try await view(f, procedure: Procedure(pack: try packs.pack(id: f.pack), calendar: calendar))
    }

    /// Takes one action on the case, if it is still at `version`.
    public func act(_ number: String, version: Int, _ action: CaseAction) async throws -> CaseView {
        try mayReadCases()
        let current = try Self.file(try await records.current(number))
        let pack = try packs.pack(id: current.pack)
        let procedure = Procedure(pack: pack, calendar: calendar)
        let day = today
        // A step this role never takes is refused as such, whatever the version.
        guard procedure.mayTake(action.name, role: user.role, file: current, on: day) else {
            throw CaseError.notAllowed(action: action.name, role: user.role, why: procedure.whyNot(action.name, on: day))
        }
        // The opinion and the decision rest on the assessment of that day, with the household's facts of that day.
        var assessment: Assessment?
        var household: HouseholdRecord?
        if action.name == "propose" || action.name == "decide" {
            let record = try await registry.household(current.householdID)
            let circumstances = try await registry.circumstances(current.householdID, in: day.monthOfYear)
            assessment = try ComprehensiveAssessment.assess(record, circumstances: circumstances, month: day.monthOfYear, pack: pack)
            household = record
        }
        let (made, record) = (assessment, household)
        let actor = actor
        let detail = String(decoding: try Self.encoder.encode(ActionDetail(action)), as: UTF8.self)
        let (at, auditActor, wasEnrolled) = (now(), AuditActor("user:\(user.username)", address: address), current.state == .enrolled)
        let stored = try await records.update(number, expectedVersion: version, action: action.name, detail: detail, then: { after, tx in
            // An approval starts the entitlement the monthly roll pays, in the same transaction.
            guard !wasEnrolled, after.state == CaseState.enrolled.rawValue, let record, let new = try Self.entitlement(of: try Self.file(after), record: record, pack: pack) else { return }
            try await PaymentStore.enrol(new, on: tx, at: at, actor: auditActor)
        }) { before in
            let next = try procedure.apply(action, to: try Self.file(before), by: actor, on: day, assessment: {
                guard let made else { throw CaseError.unmet(field: "action", rule: "\(action.name) needs no assessment") }
                return made
            })
            return try Self.stored(next)
        }
        return try await view(Self.file(stored), procedure: procedure)
    }

    /// The entitlement an approved decision starts (a paid programme: 特困, 低保, 单人户施保): paid to
    /// the applicant from the decision's first month, held until the account is recorded, reviewed
    /// on the pack's schedule.
    static func entitlement(of f: CaseFile, record: HouseholdRecord, pack: PolicyPack) throws -> NewEntitlement? {
        guard let d = f.decision, d.approved, let from = d.benefitFrom, Programme(rawValue: d.programme)?.isPaid == true,
              let programme = PaymentProgramme(rawValue: d.programme) else { return nil }
        let review = try ReviewSchedule.next(after: d.on, tekun: programme == .tekun, members: record.members, pack: pack)
        return NewEntitlement(householdID: f.householdID, countyCode: record.household.countyCode.digits, divisionCode: record.household.divisionCode.digits,
                              programme: programme, payee: f.applicant.value, bankAccount: nil, firstMonth: from, owedFrom: from, nextReview: review.on,
                              source: "case:\(f.number)", amount: DatedAmount(from: from, fen: d.benefitFen, reason: "审核确认（案件 \(f.number)）"))
    }

    /// How the deadlines of the division's basic-living cases stand today, by status (`met`,
    /// `met_late`, `open`, `due_soon`, `overdue`): for statistics, without reading each file as a person's.
    public func deadlineCounts() async throws -> [String: Int] {
        try mayReadCases()
        let day = today
        var out: [String: Int] = [:]
        for programme in CaseProgramme.allCases where programme.isBasicLiving {
            for stored in try await records.all(programme: programme.rawValue) {
                guard let f = try? Self.file(stored) else { continue }
                for d in f.deadlines { out[Workdays.status(of: d, today: day, soon: 2, calendar: calendar), default: 0] += 1 }
            }
        }
        return out
    }

    /// The latest steps on the division's cases, newest first: (case number, event).
    public func recentActivity(limit: Int = 10) async throws -> [(String, CaseEvent)] {
        try mayReadCases()
        return try await records.recentEvents(limit: limit)
    }

    /// The user's cases: all, by state, or with a deadline by a day.
    public func list(state: CaseState? = nil, dueBy: Day? = nil, householdID: String? = nil) async throws -> [CaseSummary] {
        try mayReadCases()
        return try await records.list(state: state?.rawValue, dueBy: dueBy, householdID: householdID).map {
            CaseSummary(number: $0.number, householdID: $0.householdID, programme: $0.programme, state: $0.state, dueOn: $0.dueOn, version: $0.version)
        }
    }

    func view(_ f: CaseFile, procedure: Procedure) async throws -> CaseView {
        let day = today
        let soon = (try? procedure.count("due_soon_workdays", on: day)) ?? 2
        let deadlines = f.deadlines.map { DeadlineView(deadline: $0, status: Workdays.status(of: $0, today: day, soon: soon, calendar: calendar)) }
        return CaseView(file: f, deadlines: deadlines, oneTimeNotice: Self.oneTimeNotice(f),
                        actions: procedure.available(to: user.role, file: f, on: day), timeline: try await records.events(f.number),
                        referrals: try await referralRecords.list(caseNumber: f.number))
    }

    static func stored(_ f: CaseFile) throws -> StoredCase {
        StoredCase(number: f.number, householdID: f.householdID, divisionCode: f.division.digits, programme: f.programme.rawValue,
                   state: f.state.rawValue, version: f.version, dueOn: f.nextDue?.description,
                   body: String(decoding: try encoder.encode(f), as: UTF8.self))
    }

    static func file(_ s: StoredCase) throws -> CaseFile {
        guard s.programme != "temporary" else {
            throw CaseError.unmet(field: "number", rule: "\(s.number) is a temporary assistance case: see /api/v1/temporary-cases/\(s.number)")
        }
        do {
            var f = try decoder.decode(CaseFile.self, from: Data(s.body.utf8))
            f.version = s.version
            return f
        } catch {
            throw StoreError.corrupt("cases.body", s.number)
        }
    }

    /// 一次性告知: everything still missing, in one notice (nil when nothing is).
    public static func oneTimeNotice(_ f: CaseFile) -> String? {
        let missing = f.missingMaterials
        guard !missing.isEmpty, !f.state.isFinal else { return nil }
        return "一次性告知书：您于\(f.receivedOn.year)年\(f.receivedOn.month)月\(f.receivedOn.day)日申请\(f.programme.chineseName)（案卷号 \(f.number)），"
            + "尚需补齐以下材料：" + missing.enumerated().map { "\($0.offset + 1). \($0.element.title)" }.joined(separator: "；")
            + "。可通过政务服务平台查询的证明无需提供。（依据：民发〔2021〕57号 第十条）"
    }

    /// The checklist of an application (民发〔2021〕57号 第九条; 43号): what the household signs and declares.
    static func materials(for programme: CaseProgramme, record: HouseholdRecord, proxy: Bool) -> [Material] {
        var m = [Material(key: "application", title: "书面申请书", provided: false),
                 Material(key: "id_documents", title: "申请人及家庭成员身份证件", provided: false)]
        guard programme.isBasicLiving else {
            // The department asks for its own documents; the window forwards the application.
            if proxy { m.append(Material(key: "proxy_authorization", title: "书面委托书", provided: false)) }
            return m
        }
        if programme == .tekun {
            m.append(Material(key: "support_statement", title: "劳动能力、生活来源、财产状况及赡养（抚养、扶养）情况的书面声明", provided: false))
            m.append(Material(key: "verification_consent", title: "申请人及其法定义务人签署的家庭经济状况核对授权书", provided: false))
        } else {
            m.append(Material(key: "income_assets_statement", title: "家庭收入和财产状况申报", provided: false))
            m.append(Material(key: "verification_consent", title: "共同生活家庭成员签署的家庭经济状况核对授权书", provided: false))
        }
        m.append(Material(key: "declaration", title: "承诺书（所提供信息真实、完整）", provided: false))
        if record.members.contains(where: { $0.disabilityGrade > 0 }) {
            m.append(Material(key: "disability_certificate", title: "残疾人证", provided: false))
        }
        if proxy { m.append(Material(key: "proxy_authorization", title: "书面委托书", provided: false)) }
        return m
    }
}

/// The timeline's record of an action's payload.
struct ActionDetail: Encodable {
    let action: String
    let payload: [String: String]

    init(_ a: CaseAction) {
        action = a.name
        switch a {
        case .recordHomeVisit(let v): payload = ["on": v.on.description, "investigators": v.investigators.joined(separator: "、"), "findings": v.findings]
        case .recordCheck(let c): payload = ["department": c.department, "finding": c.finding, "discrepancy": String(c.discrepancy)]
        case .provideMaterials(let keys): payload = ["materials": keys.joined(separator: ",")]
        case .propose(let e, let r): payload = ["eligible": String(e), "reason": r]
        case .startPublicNotice(let from): payload = ["from": from.description]
        case .recordObjection(let t): payload = ["objection": t]
        case .communityReview(let r): payload = ["on": r.on.description, "participants": String(r.participants), "outcome": r.outcome]
        case .decide(let approve, let reasons): payload = ["approve": String(approve), "reasons": reasons]
        case .notifyRefusal(let on): payload = ["on": on.description]
        case .withdraw(let reason): payload = ["reason": reason]
        case .startInvestigation, .recordConsent, .closePublicNotice, .reinvestigate: payload = [:]
        }
    }
}

/// What a department's liaison does with a referral.
public enum ReferralAction: Sendable, Equatable {
    case accept
    case complete(outcome: String)
    case giveBack(reason: String)

    public var name: String {
        switch self {
        case .accept: return "accept"
        case .complete: return "complete"
        case .giveBack: return "return"
        }
    }
}

/// A referral as its reader sees it today.
public struct ReferralView: Sendable, Codable, Equatable {
    public let referral: StoredReferral
    /// `open`, `due_soon`, `overdue`, `met` or `met_late` for the department's answer.
    public let status: String
}

extension Casework {
    /// The referrals the user sees: a liaison, their department's in their division; an officer, all in the division.
    public func referrals(state: String? = nil) async throws -> [ReferralView] {
        let day = today
        return try await referralRecords.list(state: state).map { r in
            let done = r.state == "done" || r.state == "returned"
            let d = Deadline(key: "referral", title: r.title, due: (try? Day(parsing: r.dueOn)) ?? day, met: done ? day : nil, basis: "", provisional: false)
            return ReferralView(referral: r, status: done ? "met" : Workdays.status(of: d, today: day, soon: 2, calendar: calendar))
        }
    }

    /// Accept, complete (with the outcome) or give back (with the reason) a referral: the department's liaison only.
    public func act(onReferral number: String, version: Int, _ action: ReferralAction) async throws -> StoredReferral {
        guard user.role == .departmentLiaison else {
            throw CaseError.notAllowed(action: action.name, role: user.role, why: "referrals are worked by the receiving department's liaison")
        }
        return try await referralRecords.update(number, expectedVersion: version, action: action.name) { r in
            switch (r.state, action) {
            case ("sent", .accept):
                return r.with(state: "accepted", outcome: nil)
            case ("accepted", .complete(let outcome)), ("sent", .complete(let outcome)):
                guard !outcome.trimmingCharacters(in: .whitespaces).isEmpty else { throw CaseError.unmet(field: "outcome", rule: "say what the department did") }
                return r.with(state: "done", outcome: outcome)
            case ("sent", .giveBack(let reason)), ("accepted", .giveBack(let reason)):
                guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw CaseError.unmet(field: "reason", rule: "say why it is returned") }
                return r.with(state: "returned", outcome: reason)
            default:
                throw CaseError.unmet(field: "action", rule: "\(action.name) is not possible for a referral that is \(r.state)")
            }
        }
    }
}

extension StoredReferral {
    func with(state: String, outcome: String?) -> StoredReferral {
        StoredReferral(number: number, caseNumber: caseNumber, householdID: householdID, divisionCode: divisionCode, programme: programme,
                       department: department, title: title, reason: reason, state: state, sentOn: sentOn, dueOn: dueOn, outcome: outcome,
                       version: version)
    }
}
