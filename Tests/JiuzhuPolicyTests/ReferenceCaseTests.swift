import Foundation
import JiuzhuCore
import JiuzhuPacks
@testable import JiuzhuPolicy
import JiuzhuTestSupport
import Testing
import Yams

/// One hand-worked case of Policies/<pack>.cases.yaml.
struct PolicyCase: CustomTestStringConvertible, Sendable {
    let pack: String
    let name: String
    let month: Month
    let household: Household
    let members: [Member]
    let programme: Programme?
    let benefitFen: Int64?
    let figures: [String: String]
    let error: String?
    /// The household's circumstances (members by position), when the case tests the full rules.
    let circumstances: Circumstances?
    /// Expectations on the comprehensive assessment: `steps` (keys that must appear),
    /// `gradual_exit_fen`, `points`, `points_passed`, `referrals` (programme keys, in order) and
    /// `referral_amounts` (programme → fen).
    let assessment: AssessmentExpectation
    var testDescription: String { "\(pack): \(name)" }

    /// Reads every case of a pack's case file. Members are given by birth date; a valid ID number
    /// is made for each (the county of the household, the birth date, a sequence odd for men).
    static func load(_ pack: String) throws -> [PolicyCase] {
        guard let text = BundledPacks.cases(pack) else { return [] }
        guard let root = try Yams.compose(yaml: text)?.mapping, let list = root["cases"]?.sequence else { return [] }
        return try list.enumerated().map { i, node in try parse(node, index: i, pack: pack) }
    }

    /// Every case of every bundled pack.
    static func loadAll() -> [PolicyCase] {
        BundledPacks.ids.flatMap { (try? load($0)) ?? [] }
    }

    /// Where a pack's case households live: the pack's first division (the reference pack has none: 元江县).
    static func county(of pack: String) -> String {
        (try? Packs.bundled.pack(id: pack))?.divisions.first.map { String($0.digits.prefix(6)) } ?? "530428"
    }

