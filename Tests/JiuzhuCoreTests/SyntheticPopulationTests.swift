import Foundation
import JiuzhuTestSupport
import Testing
@testable import JiuzhuCore

private let today = Day(year: 2025, month: 7, day: 1)!

/// Completed years on 2025-07-01 (the first day of the evaluation month 2025-07), worked
/// from characters 7–14 of the ID number: a year is completed on the birthday itself.
private func age(_ m: Member) -> Int {
    let digits = Array(m.idNumber.value.utf8).map { Int($0) - 48 }
    let y = digits[6] * 1000 + digits[7] * 100 + digits[8] * 10 + digits[9]
    let mo = digits[10] * 10 + digits[11], d = digits[12] * 10 + digits[13]
    let beforeBirthday = (7, 1) < (mo, d)
    return max(0, 2025 - y - (beforeBirthday ? 1 : 0))
}

private let sample1000 = SyntheticPopulation(seed: 1, today: today).generate(households: 1000)

private func grouped(_ p: Population) -> [String: [Member]] {
    Dictionary(grouping: p.members, by: \.householdID)
}

// MARK: - Determinism

@Test func synth_sameSeed_givesSameBytes() {
    let a = PopulationCSV.write(SyntheticPopulation(seed: 42, today: today).generate(households: 500))
    let b = PopulationCSV.write(SyntheticPopulation(seed: 42, today: today).generate(households: 500))
    #expect(a.households == b.households)
    #expect(a.members == b.members)
}

@Test func synth_differentSeed_givesDifferentBytes() {
    let a = PopulationCSV.write(SyntheticPopulation(seed: 1, today: today).generate(households: 500))
    let b = PopulationCSV.write(SyntheticPopulation(seed: 2, today: today).generate(households: 500))
    #expect(a.households != b.households)
    #expect(a.members != b.members)
}

@Test func synth_generateCSV_givesTheSameBytesAsWrite() {
    let s = SyntheticPopulation(seed: 9, today: today)
    let written = PopulationCSV.write(s.generate(households: 300))
    let direct = s.generateCSV(households: 300)
    #expect(Data(direct.households) == written.households)
    #expect(Data(direct.members) == written.members)
}

// MARK: - Validity

@Test func synth_output_passesRead() throws {
    let (h, m) = PopulationCSV.write(sample1000)
    let back = try PopulationCSV.read(households: h, members: m, today: today)
    #expect(back.households.count == 1000)
    #expect(back.members.count == sample1000.members.count)
}

@Test func synth_householdIDs_areFixedWidthInFileOrder() {
    let ids = sample1000.households.map(\.householdID)
    #expect(ids.first == "H0000001")
    #expect(ids.last == "H0001000")
    #expect(ids == ids.sorted())
}

@Test func synth_idNumbers_areValidUniqueAndFromTheHouseholdsCounty() throws {
    var seen = Set<String>()
    let households = Dictionary(uniqueKeysWithValues: sample1000.households.map { ($0.householdID, $0) })
    for m in sample1000.members {
        let checked = try IDNumber(validating: m.idNumber.value, today: today)
        #expect(checked == m.idNumber)
        #expect(seen.insert(m.idNumber.value).inserted)
        let county = String(households[m.householdID]!.divisionCode.digits.prefix(6))
        #expect(m.idNumber.value.hasPrefix(county))
    }
}

@Test func synth_places_areTownshipsOrVillagesOfTheFiveLocalities() {
    let localities = ["532625", "430321", "3508", "2305", "530428"]
    var villages = 0
    var seenLocalities = Set<String>()
    for h in sample1000.households {
        let code = h.divisionCode.digits
        #expect(code.count == 9 || code.count == 12)
        if code.count == 12 {
            villages += 1
            let v = Int(code.suffix(3))!
            #expect((1...30).contains(v))
        }
        let locality = localities.first { code.hasPrefix($0) }
        #expect(locality != nil)
        if let locality { seenLocalities.insert(locality) }
        #expect(Divisions.bundled.validatePlace(h.divisionCode) == nil)
    }
    #expect(seenLocalities.count == 5)
    #expect(villages > 100 && villages < 500)
}

