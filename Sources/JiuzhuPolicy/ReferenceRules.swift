import JiuzhuCore

/// The basic-living evaluation of shared/spec/reference-rules.md for one household and month:
/// tekun, else dibao, else dibao_single, else low_income, else none (first match wins).
///
/// This readable evaluator is the definition of the rules. Everything a locality may change is a
/// parameter or switch of its pack (``ReferenceParameters``), never a copy of this code.
public enum ReferenceRules {
    public static let citation = "shared/spec/reference-rules.md"

    /// Evaluates `household` for `month` under `pack`. With `explain` false the steps are not
    /// written out (the simulator's mode); the programme, amount and figures are the same.
    public static func evaluate(_ household: Household, members: [Member], month: Month, pack: PolicyPack,
                                explain: Bool = true) throws(PolicyError) -> Evaluation {
        let p = try ReferenceParameters(pack: pack, month: month)
        return try evaluate(household, members: members, parameters: p, explain: explain)
    }

    /// What the full rules (``BasicLivingRules``) add to the facts of the CSV: categories a member
    /// has from the household's circumstances, and rigid costs deducted from income.
    public struct Adjustments: Sendable, Equatable {
        /// Extra categories by member position.
        public var categories: [Int: Set<MemberCategory>] = [:]
        /// Rigid illness and disability costs deducted from the household's income.
        public var rigidDeduction: Money = .zero
        /// The 特困 test was made already, under 特困's own income count: do not make it again.
        public var tekunDecided = false
        public init(categories: [Int: Set<MemberCategory>] = [:], rigidDeduction: Money = .zero, tekunDecided: Bool = false) {
            self.categories = categories
            self.rigidDeduction = rigidDeduction
            self.tekunDecided = tekunDecided
        }
        public static let none = Adjustments()
    }

