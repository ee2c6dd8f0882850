import FluentKit
import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import JiuzhuTestSupport
import Testing

/// A year of months in one county (元江): migrated recipients, an enrolment, a price-trigger month,
/// a review that changes an amount, an emergency with a raise and a bulk subsidy, a gradual exit
/// and a stop. Every month's roll is generated, confirmed, exported and answered; each roll's total
/// is the sum the scenario owes that month, worked out here from the pack's own figures.
@Suite struct PayrollYearTests {
    static let h1 = Fixtures.record("H1")   // two people, rural
    static let h2 = Fixtures.record("H2", headID: Fixtures.idNumber(born: "19700101", sequence: 31), spouseID: Fixtures.idNumber(born: "19710101", sequence: 42))
    static let h3 = Fixtures.record("H3", headID: Fixtures.idNumber(born: "19500101", sequence: 71), spouseID: Fixtures.idNumber(born: "19520101", sequence: 82))
    static var county: String { h1.household.countyCode.digits }
    static func m(_ month: Int) -> Month { Month(year: 2025, month: month)! }

    @Test func aYearOfRolls_paysWhatTheScenarioOwes_toTheFen() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let now = MovableClock(Day(year: 2025, month: 1, day: 10)!)
            let r = Registry(db: rt.db, actor: .system, now: { Fixtures.now })
            for h in [Self.h1, Self.h2, Self.h3] { try await r.create(h) }
            let p = Payroll(db: rt.db, actor: AuditActor("test:officer"), now: { now.now })
            let store = PaymentStore(db: rt.db, actor: .system, now: { now.now })
            let pack = try PackChoice.byDivision(.bundled).pack(for: Self.h1.household)
            let file = "household_id,programme,payee_id_number,monthly_amount_fen,first_month,next_review,bank_account\n"
                + "H1,dibao,\(Self.h1.members[0].idNumber.value),60000,2023-05,2025-06-20,6217001234567890\n"
                + "H2,tekun,\(Self.h2.members[0].idNumber.value),110000,2024-01,2026-01-31,6217009876543210\n"
            _ = try await p.importRecipients(Data(file.utf8), fileName: "recipients.csv", owedFrom: Self.m(1))

            // What the scenario owes, month by month (fen), built beside the events below.
            var owed: [Month: Int64] = [:]
            func add(_ month: Int, _ fen: Int64) { owed[Self.m(month), default: 0] += fen }
            for month in 1...12 { add(month, 60000) }           // H1 at 600 yuan … changed from July, gradual exit from November
            for month in 1...11 { add(month, 110000) }          // H2 (特困) until stopped after November

            // February's CPI: the food CPI triggers the subsidy paid with March.
            try await p.recordPriceIndices(county: Self.county, month: Self.m(2), cpi: try Rate(parsing: "2.0%"), foodCpi: try Rate(parsing: "8.0%"))
            let price = try PriceLinkage.decide(PriceIndices(month: Self.m(2), cpiRise: try Rate(parsing: "2.0%"), foodCpiRise: try Rate(parsing: "8.0%")), pack: pack)
            #expect(price.triggered)
            if price.programmes.contains("dibao") { add(3, price.perPersonRuralFen * 2) }
            if price.programmes.contains("tekun") { add(3, price.perPersonRuralFen) }

            // April: H3 enrolled (a case's decision) at 500 yuan from April, its account recorded only in May.
            _ = try await store.record([NewEntitlement(householdID: "H3", countyCode: Self.county, divisionCode: Self.h3.household.divisionCode.digits,
                                                       programme: .dibao, payee: Self.h3.members[0].idNumber.value, bankAccount: nil, firstMonth: Self.m(4),
                                                       owedFrom: Self.m(4), nextReview: Day(year: 2025, month: 10, day: 1)!, source: "case:2025-0001",
                                                       amount: DatedAmount(from: Self.m(4), fen: 50000, reason: "审核确认"))], county: Self.county)
            add(5, 50000 * 2)                                    // April held, paid with May
            for month in 6...12 { add(month, 50000) }

