import JiuzhuCore

/// 低保 and 特困 in full: the reference rules (``ReferenceRules``) applied to the facts the
/// household's ``Circumstances`` establish —
///
/// - who counts as a co-resident member (民发〔2021〕57号 第七条),
/// - income by kind, with the pack's dated lists of what is not counted (57号 第十三条 for 低保,
///   43号 第七条 for 特困), and rigid illness and disability costs deducted where the pack says so,
/// - whether a legal supporter can support (43号 第八条),
/// - the care level from the six-item self-care assessment (43号 第二十至二十三条),
/// - categories the CSV does not hold (耐多药结核, 重点优抚对象), and 特困 cover continued past 18
///   while in school (43号 第二十四条).
///
/// With no circumstances the result is exactly the reference rules' result. The pack parameters
/// this layer reads are read only when a circumstance needs them.
public enum BasicLivingRules {
    public static let householdCitation = "民发〔2021〕57号 第七条（共同生活的家庭成员）"
    public static let incomeCitation = "民发〔2021〕57号 第十二、十三条；民发〔2021〕43号 第七条"
    public static let supporterCitation = "民发〔2021〕43号 第八条"
    public static let schoolCitation = "民发〔2021〕43号 第二十四条"

    public static func evaluate(_ record: HouseholdRecord, circumstances: Circumstances, month: Month, pack: PolicyPack,
                                explain: Bool = true) throws(PolicyError) -> Evaluation {
        let p = try ReferenceParameters(pack: pack, month: month)
        if circumstances.isEmpty {
            return try ReferenceRules.evaluate(record.household, members: record.members, parameters: p, explain: explain)
        }
        let problems = circumstances.problems(members: record.members)
        if let first = problems.first {
            throw PolicyError(pack: pack.id, "household \(record.household.householdID): \(first)")
        }
        var derive = Derivation(record: record, circumstances: circumstances, parameters: p, pack: pack)
        let (members, careLevels, supported, categories) = try derive.basics()
        // The 特困 test, for a one-person household, with 特困's income exclusions.
        var tekunStep: Step?
        if members.count == 1 {
            let (tekunMember, extended) = try derive.tekunMember(members[0], careLevel: careLevels[0], supported: supported[0])
            var extra = categories[0]
            if extended { extra.insert(.minor) }
            let e = try ReferenceRules.evaluate(record.household, members: [tekunMember], parameters: p, explain: explain,
                                                adjustments: .init(categories: [0: extra]))
            if e.programme == .tekun { return e.prefixed(derive.steps) }
            tekunStep = e.steps.first { $0.key == "tekun" }
        }

        // 低保 and the rest, with 低保's income exclusions and the rigid-cost deduction.
        let dibaoMembers = try derive.dibaoMembers(members, careLevels: careLevels, supported: supported)
        let rigid = try derive.rigidDeduction(members)
        var adjustments = ReferenceRules.Adjustments(rigidDeduction: rigid, tekunDecided: members.count == 1)
        for (i, c) in categories.enumerated() where !c.isEmpty { adjustments.categories[i] = c }
        let e = try ReferenceRules.evaluate(record.household, members: dibaoMembers, parameters: p, explain: explain, adjustments: adjustments)
        // The 特困 test made above (with its own income count) goes where the reference rules make it.
        var steps = e.steps
        if let t = tekunStep { steps.insert(t, at: steps.firstIndex { $0.key == "dibao" } ?? steps.endIndex) }
        return Evaluation(householdID: e.householdID, month: e.month, pack: e.pack, programme: e.programme, benefit: e.benefit,
                          figures: e.figures, steps: derive.steps + steps)
    }
}

