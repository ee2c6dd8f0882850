import JiuzhuCore
@testable import JiuzhuPolicy
import JiuzhuTestSupport
import Testing

@Suite struct AssessmentTests {
    let month = Month(year: 2025, month: 7)!

    func member(_ id: String, _ name: String, _ relation: Relation, able: Bool = false, grade: Int = 0, kind: DisabilityKind = .none,
                ill: Bool = false, work: Int64 = 0, income: Int64 = 0) -> Member {
        Member(householdID: "H", idNumber: Fixtures.id(id), name: name, relation: relation, disabilityGrade: grade, disabilityKind: kind,
               seriousIllness: ill, ableToWork: able, monthlyIncome: Money(fen: income), employmentIncome: Money(fen: work))
    }

    /// A rural dibao family in 双鸭山 with a school child, an idle adult and a grade-2 disabled grandparent, renting.
    @Test func dibaoFamily_isReferredToEveryProgrammeItsFactsCallFor() throws {
        let pack = try Packs.bundled.pack(id: "230500")
        let county = "230521"
        let record = HouseholdRecord(
            household: Household(householdID: "H", divisionCode: try DivisionCode(county), hukouType: .rural, houses: 0),
            members: [
                member(Fixtures.idNumber(county: county, born: "19850101", sequence: 11), "甲", .head, able: true),
                member(Fixtures.idNumber(county: county, born: "20150901", sequence: 22), "乙", .child),          // 9: primary school
                member(Fixtures.idNumber(county: county, born: "19500101", sequence: 31), "丙", .parent, grade: 2, kind: .physical),
            ])
        let a = try ComprehensiveAssessment.assess(record, month: month, pack: pack)
        #expect(a.evaluation.programme == .dibao)
        let kinds = Set(a.referrals.map(\.programme))
        #expect(kinds == ["medical", "education", "housing", "employment", "heating", "disability_living", "disability_care"])
        #expect(a.referrals.first { $0.programme == "education" }?.members == ["乙"])
        #expect(a.referrals.first { $0.programme == "education" }?.title == "教育救助（义务教育（小学））")
        #expect(a.referrals.first { $0.programme == "employment" }?.title == "就业救助（零就业家庭）")
        #expect(a.referrals.first { $0.programme == "housing" }?.title == "住房救助（公租房或租赁补贴）")
        #expect(a.referrals.allSatisfy { !$0.citation.isEmpty })
    }

    /// The same family under 元江's pack gets no heating referral (heating is 双鸭山's).
    @Test func heating_onlyWhereThePackProvidesIt() throws {
        let pack = try Packs.bundled.pack(id: "530428")
        let r = Fixtures.record("H")
        let a = try ComprehensiveAssessment.assess(r, month: month, pack: pack)
        #expect(!a.referrals.contains { $0.programme == "heating" })
    }

    /// A household with nothing from basic living and a seriously ill member: only the medical
    /// referral as a possible 因病致贫重病患者, to be verified.
    @Test func noneWithSeriousIllness_isReferredForMedicalCheckOnly() throws {
        let pack = try Packs.bundled.pack(id: "reference")
        var r = Fixtures.record("H")
        r.household.deposits = 100_000_000
        r.members[0].seriousIllness = true
        let a = try ComprehensiveAssessment.assess(r, month: month, pack: pack)
        #expect(a.evaluation.programme == .none)
        #expect(a.referrals.map(\.programme) == ["medical", "disability_care"])
        #expect(a.referrals[0].toVerify)
        #expect(a.referrals[0].members == ["李建国"])
    }
}