@Test func synth_agesAndSexes_fitRelations() {
    for (id, ms) in grouped(sample1000) {
        let heads = ms.filter { $0.relation == .head }
        #expect(heads.count == 1, "household \(id)")
        guard let head = heads.first else { continue }
        let h = age(head)
        #expect((20...100).contains(h), "head of \(id) is \(h)")
        for m in ms {
            let a = age(m)
            #expect(m.idNumber.birthDate <= today)
            switch m.relation {
            case .head: break
            case .spouse:
                #expect(abs(a - h) <= 7, "spouse in \(id)")
                #expect(m.idNumber.sex != head.idNumber.sex, "spouse in \(id)")
            case .child:
                #expect((17...46).contains(h - a), "child in \(id): head \(h), child \(a)")
            case .parent:
                #expect(a >= h + 19 || a >= 99, "parent in \(id): head \(h), parent \(a)")
                #expect(a <= h + 41, "parent in \(id)")
            case .grandchild:
                #expect((35...92).contains(h - a), "grandchild in \(id): head \(h), grandchild \(a)")
            case .grandparent:
                #expect(a >= h + 40 || a >= 99, "grandparent in \(id)")
            case .sibling:
                #expect(abs(a - h) <= 11, "sibling in \(id)")
            case .other:
                #expect(a >= 17, "other in \(id)")
            }
        }
        // Two parents are a father and a mother.
        let parents = ms.filter { $0.relation == .parent }
        if parents.count == 2 { #expect(Set(parents.map(\.idNumber.sex)).count == 2) }
    }
}

@Test func synth_shares_lookLikeACounty() {
    let p = SyntheticPopulation(seed: 3, today: today).generate(households: 5000)
    let ms = p.members
    let n = Double(ms.count)
    let disabled = Double(ms.filter { $0.disabilityGrade > 0 }.count) / n
    let ill = Double(ms.filter(\.seriousIllness).count) / n
    #expect(disabled > 0.04 && disabled < 0.09, "disability share \(disabled)")
    #expect(ill > 0.015 && ill < 0.05, "serious illness share \(ill)")
    #expect(ms.contains { $0.veteranDisabilityGrade > 0 })
    #expect(ms.contains { $0.martyrFamily })
    #expect(ms.contains { $0.demobilizedVeteran })
    #expect(Set(ms.map(\.careLevel)) == Set(CareLevel.allCases))
    #expect(Set(ms.map(\.relation)) == Set(Relation.allCases))
    #expect(Set(ms.filter { $0.disabilityGrade > 0 }.map(\.disabilityKind)) == Set(DisabilityKind.allCases).subtracting([.none]))
    #expect(Set(ms.map(\.disabilityGrade)) == [0, 1, 2, 3, 4])
    for m in ms {
        #expect((m.disabilityGrade == 0) == (m.disabilityKind == .none))
        #expect(m.employmentIncome <= m.monthlyIncome)
        #expect(m.employmentIncome.fen >= 0)
        if age(m) >= 80 || age(m) < 16 { #expect(!m.ableToWork) }
    }
    let sizes = Dictionary(grouping: ms, by: \.householdID).mapValues(\.count)
    #expect(Set(sizes.values) == [1, 2, 3, 4, 5, 6])
    // Many one- and two-person elderly households in the countryside.
    let byID = Dictionary(grouping: ms, by: \.householdID)
    let rural = p.households.filter { $0.hukouType == .rural }
    let elderlySmall = rural.filter { h in
        let g = byID[h.householdID]!
        return g.count <= 2 && g.allSatisfy { age($0) >= 60 }
    }
    #expect(Double(elderlySmall.count) / Double(rural.count) > 0.2)
    #expect(p.households.contains { $0.hukouType == .urban })
}

// MARK: - Outcomes under the reference rules

/// The reference rule set (reference-rules.md) with the `reference` values, for month 2025-07:
/// the literal oracle shared by the tests (JiuzhuTestSupport), independent of the rules engine.
private func classify(_ h: Household, _ ms: [Member]) -> String {
    SpecOracle.evaluate(h, ms, month: Month(year: 2025, month: 7)!)!.programme
}

private let outcomes = ["tekun", "dibao", "dibao_single", "low_income", "none"]

@Test func referenceClassifier_handWorkedCases() throws {
    // Checks the test's own evaluator on cases worked by hand.
    let place = try DivisionCode("532625100")
    let old = try IDNumber(validating: "53262519400101007X", today: today) // 85 on 2025-07-01
    let young = try IDNumber(validating: "532625198501010031", today: today) // 40
    func member(_ id: IDNumber, income: Int64, work: Int64 = 0, able: Bool = false, grade: Int = 0,
                kind: DisabilityKind = .none, ill: Bool = false) -> Member {
        Member(householdID: "H", idNumber: id, name: "甲", relation: .head, disabilityGrade: grade, disabilityKind: kind,
               seriousIllness: ill, ableToWork: able, monthlyIncome: Money(fen: income), employmentIncome: Money(fen: work))
    }
    let rural = Household(householdID: "H", divisionCode: place, hukouType: .rural, deposits: 1_200_000, houses: 1)
    // 85, alone, no work, no supporter, 49999 < 50000, deposits 1200000 = 24 × 50000: tekun.
    #expect(classify(rural, [member(old, income: 49999)]) == "tekun")
    // The same at 50000: not under S, and not under S × 1 either, but 2 × 50000 ≤ 3 × 50000: low income.
    #expect(classify(rural, [member(old, income: 50000)]) == "low_income")
    // Able to work, 40, 100000 from work: net = 100000 − 55800 = 44200 < 50000: dibao.
    #expect(classify(rural, [member(young, income: 100000, work: 100000, able: true)]) == "dibao")
    // Net 75000 = 1.5 × 50000 with grade 3 mental: dibao_single; grade 3 visual: low income.
    #expect(classify(rural, [member(young, income: 75000, able: true, grade: 3, kind: .mental)]) == "dibao_single")
    #expect(classify(rural, [member(young, income: 75000, able: true, grade: 3, kind: .visual)]) == "low_income")
    // 75001: none. Deposits one fen over the line: none.
    #expect(classify(rural, [member(young, income: 75001, able: true)]) == "none")
    var rich = rural
    rich.deposits = 1_200_001
    #expect(classify(rich, [member(old, income: 0)]) == "none")
}

@Test func synth_seed1_thousandHouseholds_produceEveryReferenceOutcome() {
    let byID = grouped(sample1000)
    var counts: [String: Int] = [:]
    for h in sample1000.households {
        counts[classify(h, byID[h.householdID]!), default: 0] += 1
    }
    for outcome in outcomes {
        #expect((counts[outcome] ?? 0) > 0, "no \(outcome) household: \(counts)")
    }
    // Most households are none.
    #expect((counts["none"] ?? 0) > 600, "\(counts)")
}
