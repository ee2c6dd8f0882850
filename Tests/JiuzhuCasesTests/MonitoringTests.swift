import FluentKit
import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import JiuzhuTestSupport
import Testing

@Suite struct MonitoringTests {
    static let townships = Divisions.bundled.townships(in: try! DivisionCode("530428"))
    static let head = Fixtures.idNumber(born: "19600101", sequence: 11)
    static let spouse = Fixtures.idNumber(born: "19620302", sequence: 22)
    /// Not registered, born in 元江县: routed to its county.
    static let stranger = Fixtures.idNumber(born: "19800505", sequence: 31)
    /// Not registered, born in Beijing: another county's.
    static let outsider = Fixtures.idNumber(county: "110101", born: "19700707", sequence: 41)
    static let officer = UserAccount(username: "xz", role: .townshipOfficer, division: townships[0].code)

    func monitoring(_ rt: StoreRuntime, _ clock: MovableClock, user: UserAccount? = nil) -> Monitoring {
        Monitoring(db: rt.db, actor: AuditActor("test:operator"), user: user, address: "test", now: { clock.now })
    }

    func push(_ text: String) -> FeedSource { .data(Data(text.utf8)) }

    static func day(_ s: String) -> Day { try! Day(parsing: s) }

    /// 医保's monthly push, received the day before the National Day holiday of 2025: the head's
    /// burden of exactly 40,000 yuan (two rows, one warning), the spouse's just below, a stranger born in
    /// the county, a person of another county. Exactly two warnings, due at the county on 2025-10-11
    /// (the Saturday the State Council made a working day); then 残联's push: the head, already under
    /// warning, is not warned twice; a grade-3 mental disability is, a grade-4 is below the threshold.
    @Test func aMonthlyPush_makesExactlyTheExpectedWarnings_dueOnTheOfficialCalendar() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            try await Registry(db: rt.db, actor: .system, now: { Fixtures.now }).create(Fixtures.record("H1"))
            let clock = MovableClock(Self.day("2025-09-30"))
            let m = monitoring(rt, clock)
            let medical = "id_number,year,self_paid_fen\n\(Self.head),2025,4000000\n\(Self.spouse),2025,3999999\n\(Self.stranger),2025,5200000\n"
                + "\(Self.outsider),2025,9000000\n\(Self.head),2024,4100000\n"
            let s = try await m.push(from: push(medical), department: "医保", type: .monthly, receivedOn: Self.day("2025-09-30"), fileName: "yb-2025-09.csv")
            #expect(!s.repeated && s.push.rows == 5 && s.push.signalled == 3 && s.push.warnings == 2 && s.push.belowThreshold == 1 && s.push.outside == 1)
            #expect(s.warningsByGroup == ["medical_burden": 2])
            let warnings = try await m.store.warnings()
            #expect(warnings.map(\.idNumber) == [Self.head, Self.stranger])
            #expect(warnings.map(\.householdID) == ["H1", nil])
            #expect(warnings.allSatisfy { $0.state == .received && $0.countyCode == "530428" && !$0.provisional })
            #expect(warnings.allSatisfy { $0.countyDue?.description == "2025-10-11" })
            #expect(warnings[0].countyDue == (try WorkdayCalendar.bundled.adding(workdays: 3, to: Self.day("2025-09-30"))))
            #expect(warnings[0].reason.contains("¥40,000.00") && warnings[0].reason.contains("2024年") && warnings[0].reason.contains("龙岩市社会救助监测预警机制"))

            // The same file again changes nothing.
            let again = try await m.push(from: push(medical), department: "医保", type: .monthly, receivedOn: Self.day("2025-09-30"), fileName: "copy.csv")
            #expect(again.repeated && again.push.id == s.push.id)