extension BasicLivingRules {
    /// The household as the 低保 rules see it: its co-resident members, each with income counted
    /// under 低保's exclusions, the assessed care level and the supporters' capacity. The referrals
    /// of the comprehensive assessment are worked out on this view.
    public static func householdView(_ record: HouseholdRecord, circumstances: Circumstances, month: Month,
                                     pack: PolicyPack) throws(PolicyError) -> HouseholdRecord {
        guard !circumstances.isEmpty else { return record }
        let p = try ReferenceParameters(pack: pack, month: month)
        var derive = Derivation(record: record, circumstances: circumstances, parameters: p, pack: pack)
        let (members, careLevels, supported, _) = try derive.basics()
        return HouseholdRecord(household: record.household, members: try derive.dibaoMembers(members, careLevels: careLevels, supported: supported))
    }
}

extension MemberCategory {
    /// The categories a member's recognised conditions give.
    static func from(_ conditions: Set<MemberCondition>) -> Set<MemberCategory> {
        var c = Set<MemberCategory>()
        if conditions.contains(.mdrTuberculosis) { c.insert(.mdrTuberculosis) }
        if conditions.contains(.entitledGroup) { c.insert(.entitledGroup) }
        return c
    }
}

extension Evaluation {
    func prefixed(_ before: [Step]) -> Evaluation {
        Evaluation(householdID: householdID, month: month, pack: pack, programme: programme, benefit: benefit, figures: figures,
                   steps: before + steps)
    }
}

/// Works out, step by step, the facts the reference rules see.
struct Derivation {
    let record: HouseholdRecord
    let circumstances: Circumstances
    let p: ReferenceParameters
    let reader: PackReader
    let day: Day
    private(set) var steps: [Step] = []
    /// Income lines already explained, by programme.
    private var explainedIncome: Set<String> = []

    init(record: HouseholdRecord, circumstances: Circumstances, parameters: ReferenceParameters, pack: PolicyPack) {
        self.record = record
        self.circumstances = circumstances
        self.p = parameters
        self.reader = PackReader(pack: pack, needs: "the household's circumstances need")
        self.day = parameters.month.firstDay
    }

    private func list(_ name: String) throws(PolicyError) -> ([String], ParameterUse) {
        let (v, use) = try reader.get(name, .list, on: day)
        guard case .names(let items) = v else { throw PolicyError(pack: p.pack, parameter: name, "must be a list") }
        return (items, use)
    }

    private func integer(_ name: String, _ unit: ParameterUnit) throws(PolicyError) -> (Int64, ParameterUse) {
        let (v, use) = try reader.get(name, unit, on: day)
        guard case .integer(let i) = v else { throw PolicyError(pack: p.pack, parameter: name, "must be an integer") }
        return (i, use)
    }

    private func names<T: RawRepresentable>(_ name: String, _: T.Type) throws(PolicyError) -> (Set<T>, ParameterUse) where T.RawValue == String {
        let (items, use) = try list(name)
        var out = Set<T>()
        for item in items {
            guard let v = T(rawValue: item) else { throw PolicyError(pack: p.pack, parameter: name, "unknown name '\(item)'") }
            out.insert(v)
        }
        return (out, use)
    }

    /// The co-resident members, their care levels, whether each has a capable supporter, and their
    /// categories from recognised conditions.
    mutating func basics() throws(PolicyError) -> ([Member], [CareLevel], [Bool], [Set<MemberCategory>]) {
        let members = try coResidentMembers()
        guard !members.isEmpty else {
            throw PolicyError(pack: p.pack, "household \(record.household.householdID): no member counts as a co-resident member (57号 第七条)")
        }
        return (members, try careLevels(members), try capableSupporters(members), categories(members))
    }

    /// The members with 低保's income count, care level and supporters.
    mutating func dibaoMembers(_ members: [Member], careLevels: [CareLevel], supported: [Bool]) throws(PolicyError) -> [Member] {
        var out: [Member] = []
        for (i, m) in members.enumerated() {
            var d = try withIncome(m, programme: "dibao")
            d.careLevel = careLevels[i]
            d.hasCapableSupporter = supported[i]
            out.append(d)
        }
        return out
    }