    static func parse(_ node: Node, index: Int, pack: String) throws -> PolicyCase {
        guard let m = node.mapping else { throw CaseError("case \(index): not a mapping") }
        func s(_ n: Node?, _ key: String) -> String? { n?.mapping?[key]?.scalar?.string }
        let name = m["name"]?.scalar?.string ?? "case \(index)"
        guard let monthText = m["month"]?.scalar?.string else { throw CaseError("\(name): month is required") }
        let month = try Month(parsing: monthText)
        guard let h = m["household"]?.mapping else { throw CaseError("\(name): household is required") }
        func hs(_ key: String) -> String? { h[key]?.scalar?.string }
        func int(_ text: String?, _ dflt: Int64 = 0) throws -> Int64 {
            guard let text else { return dflt }
            guard let v = Int64(text) else { throw CaseError("\(name): '\(text)' is not an integer") }
            return v
        }
        func flag(_ text: String?, _ dflt: Bool = false) -> Bool { text.map { $0 == "true" || $0 == "1" } ?? dflt }
        let county = PolicyCase.county(of: pack)
        let division = try DivisionCode(county)
        let household = Household(householdID: name, divisionCode: division,
                                  hukouType: HukouType(rawValue: hs("hukou_type") ?? "") ?? { fatalError("\(name): hukou_type") }(),
                                  deposits: Money(fen: try int(hs("deposits_fen"))),
                                  vehiclesValue: Money(fen: try int(hs("vehicles_value_fen"))),
                                  disabilityVehicle: flag(hs("disability_vehicle")), houses: try int(hs("houses")),
                                  businessRegistered: flag(hs("business_registered")))
        var members: [Member] = []
        for (j, mn) in (h["members"]?.sequence ?? []).enumerated() {
            func ms(_ key: String) -> String? { mn.mapping?[key]?.scalar?.string }
            guard let born = ms("born"), let relation = Relation(rawValue: ms("relation") ?? "") else {
                throw CaseError("\(name): member \(j) needs born and relation")
            }
            let birth = try Day(parsing: born)
            let male = (ms("sex") ?? "male") == "male"
            let seq = 100 + 2 * j + (male ? 1 : 0)
            let idText = Fixtures.idNumber(county: county, born: String(format: "%04d%02d%02d", birth.year, birth.month, birth.day), sequence: seq)
            let id = try IDNumber(validating: idText, today: Day(year: 9999, month: 12, day: 31)!)
            members.append(Member(
                householdID: name, idNumber: id, name: "成员\(j + 1)", relation: relation,
                disabilityGrade: Int(try int(ms("disability_grade"))),
                disabilityKind: DisabilityKind(rawValue: ms("disability_kind") ?? "none") ?? .none,
                seriousIllness: flag(ms("serious_illness")), veteranDisabilityGrade: Int(try int(ms("veteran_disability_grade"))),
                martyrFamily: flag(ms("martyr_family")), demobilizedVeteran: flag(ms("demobilized_veteran")),
                ableToWork: flag(ms("able_to_work"), true), hasCapableSupporter: flag(ms("has_capable_supporter")),
                careLevel: CareLevel(rawValue: ms("care_level") ?? "self") ?? .self,
                monthlyIncome: Money(fen: try int(ms("monthly_income_fen"))), employmentIncome: Money(fen: try int(ms("employment_income_fen")))))
        }
        let expect = m["expect"]
        var figures: [String: String] = [:]
        for (k, v) in expect?.mapping?["figures"]?.mapping ?? [:] { figures[k.scalar!.string] = v.scalar?.string }
        let x = expect?.mapping
        var amounts: [String: String] = [:]
        for (k, v) in x?["referral_amounts"]?.mapping ?? [:] { amounts[k.scalar!.string] = v.scalar?.string }
        let assessment = AssessmentExpectation(
            steps: x?["steps"]?.sequence?.compactMap(\.scalar?.string) ?? [], gradualExitFen: s(expect, "gradual_exit_fen"),
            points: s(expect, "points"), pointsPassed: s(expect, "points_passed"),
            referrals: x?["referrals"]?.sequence?.compactMap(\.scalar?.string), referralAmounts: amounts)
        let circumstances = try h["circumstances"].map { try Self.circumstances($0, members: members, name: name) }
        return PolicyCase(pack: pack, name: name, month: month, household: household, members: members,
                          programme: s(expect, "programme").flatMap(Programme.init(rawValue:)),
                          benefitFen: s(expect, "benefit_fen").flatMap { Int64($0) }, figures: figures, error: s(expect, "error"),
                          circumstances: circumstances, assessment: assessment)
    }

    /// The circumstances of a case: as in the API's JSON, but members are named by `member` (1-based
    /// position in the household) instead of `id_number`.
    static func circumstances(_ node: Node, members: [Member], name: String) throws -> Circumstances {
        guard var root = try Yams.load(yaml: try Yams.serialize(node: node)) as? [String: Any] else {
            throw CaseError("\(name): circumstances must be a mapping")
        }
        if let list = root["members"] as? [[String: Any]] {
            root["members"] = try list.map { entry -> [String: Any] in
                var e = entry
                guard let k = e.removeValue(forKey: "member") as? Int, (1...members.count).contains(k) else {
                    throw CaseError("\(name): each circumstances member needs member: 1…\(members.count)")
                }
                e["id_number"] = members[k - 1].idNumber.description
                return e
            }
        }
        let data = try JSONSerialization.data(withJSONObject: root)
        do { return try JSONDecoder().decode(Circumstances.self, from: data) } catch {
            throw CaseError("\(name): circumstances: \(error)")
        }
    }

    struct AssessmentExpectation: Sendable {
        let steps: [String]
        let gradualExitFen, points, pointsPassed: String?
        let referrals: [String]?
        let referralAmounts: [String: String]
    }

    struct CaseError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}

@Suite struct PackCaseTests {
    static let cases: [PolicyCase] = PolicyCase.loadAll()

    /// Each pack has its hand-worked cases (30 for the reference pack, 20 for a locality), unique
    /// by name, covering every programme of the reference rules.
    @Test(arguments: BundledPacks.ids)
    func caseFile_hasTheHandWorkedCases(pack: String) throws {
        let cases = try PolicyCase.load(pack)
        #expect(cases.count >= (pack == "reference" ? 30 : 20), "\(pack): \(cases.count) cases")
        #expect(Set(cases.map(\.name)).count == cases.count, "case names are unique")
        #expect(Set(cases.compactMap(\.programme)) == Set(Programme.allCases), "every programme is covered")
    }

