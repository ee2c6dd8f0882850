import FluentKit
import Foundation
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore

/// What the window records for a 临时救助 request.
public struct TemporaryIntake: Sendable, Codable, Equatable {
    public var householdID: String
    public var applicantIDNumber: String
    public var kind: TemporaryAssistanceRequest.Kind
    /// Where the emergency happened (急难型) or the household lives (支出型).
    public var placeOfNeed: DivisionCode
    /// The cause, in a word the county uses to tell causes apart (e.g. 火灾, 交通事故, 重病).
    public var cause: String
    public var people: Int
    public var needFen: Int64
    public var perCapitaIncomeFen: Int64

    public init(householdID: String, applicantIDNumber: String, kind: TemporaryAssistanceRequest.Kind, placeOfNeed: DivisionCode, cause: String,
                people: Int, needFen: Int64, perCapitaIncomeFen: Int64 = 0) {
        self.householdID = householdID
        self.applicantIDNumber = applicantIDNumber
        self.kind = kind
        self.placeOfNeed = placeOfNeed
        self.cause = cause
        self.people = people
        self.needFen = needFen
        self.perCapitaIncomeFen = perCapitaIncomeFen
    }

    enum CodingKeys: String, CodingKey {
        case householdID = "household_id", applicantIDNumber = "applicant_id_number", kind, placeOfNeed = "place_of_need", cause, people
        case needFen = "need_fen", perCapitaIncomeFen = "per_capita_income_fen"
    }

    /// `per_capita_income_fen` matters only for 支出型 and may be left out of an emergency.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        householdID = try c.decode(String.self, forKey: .householdID)
        applicantIDNumber = try c.decode(String.self, forKey: .applicantIDNumber)
        kind = try c.decode(TemporaryAssistanceRequest.Kind.self, forKey: .kind)
        placeOfNeed = try c.decode(DivisionCode.self, forKey: .placeOfNeed)
        cause = try c.decode(String.self, forKey: .cause)
        people = try c.decode(Int.self, forKey: .people)
        needFen = try c.decode(Int64.self, forKey: .needFen)
        perCapitaIncomeFen = try c.decodeIfPresent(Int64.self, forKey: .perCapitaIncomeFen) ?? 0
        if kind == .expenditure && !c.contains(.perCapitaIncomeFen) {
            throw DecodingError.keyNotFound(CodingKeys.perCapitaIncomeFen, .init(codingPath: c.codingPath, debugDescription: "required for an expenditure case"))
        }
    }
}

/// A payment of temporary assistance.
public struct TemporaryPayment: Sendable, Codable, Equatable {
    public let on: Day
    public let amountFen: Int64
    /// Paid first from the township's reserve fund (先行救助).
    public let fromReserve: Bool
    public let by: String
    enum CodingKeys: String, CodingKey { case on, amountFen = "amount_fen", fromReserve = "from_reserve", by }
}

/// The county coordination mechanism's decision on a case above the cap (一事一议).
public struct CommitteeDecision: Sendable, Codable, Equatable {
    public let on: Day
    public let members: [String]
    public let amountFen: Int64
    public let minutes: String
    enum CodingKeys: String, CodingKey { case on, members, amountFen = "amount_fen", minutes }

    public init(on: Day, members: [String], amountFen: Int64, minutes: String) {
        self.on = on
        self.members = members
        self.amountFen = amountFen
        self.minutes = minutes
    }
}

/// A 临时救助 case: the decision support at receipt, then payments — first from the township's
/// reserve for an emergency, the file completed afterwards; or approved (by the township, the
/// county, or the committee above the cap) and paid, in stages where allowed.
public struct TemporaryCaseFile: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        /// Not eligible under the pack (the decision's steps say why).
        case ineligible
        /// Waiting for relief first (急难型) or for approval.
        case received
        /// Relief paid first; the file is to be completed.
        case reliefPaid = "relief_paid"
        /// Approved; payments (in stages) follow.
        case approved
        case closed
    }
    public let number: String
    public let householdID: String
    public let division: DivisionCode
    public var state: State
    public var version: Int
    public let pack: String
    public let receivedOn: Day
    public let receivedBy: String
    public let intake: TemporaryIntake
    public let decision: TemporaryAssistanceDecision
    public var deadlines: [Deadline]
    public var payments: [TemporaryPayment]
    public var approvedFen: Int64?
    public var committee: CommitteeDecision?
    public var fileCompletedOn: Day?
    public var homeVisit: HomeVisit?

    public var paidFen: Int64 { payments.reduce(0) { $0 + $1.amountFen } }

    enum CodingKeys: String, CodingKey {
        case number, householdID = "household_id", division = "division_code", state, version, pack, receivedOn = "received_on"
        case receivedBy = "received_by", intake, decision, deadlines, payments, approvedFen = "approved_fen", committee
        case fileCompletedOn = "file_completed_on", homeVisit = "home_visit"
    }
}

