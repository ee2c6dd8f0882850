import FluentKit
import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import JiuzhuTestSupport
import Testing

struct Desk {
    let rt: StoreRuntime
    let clock: MovableClock
    static let townships = Divisions.bundled.townships(in: try! DivisionCode("530428"))
    static let township = UserAccount(username: "xz", role: .townshipOfficer, division: townships[0].code)
    static let otherTownship = UserAccount(username: "xz2", role: .townshipOfficer, division: townships[1].code)
    static let county = UserAccount(username: "xj", role: .countyOfficer, division: try! DivisionCode("530428"))
    static let village = UserAccount(username: "cun", role: .villageAssistant, division: townships[0].code)

    func work(_ u: UserAccount) -> Casework { Casework(db: rt.db, user: u, address: "test", now: { clock.now }) }

    /// Registers the fixtures' 元江 couple (H1, in the first township) and receives a dibao application.
    func receive(_ intake: (Intake) -> Intake = { $0 }) async throws -> CaseView {
        let record = Fixtures.record("H1", township: Self.townships[0].code.digits)
        if (try? await Registry(db: rt.db, actor: .system).household("H1")) == nil {
            try await Registry(db: rt.db, actor: .system, now: { clock.now }).create(record)
        }
        let base = Intake(householdID: "H1", programme: .dibao, applicantIDNumber: record.members[0].idNumber.value,
                          materialsProvided: ["application", "id_documents"])
        return try await work(Self.township).receive(intake(base))
    }
}

extension Desk {
    /// Receives a case with every material and the consent, investigates it (two investigators, one
    /// check with `finding`), proposes and starts the notice on the clock's day.
    func toNotice(relativeOfStaff: Bool = false, eligible: Bool = true, check: CheckResult = CheckResult(department: "县公安局", finding: "一致", discrepancy: false),
                  on day: Day = Day(year: 2025, month: 7, day: 15)!) async throws -> CaseView {
        var v = try await receive { var i = $0; i.relativeOfStaff = relativeOfStaff; i.consentToVerification = true
            i.materialsProvided += ["income_assets_statement", "declaration", "disability_certificate"]; return i }
        let n = v.file.number, xz = work(Desk.township)
        v = try await xz.act(n, version: v.file.version, .startInvestigation)
        v = try await xz.act(n, version: v.file.version, .recordHomeVisit(HomeVisit(on: day, investigators: ["甲", "乙"], findings: "")))
        v = try await xz.act(n, version: v.file.version, .recordCheck(check))
        v = try await xz.act(n, version: v.file.version, .propose(eligible: eligible, reason: eligible ? "符合" : "不符合"))
        return try await xz.act(n, version: v.file.version, .startPublicNotice(from: day))
    }
}

func withDesk(_ day: Day = Day(year: 2025, month: 7, day: 15)!, _ body: (Desk) async throws -> Void) async throws {
    try await TestDatabase.withRuntime { rt async throws in try await body(Desk(rt: rt, clock: MovableClock(day))) }
}

@Suite struct CaseworkTests {
    static let visit = HomeVisit(on: Day(year: 2025, month: 7, day: 16)!, investigators: ["李明", "张华"], findings: "家中无劳动力，住房简陋", byCounty: false)

    @Test func receive_assessesTheHousehold_listsWhatIsMissing_andOpensTheDeadlines() async throws {
        try await withDesk { desk in
            let v = try await desk.receive()
            #expect(v.file.number == "530428-2025-000001")
            #expect(v.file.state == .received && v.file.receivedBy == "xz")
            #expect(v.file.assessment.evaluation.pack == "530428")
            #expect(v.file.missingMaterials.map(\.key) == ["income_assets_statement", "verification_consent", "declaration", "disability_certificate"])
            let notice = try #require(v.oneTimeNotice)
            #expect(notice.contains("一次性告知书") && notice.contains("残疾人证") && notice.contains("530428-2025-000001"))
            // 2025-07-15 (Tuesday) + 3 working days; + 30 working days (county decides in 元江).
            #expect(v.deadlines.map(\.deadline.key) == ["investigation_start", "decision_total"])
            #expect(v.deadlines.map(\.deadline.due.description) == ["2025-07-18", "2025-08-26"])
            #expect(v.deadlines.allSatisfy { $0.status == "open" && !$0.deadline.provisional })
            #expect(v.actions == ["start_investigation", "provide_materials", "record_consent", "withdraw"])
            #expect(v.timeline.map(\.action) == ["receive"])
        }
    }

