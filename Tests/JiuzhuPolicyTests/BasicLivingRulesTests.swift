import JiuzhuCore
@testable import JiuzhuPolicy
import JiuzhuTestSupport
import Testing

@Suite struct BasicLivingRulesTests {
    static let month = Month(year: 2025, month: 7)!
    static func pack(_ id: String = "430321") throws -> PolicyPack { try Packs.bundled.pack(id: id) }

    /// 43号 第八条, item by item: the reasons a supporter cannot support, and the near misses.
    @Test(arguments: [
        (Supporter(name: "", age: 40, status: [.tekun]), true),
        (Supporter(name: "", age: 60, status: [.dibao]), true),
        (Supporter(name: "", age: 59, status: [.dibao]), false),
        (Supporter(name: "", age: 70, incomeBelowReference: true, assetsWithinLowIncomeRule: true), true),
        (Supporter(name: "", age: 69, incomeBelowReference: true, assetsWithinLowIncomeRule: true), false),
        (Supporter(name: "", age: 75, incomeBelowReference: true, assetsWithinLowIncomeRule: false), false),
        (Supporter(name: "", age: 40, status: [.severeDisability], incomeBelowReference: true, assetsWithinLowIncomeRule: true), true),
        (Supporter(name: "", age: 40, status: [.intellectualOrMentalGrade3], incomeBelowReference: false, assetsWithinLowIncomeRule: true), false),
        (Supporter(name: "", age: 40, status: [.prison], assetsWithinLowIncomeRule: true), true),
        (Supporter(name: "", age: 40, status: [.missing], assetsWithinLowIncomeRule: false), false),
        (Supporter(name: "", age: 40), false),
    ])
    func supporterIncapacity_followsArticle8(_ s: Supporter, incapable: Bool) {
        #expect((Derivation.incapacity(s, incapableAge: 70, dibaoAge: 60) != nil) == incapable)
    }

    func single(born: String, able: Bool = false, income: Int64 = 0) throws -> HouseholdRecord {
        let id = try IDNumber(validating: Fixtures.idNumber(county: "430321", born: born, sequence: 11), today: Fixtures.today)
        let h = Household(householdID: "X", divisionCode: try DivisionCode("430321"), hukouType: .rural, houses: 1)
        return HouseholdRecord(household: h, members: [Member(householdID: "X", idNumber: id, name: "甲", relation: .head, ableToWork: able,
                                                                monthlyIncome: Money(fen: income))])
    }

    func couple(religiousYears: Int) throws -> (HouseholdRecord, Circumstances) {
        let a = try IDNumber(validating: Fixtures.idNumber(county: "430321", born: "19700101", sequence: 11), today: Fixtures.today)
        let b = try IDNumber(validating: Fixtures.idNumber(county: "430321", born: "19950101", sequence: 13), today: Fixtures.today)
        let h = Household(householdID: "Y", divisionCode: try DivisionCode("430321"), hukouType: .rural, houses: 1)
        let record = HouseholdRecord(household: h, members: [
            Member(householdID: "Y", idNumber: a, name: "甲", relation: .head, monthlyIncome: 60000, employmentIncome: 60000),
            Member(householdID: "Y", idNumber: b, name: "乙", relation: .child),
        ])
        return (record, Circumstances(members: [MemberCircumstances(idNumber: b, residence: .religiousApart, yearsApart: religiousYears)]))
    }

    @Test func religiousMemberApart_countsUntilThreeYears_thenNot() throws {
        let (record, two) = try couple(religiousYears: 2)
        let e2 = try BasicLivingRules.evaluate(record, circumstances: two, month: Self.month, pack: try Self.pack())
        #expect(e2.figures.n == 2)
        let (_, three) = try couple(religiousYears: 3)
        let e3 = try BasicLivingRules.evaluate(record, circumstances: three, month: Self.month, pack: try Self.pack())
        #expect(e3.figures.n == 1)
        let step = try #require(e3.steps.first { $0.key == "household_definition" })
        #expect(step.detail.contains("满 3 年"))
        #expect(step.parameters.map(\.name) == ["household_excluded_residence", "religious_separation_years"])
        #expect(step.citation.contains("57号 第七条"))
    }

