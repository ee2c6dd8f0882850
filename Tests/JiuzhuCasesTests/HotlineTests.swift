import FluentKit
import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import JiuzhuTestSupport
import Testing

@Suite struct HotlineTests {
    static let township = Divisions.bundled.townships(in: try! DivisionCode("530428"))[0].code.digits

    func hotline(_ rt: StoreRuntime, today: Day) -> Hotline {
        let clock = MovableClock(today)
        return Hotline(db: rt.db, actor: AuditActor("test:operator"), now: { clock.now })
    }

    /// Due days in working days on the State Council's calendar, by kind: a complaint received the
    /// day before the National Day holiday is due after it (2025-10-14); the month's on-time rate.
    @Test func tickets_areDueInWorkingDays_andTheMonthsOnTimeRateIsRight() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let h = hotline(rt, today: Day(year: 2025, month: 10, day: 20)!)
            let complaint = try await h.receive(county: "530428", kind: .complaint, caller: "王某", phone: "13800000000", householdID: nil,
                                                description: "低保金未按时到账", routedTo: Self.township, on: Day(year: 2025, month: 9, day: 30)!)
            #expect(complaint.dueOn.description == "2025-10-14" && complaint.number == "12349-530428-2025-00001" && !complaint.provisional)
            let enquiry = try await h.receive(county: "530428", kind: .enquiry, caller: "匿名", phone: "", householdID: nil,
                                              description: "临时救助怎么申请", routedTo: "县民政局", on: Day(year: 2025, month: 10, day: 10)!)
            #expect(enquiry.dueOn.description == "2025-10-11")   // a Saturday made a working day by the holiday notice
            let help = try await h.receive(county: "530428", kind: .help, caller: "李某", phone: "13900000000", householdID: nil,
                                           description: "家中失火", routedTo: Self.township, on: Day(year: 2025, month: 10, day: 9)!)
            #expect(help.dueOn.description == "2025-10-13")
            _ = try await h.close(county: "530428", number: complaint.number, on: Day(year: 2025, month: 10, day: 14)!, resolution: "已核实补发")
            _ = try await h.close(county: "530428", number: enquiry.number, on: Day(year: 2025, month: 10, day: 13)!, resolution: "已答复")
            await #expect(throws: StoreError.self) { try await h.close(county: "530428", number: complaint.number, on: Day(year: 2025, month: 10, day: 15)!, resolution: "再次") }
            // The help request is still open on 10-20: overdue, escalated to the county.
            #expect(try await h.overdue(county: "530428", on: Day(year: 2025, month: 10, day: 20)!).map(\.number) == [help.number])
            let escalated = try await h.escalate(county: "530428", on: Day(year: 2025, month: 10, day: 20)!)
            #expect(escalated.map(\.number) == [help.number] && escalated[0].escalatedOn?.description == "2025-10-20")
            #expect(try await h.escalate(county: "530428", on: Day(year: 2025, month: 10, day: 21)!).isEmpty)
            #expect(try await HotlineStore(db: rt.db, actor: .system).tickets(county: "530428", number: help.number)[0].escalatedOn?.description == "2025-10-20")
            // A call received on the 20th, due the 23rd: not yet due, it counts neither way.
            _ = try await h.receive(county: "530428", kind: .help, caller: "赵某", phone: "", householdID: nil, description: "医疗费用负担重",
                                    routedTo: Self.township, on: Day(year: 2025, month: 10, day: 20)!)
            let report = try await h.report(county: "530428", month: Month(year: 2025, month: 10)!)
            #expect(report.due == 4 && report.closedOnTime == 1 && report.closedLate == 1 && report.open == 1 && report.notYetDue == 1 && report.onTimeRate == "33.3%")
            #expect(report.byKind == ["complaint": 1, "enquiry": 1, "help": 2])
        }
    }

    @Test func badTickets_areRefusedWithTheField_andChangeNothing() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let h = hotline(rt, today: Day(year: 2025, month: 7, day: 15)!)
            for (kind, routed, household, field) in [(HotlineTicket.Kind.help, "430321001", nil as String?, "routed_to"), (.fraud, Self.township, nil, "household_id")] {
                do {
                    _ = try await h.receive(county: "530428", kind: kind, caller: "王某", phone: "1", householdID: household, description: "x", routedTo: routed,
                                            on: Day(year: 2025, month: 7, day: 1)!)
                    Issue.record("accepted")
                } catch StoreError.invalid(let problems) {
                    #expect(problems.map(\.field) == [field])
                }
            }
            await #expect(throws: StoreError.self) {
                try await h.receive(county: "530428", kind: .help, caller: "王某", phone: "1", householdID: nil, description: "x", routedTo: Self.township,
                                    on: Day(year: 2025, month: 7, day: 16)!)
            }
            #expect(try await HotlineStore(db: rt.db, actor: .system).tickets(county: "530428").isEmpty)
        }
    }

    /// A fraud report about a household that is paid opens an investigation: its review is due at once.
    @Test func aFraudReport_opensAnInvestigation() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let rec = Fixtures.record("H1")
            try await Registry(db: rt.db, actor: .system, now: { Fixtures.now }).create(rec)
            let p = Payroll(db: rt.db, actor: .system, now: { Fixtures.now })
            let file = "household_id,programme,payee_id_number,monthly_amount_fen,first_month,next_review,bank_account\\nH1,dibao,\(rec.members[0].idNumber.value),60000,2024-01,2026-06-30,6217001234567890\\n"
            _ = try await p.importRecipients(Data(file.replacingOccurrences(of: "\\n", with: "\n").utf8), fileName: "r.csv", owedFrom: Month(year: 2025, month: 7)!)
            #expect(try await p.reviewsDue(county: "530428", by: Fixtures.today).isEmpty)
            let h = hotline(rt, today: Fixtures.today)
            let t = try await h.receive(county: "530428", kind: .fraud, caller: "匿名", phone: "", householdID: "H1", description: "家中有人在外务工未申报",
                                        routedTo: Self.township, on: Fixtures.today)
            #expect(t.dueOn == (try WorkdayCalendar.bundled.adding(workdays: 10, to: Fixtures.today)))
            #expect(try await p.reviewsDue(county: "530428", by: Fixtures.today).map(\.householdID) == ["H1"])
        }
    }
}