    @Test func theWholeProcedure_fromReceiptToEnrolment() async throws {
        try await withDesk { desk in
            var v = try await desk.receive()
            let n = v.file.number
            let xz = desk.work(Desk.township), xj = desk.work(Desk.county)
            // Deciding now is not a step of a received case.
            await #expect(throws: CaseError.self) { try await xj.act(n, version: v.file.version, .decide(approve: true, reasons: "")) }
            desk.clock.set(Day(year: 2025, month: 7, day: 16)!)
            v = try await xz.act(n, version: v.file.version, .startInvestigation)
            #expect(v.deadlines[0].deadline.met?.description == "2025-07-16" && v.deadlines[0].status == "met")
            // One investigator is not enough.
            do {
                _ = try await desk.work(Desk.village).act(n, version: v.file.version,
                    .recordHomeVisit(HomeVisit(on: Self.visit.on, investigators: ["李明", " 李明 "], findings: "", byCounty: false)))
                Issue.record("expected a refusal")
            } catch let CaseError.unmet(field, rule) {
                #expect(field == "investigators" && rule.contains("at least 2"))
            }
            v = try await desk.work(Desk.village).act(n, version: v.file.version, .recordHomeVisit(Self.visit))
            v = try await xz.act(n, version: v.file.version, .recordCheck(CheckResult(department: "县公安局", finding: "户籍人口一致", discrepancy: false)))
            do {
                _ = try await xz.act(n, version: v.file.version, .propose(eligible: true, reason: "收入低于低保标准"))
                Issue.record("expected missing materials")
            } catch let CaseError.unmet(field, rule) {
                #expect(field == "consent_to_verification" || (field == "materials" && rule.contains("残疾人证")))
            }
            v = try await xz.act(n, version: v.file.version, .provideMaterials(["income_assets_statement", "verification_consent", "declaration", "disability_certificate"]))
            v = try await xz.act(n, version: v.file.version, .recordConsent)
            #expect(v.oneTimeNotice == nil)
            v = try await xz.act(n, version: v.file.version, .propose(eligible: true, reason: "家庭人均收入低于低保标准，财产符合规定"))
            #expect(v.file.opinion?.programme == v.file.assessment.evaluation.programme.rawValue)
            v = try await xz.act(n, version: v.file.version, .startPublicNotice(from: Day(year: 2025, month: 7, day: 16)!))
            #expect(v.file.notices.last?.through.description == "2025-07-22")   // 7 calendar days
            desk.clock.set(Day(year: 2025, month: 7, day: 22)!)
            await #expect(throws: CaseError.self) { try await xz.act(n, version: v.file.version, .closePublicNotice) }
            desk.clock.set(Day(year: 2025, month: 7, day: 23)!)
            v = try await xz.act(n, version: v.file.version, .closePublicNotice)
            #expect(v.file.state == .awaitingDecision)
            // 2025-07-23 + 10 working days.
            #expect(v.deadlines.first { $0.deadline.key == "decision" }?.deadline.due.description == "2025-08-06")
            // In 元江 the county decides: the township may not.
            do {
                _ = try await xz.act(n, version: v.file.version, .decide(approve: true, reasons: ""))
                Issue.record("expected not allowed")
            } catch let CaseError.notAllowed(action, role, why) {
                #expect(action == "decide" && role == .townshipOfficer && why.contains("county"))
            }
            #expect(!v.actions.contains("decide"))
            desk.clock.set(Day(year: 2025, month: 7, day: 30)!)
            v = try await xj.act(n, version: v.file.version, .decide(approve: true, reasons: "符合条件"))
            #expect(v.file.state == .enrolled)
            #expect(v.file.decision?.benefitFrom?.description == "2025-08")
            #expect(v.file.decision?.benefitFen == v.file.assessment.evaluation.benefit.fen)
            #expect(v.deadlines.filter { $0.deadline.met == nil }.isEmpty)
            #expect(v.timeline.map(\.action) == ["receive", "start_investigation", "record_home_visit", "record_check", "provide_materials",
                                                 "record_consent", "propose", "start_public_notice", "close_public_notice", "decide"])
            #expect(v.actions.isEmpty)
            // The approval started the entitlement the roll pays: from August, to the applicant, held until an account is recorded.
            let county = v.file.division.countyCode.digits
            let payments = PaymentStore(db: desk.rt.db, actor: .system, now: { desk.clock.now })
            let e = try #require(try await payments.entitlements(county: county, householdID: v.file.householdID).first)
            #expect(e.programme.rawValue == v.file.decision?.programme && e.owedFrom.description == "2025-08" && e.payee == v.file.applicant.value)
            #expect(e.amount(in: Month(year: 2025, month: 8)!) == v.file.decision?.benefitFen && e.bankAccount == nil && e.source == "case:\(n)")
            let record = try await Registry(db: desk.rt.db, actor: .system, now: { desk.clock.now }).household(v.file.householdID)
            let due = try ReviewSchedule.next(after: Day(year: 2025, month: 7, day: 30)!, tekun: false, members: record.members,
                                              pack: try Packs.bundled.pack(id: v.file.pack))
            #expect(e.nextReview == due.on && (due.on.description == "2026-07-30" || due.on.description == "2026-01-30"))
            let payroll = Payroll(db: desk.rt.db, actor: .system, now: { desk.clock.now })
            let held = try await payroll.generate(county: county, month: Month(year: 2025, month: 9)!)
            #expect(held.run.lines == 0 && held.result.held.map(\.owedFen) == [2 * (v.file.decision?.benefitFen ?? 0)])
            _ = try await payments.setAccount(county: county, householdID: v.file.householdID, programme: e.programme, account: "6217001234567890")
            let paid = try await payroll.generate(county: county, month: Month(year: 2025, month: 9)!)
            #expect(paid.run.lines == 2 && paid.run.totalFen == 2 * (v.file.decision?.benefitFen ?? 0))
        }
    }

    @Test func objections_extendTheDeadline_andLeadToCommunityReview_thenANewOpinion() async throws {
        try await withDesk { desk in
            var v = try await desk.toNotice(check: CheckResult(department: "县自然资源局", finding: "无不动产", discrepancy: false))
            let n = v.file.number, xz = desk.work(Desk.township)
            v = try await desk.work(Desk.village).act(n, version: v.file.version, .recordObjection("村民反映其子在外务工收入较高"))
            desk.clock.set(Day(year: 2025, month: 7, day: 22)!)
            v = try await xz.act(n, version: v.file.version, .closePublicNotice)
            #expect(v.file.state == .objected && v.file.extended)
            // 45 working days from 2025-07-15.
            #expect(v.deadlines.first { $0.deadline.key == "decision_total" }?.deadline.due.description == "2025-09-16")
            v = try await xz.act(n, version: v.file.version, .communityReview(CommunityReview(on: Day(year: 2025, month: 7, day: 22)!, participants: 9, outcome: "经评议，其子已分户另居")))
            #expect(v.file.state == .investigating && v.file.reviews.count == 1)
            #expect(v.actions.contains("propose"))
        }
    }

    @Test func aRefusal_needsReasons_andAWrittenNoticeWithinThreeWorkingDays() async throws {
        try await withDesk { desk in
            var v = try await desk.toNotice(eligible: false, check: CheckResult(department: "县市场监管局", finding: "有个体工商户登记", discrepancy: true))
            let n = v.file.number, xz = desk.work(Desk.township), xj = desk.work(Desk.county)
            desk.clock.set(Day(year: 2025, month: 9, day: 30)!)
            v = try await xz.act(n, version: v.file.version, .closePublicNotice)
            await #expect(throws: CaseError.unmet(field: "reasons", rule: "a refusal states its reasons (第二十一条)")) {
                try await xj.act(n, version: v.file.version, .decide(approve: false, reasons: " "))
            }
            v = try await xj.act(n, version: v.file.version, .decide(approve: false, reasons: "家庭成员有个体工商户经营收入，人均收入高于低保标准"))
            #expect(v.file.state == .refused)
            // 2025-09-30 + 3 working days across 国庆: 10-09, 10-10, then Saturday 10-11 is a working day.
            let notice = try #require(v.deadlines.first { $0.deadline.key == "refusal_notice" })
            #expect(notice.deadline.due.description == "2025-10-11")
            // The overall deadline was missed: it shows as met late.
            #expect(v.deadlines.first { $0.deadline.key == "decision_total" }?.status == "met_late")
            desk.clock.set(Day(year: 2025, month: 10, day: 10)!)
            v = try await xz.act(n, version: v.file.version, .notifyRefusal(on: Day(year: 2025, month: 10, day: 10)!))
            #expect(v.file.state == .closed)
            #expect(v.deadlines.first { $0.deadline.key == "refusal_notice" }?.status == "met")
        }
    }

    @Test func aRelativeOfStaff_needsTheCountysOwnVisit_beforeTheDecision() async throws {
        try await withDesk { desk in
            var v = try await desk.toNotice(relativeOfStaff: true)
            let n = v.file.number, xz = desk.work(Desk.township), xj = desk.work(Desk.county)
            desk.clock.set(Day(year: 2025, month: 7, day: 22)!)
            v = try await xz.act(n, version: v.file.version, .closePublicNotice)
            await #expect(throws: CaseError.self) { try await xj.act(n, version: v.file.version, .decide(approve: true, reasons: "")) }
            v = try await xj.act(n, version: v.file.version, .recordHomeVisit(HomeVisit(on: Day(year: 2025, month: 7, day: 22)!, investigators: ["县局甲", "县局乙"], findings: "核实无误", byCounty: true)))
            #expect(v.file.homeVisits.last?.byCounty == true)
            v = try await xj.act(n, version: v.file.version, .decide(approve: true, reasons: ""))
            #expect(v.file.state == .enrolled)
        }
    }

    /// Two officers act on the same version at once: exactly one succeeds; the other is told the
    /// case changed, and nothing of theirs is half-applied.
    @Test func twoOfficersAtOnce_exactlyOneSucceeds() async throws {
        try await withDesk { desk in
            let v = try await desk.receive()
            let n = v.file.number
            let results = await withTaskGroup(of: Result<CaseView, any Error>.self) { group in
                for u in [Desk.township, Desk.county] {
                    group.addTask { do { return .success(try await desk.work(u).act(n, version: v.file.version, .startInvestigation)) } catch { return .failure(error) } }
                }
                var out: [Result<CaseView, any Error>] = []
                for await r in group { out.append(r) }
                return out
            }
            let ok = results.compactMap { try? $0.get() }
            #expect(ok.count == 1)
            let failures = results.compactMap { r -> (any Error)? in if case .failure(let e) = r { return e }; return nil }
            #expect(failures.count == 1)
            if case StoreError.conflict(let p)? = failures.first { #expect(p.field == "version" && p.rule.contains("has changed")) } else {
                Issue.record("expected a version conflict, got \(String(describing: failures.first))")
            }
            let now = try await desk.work(Desk.county).file(n)
            #expect(now.file.version == v.file.version + 1)
            #expect(now.timeline.map(\.action) == ["receive", "start_investigation"])
        }
    }

    @Test func anotherTownship_seesNoCase_inListsOrByNumber() async throws {
        try await withDesk { desk in
            let v = try await desk.receive()
            await #expect(throws: StoreError.notFound(entity: "case", key: v.file.number)) { try await desk.work(Desk.otherTownship).file(v.file.number) }
            await #expect(throws: StoreError.notFound(entity: "case", key: v.file.number)) {
                try await desk.work(Desk.otherTownship).act(v.file.number, version: 1, .startInvestigation)
            }
            #expect(try await desk.work(Desk.otherTownship).list().isEmpty)
            #expect(try await desk.work(Desk.county).list().map(\.number) == [v.file.number])
            #expect(try await desk.work(Desk.township).list(dueBy: Day(year: 2025, month: 7, day: 18)!).map(\.number) == [v.file.number])
            #expect(try await desk.work(Desk.township).list(dueBy: Day(year: 2025, month: 7, day: 17)!).isEmpty)
            // Nobody outside the township's division can even file one for its household.
            await #expect(throws: StoreError.notFound(entity: "household", key: "H1")) {
                try await desk.work(Desk.otherTownship).receive(Intake(householdID: "H1", programme: .dibao, applicantIDNumber: v.file.applicant.value))
            }
        }
    }

    @Test func badIntake_saysWhatIsWrong_andFilesNothing() async throws {
        try await withDesk { desk in
            _ = try await desk.receive()
            let xz = desk.work(Desk.township)
            await #expect(throws: CaseError.self) {
                try await xz.receive(Intake(householdID: "H1", programme: .dibao, applicantIDNumber: "11010519491231002X"))
            }
            do {
                _ = try await xz.receive(Intake(householdID: "H1", programme: .tekun, applicantIDNumber: Fixtures.record().members[0].idNumber.value,
                                                materialsProvided: ["passport"]))
                Issue.record("expected an error")
            } catch let CaseError.unmet(field, rule) {
                #expect(field == "materials_provided" && rule.contains("passport") && rule.contains("support_statement"))
            }
            await #expect(throws: CaseError.self) {
                try await desk.work(UserAccount(username: "sj", role: .auditor, division: try DivisionCode("530428")))
                    .receive(Intake(householdID: "H1", programme: .dibao, applicantIDNumber: Fixtures.record().members[0].idNumber.value))
            }
            #expect(try await xz.list().count == 1)
        }
    }
}

