import Foundation
import JiuzhuCore
import JiuzhuPacks
@testable import JiuzhuPolicy
import JiuzhuTestSupport
import Testing

@Suite struct ExplanationTests {
    func dibaoHousehold() -> (Household, [Member]) {
        let r = Fixtures.record("H1")
        return (r.household, r.members)
    }

    @Test func explanation_namesEachTest_theFigures_andTheParametersWithDatesAndSources() throws {
        let (h, ms) = dibaoHousehold()
        let pack = try Packs.bundled.pack(id: "reference")
        let e = try ReferenceRules.evaluate(h, members: ms, month: Month(year: 2025, month: 7)!, pack: pack)
        // Two rural members, income 30000, no deduction: net 30000 < 50000 × 2; both 60+ → 2 special, U = 7500.
        // Benefit = 100000 − 30000 + 2 × 7500 = 85000 (already whole yuan).
        #expect(e.programme == .dibao)
        #expect(e.benefit == 85000)
        #expect(e.steps.map(\.key) == ["members", "net_income", "assets", "dibao", "dibao_benefit"])
        #expect(e.steps.first { $0.key == "assets" }?.passed == true)
        let uses = Set(e.steps.flatMap(\.parameters).map(\.name))
        #expect(uses.isSuperset(of: ["S_rural", "W", "employment_deduction_rate", "deposit_months", "uplift_rate", "dibao_rounding"]))
        let s = e.steps.flatMap(\.parameters).first { $0.name == "S_rural" }!
        #expect(s.from == Day(year: 2020, month: 1, day: 1)!)
        #expect(s.value == "¥500.00")
        #expect(s.citation.contains("reference-rules.md"))

        let text = ExplanationText.render(e, packName: pack.name)
        #expect(text.contains("结论：最低生活保障（整户），每月 ¥850.00"))
        #expect(text.contains("差额 ¥1,000.00 − ¥300.00 + 加发 ¥75.00 × 2 人 = ¥850.00"))
        #expect(text.contains("农村低保标准（每人每月）（S_rural）：¥500.00，自 2020-01-01 起执行"))

        let json = try JSONEncoder().encode(e)
        let back = try JSONDecoder().decode(Evaluation.self, from: json)
        #expect(back == e)
    }

    @Test func explanation_marksProvisionalValues() throws {
        let (h, ms) = dibaoHousehold()
        let pack = try Packs.bundled.pack(id: "reference")
        var ps = pack.parameters
        let s = ps["S_rural"]!
        ps["S_rural"] = Parameter(name: s.name, description: s.description, unit: s.unit, citation: s.citation, provisional: true, values: s.values)
        let e = try ReferenceRules.evaluate(h, members: ms, month: Month(year: 2025, month: 7)!,
                                            pack: PolicyPack(id: "x", name: "x", divisions: [], parameters: ps))
        #expect(ExplanationText.render(e).contains("（待核定）"))
    }
}

@Suite struct PaymentSwitchTests {
    /// A pack that pays by bands instead of the gap, and does not round: the same household,
    /// another amount, with no code change.
    @Test func bands_payAFixedAmountPerPersonByPerCapitaIncome() throws {
        let pack = try Packs.bundled.pack(id: "reference")
        let day = Day(year: 2025, month: 1, day: 1)!
        var banded = pack.overriding(["dibao_payment": .choice("bands"), "dibao_rounding": .choice("fen")], from: day)
        var ps = banded.parameters
        ps["dibao_bands"] = Parameter(name: "dibao_bands", description: "分档", unit: .list, citation: "test", provisional: true,
                                      values: [(from: day, value: .names(["10000:40000", "30000:25000", "50000:10000"]))])
        banded = PolicyPack(id: banded.id, name: banded.name, divisions: [], parameters: ps)
        let r = Fixtures.record("H1")   // rural, 2 members aged 60+ (2 special, U 7500), net 30000
        let e = try ReferenceRules.evaluate(r.household, members: r.members, month: Month(year: 2025, month: 7)!, pack: banded)
        // Per-capita net = 30000 / 2 = 15000 → second band (below 30000): 25000 per person.
        // 25000 × 2 + 7500 × 2 = 65000, not rounded.
        #expect(e.programme == .dibao)
        #expect(e.benefit == 65000)
        #expect(e.steps.last?.detail.contains("分档") == true)
    }