    /// 57号 第七条: spouses, minor children, adult children in full-time education up to the pack's
    /// stage, and others living together long-term count; those in prison, in compulsory drug
    /// rehabilitation, declared missing, or religious professionals apart for the pack's years do not.
    mutating func coResidentMembers() throws(PolicyError) -> [Member] {
        let special = record.members.filter { circumstances.of($0.idNumber).residence != .home }
        guard !special.isEmpty else { return record.members }
        var uses: [ParameterUse] = []
        var excludedResidence = Set<Residence>(), years: Int64 = 0, maxStage = SchoolStage.undergraduate
        if special.contains(where: { [.prison, .drugRehab, .missing, .religiousApart].contains(circumstances.of($0.idNumber).residence) }) {
            let (set, use) = try names("household_excluded_residence", Residence.self)
            excludedResidence = set
            uses.append(use)
        }
        if special.contains(where: { circumstances.of($0.idNumber).residence == .religiousApart }) {
            let (y, use) = try integer("religious_separation_years", .years)
            years = y
            uses.append(use)
        }
        if special.contains(where: { circumstances.of($0.idNumber).residence == .studyingAway }) {
            let (v, use) = try reader.get("student_member_max_stage", .choice, on: day)
            guard case .choice(let c) = v, let stage = SchoolStage(rawValue: c) else {
                throw PolicyError(pack: p.pack, parameter: "student_member_max_stage", "must be a school stage: " + SchoolStage.allCases.map(\.rawValue).joined(separator: ", "))
            }
            maxStage = stage
            uses.append(use)
        }
        var kept: [Member] = [], notes: [String] = []
        for m in record.members {
            let c = circumstances.of(m.idNumber)
            let age = m.idNumber.age(on: day)
            let counts: Bool, why: String
            switch c.residence {
            case .home: counts = true; why = ""
            case .studyingAway:
                counts = c.school != .none && c.school <= maxStage
                why = counts ? "在外全日制就读（\(c.school.chineseName)），计入" : "在外就读（\(c.school.chineseName)）超过\(maxStage.chineseName)，不计入"
            case .prison, .drugRehab, .missing:
                counts = !excludedResidence.contains(c.residence)
                why = c.residence.chineseName + (counts ? "，本包未列为排除情形，计入" : "，不计入")
            case .religiousApart:
                counts = !(excludedResidence.contains(.religiousApart) && Int64(c.yearsApart) >= years)
                why = "宗教教职人员脱离家庭 \(c.yearsApart) 年" + (counts ? "（未满 \(years) 年），计入" : "（满 \(years) 年），不计入")
            case .livesApart:
                let always = m.relation == .head || m.relation == .spouse || (m.relation == .child && age < p.minorAge)
                counts = always
                why = always ? "未共同居住，但为户主、配偶或未成年子女，计入" : "未长期共同居住，不计入"
            }
            if counts { kept.append(m) }
            if c.residence != .home { notes.append("\(m.name)（\(m.relation.chineseName)）\(why)") }
        }
        steps.append(Step(key: "household_definition", title: "共同生活的家庭成员认定", passed: nil,
                          detail: notes.joined(separator: "；") + "；计入 \(kept.count) 人", parameters: uses,
                          citation: BasicLivingRules.householdCitation))
        return kept
    }