    /// Each locality's cases test the full rules: every derivation, gradual exit and every kind of
    /// referral, with each locality's own additions.
    @Test(arguments: BundledPacks.ids.filter { $0 != "reference" })
    func caseFile_coversTheFullRules(pack: String) throws {
        let full = try PolicyCase.load(pack).filter { $0.circumstances != nil }
        #expect(full.count >= 12, "\(pack): \(full.count) cases with circumstances")
        let steps = Set(full.flatMap(\.assessment.steps))
        #expect(steps.isSuperset(of: ["household_definition", "income_items", "rigid_costs", "supporters", "self_care", "school_extension"]),
                "\(pack): steps \(steps.sorted())")
        let referrals = Set(full.flatMap { $0.assessment.referrals ?? [] })
        var expected: Set<String> = ["medical", "education", "housing", "employment", "disability_living", "disability_care", "orphan",
                                     "funeral", "disaster_transition", "disaster_housing", "disaster_winter_spring"]
        if pack == "230500" { expected.insert("heating") }
        #expect(referrals.isSuperset(of: expected), "\(pack): missing \(expected.subtracting(referrals).sorted())")
        let exits = full.compactMap(\.assessment.gradualExitFen)
        #expect(exits.contains("0") && exits.contains { $0 != "0" }, "\(pack): gradual exit paid and stopped")
        if pack == "530428" {
            let points = full.compactMap(\.assessment.pointsPassed)
            #expect(points.contains("true") && points.contains("false"), "元江: 积分制 passing and failing")
        }
        if pack == "350800" || pack == "230500" {
            let condition: MemberCondition = pack == "350800" ? .mdrTuberculosis : .entitledGroup
            #expect(full.contains { c in c.programme == .dibaoSingle && c.circumstances!.members.contains { $0.conditions.contains(condition) } },
                    "\(pack): single-person inclusion by \(condition.rawValue)")
        }
    }

    /// Each pack loads and serves every month from 2021-01 to 2026-12.
    @Test(arguments: BundledPacks.ids)
    func pack_loads_andServesEveryMonth(pack id: String) throws {
        let pack = try Packs.loadBundled(id)
        #expect(pack.id == id)
        var m = Month(year: 2021, month: 1)!
        while m <= Month(year: 2026, month: 12)! {
            _ = try ReferenceParameters(pack: pack, month: m)
            m = m.adding(months: 1)
        }
        for p in pack.parameters.values {
            #expect(!p.citation.isEmpty && !p.description.isEmpty, "\(id).\(p.name)")
        }
    }

    @Test(arguments: cases)
    func pack_matchesTheHandWorkedCase(_ c: PolicyCase) throws {
        let pack = try Packs.bundled.pack(id: c.pack)
        if let expected = c.error {
            #expect(throws: PolicyError.self) { try ReferenceRules.evaluate(c.household, members: c.members, month: c.month, pack: pack) }
            do { _ = try ReferenceRules.evaluate(c.household, members: c.members, month: c.month, pack: pack) } catch {
                #expect(error.description.contains(expected), "\(error)")
            }
            return
        }
        if let circumstances = c.circumstances {
            try checkAssessment(c, circumstances: circumstances, pack: pack)
            return
        }
        let e = try ReferenceRules.evaluate(c.household, members: c.members, month: c.month, pack: pack)
        // With no circumstances the full rules are the reference rules.
        let full = try BasicLivingRules.evaluate(HouseholdRecord(household: c.household, members: c.members), circumstances: .none,
                                                 month: c.month, pack: pack)
        #expect(full == e)
        #expect(e.programme == c.programme)
        #expect(e.benefit.fen == c.benefitFen)
        for (name, value) in c.figures {
            #expect(e.figures.value(named: name) == value, "figure \(name)")
        }
        // The quiet mode (the simulator's) gives the same result without steps.
        let quiet = try ReferenceRules.evaluate(c.household, members: c.members, month: c.month, pack: pack, explain: false)
        #expect(quiet.programme == e.programme && quiet.benefit == e.benefit && quiet.figures == e.figures)
        #expect(quiet.steps.isEmpty)
    }
}

