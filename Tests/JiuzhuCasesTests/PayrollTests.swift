import FluentKit
import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import JiuzhuTestSupport
import SQLKit
import Testing

@Suite struct PayrollTests {
    static let h1 = Fixtures.record("H1")
    static let h2 = Fixtures.record("H2", headID: Fixtures.idNumber(born: "19700101", sequence: 31), spouseID: Fixtures.idNumber(born: "19710101", sequence: 42))
    static var county: String { h1.household.countyCode.digits }
    static var head1: String { h1.members[0].idNumber.value }
    static var spouse1: String { h1.members[1].idNumber.value }
    static var head2: String { h2.members[0].idNumber.value }
    static let march = Month(year: 2025, month: 3)!

    static func recipients(_ lines: [String]) -> Data {
        Data((["household_id,programme,payee_id_number,monthly_amount_fen,first_month,next_review,bank_account"] + lines).joined(separator: "\n").utf8 + [0x0A])
    }

    static var standardFile: Data {
        recipients(["H1,dibao,\(head1),60000,2023-05,2026-03-31,6217001234567890", "H2,tekun,\(head2),110000,2024-01,2026-01-31,6217009876543210"])
    }

    func setUp(_ rt: StoreRuntime) async throws -> Payroll {
        let r = Registry(db: rt.db, actor: .system, now: { Fixtures.now })
        try await r.create(Self.h1)
        try await r.create(Self.h2)
        return Payroll(db: rt.db, actor: AuditActor("test:officer"), now: { Fixtures.now })
    }

