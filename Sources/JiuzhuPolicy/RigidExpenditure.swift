import JiuzhuCore

/// The twelve months of rigid spending and income a 刚性支出困难家庭 application declares (with receipts).
public struct RigidSpending: Sendable, Equatable, Codable {
    /// Out-of-pocket medical costs after insurance and medical assistance.
    public var medical: Money
    /// Fees from kindergarten to undergraduate, at the public-school standard of the place of study.
    public var education: Money
    /// Basic rehabilitation and assistive devices, net of subsidies and insurance.
    public var disabilityRehabilitation: Money
    /// Basic living (food, clothing, housing, transport, daily goods).
    public var basicLiving: Money
    /// Other items the county recognises.
    public var other: Money
    /// Total household income over the same twelve months.
    public var income: Money

    enum CodingKeys: String, CodingKey {
        case medical = "medical_fen", education = "education_fen", disabilityRehabilitation = "disability_rehabilitation_fen",
             basicLiving = "basic_living_fen", other = "other_fen", income = "income_fen"
    }

    public init(medical: Money = 0, education: Money = 0, disabilityRehabilitation: Money = 0, basicLiving: Money = 0,
                other: Money = 0, income: Money) {
        self.medical = medical
        self.education = education
        self.disabilityRehabilitation = disabilityRehabilitation
        self.basicLiving = basicLiving
        self.other = other
        self.income = income
    }

    public var total: Money { medical + education + disabilityRehabilitation + basicLiving + other }
}

/// 《刚性支出困难家庭认定办法》 (民政部, in force 2025-01-01) 第四、五条: a household that is not on 低保 or
/// 特困 nor recognised as 低保边缘, whose per-capita income is below the local previous-year per-capita
/// disposable income, whose assets pass, and whose rigid spending over the past twelve months
/// exceeds `rigid_spending_ratio` × its income.
public enum RigidExpenditure {
    public static let citation = "《刚性支出困难家庭认定办法》（民政部，2025-01-01施行）第四、五条；POLICY.md §4.2"

    public struct Decision: Sendable, Equatable, Codable {
        public let recognised: Bool
        public let steps: [Step]
    }

    public static func decide(_ s: RigidSpending, evaluation e: Evaluation, pack: PolicyPack) throws(PolicyError) -> Decision {
        guard s.total.fen >= 0, s.income.fen >= 0, [s.medical, s.education, s.disabilityRehabilitation, s.basicLiving, s.other].allSatisfy({ $0.fen >= 0 }) else {
            throw PolicyError(pack: pack.id, "rigid spending and income must not be negative")
        }
        let reader = PackReader(pack: pack, needs: "the rigid-expenditure rule needs")
        let day = e.month.firstDay
        let (referenceValue, referenceUse) = try reader.get("rigid_income_reference_fen", .fen, on: day)
        let (ratioValue, ratioUse) = try reader.get("rigid_spending_ratio", .multiple, on: day)
        guard case .money(let reference) = referenceValue, case .rate(let ratio) = ratioValue else {
            throw PolicyError(pack: pack.id, parameter: "rigid_spending_ratio", "must be a multiple")
        }
        var steps: [Step] = []
        func step(_ key: String, _ title: String, _ passed: Bool, _ detail: String, _ uses: [ParameterUse]) {
            steps.append(Step(key: key, title: title, passed: passed, detail: detail, parameters: uses, citation: citation))
        }
        let notAssisted = e.programme == .none
        step("not_assisted", "未纳入低保、特困或低保边缘", notAssisted,
             notAssisted ? "本月测算不符合基本生活救助条件" : "本月测算为\(e.programme.chineseName)，不另行认定刚性支出困难家庭", [])
        let perCapitaMonthly = Money(fen: s.income.fen / 12 / Int64(max(1, e.figures.n)))
        let incomeOK = perCapitaMonthly < reference
        step("income", "人均收入", incomeOK, "近12个月家庭收入 \(s.income) ÷ 12 ÷ \(e.figures.n) 人 = \(perCapitaMonthly)/人·月，"
             + (incomeOK ? "低于" : "不低于") + "当地上年居民人均可支配收入 \(reference)/人·月", [referenceUse])
        let assetsOK = e.figures.assetTest == "pass"
        step("assets", "家庭财产", assetsOK, assetsOK ? "财产状况符合规定" : "财产状况不符合规定", [])
        let heavy = s.income.fen == 0 ? s.total.fen > 0 : !ratio.bounds(s.total, timesOf: s.income)
        step("rigid_spending", "刚性支出", heavy,
             "近12个月刚性支出 \(s.total)（医疗 \(s.medical)、教育 \(s.education)、康复 \(s.disabilityRehabilitation)、基本生活 \(s.basicLiving)、其他 \(s.other)）"
             + (heavy ? "超过" : "未超过") + "家庭收入 \(s.income) × \(ratio)", [ratioUse])
        return Decision(recognised: notAssisted && incomeOK && assetsOK && heavy, steps: steps)
    }
}