extension PackCaseTests {
    /// A case with circumstances: the comprehensive assessment, its evaluation and what it adds.
    func checkAssessment(_ c: PolicyCase, circumstances: Circumstances, pack: PolicyPack) throws {
        let record = HouseholdRecord(household: c.household, members: c.members)
        let a = try ComprehensiveAssessment.assess(record, circumstances: circumstances, month: c.month, pack: pack)
        let e = a.evaluation
        #expect(e.programme == c.programme)
        #expect(e.benefit.fen == c.benefitFen)
        for (name, value) in c.figures { #expect(e.figures.value(named: name) == value, "figure \(name)") }
        let quiet = try BasicLivingRules.evaluate(record, circumstances: circumstances, month: c.month, pack: pack, explain: false)
        #expect(quiet.programme == e.programme && quiet.benefit == e.benefit && quiet.figures == e.figures)
        let x = c.assessment
        for key in x.steps {
            #expect(e.steps.contains { $0.key == key }, "step \(key) in \(e.steps.map(\.key))")
        }
        if let fen = x.gradualExitFen {
            #expect(a.gradualExit.map { String($0.amount.fen) } == fen, "gradual exit \(String(describing: a.gradualExit))")
        }
        if let points = x.points { #expect(a.points.map { String($0.total) } == points, "points") }
        if let passed = x.pointsPassed { #expect(a.points.map { String($0.passed) } == passed) }
        if let list = x.referrals { #expect(a.referrals.map(\.programme) == list, "referrals") }
        for (programme, fen) in x.referralAmounts {
            #expect(a.referrals.first { $0.programme == programme }?.amountFen.map(String.init) == fen, "amount of \(programme)")
        }
    }
}

@Suite struct SpecAgreementTests {
    /// The pack-driven evaluator agrees with the literal oracle to the fen, household by household,
    /// on synthetic populations across the months from 2020-01 on.
    @Test(arguments: [(UInt64(1), "2020-01"), (2, "2021-02"), (3, "2022-12"), (4, "2023-07"), (5, "2025-07"), (6, "2026-11"), (7, "2030-01")])
    func referencePack_agreesWithTheSpec_onSyntheticPopulations(seed: UInt64, month: String) throws {
        let m = try Month(parsing: month)
        let pack = try Packs.bundled.pack(id: "reference")
        let population = SyntheticPopulation(seed: seed, today: Day(year: 2025, month: 7, day: 15)!).generate(households: 3000)
        let byHousehold = Dictionary(grouping: population.members, by: \.householdID)
        var seen = Set<Programme>()
        for h in population.households {
            let ms = byHousehold[h.householdID]!
            let e = try ReferenceRules.evaluate(h, members: ms, month: m, pack: pack, explain: false)
            let o = try #require(SpecOracle.evaluate(h, ms, month: m))
            #expect(e.programme.rawValue == o.programme && e.benefit.fen == o.benefitFen && e.figures.netFen == o.netFen,
                    "\(h.householdID) \(month): evaluator \(e.programme.rawValue) \(e.benefit.fen), spec \(o)")
            seen.insert(e.programme)
        }
        #expect(seen == Set(Programme.allCases))
    }

    @Test func parameterChange_changesResults_withNoCodeChange() throws {
        let pack = try Packs.bundled.pack(id: "reference")
        let month = Month(year: 2025, month: 7)!
        let raised = pack.overriding(["S_rural": .money(60000)], from: month.firstDay)
        let population = SyntheticPopulation(seed: 9, today: Day(year: 2025, month: 7, day: 15)!).generate(households: 2000)
        let byHousehold = Dictionary(grouping: population.members, by: \.householdID)
        var gained = 0
        for h in population.households where h.hukouType == .rural {
            let before = try ReferenceRules.evaluate(h, members: byHousehold[h.householdID]!, month: month, pack: pack, explain: false)
            let after = try ReferenceRules.evaluate(h, members: byHousehold[h.householdID]!, month: month, pack: raised, explain: false)
            #expect(after.benefit >= before.benefit || before.programme == .tekun || after.programme != before.programme)
            if before.programme != .dibao && after.programme == .dibao { gained += 1 }
        }
        #expect(gained > 0, "raising the rural standard brings households into dibao")
    }
}