    public static func evaluate(_ household: Household, members: [Member], parameters p: ReferenceParameters,
                                explain: Bool = true, adjustments: Adjustments = .none) throws(PolicyError) -> Evaluation {
        guard !members.isEmpty else {
            throw PolicyError(pack: p.pack, "household \(household.householdID) has no members (the population rules require at least one)")
        }
        var trace = Trace(enabled: explain, parameters: p)
        let day = p.month.firstDay
        let s = p.standard(household.hukouType)
        let n = Int64(members.count)
        let sn = Int128(s.fen) * Int128(n)

        // Members: age on the first day of the month, categories, deduction.
        let cap = p.employmentDeductionRate.timesFloor(p.w)
        var income: Int128 = 0, deductions: Int128 = 0
        var special = 0, inclusion = 0
        var facts: [MemberFacts] = []
        for (i, m) in members.enumerated() {
            let f = MemberFacts(m, on: day, parameters: p, extra: adjustments.categories[i] ?? [])
            income += Int128(m.monthlyIncome.fen)
            let d = min(m.employmentIncome.fen, cap.fen)
            deductions += Int128(max(0, d))
            if f.isSpecial { special += 1 }
            if f.isInclusion { inclusion += 1 }
            facts.append(f)
        }
        let rigid = Int128(max(0, adjustments.rigidDeduction.fen))
        let netWide = max(0, income - deductions - rigid)
        guard netWide <= Int128(Int64.max) else { throw PolicyError(pack: p.pack, "household \(household.householdID): income too large") }
        let net = Money(fen: Int64(netWide))
        let u = p.upliftRate.timesCeil(s)
        trace.step("members", "家庭成员", nil,
                   "共 \(n) 人（\(household.hukouType.chineseName)户籍，低保标准 \(s)/人·月）；" +
                   (explain ? facts.map { $0.summary }.joined(separator: "；") : ""),
                   uses: [household.hukouType == .urban ? "S_urban" : "S_rural", "elderly_age", "minor_age", "uplift_categories",
                          "uplift_veteran_grades", "severe_disability_grades", "severe_disability_grade3_kinds"])
        trace.step("net_income", "家庭月净收入", nil,
                   "收入合计 \(Money(fen: Int64(min(income, Int128(Int64.max))))) − 就业成本扣减 \(Money(fen: Int64(min(deductions, Int128(Int64.max)))))" +
                   "（每名成员工作收入扣减不超过 最低工资 \(p.w) × \(p.employmentDeductionRate.percent) = \(cap)）"
                   + (rigid > 0 ? " − 刚性支出扣减 \(adjustments.rigidDeduction)" : "") + " = \(net)",
                   uses: ["W", "employment_deduction_rate"])

        // Assets.
        let assets = assetTest(household, n: n, s: s, parameters: p)
        trace.step("assets", "家庭财产", assets.passed, assets.detail,
                   uses: ["deposit_months", "max_houses", "vehicle_rule", "business_registration"])

        var figures = Figures(n: Int(n), netFen: net.fen, deductionFen: Int64(min(deductions + rigid, Int128(Int64.max))),
                              specialMembers: special, upliftFen: u.fen, singleInclusionMembers: inclusion,
                              assetTest: assets.passed ? "pass" : "fail")

        // 1. Tekun: one member, no ability to work, no capable supporter, in a tekun category, net < S, assets pass.
        if n == 1 && !adjustments.tekunDecided {
            let f = facts[0], m = members[0]
            let inCategory = !f.categoriesForTekun.isEmpty
            let passes = !m.ableToWork && !m.hasCapableSupporter && inCategory && net < s && assets.passed
            trace.step("tekun", "特困人员认定", passes,
                       "单人户；" + (m.ableToWork ? "有劳动能力（不符）" : "无劳动能力") + "；"
                       + (m.hasCapableSupporter ? "有履行能力的法定义务人（不符）" : "无有履行能力的法定义务人") + "；"
                       + (inCategory ? "属于" + f.categoriesForTekun.map(\.chineseName).sorted().joined(separator: "、")
                                     : "不属于" + p.tekunCategories.map(\.chineseName).sorted().joined(separator: "、") + "（不符）") + "；"
                       + "月净收入 \(net) " + (net < s ? "低于" : "不低于") + "低保标准 \(s)"
                       + (assets.passed ? "；财产符合" : "；财产不符"),
                       uses: ["tekun_categories", "work_disability_grades"])
            if passes {
                let basic = p.tekunMultiplier.timesCeil(s)
                let care = p.careRates[m.careLevel]!.timesCeil(p.w)
                trace.step("tekun_benefit", "特困供养金额", nil,
                           "基本生活标准 \(s) × \(p.tekunMultiplier) = \(basic)（向上取整到分）+ 照料护理标准（\(m.careLevel.chineseName)）"
                           + "\(p.w) × \(p.careRates[m.careLevel]!.percent) = \(care)；合计 \(basic + care)（不取整到元）",
                           uses: ["tekun_multiplier", "care_rate_\(m.careLevel.rawValue)", "W"])
                return trace.finish(.tekun, basic + care, figures: figures, household: household)
            }
        }

        // 2. Dibao for the whole household: net < S × n and assets pass.
        let belowLine = Int128(net.fen) < sn
        trace.step("dibao", "低保（整户）", belowLine && assets.passed,
                   "月净收入 \(net) " + (belowLine ? "低于" : "不低于") + "低保标准 × 人数 = \(s) × \(n) = \(Money(fen: Int64(min(sn, Int128(Int64.max)))))"
                   + (assets.passed ? "；财产符合" : "；财产不符"),
                   uses: [])
        if belowLine && assets.passed {
            let raw: Money
            var how: String
            switch p.payment {
            case .gap:
                raw = Money(fen: Int64(sn - Int128(net.fen))) + u * Int64(special)
                how = "差额 \(Money(fen: Int64(sn))) − \(net) + 加发 \(u) × \(special) 人"
            case .bands(let bands):
                let perCapita = Money(fen: net.fen / n)
                let per = bands.first { perCapita < $0.upTo }?.perPerson ?? .zero
                raw = per * n + u * Int64(special)
                how = "分档：人均收入 \(perCapita) 档每人 \(per) × \(n) + 加发 \(u) × \(special) 人"
            }
            let benefit = p.roundToYuan ? raw.roundedUpToYuan : raw
            how += " = \(raw)" + (p.roundToYuan ? "，向上取整到元 \(benefit)" : "")
            trace.step("dibao_benefit", "低保金", nil,
                       how + "（加发：每名特殊成员 低保标准 × \(p.upliftRate.percent) = \(u)）",
                       uses: ["dibao_payment", "uplift_rate", "dibao_rounding"] + (p.payment == .gap ? [] : ["dibao_bands"]))
            return trace.finish(.dibao, benefit, figures: figures, household: household)
        }

        // 3–4. Low-income family: net ≤ multiple × S × n and assets pass; with inclusion members, dibao_single.
        let withinLowIncome = p.lowIncomeMultiplier.bounds(net, timesOf: Money(fen: Int64(min(sn, Int128(Int64.max)))))
        let lowIncome = withinLowIncome && assets.passed
        trace.step("low_income", "低收入家庭", lowIncome,
                   "月净收入 \(net) " + (withinLowIncome ? "不超过" : "超过") + "低保标准 × 人数 × \(p.lowIncomeMultiplier)"
                   + (assets.passed ? "；财产符合" : "；财产不符"),
                   uses: ["low_income_multiplier"])
        if lowIncome && inclusion > 0 {
            let perMember = p.averageBenefit + u
            let raw = perMember * Int64(inclusion)
            let benefit = p.roundToYuan ? raw.roundedUpToYuan : raw
            trace.step("dibao_single", "单人户施保", true,
                       "可单独施保成员 \(inclusion) 人（" + p.singleInclusionCategories.map(\.chineseName).sorted().joined(separator: "、")
                       + "）；每人 人均补助水平 \(p.averageBenefit) + 加发 \(u) = \(perMember)；合计 \(raw)"
                       + (p.roundToYuan ? "，向上取整到元 \(benefit)" : ""),
                       uses: ["single_inclusion_categories", "single_inclusion_veteran_grades", "average_benefit", "uplift_rate", "dibao_rounding"])
            return trace.finish(.dibaoSingle, benefit, figures: figures, household: household)
        }
        if lowIncome {
            trace.step("dibao_single", "单人户施保", false, "无可单独施保的成员", uses: ["single_inclusion_categories"])
            return trace.finish(.lowIncome, .zero, figures: figures, household: household)
        }
        figures.assetTest = assets.passed ? "pass" : "fail"
        return trace.finish(.none, .zero, figures: figures, household: household)
    }