@Suite struct DeadlineTests {
    let procedure = Procedure(pack: try! Packs.bundled.pack(id: "230500"))

    /// Across 春节 2025 (1-28 to 2-4 off; Sunday 1-26 and Saturday 2-8 worked): 3 working days after
    /// 2025-01-24 (Friday) are 1-26, 1-27, 2-5.
    @Test func workingDays_followTheOfficialCalendar_acrossTheSpringFestival() throws {
        let d = try procedure.openingDeadlines(programme: .dibao, received: Day(year: 2025, month: 1, day: 24)!)
        #expect(d[0].due.description == "2025-02-05" && !d[0].provisional)
    }

    /// 双鸭山 delegated the decision to the townships from 2021-08-01: the total limit is 20 working days.
    @Test func delegatedDecision_hasTheShorterTotal() throws {
        #expect(try procedure.approvalLevel(on: Day(year: 2021, month: 7, day: 31)!) == "county")
        #expect(try procedure.approvalLevel(on: Day(year: 2021, month: 8, day: 1)!) == "township")
        let d = try procedure.openingDeadlines(programme: .dibao, received: Day(year: 2025, month: 7, day: 15)!)
        #expect(d[1].basis.contains("decision_total_delegated_workdays"))
        #expect(d[1].due == (try WorkdayCalendar.bundled.adding(workdays: 20, to: Day(year: 2025, month: 7, day: 15)!)))
    }