public enum TemporaryAction: Sendable, Equatable {
    /// 先行救助: pay now from the township's reserve.
    case payRelief(amountFen: Int64)
    /// Complete the file after relief: the home visit.
    case completeFile(HomeVisit)
    case approve(amountFen: Int64)
    case committeeDecide(CommitteeDecision)
    case pay(amountFen: Int64)

    public var name: String {
        switch self {
        case .payRelief: return "pay_relief"
        case .completeFile: return "complete_file"
        case .approve: return "approve"
        case .committeeDecide: return "committee_decide"
        case .pay: return "pay"
        }
    }
}

public struct TemporaryCaseView: Sendable, Codable, Equatable {
    public let file: TemporaryCaseFile
    public let deadlines: [DeadlineView]
    public let actions: [String]
    public let timeline: [CaseEvent]
    /// What is left of the township's reserve fund this year, fen.
    public let reserveLeftFen: Int64
    enum CodingKeys: String, CodingKey { case file, deadlines, actions, timeline, reserveLeftFen = "reserve_left_fen" }
}

extension Casework {
    /// Receives a 临时救助 request: the decision support under the pack (where to apply, how often,
    /// the income test, the amount and who approves, relief first), with the year's earlier grants
    /// to this household counted from its cases.
    public func receiveTemporary(_ intake: TemporaryIntake,
                                 alsoInTransaction: (@Sendable (StoredCase, any Database) async throws -> Void)? = nil) async throws -> TemporaryCaseView {
        let (record, applicant) = try await window(intake.householdID, applicant: intake.applicantIDNumber)
        guard !intake.cause.trimmingCharacters(in: .whitespaces).isEmpty else { throw CaseError.unmet(field: "cause", rule: "is required") }
        let day = today
        let pack = try PackChoice.byDivision(packs).pack(for: record.household)
        let earlier = try await temporaryFiles(householdID: intake.householdID).filter { $0.receivedOn.year == day.year && $0.paidFen > 0 }
        let emergency = try await PaymentStore(db: db, actor: .system).emergencies(county: record.household.countyCode.digits)
            .first { $0.from <= day.monthOfYear && day.monthOfYear <= $0.to && $0.covers(division: intake.placeOfNeed.digits) }
        let request = TemporaryAssistanceRequest(
            kind: intake.kind, month: day.monthOfYear, receivedAt: user.division.level == .county ? record.household.divisionCode : user.division,
            placeOfNeed: intake.placeOfNeed, hukou: record.household.hukouType, people: intake.people, need: Money(fen: intake.needFen),
            perCapitaIncome: Money(fen: intake.perCapitaIncomeFen), grantsThisYear: earlier.count,
            sameCauseThisYear: earlier.contains { $0.intake.cause == intake.cause }, publicEmergency: emergency?.name)
        let decision = try TemporaryAssistance.decide(request, pack: pack)
        var deadlines: [Deadline] = []
        if let hours = decision.reliefFirstHours {
            deadlines.append(Deadline(key: "relief_first", title: "先行救助发放", due: day.adding(days: (hours + 23) / 24), met: nil,
                                      basis: "先行救助 \(hours) 小时内（ts_relief_first_hours）", provisional: false))
        }
        let user = user
        let opening = deadlines
        let state: TemporaryCaseFile.State = decision.eligible ? .received : .ineligible
        let stored = try await records.create(county: record.household.countyCode, year: day.year, event: "receive_temporary",
                                                alsoInTransaction: alsoInTransaction) { number in
            let file = TemporaryCaseFile(number: number, householdID: record.household.householdID, division: record.household.divisionCode,
                                         state: state, version: 1, pack: pack.id, receivedOn: day, receivedBy: user.username,
                                         intake: TemporaryIntake(householdID: intake.householdID, applicantIDNumber: applicant.idNumber.value, kind: intake.kind,
                                                                 placeOfNeed: intake.placeOfNeed, cause: intake.cause, people: intake.people,
                                                                 needFen: intake.needFen, perCapitaIncomeFen: intake.perCapitaIncomeFen),
                                         decision: decision, deadlines: opening, payments: [], approvedFen: nil, committee: nil,
                                         fileCompletedOn: nil, homeVisit: nil)
            return try Self.storedTemporary(file)
        }
        return try await temporaryView(Self.temporaryFile(stored))
    }