            // July–August: an emergency over H2's and H3's township raises the standards 10 % and pays 200 yuan a person in July.
            let township = String(Self.h2.household.divisionCode.digits.prefix(9))
            let raiseFen = try Rate(parsing: "10%").timesFloor(try ReferenceParameters(pack: pack, month: Self.m(7)).sRural).fen
            #expect(raiseFen > 0)

            for month in 1...12 {
                let roll = Self.m(month)
                now.set(Day(year: 2025, month: month, day: 10)!)
                switch month {
                case 5:
                    _ = try await store.setAccount(county: Self.county, householdID: "H3", programme: .dibao, account: "6217005555666677")
                case 6:   // H1's review: a member's illness, 650 yuan from July.
                    let v = try await p.recordReview(county: Self.county, householdID: "H1", programme: .dibao, outcome: .change, amountFen: 65000,
                                                     reason: "家庭成员患重病", on: Day(year: 2025, month: 6, day: 20)!)
                    #expect(v.notice.contains("自 2025-07 起最低生活保障增发为每月 ¥650.00"))
                    for m in 7...12 { add(m, 5000) }
                case 7:
                    let e = try await p.declareEmergency(county: Self.county, name: "2025年7月洪涝灾害", divisions: [township], from: Self.m(7), to: Self.m(8),
                                                         raise: try Rate(parsing: "10%"), subsidyPerPersonFen: 20000, subsidyMonth: Self.m(7))
                    #expect(e.divisions == [township])
                    for (h, programme) in [(Self.h1, "dibao"), (Self.h2, "tekun"), (Self.h3, "dibao")] where h.household.divisionCode.digits.hasPrefix(township) {
                        let people = Int64(programme == "tekun" ? 1 : h.members.count)
                        add(7, raiseFen * people + 20000 * Int64(h.members.count))
                        add(8, raiseFen * people)
                    }
                case 10:  // H1's member found work: gradual exit, the pack's months at 650 yuan, then nothing.
                    let v = try await p.recordReview(county: Self.county, householdID: "H1", programme: .dibao, outcome: .gradualExit, on: Day(year: 2025, month: 10, day: 5)!)
                    #expect(v.lastMonth == Self.m(10).adding(months: try GradualExit.months(pack: pack, on: Day(year: 2025, month: 10, day: 5)!)))
                case 11:  // H2 dies: stopped after November.
                    _ = try await p.recordReview(county: Self.county, householdID: "H2", programme: .tekun, outcome: .stop, reason: "特困人员死亡",
                                                 on: Day(year: 2025, month: 11, day: 25)!)
                default: break
                }
                let (run, _) = try await p.generate(county: Self.county, month: roll)
                let rollLines = try await p.roll(county: Self.county, month: roll)
                #expect(run.totalFen == owed[roll, default: 0], "\(roll): roll \(run.totalFen), owed \(owed[roll, default: 0]) — \(rollLines.lines.map { "\($0.householdID) \($0.kind.rawValue) \($0.forMonth) \($0.amountFen)" })")
                #expect(rollLines.totals.totalFen == run.totalFen && rollLines.totals.rows.reduce(0) { $0 + $1.totalFen } == run.totalFen
                        && rollLines.totals.byProgramme.values.reduce(0, +) == run.totalFen)
                _ = try await p.confirm(county: Self.county, month: roll)
                _ = try await p.bankFile(county: Self.county, month: roll)
                _ = try await p.recordBankAnswer(county: Self.county, month: roll, returned: nil)
            }
            // Over the year: each household paid for each month exactly once.
            var benefit: [String: Int64] = [:]
            for month in 1...12 {
                for l in try await p.roll(county: Self.county, month: Self.m(month)).lines where l.kind.paysBenefit {
                    benefit["\(l.householdID) \(l.forMonth)", default: 0] += l.amountFen
                }
            }
            #expect(benefit["H1 2025-06"] == 60000 && benefit["H1 2025-07"] == 65000 && benefit["H1 2025-12"] == 65000)
            #expect(benefit["H2 2025-11"] == 110000 && benefit["H2 2025-12"] == nil)
            #expect(benefit["H3 2025-04"] == 50000 && benefit["H3 2025-05"] == 50000 && benefit.keys.filter { $0.hasPrefix("H3") }.count == 9)
        }
    }
}