    @Test func badCircumstances_areAPolicyErrorNamingTheField() throws {
        let record = try single(born: "19500101")
        let stranger = try IDNumber(validating: Fixtures.idNumber(county: "430321", born: "19800101", sequence: 15), today: Fixtures.today)
        #expect(throws: PolicyError.self) {
            try BasicLivingRules.evaluate(record, circumstances: Circumstances(members: [MemberCircumstances(idNumber: stranger)]),
                                          month: Self.month, pack: try Self.pack())
        }
        let pack = try Self.pack()
        do {
            _ = try BasicLivingRules.evaluate(record, circumstances: Circumstances(members: [
                MemberCircumstances(idNumber: record.members[0].idNumber, incomes: [IncomeItem(.wage, fen: -1)])]), month: Self.month, pack: pack)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("circumstances.members[0].incomes[0].fen"))
        }
    }

    @Test func everyoneExcluded_isAnError() throws {
        let record = try single(born: "19500101")
        let c = Circumstances(members: [MemberCircumstances(idNumber: record.members[0].idNumber, residence: .prison)])
        #expect(throws: PolicyError.self) { try BasicLivingRules.evaluate(record, circumstances: c, month: Self.month, pack: try Self.pack()) }
    }

    /// The reference pack has none of the full rules' parameters: a circumstance that needs one is
    /// an error naming it, not a silent default.
    @Test func aPackWithoutTheParameter_isAnErrorNamingIt() throws {
        let record = try single(born: "19500101")
        let c = Circumstances(members: [MemberCircumstances(idNumber: record.members[0].idNumber, incomes: [IncomeItem(.basicPension, fen: 100)])])
        let reference = try Self.pack("reference")
        do {
            _ = try BasicLivingRules.evaluate(record, circumstances: c, month: Self.month, pack: reference)
            Issue.record("expected an error")
        } catch {
            #expect(error.parameter == "tekun_excluded_income")
        }
    }

    /// Changing the pack's dated exclusion list changes the result with no code change.
    @Test func exclusionList_isData() throws {
        let record = try single(born: "19800101", able: true)
        let c = Circumstances(members: [MemberCircumstances(idNumber: record.members[0].idNumber,
                                                            incomes: [IncomeItem(.scholarship, fen: 20000), IncomeItem(.wage, fen: 10000)])])
        let pack = try Self.pack()
        let before = try BasicLivingRules.evaluate(record, circumstances: c, month: Self.month, pack: pack)
        #expect(before.figures.netFen == 0) // scholarship not counted; wage 10000 within the 34800 deduction
        let changed = pack.overriding(["dibao_excluded_income": .names(["basic_pension"])], from: Self.month.firstDay)
        let after = try BasicLivingRules.evaluate(record, circumstances: c, month: Self.month, pack: changed)
        #expect(after.figures.netFen == 20000)
    }

    @Test func explanationText_citesEachFullRuleStep_andTheReferralParameters() throws {
        let id = try IDNumber(validating: Fixtures.idNumber(county: "430321", born: "19650101", sequence: 11), today: Fixtures.today)
        let h = Household(householdID: "Z", divisionCode: try DivisionCode("430321"), hukouType: .rural)
        let record = HouseholdRecord(household: h, members: [
            Member(householdID: "Z", idNumber: id, name: "甲", relation: .head, disabilityGrade: 1, disabilityKind: .physical, ableToWork: false),
        ])
        let c = Circumstances(members: [MemberCircumstances(idNumber: id, incomes: [IncomeItem(.basicPension, fen: 10000)], supporters: [])])
        let a = try ComprehensiveAssessment.assess(record, circumstances: c, month: Self.month, pack: try Self.pack())
        let text = ExplanationText.render(a, packName: "湘潭县")
        #expect(text.contains("收入核算（特困口径）"))
        #expect(text.contains("民发〔2021〕43号 第七条"))
        #expect(text.contains("法定义务人履行能力"))
        #expect(text.contains("困难残疾人生活补贴"))
        #expect(text.contains("参数 困难残疾人生活补贴（每人每月）（disability_living_subsidy）：¥80.00"))
        #expect(text.contains("（待核定）"))
    }
}

