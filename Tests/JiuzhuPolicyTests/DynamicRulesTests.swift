import JiuzhuCore
@testable import JiuzhuPolicy
import JiuzhuTestSupport
import Testing

@Suite struct SelfCareAssessmentTests {
    let month = Month(year: 2025, month: 7)!

    @Test(arguments: [(0, CareLevel.`self`), (1, CareLevel.semi), (3, CareLevel.semi), (4, CareLevel.full), (6, CareLevel.full)])
    func careLevel_followsTheNumberOfItemsThatFail(count: Int, expected: CareLevel) throws {
        let items = Set(SelfCareItem.allCases.prefix(count))
        let (level, step) = try SelfCareAssessment.careLevel(unable: items, month: month, pack: try Packs.bundled.pack(id: "230500"))
        #expect(level == expected)
        #expect(step.detail.contains("不能自主完成 \(count) 项"))
    }
}

@Suite struct GradualExitTests {
    let month = Month(year: 2025, month: 7)!

    /// A rural household whose head now earns 300000 from work: net 300000 − cap above the low-income line.
    func nowAboveTheLine(pack: PolicyPack) throws -> Evaluation {
        var r = Fixtures.record("H")
        r.members[0].ableToWork = true
        r.members[0].monthlyIncome = 300000
        r.members[0].employmentIncome = 300000
        return try ReferenceRules.evaluate(r.household, members: r.members, month: month, pack: pack)
    }

    @Test func work_liftsAboveTheLine_benefitContinuesForTheExitMonths_thenStops() throws {
        let pack = try Packs.bundled.pack(id: "reference")
        let current = try nowAboveTheLine(pack: pack)
        #expect(current.programme == .lowIncome || current.programme == .none)
        let first = try GradualExit.decide(previous: (.dibao, 85000), current: current, becauseOfWork: true, monthsAlreadyInExit: 0, pack: pack)
        #expect(first.continues && first.amount == 85000 && first.month == 1 && first.months == 6)
        let last = try GradualExit.decide(previous: (.dibao, 85000), current: current, becauseOfWork: true, monthsAlreadyInExit: 5, pack: pack)
        #expect(last.continues && last.month == 6)
        let over = try GradualExit.decide(previous: (.dibao, 85000), current: current, becauseOfWork: true, monthsAlreadyInExit: 6, pack: pack)
        #expect(!over.continues && over.amount == .zero)
        let notWork = try GradualExit.decide(previous: (.dibao, 85000), current: current, becauseOfWork: false, monthsAlreadyInExit: 0, pack: pack)
        #expect(!notWork.continues)
    }

    @Test func xiangtan_allowsTwelveMonths_fromItsSeed() throws {
        let pack = try Packs.bundled.pack(id: "430321")
        let current = try nowAboveTheLine(pack: pack)
        let d = try GradualExit.decide(previous: (.dibao, 90000), current: current, becauseOfWork: true, monthsAlreadyInExit: 8, pack: pack)
        #expect(d.continues && d.months == 12 && d.month == 9)
        #expect(d.step.parameters.first?.from == Day(year: 2021, month: 11, day: 15)!)
    }
}