    @Test func bands_malformed_isAnErrorNamingTheParameter() throws {
        let pack = try Packs.bundled.pack(id: "reference")
        let day = Day(year: 2020, month: 1, day: 1)!
        var ps = pack.overriding(["dibao_payment": .choice("bands")], from: day).parameters
        ps["dibao_bands"] = Parameter(name: "dibao_bands", description: "分档", unit: .list, citation: "test", provisional: false,
                                      values: [(from: day, value: .names(["30000:25000", "10000:40000"]))])
        let bad = PolicyPack(id: "bad", name: "bad", divisions: [], parameters: ps)
        do {
            _ = try ReferenceParameters(pack: bad, month: Month(year: 2025, month: 7)!)
            Issue.record("expected an error")
        } catch {
            #expect(error.parameter == "dibao_bands")
            #expect(error.description.contains("increasing order"))
        }
    }
}

@Suite struct MixedPackTests {
    /// Households under different packs: the columnar run (runs of households per pack) gives the
    /// same totals and what-if as the readable evaluator with each household's own pack.
    @Test func simulate_eachHouseholdUnderItsOwnPack_columnarEqualsReadable() throws {
        let reference = try Packs.bundled.pack(id: "reference")
        let day = Day(year: 2020, month: 1, day: 1)!
        let south = PolicyPack(id: "south", name: "south", divisions: [try DivisionCode("530428"), try DivisionCode("532625")],
                               parameters: reference.parameters)
        let north = PolicyPack(id: "north", name: "north", divisions: [try DivisionCode("230500"), try DivisionCode("350800"), try DivisionCode("430321")],
                               parameters: reference.overriding(["S_rural": .money(56000), "uplift_rate": .rate(Rate(units: 20, scale: 2))], from: day).parameters)
        let packs = PackChoice.byDivision(Packs([south, north]))
        let today = Day(year: 2025, month: 7, day: 15)!
        let generator = SyntheticPopulation(seed: 21, today: today)
        let (h, m) = generator.generateCSV(households: 4000)
        let month = Month(year: 2025, month: 7)!
        let population = try PopulationCSV.read(households: Data(h), members: Data(m), today: today)
        let readable = try PolicyRun.simulate(population, month: month, packs: packs, changes: [])
        let columnar = try PolicyRun.simulate(households: Data(h), members: Data(m), today: today, month: month, packs: packs, changes: [])
        #expect(columnar == readable)
        let readableWhatIf = try PolicyRun.simulate(population, month: month, packs: packs, changes: ["W=200000"])
        let columnarWhatIf = try PolicyRun.simulate(households: Data(h), members: Data(m), today: today, month: month, packs: packs, changes: ["W=200000"])
        #expect(columnarWhatIf == readableWhatIf)
        // And the two packs really differ on these households.
        let allSouth = try PolicyRun.simulate(households: Data(h), members: Data(m), today: today, month: month, packs: .fixed(south), changes: [])
        #expect(allSouth != columnar)
    }
}

@Suite struct BundledPackColumnarTests {
    /// Under every bundled pack, the columnar path and the readable evaluator agree household by
    /// household (programme and amount) on a synthetic population, in months across the packs' dated changes.
    @Test(arguments: BundledPacks.ids)
    func columnarEqualsReadable_underEachBundledPack(id: String) throws {
        let pack = try Packs.bundled.pack(id: id)
        let today = Day(year: 2025, month: 7, day: 15)!
        let (h, m) = SyntheticPopulation(seed: 31, today: today).generateCSV(households: 3000)
        let population = try PopulationCSV.read(households: Data(h), members: Data(m), today: today)
        let columns = try ColumnarPopulation.parse(households: Data(h), members: Data(m), today: today)
        let groups = Dictionary(grouping: population.members, by: \.householdID)
        for month in ["2021-01", "2022-10", "2024-12", "2026-07"] {
            let parameters = try ReferenceParameters(pack: pack, month: try Month(parsing: month))
            let fast = try ColumnarEvaluator.evaluate(columns, parameters: parameters)
            var differences = 0
            for (i, household) in population.households.enumerated() {
                let e = try ReferenceRules.evaluate(household, members: groups[household.householdID]!, parameters: parameters, explain: false)
                if e.programme != fast.programme(i) || e.benefit.fen != fast.benefit[i] { differences += 1 }
            }
            #expect(differences == 0, "\(id) \(month): \(differences) households differ")
        }
    }
}