@Suite struct DibaoPointsTests {
    @Test func points_followTheTable_andAPackWithoutOneHasNone() throws {
        let record = Fixtures.record() // 元江: rural couple, head 65 unable, spouse grade-2 physical; deposits 500000, one house
        let month = Month(year: 2025, month: 7)!
        let yuanjiang = try Packs.bundled.pack(id: "530428")
        let e = try BasicLivingRules.evaluate(record, circumstances: .none, month: month, pack: yuanjiang)
        let r = try #require(try DibaoPoints.score(record, circumstances: .none, evaluation: e, month: month, pack: yuanjiang))
        #expect(r.total == r.lines.map(\.points).reduce(0, +))
        #expect(r.lines.contains { $0.indicator == "no_able_worker" })
        #expect(r.passed == (r.total >= r.passMark))
        #expect(try DibaoPoints.score(record, circumstances: .none, evaluation: e, month: month, pack: try Packs.bundled.pack(id: "430321")) == nil)
    }

    @Test func aMalformedTableItem_isAnErrorNamingTheParameter() throws {
        let record = Fixtures.record()
        let month = Month(year: 2025, month: 7)!
        let pack = try Packs.bundled.pack(id: "530428").overriding(["dibao_points_table": .names(["income_below_standard:30", "luck:5"])],
                                                                   from: month.firstDay)
        let e = try BasicLivingRules.evaluate(record, circumstances: .none, month: month, pack: pack)
        do {
            _ = try DibaoPoints.score(record, circumstances: .none, evaluation: e, month: month, pack: pack)
            Issue.record("expected an error")
        } catch {
            #expect(error.parameter == "dibao_points_table")
            #expect(error.description.contains("'luck:5'"))
        }
    }
}

@Suite struct TekunIncomeCountTests {
    /// 双鸭山 does not count the 道路交通事故 one-off relief for 低保, but 特困's count (43号 第七条)
    /// does: a person whose only income is that relief fails 特困 and is not made 特困 by the 低保
    /// evaluation that follows; the explanation shows the one 特困 test that was made.
    @Test func incomeOnlyTekunCounts_failsTekunOnce_andTheDibaoEvaluationDoesNotRetestIt() throws {
        let pack = try Packs.bundled.pack(id: "230500")
        let month = Month(year: 2025, month: 7)!
        let id = try IDNumber(validating: Fixtures.idNumber(county: "230502", born: "19500101", sequence: 11), today: Fixtures.today)
        let h = Household(householdID: "T", divisionCode: try DivisionCode("230502"), hukouType: .rural, houses: 1)
        let record = HouseholdRecord(household: h, members: [Member(householdID: "T", idNumber: id, name: "甲", relation: .head, ableToWork: false)])
        let relief = Circumstances(members: [MemberCircumstances(idNumber: id, incomes: [IncomeItem(.trafficAccidentRelief, fen: 5_000_000)])])
        let e = try BasicLivingRules.evaluate(record, circumstances: relief, month: month, pack: pack)
        #expect(e.programme == .dibao)
        let tekunSteps = e.steps.filter { $0.key == "tekun" }
        #expect(tekunSteps.count == 1 && tekunSteps[0].passed == false)
        #expect(e.steps.firstIndex { $0.key == "tekun" }! < e.steps.firstIndex { $0.key == "dibao" }!)
        #expect(e.figures.netFen == 0)
    }
}