    /// A count that runs into a year without a loaded notice skips weekends only, and says so.
    @Test func aYearWithoutItsNotice_countsWeekendsOnly_markedProvisional() throws {
        let d = try procedure.openingDeadlines(programme: .dibao, received: Day(year: 2026, month: 12, day: 15)!)
        #expect(!d[0].provisional && d[0].due.description == "2026-12-18")
        #expect(d[1].provisional)
        // 2026-12-15 + 20 weekdays: 12 left in December (16–31), then 8 in January 2027 → 2027-01-12.
        #expect(d[1].due.description == "2027-01-12")
    }

    @Test func status_isOpen_dueSoon_overdue_orMet() {
        let cal = WorkdayCalendar.bundled
        let dl = Deadline(key: "k", title: "t", due: Day(year: 2025, month: 7, day: 18)!, met: nil, basis: "", provisional: false)
        #expect(Workdays.status(of: dl, today: Day(year: 2025, month: 7, day: 14)!, soon: 2, calendar: cal) == "open")
        #expect(Workdays.status(of: dl, today: Day(year: 2025, month: 7, day: 16)!, soon: 2, calendar: cal) == "due_soon")
        #expect(Workdays.status(of: dl, today: Day(year: 2025, month: 7, day: 19)!, soon: 2, calendar: cal) == "overdue")
        var met = dl
        met.met = Day(year: 2025, month: 7, day: 21)!
        #expect(Workdays.status(of: met, today: Day(year: 2025, month: 7, day: 25)!, soon: 2, calendar: cal) == "met_late")
    }
}