    /// The member with income counted under the programme's exclusions (`dibao` or `tekun`).
    mutating func withIncome(_ m: Member, programme: String) throws(PolicyError) -> Member {
        guard let items = circumstances.of(m.idNumber).incomes else { return m }
        let parameter = programme == "tekun" ? "tekun_excluded_income" : "dibao_excluded_income"
        let (excluded, use) = try names(parameter, IncomeKind.self)
        var counted: Int64 = 0, work: Int64 = 0, lines: [String] = []
        for item in items {
            let counts = !excluded.contains(item.kind)
            let (sum, overflow) = counted.addingReportingOverflow(counts ? item.fen : 0)
            guard !overflow else { throw PolicyError(pack: p.pack, "household \(record.household.householdID): income too large") }
            counted = sum
            if counts && item.kind == .wage { work += item.fen }
            lines.append("\(item.kind.chineseName) \(Money(fen: item.fen))" + (counts ? "" : "（不计入）"))
        }
        var d = m
        d.monthlyIncome = Money(fen: counted)
        d.employmentIncome = Money(fen: work)
        let key = "\(programme):\(m.idNumber)"
        if !explainedIncome.contains(key) {
            explainedIncome.insert(key)
            steps.append(Step(key: "income_items", title: programme == "tekun" ? "收入核算（特困口径）" : "收入核算（低保口径）", passed: nil,
                              detail: "\(m.name)：" + (lines.isEmpty ? "无收入" : lines.joined(separator: "，")) + "；计入收入 \(d.monthlyIncome)，其中工资性收入 \(d.employmentIncome)",
                              parameters: [use], citation: BasicLivingRules.incomeCitation))
        }
        return d
    }

    /// The household's rigid illness and disability costs of the kinds the pack deducts.
    mutating func rigidDeduction(_ members: [Member]) throws(PolicyError) -> Money {
        let costs = members.flatMap { m in circumstances.of(m.idNumber).rigidCosts.map { (m.name, $0) } }
        guard !costs.isEmpty else { return .zero }
        let (kinds, use) = try names("rigid_cost_deduction_kinds", RigidCostKind.self)
        var total: Int64 = 0, lines: [String] = []
        for (name, c) in costs {
            let deducted = kinds.contains(c.kind)
            if deducted { total += c.fen }
            lines.append("\(name) \(c.kind.chineseName) \(Money(fen: c.fen))" + (deducted ? "" : "（本包不扣减）"))
        }
        steps.append(Step(key: "rigid_costs", title: "刚性支出扣减", passed: nil,
                          detail: lines.joined(separator: "；") + "；从家庭收入中扣减 \(Money(fen: total))",
                          parameters: [use], citation: "民发〔2021〕57号 第十三条（因残疾、患重病等产生的刚性支出可适当扣减）"))
        return Money(fen: total)
    }

    /// 43号 第八条: a member has a capable supporter unless every supporter is unable to support.
    mutating func capableSupporters(_ members: [Member]) throws(PolicyError) -> [Bool] {
        var out: [Bool] = [], lines: [String] = [], uses: [ParameterUse] = []
        var ages: (incapable: Int64, dibao: Int64)?
        for m in members {
            guard let supporters = circumstances.of(m.idNumber).supporters else { out.append(m.hasCapableSupporter); continue }
            if ages == nil {
                let (a, u1) = try integer("supporter_incapable_age", .years)
                let (b, u2) = try integer("supporter_dibao_age", .years)
                ages = (a, b)
                uses = [u1, u2]
            }
            var capable = false, notes: [String] = []
            for s in supporters {
                let reason = Self.incapacity(s, incapableAge: ages!.incapable, dibaoAge: ages!.dibao)
                if reason == nil { capable = true }
                notes.append("\(s.name.isEmpty ? "义务人" : s.name) \(s.age) 岁：" + (reason ?? "有履行能力"))
            }
            out.append(capable)
            lines.append("\(m.name)：" + (supporters.isEmpty ? "无法定义务人" : notes.joined(separator: "，"))
                         + (capable ? "；有履行能力的法定义务人" : "；无履行能力的法定义务人"))
        }
        if !lines.isEmpty {
            steps.append(Step(key: "supporters", title: "法定义务人履行能力", passed: nil, detail: lines.joined(separator: "；"),
                              parameters: uses, citation: BasicLivingRules.supporterCitation))
        }
        return out
    }