    /// The asset test: deposits, vehicles, houses and business registration.
    static func assetTest(_ h: Household, n: Int64, s: Money, parameters p: ReferenceParameters) -> (passed: Bool, detail: String) {
        let depositLimit = Int128(p.depositMonths) * Int128(s.fen) * Int128(n)
        let depositsOK = Int128(h.deposits.fen) <= depositLimit
        let vehicleLimit = Int128(p.depositMonths) * Int128(s.fen)
        let vehiclesOK: Bool
        switch p.vehicleRule {
        case .none: vehiclesOK = h.vehiclesValue.fen == 0
        case .disabilityVehicleWithinLimit:
            vehiclesOK = h.vehiclesValue.fen == 0 || (h.disabilityVehicle && Int128(h.vehiclesValue.fen) <= vehicleLimit)
        }
        let housesOK = h.houses <= p.maxHouses
        let businessOK = !(p.businessRegistrationFailsAssets && h.businessRegistered)
        let passed = depositsOK && vehiclesOK && housesOK && businessOK
        func mark(_ ok: Bool) -> String { ok ? "符合" : "不符" }
        let detail = "存款 \(h.deposits) ≤ \(p.depositMonths) 个月 × \(s) × \(n) 人 = \(Money(fen: Int64(min(depositLimit, Int128(Int64.max)))))：\(mark(depositsOK))；"
            + "车辆 \(h.vehiclesValue)" + (h.disabilityVehicle ? "（代步车）" : "")
            + (p.vehicleRule == .none ? "，不得拥有" : "，仅代步车且不超过 \(Money(fen: Int64(min(vehicleLimit, Int128(Int64.max)))))") + "：\(mark(vehiclesOK))；"
            + "住房 \(h.houses) 套 ≤ \(p.maxHouses)：\(mark(housesOK))；"
            + "工商登记" + (h.businessRegistered ? "有" : "无") + "：\(mark(businessOK))"
        return (passed, detail)
    }
}