    public func temporaryCase(_ number: String) async throws -> TemporaryCaseView {
        try mayReadCases()
        return try await temporaryView(Self.temporaryFile(try await records.load(number)))
    }

    /// One step on a 临时救助 case, if it is still at `version`.
    public func act(onTemporary number: String, version: Int, _ action: TemporaryAction) async throws -> TemporaryCaseView {
        try mayReadCases()
        let current = try Self.temporaryFile(try await records.current(number))
        let pack = try packs.pack(id: current.pack)
        let day = today
        let reserve = try await reserveLeft(township: current.division, pack: pack, on: day)
        let (user, calendar) = (user, calendar)
        let fileDays = try PackReader(pack: pack, needs: "temporary assistance needs").get("ts_file_completion_workdays", .count, on: day)
        let detail = String(decoding: try Self.encoder.encode(["action": action.name]), as: UTF8.self)
        // Relief paid first is a payout of the township's fund, recorded (and checked against its
        // balance) in the same transaction as the step.
        let (at, auditActor) = (now(), AuditActor("user:\(user.username)", address: address))
        let allocation = try PackReader(pack: pack, needs: "relief first needs").money("ts_township_reserve_fen", on: Day(year: day.year, month: 1, day: 1)!).0.fen
        let township = String(current.division.digits.prefix(9))
        let stored = try await records.update(number, expectedVersion: version, action: action.name, detail: detail, then: { _, tx in
            guard case .payRelief(let amount) = action else { return }
            try await ReserveFund.record(.payout, township: township, on: day, amountFen: amount, allocationFen: allocation, caseNumber: number,
                                         note: "先行救助", tx: tx, at: at, actor: auditActor)
        }) { before in
            var f = try Self.temporaryFile(before)
            try Self.applyTemporary(action, to: &f, user: user, day: day, reserveLeft: reserve, fileDays: fileDays.0, calendar: calendar)
            return try Self.storedTemporary(f)
        }
        return try await temporaryView(Self.temporaryFile(stored))
    }

    static func applyTemporary(_ action: TemporaryAction, to f: inout TemporaryCaseFile, user: UserAccount, day: Day, reserveLeft: Int64,
                               fileDays: ParameterValue, calendar: WorkdayCalendar) throws {
        let d = f.decision
        let officer = [.townshipOfficer, .countyOfficer, .countyAdmin].contains(user.role)
        let county = user.role == .countyOfficer || user.role == .countyAdmin
        func illegal() -> CaseError {
            CaseError.unmet(field: "action", rule: "\(action.name) is not possible while the case is \(f.state.rawValue)")
        }
        guard officer else { throw CaseError.notAllowed(action: action.name, role: user.role, why: "payments are made by the township or county officers") }
        switch action {
        case .payRelief(let amount):
            guard f.state == .received, let _ = d.reliefFirstHours else { throw illegal() }
            guard amount > 0, amount <= d.amount.fen else {
                throw CaseError.unmet(field: "amount_fen", rule: "relief first may pay up to the assessed \(d.amount), asked \(Money(fen: amount))")
            }
            guard amount <= reserveLeft else {
                throw CaseError.unmet(field: "amount_fen", rule: "out of quota: the township's reserve fund has \(Money(fen: reserveLeft)) left this year, asked \(Money(fen: amount))")
            }
            f.payments.append(TemporaryPayment(on: day, amountFen: amount, fromReserve: true, by: user.username))
            f.state = .reliefPaid
            if let i = f.deadlines.firstIndex(where: { $0.key == "relief_first" }) { f.deadlines[i].met = day }
            guard case .integer(let n) = fileDays else { throw CaseError.unmet(field: "ts_file_completion_workdays", rule: "must be a count") }
            let (due, provisional) = Workdays.add(Int(n), to: day, calendar: calendar)
            f.deadlines.append(Deadline(key: "complete_file", title: "补齐核对、公示等手续", due: due, met: nil,
                                        basis: "先行救助后补齐手续（ts_file_completion_workdays）", provisional: provisional))
        case .completeFile(let visit):
            guard f.state == .reliefPaid else { throw illegal() }
            guard Set(visit.investigators).count >= 2 else { throw CaseError.unmet(field: "investigators", rule: "a home visit needs at least 2 investigators") }
            f.homeVisit = visit
            f.fileCompletedOn = day
            if let i = f.deadlines.firstIndex(where: { $0.key == "complete_file" }) { f.deadlines[i].met = day }
            f.state = .closed
        case .committeeDecide(let c):
            guard f.state == .received, d.approver == .committee else { throw illegal() }
            guard county else { throw CaseError.notAllowed(action: action.name, role: user.role, why: "the county records the coordination mechanism's decision") }
            guard Set(c.members).count >= 3, !c.minutes.isEmpty, c.amountFen > 0 else {
                throw CaseError.unmet(field: "committee", rule: "record at least 3 members, the minutes and the amount (一事一议)")
            }
            f.committee = c
            f.approvedFen = c.amountFen
            f.state = .approved
        case .approve(let amount):
            guard f.state == .received, let approver = d.approver, approver != .committee else { throw illegal() }
            if approver == .county && !county {
                throw CaseError.notAllowed(action: "approve", role: user.role, why: "above the township's limit the county approves")
            }
            guard amount > 0, amount <= d.amount.fen else {
                throw CaseError.unmet(field: "amount_fen", rule: "out of quota: at most the assessed \(d.amount) may be approved, asked \(Money(fen: amount))")
            }
            f.approvedFen = amount
            f.state = .approved
        case .pay(let amount):
            guard f.state == .approved, let approved = f.approvedFen else { throw illegal() }
            let left = approved - f.paidFen
            guard amount > 0, amount <= left else {
                throw CaseError.unmet(field: "amount_fen", rule: "out of quota: \(Money(fen: left)) of the approved \(Money(fen: approved)) is left to pay, asked \(Money(fen: amount))")
            }
            guard amount == left || d.staged || f.committee != nil else {
                throw CaseError.unmet(field: "amount_fen", rule: "a township grant is paid at once: pay \(Money(fen: left))")
            }
            f.payments.append(TemporaryPayment(on: day, amountFen: amount, fromReserve: false, by: user.username))
            if f.paidFen == approved { f.state = .closed }
        }
        f.version += 1
    }

