import JiuzhuCore
@testable import JiuzhuPolicy
import JiuzhuTestSupport
import Testing

@Suite struct PriceLinkageTests {
    func decide(_ month: String, cpi: String, food: String) throws -> PriceLinkage.Decision {
        try PriceLinkage.decide(PriceIndices(month: try Month(parsing: month), cpiRise: try Rate(parsing: cpi), foodCpiRise: try Rate(parsing: food)),
                                pack: try Packs.bundled.pack(id: "reference"))
    }

    @Test func belowBothTriggers_paysNothing() throws {
        let d = try decide("2025-06", cpi: "3.4%", food: "5.9%")
        #expect(!d.triggered)
        #expect(d.perPersonUrbanFen == 0 && d.perPersonRuralFen == 0)
        #expect(d.paymentMonth == Month(year: 2025, month: 7)!)
        #expect(d.steps.first?.passed == false)
    }

    @Test func cpiExactlyAtTheTrigger_paysStandardTimesRise_roundedToTheNearestYuan() throws {
        // 3.5% ≥ 3.5%. Urban 70000 × 3.5% = 2450 fen = 24.50 yuan → 25 yuan; rural 50000 × 3.5% = 1750 → 18 yuan.
        let d = try decide("2025-06", cpi: "3.5%", food: "1%")
        #expect(d.triggered && d.index == "cpi" && d.rise == "3.5%")
        #expect(d.perPersonUrbanFen == 2500)
        #expect(d.perPersonRuralFen == 1800)
    }

    @Test func bothTrigger_theHigherRiseIsUsed() throws {
        // Food 6.5% and CPI 3.6%: 6.5%. Urban 70000 × 6.5% = 4550 → 46 yuan; rural 3250 → 33 yuan.
        let d = try decide("2025-06", cpi: "3.6%", food: "6.5%")
        #expect(d.index == "food_cpi")
        #expect(d.perPersonUrbanFen == 4600 && d.perPersonRuralFen == 3300)
    }

    @Test func temporaryThreePercent_forTheIndicesOfAugust2022ToFebruary2023() throws {
        // Index 2022-07 at 3.2%: the 3.5% trigger still holds → nothing.
        #expect(try !decide("2022-07", cpi: "3.2%", food: "2%").triggered)
        // Index 2022-08 and 2023-02 at 3.0%: the temporary 3% trigger → paid; low-income families covered.
        for month in ["2022-08", "2023-02"] {
            let d = try decide(month, cpi: "3%", food: "2%")
            #expect(d.triggered, "\(month)")
            #expect(d.programmes.contains("low_income"), "\(month)")
            // Urban 70000 × 3% = 2100 → 21 yuan; rural 1500 → 15 yuan.
            #expect(d.perPersonUrbanFen == 2100 && d.perPersonRuralFen == 1500)
        }
        // Index 2023-03: back to 3.5%.
        let after = try decide("2023-03", cpi: "3%", food: "2%")
        #expect(!after.triggered)
        #expect(!after.programmes.contains("low_income"))
    }

    @Test func subsidy_perHousehold_countsThePeopleTheProgrammeCovers() throws {
        let pack = try Packs.bundled.pack(id: "reference")
        let d = try decide("2025-06", cpi: "4%", food: "1%")   // rural 50000 × 4% = 2000 → 20 yuan per person
        let r = Fixtures.record("H1")                         // rural couple in dibao
        let e = try ReferenceRules.evaluate(r.household, members: r.members, month: Month(year: 2025, month: 7)!, pack: pack)
        #expect(e.programme == .dibao)
        #expect(d.subsidy(for: e, hukou: .rural) == 4000)
        var rich = r
        rich.household.deposits = 100_000_000
        let none = try ReferenceRules.evaluate(rich.household, members: rich.members, month: Month(year: 2025, month: 7)!, pack: pack)
        #expect(d.subsidy(for: none, hukou: .rural) == 0)
    }

    @Test func packWithoutLinkageParameters_isAnErrorNamingTheParameter() throws {
        let pack = try Packs.bundled.pack(id: "reference")
        var ps = pack.parameters
        ps["price_cpi_trigger"] = nil
        let bare = PolicyPack(id: "bare", name: "bare", divisions: [], parameters: ps)
        #expect(throws: PolicyError(pack: "bare", parameter: "price_cpi_trigger", "this rule needs this parameter; the pack does not define it")) {
            try PriceLinkage.decide(PriceIndices(month: Month(year: 2025, month: 6)!, cpiRise: Rate(units: 4, scale: 2), foodCpiRise: Rate(units: 0, scale: 0)), pack: bare)
        }
    }
}