    func entitlementCount(_ rt: StoreRuntime) async throws -> Int {
        try await (rt.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM entitlements").first()!.decode(column: "n", as: Int.self)
    }

    @Test func recipients_areImportedOnce_andDifferencesFromTheRulesReported() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let p = try await setUp(rt)
            let s = try await p.importRecipients(Self.standardFile, fileName: "recipients.csv", owedFrom: Self.march)
            #expect(s.lines == 2 && !s.repeated && s.owedFrom == Self.march)
            // Each household evaluated under its pack: the report names exactly those the rules would pay otherwise.
            let pack = try PackChoice.byDivision(.bundled).pack(for: Self.h1.household)
            var expected: [String] = []
            for (rec, programme, fen) in [(Self.h1, Programme.dibao, Int64(60000)), (Self.h2, Programme.tekun, Int64(110000))] {
                let e = try ReferenceRules.evaluate(rec.household, members: rec.members, month: Self.march, pack: pack, explain: false)
                if e.programme != programme || e.benefit.fen != fen { expected.append(rec.household.householdID) }
            }
            #expect(s.differences.map(\.householdID) == expected)
            let again = try await p.importRecipients(Self.standardFile, fileName: "recipients.csv", owedFrom: Self.march)
            #expect(again.repeated && again.lines == 2)
            #expect(try await entitlementCount(rt) == 2)
            let e = try await PaymentStore(db: rt.db, actor: .system).entitlements(county: Self.county)
            #expect(e.map(\.programme) == [.dibao, .tekun] && e.allSatisfy { $0.owedFrom == Self.march })
            #expect(e[0].firstMonth == Month(year: 2023, month: 5)! && e[0].amount(in: Self.march) == 60000)
        }
    }

    @Test(arguments: [
        ("H9,dibao,HEAD1,60000,2023-05,2026-03-31,6217001234567890", "line 2, column household_id: H9 is not registered"),
        ("H1,dibao,HEAD2,60000,2023-05,2026-03-31,6217001234567890", "line 2, column payee_id_number"),
        ("H1,dibao,HEAD1,60000,2023-05,2026-03-31,62170012", "line 2, column bank_account: must be 10 to 30 digits"),
        ("H1,dibao,HEAD1,-5,2023-05,2026-03-31,6217001234567890", "line 2, column monthly_amount_fen"),
        ("H1,pension,HEAD1,60000,2023-05,2026-03-31,6217001234567890", "line 2, column programme: must be one of"),
        ("H1,dibao,HEAD1,60000,2023-13,2026-03-31,6217001234567890", "line 2, column first_month"),
        ("H1,dibao,HEAD1,60000,2023-05,2026-03-31,6217001234567890\nH1,dibao,HEAD1,1,2023-05,2026-03-31,6217001234567890", "line 3, column programme: household H1 already has a dibao line (line 2)"),
    ])
    func badRecipients_areRefusedWithLineAndColumn_andChangeNothing(_ line: String, _ expected: String) async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let p = try await setUp(rt)
            let text = line.replacingOccurrences(of: "HEAD1", with: Self.head1).replacingOccurrences(of: "HEAD2", with: Self.head2)
            do {
                _ = try await p.importRecipients(Self.recipients(text.split(separator: "\n").map(String.init)), fileName: "r.csv", owedFrom: Self.march)
                Issue.record("accepted")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
            }
            #expect(try await entitlementCount(rt) == 0)
        }
    }

    /// A year in small: arrears, a confirmed roll kept, the bank file the same twice, a returned
    /// payment paid again into the new account, a raise back-dated, a stop; every roll's totals
    /// reconcile, and what was paid for each month is exactly what was owed.
    @Test func rollsOverMonths_payWhatIsOwed_exactlyOnce() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let p = try await setUp(rt)
            let store = PaymentStore(db: rt.db, actor: .system, now: { Fixtures.now })
            _ = try await p.importRecipients(Self.standardFile, fileName: "recipients.csv", owedFrom: Self.march)
            let april = Self.march.adding(months: 1), may = Self.march.adding(months: 2), june = Self.march.adding(months: 3)

            // April first: March is owed too (arrears).
            var (run, _) = try await p.generate(county: Self.county, month: april)
            var roll = try await p.roll(county: Self.county, month: april)
            #expect(roll.lines.map { "\($0.householdID) \($0.forMonth) \($0.kind.rawValue) \($0.amountFen)" } == [
                "H1 2025-03 arrears 60000", "H1 2025-04 regular 60000", "H2 2025-03 arrears 110000", "H2 2025-04 regular 110000"])
            #expect(run.totalFen == 340000 && roll.totals.totalFen == 340000 && roll.totals.rows.reduce(0) { $0 + $1.totalFen } == 340000)
            #expect(roll.totals.byProgramme == ["dibao": 120000, "tekun": 220000])
            #expect(roll.lines[0].payeeName == "李建国")
            // Generated again: the same lines, never twice.
            (run, _) = try await p.generate(county: Self.county, month: april)
            #expect(try await p.roll(county: Self.county, month: april).lines == roll.lines)
            // The bank file needs a confirmed roll; once confirmed, the roll is kept.
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roll-\(UUID().uuidString)")
            await #expect(throws: PaymentError.notConfirmed(county: Self.county, month: april)) { try await p.export(county: Self.county, month: april, to: dir) }
            _ = try await p.confirm(county: Self.county, month: april)
            await #expect(throws: PaymentError.confirmed(county: Self.county, month: april, status: .confirmed)) {
                try await p.generate(county: Self.county, month: april)
            }
            let files = try await p.export(county: Self.county, month: april, to: dir)
            let csv = try Data(contentsOf: files[0])
            #expect(String(decoding: csv, as: UTF8.self).hasPrefix("household_id,payee_name,payee_id_number,bank_account,programme,month,amount_fen\nH1,李建国,\(Self.head1),6217001234567890,dibao,2025-03,60000\n"))
            let again = try await p.export(county: Self.county, month: april, to: dir)
            let (csvAgain, sheetAgain, sheet) = (try Data(contentsOf: again[0]), try Data(contentsOf: again[1]), try Data(contentsOf: files[1]))
            #expect(csvAgain == csv && sheetAgain == sheet)
            let sheetText = String(decoding: try XLSXReader.csv(sheet), as: UTF8.self)
            #expect(sheetText.trimmingCharacters(in: .newlines) == String(decoding: csv, as: UTF8.self).trimmingCharacters(in: .newlines))

            // The bank returns H2's April payment (closed account); an unknown account is refused whole.
            let unknown = Data("household_id,payee_id_number,bank_account,programme,month,amount_fen,reason\nH2,\(Self.head2),1111111111,tekun,2025-04,110000,账户已销户\n".utf8)
            await #expect(throws: StoreError.self) { try await p.recordBankAnswer(county: Self.county, month: april, returned: unknown) }
            let returned = Data("household_id,payee_id_number,bank_account,programme,month,amount_fen,reason\nH2,\(Self.head2),6217009876543210,tekun,2025-04,110000,账户已销户\n".utf8)
            let answer = try await p.recordBankAnswer(county: Self.county, month: april, returned: returned)
            #expect(answer.paid == 3 && answer.returned == 1)
            _ = try await store.setAccount(county: Self.county, householdID: "H2", programme: .tekun, account: "6228480000000000001")

            // May: H1 raised to 650 yuan from March (back-dated), H2's April paid again into the new account.
            let h1 = try #require(try await store.entitlements(county: Self.county, householdID: "H1").first)
            try await store.changeAmount(entitlementID: h1.id, from: Self.march, fen: 65000, reason: "复核：重病加发")
            (run, _) = try await p.generate(county: Self.county, month: may)
            roll = try await p.roll(county: Self.county, month: may)
            #expect(roll.lines.map { "\($0.householdID) \($0.forMonth) \($0.kind.rawValue) \($0.amountFen) \($0.bankAccount)" } == [
                "H1 2025-03 arrears 5000 6217001234567890", "H1 2025-04 arrears 5000 6217001234567890", "H1 2025-05 regular 65000 6217001234567890",
                "H2 2025-04 reissue 110000 6228480000000000001", "H2 2025-05 regular 110000 6228480000000000001"])
            _ = try await p.confirm(county: Self.county, month: may)

            // June: H2 stopped after May; H1 lowered from May (back-dated): reported, not clawed back.
            let h2 = try #require(try await store.entitlements(county: Self.county, householdID: "H2").first)
            try await store.stop(entitlementID: h2.id, lastMonth: may, reason: "死亡")
            try await store.changeAmount(entitlementID: h1.id, from: may, fen: 64000, reason: "收入变化")
            let (_, result) = try await p.generate(county: Self.county, month: june)
            roll = try await p.roll(county: Self.county, month: june)
            #expect(roll.lines.map { "\($0.householdID) \($0.forMonth) \($0.kind.rawValue) \($0.amountFen)" } == ["H1 2025-06 regular 64000"])
            #expect(result.overpaid.map { "\($0.householdID) \($0.month) \($0.paidFen) \($0.owedFen)" } == ["H1 2025-05 65000 64000"])

            // Over all rolls: paid for each month exactly what is owed (returned payments not counted).
            var paid: [String: Int64] = [:]
            for m in [april, may, june] {
                for l in try await p.roll(county: Self.county, month: m).lines where l.status != .returned { paid["\(l.householdID) \(l.forMonth)", default: 0] += l.amountFen }
            }
            #expect(paid == ["H1 2025-03": 65000, "H1 2025-04": 65000, "H1 2025-05": 65000, "H1 2025-06": 64000,
                             "H2 2025-03": 110000, "H2 2025-04": 110000, "H2 2025-05": 110000])
        }
    }

    @Test func anEntitlementWithoutAnAccount_isHeld_andPaidOnceItHasOne() {
        let e = Entitlement(id: 1, householdID: "H1", countyCode: "530428", divisionCode: "530428101", programme: .dibao, payee: "P", bankAccount: nil,
                            firstMonth: Self.march, owedFrom: Self.march, endMonth: nil, nextReview: nil, source: "case:1",
                            amounts: [DatedAmount(from: Self.march, fen: 50000, reason: "")])
        let held = PaymentRoll.compute(month: Self.march.adding(months: 1), entitlements: [e], coverage: [:], names: [:])
        #expect(held.lines.isEmpty && held.held == [PaymentRoll.Held(householdID: "H1", programme: .dibao, owedFen: 100000)])
        let withAccount = Entitlement(id: 1, householdID: "H1", countyCode: "530428", divisionCode: "530428101", programme: .dibao, payee: "P",
                                      bankAccount: "6217001234567890", firstMonth: Self.march, owedFrom: Self.march, endMonth: nil, nextReview: nil,
                                      source: "case:1", amounts: e.amounts)
        let paid = PaymentRoll.compute(month: Self.march.adding(months: 1), entitlements: [withAccount], coverage: [1: [Self.march: Coverage(fen: 50000)]], names: [:])
        #expect(paid.lines.map(\.amountFen) == [50000] && paid.lines.map(\.kind) == [.regular])
    }

    @Test func aPaymentFileLayout_isTheCountysChoice_ofKnownColumns() throws {
        let layout = try PaymentFileLayout(parsing: "bank_account, payee_name, amount_fen, township")
        #expect(layout.columns == ["bank_account", "payee_name", "amount_fen", "township"])
        #expect(throws: StoreError.self) { try PaymentFileLayout(parsing: "bank_account,amount_fen,iban") }
        #expect(throws: StoreError.self) { try PaymentFileLayout(parsing: "payee_name,amount_fen") }
    }

    /// Reviews: due on schedule and after a death; each outcome's notice, amounts and last month,
    /// and the rolls that follow.
    @Test func reviews_areDueOnScheduleAndAfterADeath_andTheirOutcomesReachTheRoll() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let p = try await setUp(rt)
            _ = try await p.importRecipients(Self.standardFile, fileName: "recipients.csv", owedFrom: Self.march)   // H1 review 2026-03-31, H2 2026-01-31
            #expect(try await p.reviewsDue(county: Self.county, by: Day(year: 2025, month: 12, day: 31)!).isEmpty)
            let jan = try await p.reviewsDue(county: Self.county, by: Day(year: 2026, month: 2, day: 1)!)
            #expect(jan.map { "\($0.householdID) \($0.due) \($0.overdue)" } == ["H2 2026-01-31 true"])
            // A death reported by 公安 makes H1 due three months after it.
            _ = try await Verification(db: rt.db, actor: .system, now: { Fixtures.now }).importFeed(
                Data("id_number,name,date_of_death\n\(Self.spouse1),王秀英,2025-06-20\n".utf8), department: "公安", asOf: Day(year: 2025, month: 7, day: 1)!, fileName: "d.csv")
            let due = try await p.reviewsDue(county: Self.county, by: Day(year: 2025, month: 7, day: 15)!)
            #expect(due.map { "\($0.householdID) \($0.due) \($0.reason.prefix(8))" } == ["H1 2025-09-20 家庭成员死亡：三"])

            // Stopping or changing states a reason; gradual exit is for 低保 only.
            let review = Day(year: 2025, month: 7, day: 15)!
            await #expect(throws: StoreError.self) { try await p.recordReview(county: Self.county, householdID: "H1", programme: .dibao, outcome: .stop, on: review) }
            await #expect(throws: StoreError.self) { try await p.recordReview(county: Self.county, householdID: "H2", programme: .tekun, outcome: .gradualExit, on: review) }
            let changed = try await p.recordReview(county: Self.county, householdID: "H1", programme: .dibao, outcome: .change, amountFen: 45000,
                                                   reason: "家庭成员死亡，家庭人口减少", on: review)
            #expect(changed.notice.hasPrefix("经复核，你户家庭成员死亡，家庭人口减少，自 2025-08 起最低生活保障减发为每月 ¥450.00（原每月 ¥600.00）。"))
            let record = try await Registry(db: rt.db, actor: .system, now: { Fixtures.now }).household("H1")
            let schedule = try ReviewSchedule.next(after: review, tekun: false, members: record.members, pack: try PackChoice.byDivision(.bundled).pack(for: record.household))
            #expect(changed.nextReview == schedule.on)
            #expect(try await p.reviewsDue(county: Self.county, by: review).isEmpty)   // reviewed since the death

            // H2 continues; the next review a year on (特困).
            let kept = try await p.recordReview(county: Self.county, householdID: "H2", programme: .tekun, outcome: .keep, on: review)
            #expect(kept.nextReview?.description == "2026-07-15" && kept.notice.contains("继续享受特困人员救助供养，每月 ¥1,100.00"))

            // H1 then leaves through work: 6 months of gradual exit (元江), then nothing.
            let exit = try await p.recordReview(county: Self.county, householdID: "H1", programme: .dibao, outcome: .gradualExit, on: Day(year: 2025, month: 8, day: 10)!)
            #expect(exit.lastMonth?.description == "2026-02" && exit.notice.contains("给予渐退期 6 个月：2025-09 至 2026-02 继续按每月 ¥450.00 发放，2026-03 起停发"))
            let march26 = try await p.generate(county: Self.county, month: Month(year: 2026, month: 3)!)
            let lines = try await p.roll(county: Self.county, month: Month(year: 2026, month: 3)!).lines
            #expect(!lines.contains { $0.householdID == "H1" && $0.forMonth > Month(year: 2026, month: 2)! })
            // Nothing was paid before: March 2026's roll pays 2025-03..07 at 600 yuan and 2025-08..2026-02 at 450.
            let expected: Int64 = 60000 * 5 + 45000 * 7
            let paidH1: Int64 = lines.filter { $0.householdID == "H1" }.reduce(0) { $0 + $1.amountFen }
            #expect(paidH1 == expected)
            #expect(march26.result.overpaid.isEmpty)
            let h1 = try #require(try await PaymentStore(db: rt.db, actor: .system).entitlements(county: Self.county, householdID: "H1").first)
            #expect(try await PaymentStore(db: rt.db, actor: .system).reviews(entitlementID: h1.id).map(\.outcome) == ["change", "gradual_exit"])
        }
    }

    /// A price-trigger month: the next roll adds the subsidy beside each covered benefit (per person ×
    /// the people covered), the month after it stops when the indices no longer trigger it.
    @Test func aPriceTriggerMonth_addsTheSubsidyToTheNextRoll_andStopsAfter() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let p = try await setUp(rt)
            _ = try await p.importRecipients(Self.standardFile, fileName: "recipients.csv", owedFrom: Self.march)
            let april = Self.march.adding(months: 1), may = Self.march.adding(months: 2), june = Self.march.adding(months: 3)
            await #expect(throws: StoreError.self) { try await p.recordPriceIndices(county: Self.county, month: april, cpi: try Rate(parsing: "150%"), foodCpi: try Rate(parsing: "1%")) }
            try await p.recordPriceIndices(county: Self.county, month: april, cpi: try Rate(parsing: "2.1%"), foodCpi: try Rate(parsing: "9.5%"))
            try await p.recordPriceIndices(county: Self.county, month: may, cpi: try Rate(parsing: "1.0%"), foodCpi: try Rate(parsing: "1.2%"))
            let pack = try PackChoice.byDivision(.bundled).pack(for: Self.h1.household)
            let decision = try PriceLinkage.decide(PriceIndices(month: april, cpiRise: try Rate(parsing: "2.1%"), foodCpiRise: try Rate(parsing: "9.5%")), pack: pack)
            #expect(decision.triggered && decision.perPersonRuralFen > 0)
            _ = try await p.generate(county: Self.county, month: may)
            let lines = try await p.roll(county: Self.county, month: may).lines.filter { $0.kind == .priceSubsidy }
            var expected: [String] = []
            if decision.programmes.contains("dibao") { expected.append("H1 \(decision.perPersonRuralFen * 2)") }   // two people, rural
            if decision.programmes.contains("tekun") { expected.append("H2 \(decision.perPersonRuralFen)") }       // one person
            #expect(!expected.isEmpty && lines.map { "\($0.householdID) \($0.amountFen)" } == expected)
            #expect(lines.allSatisfy { $0.forMonth == may })
            // The subsidy is not the benefit: May's benefit is paid in full, March and April as arrears, once.
            let benefit = try await p.roll(county: Self.county, month: may).lines.filter { $0.kind != .priceSubsidy }.reduce(Int64(0)) { $0 + $1.amountFen }
            #expect(benefit == 3 * (60000 + 110000))
            _ = try await p.generate(county: Self.county, month: june)
            #expect(try await p.roll(county: Self.county, month: june).lines.map(\.kind) == [.regular, .regular])
        }
    }

    /// 取暖救助 (双鸭山): once a heating season per 低保 or 特困 household, with the first roll of the
    /// season it is paid in; not again that season; again the next.
    @Test func heating_isPaidOnceASeason_inShuangyashan() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let township = Divisions.bundled.townships(in: try DivisionCode("230502")).first!.code.digits
            let rec = Fixtures.record("S1", township: township, headID: Fixtures.idNumber(county: "230502", born: "19600101", sequence: 11),
                                      spouseID: Fixtures.idNumber(county: "230502", born: "19620302", sequence: 22))
            try await Registry(db: rt.db, actor: .system, now: { Fixtures.now }).create(rec)
            let p = Payroll(db: rt.db, actor: .system, now: { Fixtures.now })
            let file = "household_id,programme,payee_id_number,monthly_amount_fen,first_month,next_review,bank_account\nS1,dibao,\(rec.members[0].idNumber.value),50000,2025-01,2026-03-31,6217001234567890\n"
            _ = try await p.importRecipients(Data(file.utf8), fileName: "r.csv", owedFrom: Month(year: 2025, month: 7)!)
            let pack = try PackChoice.byDivision(.bundled).pack(for: rec.household)
            let amount = try PackReader(pack: pack, needs: "test").money("heating_assistance_amount", on: Day(year: 2025, month: 10, day: 1)!).0.fen
            func heating(_ y: Int, _ m: Int) async throws -> [String] {
                _ = try await p.generate(county: "230502", month: Month(year: y, month: m)!)
                return try await p.roll(county: "230502", month: Month(year: y, month: m)!).lines.filter { $0.kind == .heating }.map { "\($0.forMonth) \($0.amountFen)" }
            }
            #expect(try await heating(2025, 9).isEmpty)                           // before the season
            #expect(try await heating(2025, 10) == ["2025-10 \(amount)"])         // the season's payment
            #expect(try await heating(2025, 11).isEmpty)                          // paid this season
            #expect(try await heating(2026, 10) == ["2026-10 \(amount)"])         // the next season
        }
    }

    /// 殡葬救助: a one-off subsidy goes with the roll of its month, once; a waiver pays nothing and
    /// names the services; the same person twice, or a household not paid 低保 or 特困, is refused.
    @Test func funeralAssistance_subsidyOnceInTheRoll_orAWaiver() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let p = try await setUp(rt)
            _ = try await p.importRecipients(Self.standardFile, fileName: "recipients.csv", owedFrom: Self.march)
            let april = Self.march.adding(months: 1)
            let f = try await p.recordFuneral(county: Self.county, householdID: "H1", deceased: Self.spouse1, choice: .subsidy, amountFen: 150000,
                                              on: Day(year: 2025, month: 4, day: 3)!)
            #expect(f.notice == "王秀英身故，未享受基本殡葬服务费用减免，发放一次性丧葬补贴 ¥1,500.00，随 2025-04 发放名册发放。")
            await #expect(throws: StoreError.self) {
                try await p.recordFuneral(county: Self.county, householdID: "H1", deceased: Self.spouse1, choice: .waiver, amountFen: nil, on: Day(year: 2025, month: 4, day: 3)!)
            }
            await #expect(throws: StoreError.self) {
                try await p.recordFuneral(county: Self.county, householdID: "H1", deceased: Self.head2, choice: .waiver, amountFen: nil, on: Day(year: 2025, month: 4, day: 3)!)
            }
            let w = try await p.recordFuneral(county: Self.county, householdID: "H2", deceased: Self.head2, choice: .waiver, amountFen: nil, on: Day(year: 2025, month: 4, day: 5)!)
            #expect(w.amountFen == 0 && w.notice.hasPrefix("李建国身故，减免基本殡葬服务费用"))
            _ = try await p.generate(county: Self.county, month: april)
            #expect(try await p.roll(county: Self.county, month: april).lines.filter { $0.kind == .funeral }.map { "\($0.householdID) \($0.amountFen)" } == ["H1 150000"])
            _ = try await p.generate(county: Self.county, month: april.adding(months: 1))
            #expect(try await p.roll(county: Self.county, month: april.adding(months: 1)).lines.filter { $0.kind == .funeral }.isEmpty)
        }
    }

    /// An unreported change: reckoned from what the rolls paid since it; criticised beyond the pack's
    /// three months; for fraud, recovery and a fine of 1–3 times; the next roll pays the new amount.
    @Test func anUnreportedChange_isReckonedFromTheRolls_withCriticismAndRecovery() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let p = try await setUp(rt)
            _ = try await p.importRecipients(Self.standardFile, fileName: "recipients.csv", owedFrom: Self.march)
            for month in 3...6 {
                _ = try await p.generate(county: Self.county, month: Month(year: 2025, month: month)!)
                _ = try await p.confirm(county: Self.county, month: Month(year: 2025, month: month)!)
            }
            let found = Day(year: 2025, month: 7, day: 10)!
            await #expect(throws: StoreError.self) {
                try await p.recordUnreportedChange(county: Self.county, householdID: "H1", programme: .dibao, changedIn: Month(year: 2025, month: 8)!,
                                                   correctAmountFen: 20000, fraud: false, on: found)
            }
            let r = try await p.recordUnreportedChange(county: Self.county, householdID: "H1", programme: .dibao, changedIn: Self.march,
                                                       correctAmountFen: 20000, fraud: true, on: found)
            #expect(r.monthsUnreported == 4 && r.criticised)
            #expect(r.overpaidFen == 4 * (60000 - 20000) && r.fineFromFen == 160000 && r.fineToFen == 480000)
            #expect(r.review.notice.contains("未告知已超过 3 个月，予以批评教育") && r.review.notice.contains("最低生活保障自 2025-03 起按每月 ¥200.00 核定，2025-08 起按此发放")
                    && r.review.notice.contains("多领取救助金 ¥1,600.00，予以追回") && r.review.notice.contains("¥1,600.00至 ¥4,800.00"))
            // H2 (特困) no longer eligible since May, not fraud: stopped, the overpayment to be returned.
            let stop = try await p.recordUnreportedChange(county: Self.county, householdID: "H2", programme: .tekun, changedIn: Month(year: 2025, month: 5)!,
                                                          correctAmountFen: 0, fraud: false, on: found)
            #expect(!stop.criticised && stop.overpaidFen == 2 * 110000 && stop.fineFromFen == nil && stop.review.lastMonth == Month(year: 2025, month: 4)!)
            #expect(stop.review.notice.contains("自 2025-05 起已不再符合特困人员救助供养条件，停发") && stop.review.notice.contains("应予退还"))
            _ = try await p.generate(county: Self.county, month: Month(year: 2025, month: 8)!)
            let august = try await p.roll(county: Self.county, month: Month(year: 2025, month: 8)!).lines
            // July (not yet paid) at the new amount; nothing more for H2; the months paid before are reported overpaid, not deducted.
            #expect(august.map { "\($0.householdID) \($0.forMonth) \($0.amountFen)" } == ["H1 2025-07 20000", "H1 2025-08 20000"])
        }
    }
}