@Suite struct SpecialisedApplicationTests {
    /// An application for a specialised programme alone is received at the same window and passed
    /// to its department; the department's liaison finds it first in their list.
    @Test func aMedicalApplication_isReferredToTheMedicalSecurityBureau() async throws {
        try await withDesk { desk in
            let v = try await desk.receive { var i = $0; i.programme = .medical; i.materialsProvided = ["application"]; return i }
            #expect(v.file.state == .referred && v.actions.isEmpty && v.deadlines.isEmpty)
            #expect(v.file.missingMaterials.map(\.key) == ["id_documents"])
            let first = try #require(v.referrals.first)
            #expect(first.programme == "medical" && first.department == "medical_security" && first.title == "医疗救助（窗口申请）")
            #expect(v.referrals.filter { $0.programme == "medical" }.count == 1)
            let liaison = desk.work(UserAccount(username: "yb", role: .departmentLiaison, division: try DivisionCode("530428"), department: "medical_security"))
            let seen = try await liaison.referrals()
            #expect(seen.map(\.referral.number) == [first.number])
            let done = try await liaison.act(onReferral: first.number, version: 1, .complete(outcome: "已按第二类对象给予医疗救助"))
            #expect(done.state == "done")
        }
    }
}

@Suite struct DeadlineCountTests {
    @Test func deadlineCounts_tellMetOpenAndOverdue_forTheDivision() async throws {
        try await withDesk { desk in
            let v = try await desk.receive()
            _ = try await desk.work(Desk.township).act(v.file.number, version: v.file.version, .startInvestigation)
            #expect(try await desk.work(Desk.county).deadlineCounts() == ["met": 1, "open": 1])
            desk.clock.set(Day(year: 2025, month: 9, day: 1)!)   // past the 30 working days
            #expect(try await desk.work(Desk.county).deadlineCounts() == ["met": 1, "overdue": 1])
            #expect(try await desk.work(Desk.otherTownship).deadlineCounts().isEmpty)
        }
    }
}

@Suite struct RecentActivityTests {
    @Test func recentActivity_isTheDivisionsLatestSteps_newestFirst() async throws {
        try await withDesk { desk in
            let v = try await desk.receive()
            _ = try await desk.work(Desk.township).act(v.file.number, version: v.file.version, .startInvestigation)
            let recent = try await desk.work(Desk.county).recentActivity()
            #expect(recent.map(\.1.action) == ["start_investigation", "receive"])
            #expect(recent.allSatisfy { $0.0 == v.file.number })
            #expect(try await desk.work(Desk.otherTownship).recentActivity().isEmpty)
        }
    }
}