    /// What is left of the township's reserve fund this year: the pack's yearly allocation, plus the
    /// county's top-ups, less the relief paid first from it (the fund's ledger).
    func reserveLeft(township division: DivisionCode, pack: PolicyPack, on day: Day) async throws -> Int64 {
        try await reserveStatement(township: division, pack: pack, year: day.year).balanceFen
    }

    /// A township's reserve fund for a year, reconciled.
    public func reserveStatement(township division: DivisionCode, pack: PolicyPack, year: Int) async throws -> ReserveStatement {
        try await ReserveStatement.load(on: db, township: division, pack: pack, year: year)
    }

    func temporaryFiles(householdID: String) async throws -> [TemporaryCaseFile] {
        try await records.all(programme: "temporary", householdID: householdID).map { try Self.temporaryFile($0) }
    }

    func temporaryView(_ f: TemporaryCaseFile) async throws -> TemporaryCaseView {
        let day = today
        let reserve = (try? await reserveLeft(township: f.division, pack: try packs.pack(id: f.pack), on: day)) ?? 0
        var actions: [String] = []
        switch f.state {
        case .received:
            if f.decision.reliefFirstHours != nil { actions.append("pay_relief") }
            actions.append(f.decision.approver == .committee ? "committee_decide" : "approve")
        case .reliefPaid: actions = ["complete_file"]
        case .approved: actions = ["pay"]
        case .ineligible, .closed: actions = []
        }
        return TemporaryCaseView(file: f, deadlines: f.deadlines.map { DeadlineView(deadline: $0, status: Workdays.status(of: $0, today: day, soon: 1, calendar: calendar)) },
                                 actions: actions, timeline: try await records.events(f.number), reserveLeftFen: reserve)
    }

    static func storedTemporary(_ f: TemporaryCaseFile) throws -> StoredCase {
        StoredCase(number: f.number, householdID: f.householdID, divisionCode: f.division.digits, programme: "temporary", state: f.state.rawValue,
                   version: f.version, dueOn: f.deadlines.filter { $0.met == nil }.map(\.due).min()?.description,
                   body: String(decoding: try encoder.encode(f), as: UTF8.self))
    }

    static func temporaryFile(_ s: StoredCase) throws -> TemporaryCaseFile {
        guard s.programme == "temporary" else { throw StoreError.notFound(entity: "temporary assistance case", key: s.number) }
        do {
            var f = try decoder.decode(TemporaryCaseFile.self, from: Data(s.body.utf8))
            f.version = s.version
            return f
        } catch {
            throw StoreError.corrupt("cases.body", s.number)
        }
    }
}