            let fourth = Fixtures.idNumber(born: "19900101", sequence: 51), fifth = Fixtures.idNumber(born: "19910101", sequence: 61)
            let disability = "id_number,disability_grade,disability_kind\n\(Self.head),2,physical\n\(fourth),3,mental\n\(fifth),4,intellectual\n"
            let d = try await m.push(from: push(disability), department: "残联", type: .monthly, receivedOn: Self.day("2025-09-30"), fileName: "cl.csv")
            #expect(d.push.warnings == 1 && d.push.alreadyOpen == 1 && d.push.belowThreshold == 1)
            #expect(try await m.store.warnings().map(\.idNumber) == [Self.head, Self.stranger, fourth])
        }
    }

    /// The chain: city → county → township → visit, each due day on the working-day calendar; a visit
    /// before dispatch is refused with the reason; on 2025-10-20 the stranger's warning, still at the
    /// city since 10-11, is overdue and escalated to the bureau's head — once; the month's on-time rates.
    @Test func theChain_keepsItsDeadlines_escalatesOverdueSteps_andReportsTheOnTimeRate() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            try await Registry(db: rt.db, actor: .system, now: { Fixtures.now }).create(Fixtures.record("H1"))
            let clock = MovableClock(Self.day("2025-09-30"))
            let m = monitoring(rt, clock)
            _ = try await m.push(from: push("id_number,year,self_paid_fen\n\(Self.head),2025,4000000\n\(Self.stranger),2025,5200000\n"), department: "医保",
                                 type: .monthly, receivedOn: Self.day("2025-09-30"), fileName: "yb.csv")
            let (a, c) = (Int64(1), Int64(2))
            clock.set(Self.day("2025-10-20"))
            do {
                _ = try await m.visit(c, on: Self.day("2025-10-15"), visitor: "李干部", findings: "x")
                Issue.record("a visit before dispatch was accepted")
            } catch StoreError.conflict(let p) {
                #expect(p.field == "state" && p.rule.contains("received") && p.rule.contains("after dispatch"))
            }
            let sent = try await m.sendToCounty(a, on: Self.day("2025-10-10"))
            #expect(sent.state == .atCounty && sent.townshipDue?.description == "2025-10-14")
            await #expect(throws: StoreError.self) { try await m.sendToCounty(a, on: Self.day("2025-10-10")) }
            let dispatched = try await m.dispatch(a, on: Self.day("2025-10-14"))
            #expect(dispatched.townshipCode == Self.townships[0].code.digits)
            #expect(dispatched.visitDue?.description == "2025-10-28")
            #expect(dispatched.visitDue == (try WorkdayCalendar.bundled.adding(workdays: 10, to: Self.day("2025-10-14"))))

            let overdue = try await m.overdue(on: Self.day("2025-10-20"))
            #expect(overdue.map(\.warning.id) == [c] && overdue[0].step == "send_to_county" && overdue[0].due.description == "2025-10-11")
            let escalated = try await m.escalate(on: Self.day("2025-10-20"))
            #expect(escalated.map(\.warningID) == [c] && escalated[0].escalatedTo == "city_bureau_head")
            #expect(try await m.escalate(on: Self.day("2025-10-21")).isEmpty)
            // On the 20th the visit is not yet due (the 28th): it counts neither way.
            let mid = try await m.report(month: Month(year: 2025, month: 10)!)
            #expect(mid.steps[2].due == 1 && mid.steps[2].notYetDue == 1 && mid.steps[2].open == 0 && mid.steps[2].onTimeRate == nil)
            #expect(mid.steps[0].open == 1 && mid.steps[0].onTimeRate == "50.0%")

            clock.set(Self.day("2025-10-27"))
            let visited = try await m.visit(a, on: Self.day("2025-10-27"), visitor: "李干部", findings: "医疗支出大，家庭收入低于标准两倍以内")
            #expect(visited.state == .visited)
            let watched = try await m.classify(a, as: .watch, on: Self.day("2025-10-27"))
            #expect(watched.state == .watch && watched.nextVisitDue?.description == "2026-01-27")
            let report = try await m.report(month: Month(year: 2025, month: 10)!, county: "530428")
            #expect(report.steps.map(\.step) == ["send_to_county", "dispatch", "visit"])
            #expect(report.steps[0].due == 2 && report.steps[0].onTime == 1 && report.steps[0].open == 1 && report.steps[0].onTimeRate == "50.0%")
            #expect(report.steps[1].due == 1 && report.steps[1].onTime == 1 && report.steps[2].onTimeRate == "100.0%")
            #expect(report.outcomes == ["watch": 1] && report.watchLedger == 1 && report.escalations == 1)
            #expect(report.townships.map(\.code) == [Self.townships[0].code.digits])
            let september = try await m.report(month: Month(year: 2025, month: 9)!)
            #expect(september.warningsOpened == 2 && september.byGroup == ["medical_burden": 2] && september.pushes.count == 1)
        }
    }

    /// The four outcomes: a dibao application opened in the same transaction, prefilled with the
    /// household and the applicant; a referral to a department; a person not registered cannot be
    /// classified into assistance; found by hand on a village visit, a warning starts at the township.
    @Test func classification_opensTheApplication_andHandFoundWarningsStartWhereFound() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            try await Registry(db: rt.db, actor: .system, now: { Fixtures.now }).create(Fixtures.record("H1"))
            let clock = MovableClock(Self.day("2025-07-01"))
            let m = monitoring(rt, clock, user: Self.officer)
            let push = "id_number,monitoring_type,since\n\(Self.head),marginal,2025-06-01\n\(Self.stranger),unstable,2025-06-01\n"
            let s = try await m.push(from: self.push(push), department: "农业农村", type: .initial, receivedOn: Self.day("2025-07-01"), fileName: "nn.csv")
            #expect(s.warningsByGroup == ["marginal": 1, "unstable": 1])
            clock.set(Self.day("2025-07-15"))
            for id in [Int64(1), 2] {
                _ = try await m.sendToCounty(id, on: Self.day("2025-07-02"))
                let w = try await m.dispatch(id, on: Self.day("2025-07-03"), township: Self.townships[0].code.digits)
                #expect(w.visitDue?.description == "2025-08-03")   // initial data: within one month
                _ = try await m.visit(id, on: Self.day("2025-07-10"), visitor: "王干部", findings: "人均收入低于低保标准")
            }
            let closed = try await m.classify(1, as: .basicLiving(.dibao), on: Self.day("2025-07-15"))
            #expect(closed.state == .closed && closed.outcome == "dibao")
            let cases = try await Casework(db: rt.db, user: Self.officer, address: "test", now: { clock.now }).list(householdID: "H1")
            #expect(cases.map(\.number) == [closed.outcomeRef] && cases[0].programme == "dibao")
            do {
                _ = try await m.classify(2, as: .referral(.employment), on: Self.day("2025-07-15"))
                Issue.record("classified a person not in the registry")
            } catch StoreError.invalid(let p) {
                #expect(p.map(\.field) == ["household_id"])
            }
            #expect(try await m.store.warning(2).state == .visited)

            // The household's other member, pushed later and visited: 急难型 临时救助, paid first.
            _ = try await m.push(from: self.push("id_number,damage,since\n\(Self.spouse),collapsed,2025-07-10\n"),
                                 department: "应急", type: .monthly, receivedOn: Self.day("2025-07-15"), fileName: "yj.csv")
            let third = try #require(try await m.store.warnings(.init(idNumber: Self.spouse)).first)
            #expect(third.groups == ["disaster_rebuild"])
            _ = try await m.sendToCounty(third.id, on: Self.day("2025-07-15"))
            _ = try await m.dispatch(third.id, on: Self.day("2025-07-15"))
            _ = try await m.visit(third.id, on: Self.day("2025-07-15"), visitor: "王干部", findings: "住房倒塌，暂住亲戚家")
            let emergency = try await m.classify(third.id, as: .temporary(kind: .emergency, cause: "自然灾害", people: 2, needFen: 300_000, perCapitaIncomeFen: 0),
                                                 on: Self.day("2025-07-15"))
            #expect(emergency.state == .closed && emergency.outcome == "temporary")
            let tc = try await Casework(db: rt.db, user: Self.officer, address: "test", now: { clock.now }).temporaryCase(try #require(emergency.outcomeRef))
            #expect(tc.file.householdID == "H1" && tc.file.division.digits == Self.townships[0].code.digits)

            let found = try await m.discover(.villageVisit, idNumber: Fixtures.idNumber(born: "19500101", sequence: 71), name: "赵某", division: Self.townships[1].code.digits,
                                             description: "独居老人，房屋漏雨", on: Self.day("2025-07-15"))
            #expect(found.state == .atTownship && found.townshipCode == Self.townships[1].code.digits)
            #expect(found.visitDue == (try WorkdayCalendar.bundled.adding(workdays: 10, to: Self.day("2025-07-15"))))
            let plea = try await m.discover(.crowdfunding, idNumber: Fixtures.idNumber(born: "19850101", sequence: 81), name: "钱某", division: "530428",
                                            description: "水滴筹：白血病治疗费", on: Self.day("2025-07-15"))
            let pleaDue = try WorkdayCalendar.bundled.adding(workdays: 3, to: Self.day("2025-07-15"))
            #expect(plea.state == .atCounty && plea.townshipDue == pleaDue)
            await #expect(throws: StoreError.self) {
                try await m.discover(.crowdfunding, idNumber: Fixtures.idNumber(born: "19850101", sequence: 81), name: "钱某", division: "530428",
                                     description: "again", on: Self.day("2025-07-15"))
            }
        }
    }

    /// Bad pushes are refused whole with the line and the field, and change nothing.
    @Test func badPushes_areRefusedWithLineAndField_andChangeNothing() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let clock = MovableClock(Self.day("2025-07-15"))
            let m = monitoring(rt, clock)
            func refusal(_ text: String, department: String = "医保", on: String = "2025-07-15") async -> [FeedError] {
                do {
                    _ = try await m.push(from: push(text), department: department, type: .monthly, receivedOn: Self.day(on), fileName: "bad.csv")
                    Issue.record("accepted: \(text)")
                } catch let e as FeedErrors { return e.errors } catch { Issue.record("\(error)") }
                return []
            }
            let unknown = await refusal("id_number,year,self_paid_fen,hospital\n\(Self.head),2025,1\n")
            #expect(unknown.map(\.column) == ["hospital"] && unknown[0].line == 1 && unknown[0].rule.contains("medical_costs"))
            let badID = await refusal("id_number,year,self_paid_fen\n\(Self.head),2025,1\n530428196001010110,2025,1\n")
            #expect(badID.map(\.line) == [3] && badID.map(\.column) == ["id_number"])
            let future = await refusal("id_number,monitoring_type,since\n\(Self.head),marginal,2025-08-01\n", department: "乡村振兴")
            #expect(future.map(\.line) == [2] && future.map(\.column) == ["since"] && future[0].rule.contains("after today"))
            let notAPush = await refusal("id_number,employer,monthly_wage_fen\n\(Self.head),某厂,300000\n")
            #expect(notAPush.count == 1 && notAPush[0].rule.contains("not a monitoring push"))
            await #expect(throws: StoreError.self) {
                try await m.push(from: push("id_number,year,self_paid_fen\n"), department: "医保", type: .monthly, receivedOn: Self.day("2025-07-16"), fileName: "f.csv")
            }
            await #expect(throws: FeedImportError.self) {
                try await m.push(from: push("id_number,year,self_paid_fen\n\(Self.head),2025,1\n"), department: "残联", type: .monthly, receivedOn: Self.day("2025-07-15"), fileName: "f.csv")
            }
            let (pushes, warnings) = (try await m.store.pushes(), try await m.store.warnings())
            #expect(pushes.isEmpty && warnings.isEmpty)
        }
    }

    /// On an SQLite file a push's warnings are written by prepared statements on a connection of their
    /// own: the same warnings and push as the portable path, the audit chain unbroken, and the same
    /// file again recognised.
    @Test func theSQLiteFastPath_writesWhatThePortablePathWrites() async throws {
        let text = "id_number,year,self_paid_fen\n\(Self.head),2025,4000000\n\(Self.spouse),2025,100\n\(Self.stranger),2025,5200000\n\(Self.outsider),2025,9000000\n"
        func run(fast: Bool) async throws -> ([MonitoringWarning], MonitoringPush, Bool)? {
            try await TestDatabase.withRuntime { rt async throws in
                guard case .sqlite = rt.location else { return nil }
                try await Registry(db: rt.db, actor: .system, now: { Fixtures.now }).create(Fixtures.record("H1"))
                let clock = MovableClock(Self.day("2025-09-30"))
                let m = Monitoring(db: rt.db, actor: AuditActor("test:operator"), now: { clock.now }, location: fast ? rt.location : nil)
                let s = try await m.push(from: self.push(text), department: "医保", type: .monthly, receivedOn: Self.day("2025-09-30"), fileName: "yb.csv")
                let again = try await m.push(from: self.push(text), department: "医保", type: .monthly, receivedOn: Self.day("2025-09-30"), fileName: "yb.csv")
                #expect(again.repeated && again.push == s.push)
                let chain = try await AuditChain.verify(on: rt.db)
                return (try await m.store.warnings(), s.push, chain.holds)
            }
        }
        guard let fast = try await run(fast: true), let portable = try await run(fast: false) else { return }   // PostgreSQL: no fast path
        #expect(fast.0 == portable.0 && fast.0.count == 2)
        #expect(fast.1 == portable.1)
        #expect(fast.2 && portable.2)
    }

    /// Least privilege by place: a township sees a warning once dispatched to it, another township
    /// never; a village sees its own residents' warnings of its township, not its neighbours'.
    @Test func eachLevel_seesOnlyTheWarningsOfItsPlace() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            // Village codes are not in the bundled table: any three digits under a known township.
            let villages = try ["001", "002"].map { try DivisionCode(Self.townships[0].code.digits + $0) }
            let neighbour = Fixtures.idNumber(born: "19700101", sequence: 91)
            try await Registry(db: rt.db, actor: .system, now: { Fixtures.now }).create(Fixtures.record("H1", township: villages[0].digits))
            try await Registry(db: rt.db, actor: .system, now: { Fixtures.now }).create(
                Fixtures.record("H2", township: villages[1].digits, headID: neighbour, spouseID: Fixtures.idNumber(born: "19720101", sequence: 92)))
            let clock = MovableClock(Self.day("2025-07-15"))
            let m = monitoring(rt, clock)
            _ = try await m.push(from: push("id_number,year,self_paid_fen\n\(Self.head),2025,4000000\n\(neighbour),2025,4000000\n"), department: "医保",
                                 type: .monthly, receivedOn: Self.day("2025-07-01"), fileName: "yb.csv")
            func seen(_ code: DivisionCode) async throws -> [String] {
                try await MonitoringStore(db: rt.db, scope: Jurisdiction(division: code), actor: .system).warnings().map(\.idNumber)
            }
            #expect(try await seen(try DivisionCode("530428")) == [Self.head, neighbour])
            #expect(try await seen(Self.townships[0].code).isEmpty)
            for id in [Int64(1), 2] {
                _ = try await m.sendToCounty(id, on: Self.day("2025-07-02"))
                _ = try await m.dispatch(id, on: Self.day("2025-07-03"))
            }
            #expect(try await seen(Self.townships[0].code) == [Self.head, neighbour])
            #expect(try await seen(Self.townships[1].code).isEmpty)
            #expect(try await seen(villages[0]) == [Self.head])
            #expect(try await seen(villages[1]) == [neighbour])
        }
    }
}