/// What the rules see of one member in the month.
struct MemberFacts {
    let name: String
    let age: Int
    let isSpecial: Bool
    let isInclusion: Bool
    let categoriesForTekun: Set<MemberCategory>
    let upliftCategories: Set<MemberCategory>

    init(_ m: Member, on day: Day, parameters p: ReferenceParameters, extra: Set<MemberCategory> = []) {
        name = m.name
        age = m.idNumber.age(on: day)
        let severe = p.severeGrades.contains(m.disabilityGrade) || (m.disabilityGrade == 3 && p.severeGrade3Kinds.contains(m.disabilityKind))
        var base = Set<MemberCategory>()
        if severe { base.insert(.severeDisability) }
        if p.workDisabilityGrades[m.disabilityKind]?.contains(m.disabilityGrade) ?? false { base.insert(.workDisability) }
        if m.seriousIllness { base.insert(.seriousIllness) }
        if age >= p.elderlyAge { base.insert(.elderly) }
        if age < p.minorAge { base.insert(.minor) }
        if m.martyrFamily { base.insert(.martyrFamily) }
        if m.demobilizedVeteran { base.insert(.demobilizedVeteran) }
        base.formUnion(extra)
        var forUplift = base, forInclusion = base
        if p.upliftVeteranGrades.contains(m.veteranDisabilityGrade) { forUplift.insert(.disabledVeteran) }
        if p.singleInclusionVeteranGrades.contains(m.veteranDisabilityGrade) { forInclusion.insert(.disabledVeteran) }
        upliftCategories = forUplift.intersection(p.upliftCategories)
        isSpecial = !upliftCategories.isEmpty
        isInclusion = !forInclusion.intersection(p.singleInclusionCategories).isEmpty
        categoriesForTekun = base.intersection(p.tekunCategories)
    }

    var summary: String {
        "\(name) \(age) 岁" + (upliftCategories.isEmpty ? "" : "（" + upliftCategories.map(\.chineseName).sorted().joined(separator: "、") + "，加发）")
            + (isInclusion ? "（可单人户施保）" : "")
    }
}

/// Collects the steps of an evaluation when explaining.
struct Trace {
    let enabled: Bool
    let parameters: ReferenceParameters
    var steps: [Step] = []
    var used: [String] = []

    init(enabled: Bool, parameters: ReferenceParameters) {
        self.enabled = enabled
        self.parameters = parameters
    }

    mutating func step(_ key: String, _ title: String, _ passed: Bool?, _ detail: @autoclosure () -> String, uses: [String]) {
        guard enabled else { return }
        steps.append(Step(key: key, title: title, passed: passed, detail: detail(),
                          parameters: uses.compactMap { parameters.uses[$0] }, citation: ReferenceRules.citation))
        for u in uses where !used.contains(u) { used.append(u) }
    }

    func finish(_ programme: Programme, _ benefit: Money, figures: Figures, household: Household) -> Evaluation {
        Evaluation(householdID: household.householdID, month: parameters.month, pack: parameters.pack, programme: programme,
                   benefit: benefit, figures: figures, steps: steps)
    }
}
