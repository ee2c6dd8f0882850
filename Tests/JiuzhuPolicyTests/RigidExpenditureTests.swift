import JiuzhuCore
@testable import JiuzhuPolicy
import JiuzhuTestSupport
import Testing

@Suite struct RigidExpenditureTests {
    /// The rural couple of the fixtures with the head earning `income` a month: 200000 puts them above the low-income line.
    func evaluation(_ month: String = "2025-07", income: Int64 = 200000) throws -> (Evaluation, PolicyPack) {
        let pack = try Packs.bundled.pack(id: "reference")
        var r = Fixtures.record("H")
        r.members[0].monthlyIncome = Money(fen: income)   // net 200000 > 1.5 × 50000 × 2 = 150000 → none
        return (try ReferenceRules.evaluate(r.household, members: r.members, month: try Month(parsing: month), pack: pack), pack)
    }

    @Test func spendingAboveIncome_recognised_atOrBelow_not() throws {
        let (e, pack) = try evaluation()
        #expect(e.programme == .none)
        // Income 2,400,000 over 12 months → 2,400,000 / 12 / 2 = 100000 per person-month < 250000.
        let above = try RigidExpenditure.decide(RigidSpending(medical: 2_000_000, education: 400_001, income: 2_400_000), evaluation: e, pack: pack)
        #expect(above.recognised)
        let equal = try RigidExpenditure.decide(RigidSpending(medical: 2_000_000, education: 400_000, income: 2_400_000), evaluation: e, pack: pack)
        #expect(!equal.recognised)   // must exceed 1 × income
        #expect(equal.steps.last?.passed == false)
    }

    @Test func householdAlreadyAssisted_orTooRich_isNotRecognised() throws {
        let (dibao, pack) = try evaluation(income: 30000)
        #expect(dibao.programme == .dibao)
        #expect(try !RigidExpenditure.decide(RigidSpending(medical: 9_000_000, income: 360_000), evaluation: dibao, pack: pack).recognised)
        let (none, _) = try evaluation()
        // Income 7,200,000 / 12 / 2 = 300000 ≥ 250000.
        #expect(try !RigidExpenditure.decide(RigidSpending(medical: 9_000_000, income: 7_200_000), evaluation: none, pack: pack).recognised)
    }

    @Test func beforeTheRuleTookEffect_isAnErrorNamingTheDate() throws {
        let (e, pack) = try evaluation("2024-12")
        do {
            _ = try RigidExpenditure.decide(RigidSpending(medical: 1, income: 0), evaluation: e, pack: pack)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("takes effect on 2025-01-01"))
        }
    }
}