    /// Why a supporter cannot support (43号 第八条 items 1–5), or nil when they can.
    static func incapacity(_ s: Supporter, incapableAge: Int64, dibaoAge: Int64) -> String? {
        let means = s.incomeBelowReference && s.assetsWithinLowIncomeRule
        if s.status.contains(.tekun) { return "本人为特困人员（第一项）" }
        if s.status.contains(.dibao) && Int64(s.age) >= dibaoAge { return "\(dibaoAge) 周岁以上的低保对象（第二项）" }
        if Int64(s.age) >= incapableAge && means { return "\(incapableAge) 周岁以上，收入低于上年人均可支配收入且财产符合低收入家庭规定（第三项）" }
        if (s.status.contains(.severeDisability) || s.status.contains(.intellectualOrMentalGrade3)) && means {
            return "重度残疾或三级智力、精神残疾，收入和财产符合规定（第四项）"
        }
        if !s.status.isDisjoint(with: [.noCivilCapacity, .missing, .prison]) && s.assetsWithinLowIncomeRule {
            return s.status.intersection([.noCivilCapacity, .missing, .prison]).map(\.chineseName).sorted().joined(separator: "、")
                + "，财产符合低收入家庭规定（第五项）"
        }
        return nil
    }

    /// The care level of each member: from the six-item assessment where it was done, else the CSV's.
    mutating func careLevels(_ members: [Member]) throws(PolicyError) -> [CareLevel] {
        var out: [CareLevel] = []
        for m in members {
            guard let unable = circumstances.of(m.idNumber).selfCareUnable else { out.append(m.careLevel); continue }
            let (level, step) = try SelfCareAssessment.careLevel(unable: unable, month: p.month, pack: reader.pack)
            out.append(level)
            steps.append(Step(key: step.key, title: step.title, passed: nil, detail: "\(m.name)：" + step.detail,
                              parameters: step.parameters, citation: step.citation))
        }
        return out
    }

    /// Categories from recognised conditions (read by the pack's category lists like any other).
    mutating func categories(_ members: [Member]) -> [Set<MemberCategory>] {
        var lines: [String] = []
        let out = members.map { m -> Set<MemberCategory> in
            let c = MemberCategory.from(circumstances.of(m.idNumber).conditions)
            if !c.isEmpty { lines.append("\(m.name)：" + c.map(\.chineseName).sorted().joined(separator: "、")) }
            return c
        }
        if !lines.isEmpty {
            steps.append(Step(key: "conditions", title: "认定的特殊情形", passed: nil,
                              detail: lines.joined(separator: "；") + "（是否加发或单独施保，由本包的类别清单决定）",
                              parameters: [], citation: "民发〔2021〕57号 第八条第四项；龙政办〔2021〕65号；双办发〔2021〕14号"))
        }
        return out
    }

    /// The one member as the 特困 test sees them: 特困's income exclusions, the assessed care level,
    /// the supporters' capacity, and cover past 18 while in school for a member who was 特困.
    mutating func tekunMember(_ m: Member, careLevel: CareLevel, supported: Bool) throws(PolicyError) -> (Member, Bool) {
        var d = try withIncome(m, programme: "tekun")
        d.careLevel = careLevel
        d.hasCapableSupporter = supported
        let c = circumstances.of(m.idNumber)
        let age = m.idNumber.age(on: day)
        guard age >= p.minorAge, c.school != .none, circumstances.previous?.programme == Programme.tekun.rawValue else { return (d, false) }
        let (stages, use) = try names("tekun_school_extension_stages", SchoolStage.self)
        let extends = stages.contains(c.school)
        steps.append(Step(key: "school_extension", title: "年满18周岁仍在校就读", passed: extends,
                          detail: "\(m.name) \(age) 岁，原为特困人员，现就读\(c.school.chineseName)"
                              + (extends ? "：继续按未成年特困人员认定（视为无劳动能力）" : "：不属于可继续享有的就读阶段"),
                          parameters: [use], citation: BasicLivingRules.schoolCitation))
        if extends { d.ableToWork = false }
        return (d, extends)
    }
}
