/// The facts of a household beyond Population CSV v1 that the full 低保 and 特困 rules need: who
/// really belongs to the household, each member's income by kind, rigid costs, schooling, the
/// legal supporters' situation, the self-care assessment, and the household's benefit history.
///
/// Every part is optional: with no circumstances the rules see exactly the facts of the CSV.
/// JSON (and the YAML of the case files) uses the snake_case names given in `CodingKeys`.
public struct Circumstances: Hashable, Sendable, Codable {
    public var members: [MemberCircumstances]
    /// The benefit the household received before this month (for 渐退期).
    public var previous: PreviousBenefit?
    /// Damage from a natural disaster this season (受灾人员救助).
    public var disaster: DisasterDamage?
    /// A member of the household died in the last three months (殡葬救助, and the review of 57号).
    public var recentDeath: Bool

    public init(members: [MemberCircumstances] = [], previous: PreviousBenefit? = nil, disaster: DisasterDamage? = nil,
                recentDeath: Bool = false) {
        self.members = members
        self.previous = previous
        self.disaster = disaster
        self.recentDeath = recentDeath
    }

    enum CodingKeys: String, CodingKey { case members, previous, disaster, recentDeath = "recent_death" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        members = try c.decodeIfPresent([MemberCircumstances].self, forKey: .members) ?? []
        previous = try c.decodeIfPresent(PreviousBenefit.self, forKey: .previous)
        disaster = try c.decodeIfPresent(DisasterDamage.self, forKey: .disaster)
        recentDeath = try c.decodeIfPresent(Bool.self, forKey: .recentDeath) ?? false
    }

    public static let none = Circumstances()
    public var isEmpty: Bool { self == .none }

    /// The circumstances of the member with this ID number, or the defaults.
    public func of(_ id: IDNumber) -> MemberCircumstances {
        members.first { $0.idNumber == id } ?? MemberCircumstances(idNumber: id)
    }

    /// The rules on the circumstances themselves, given the household's members.
    public func problems(members household: [Member]) -> [FieldProblem] {
        var out: [FieldProblem] = []
        let ids = Set(household.map(\.idNumber))
        var seen = Set<IDNumber>()
        for (i, m) in members.enumerated() {
            let at = "circumstances.members[\(i)]"
            if !ids.contains(m.idNumber) { out.append(.init(field: "\(at).id_number", rule: "\(m.idNumber) is not a member of the household")) }
            if !seen.insert(m.idNumber).inserted { out.append(.init(field: "\(at).id_number", rule: "appears twice")) }
            if m.yearsApart < 0 { out.append(.init(field: "\(at).years_apart", rule: "must not be negative")) }
            for (j, item) in (m.incomes ?? []).enumerated() where item.fen < 0 {
                out.append(.init(field: "\(at).incomes[\(j)].fen", rule: "must not be negative"))
            }
            for (j, cost) in m.rigidCosts.enumerated() where cost.fen < 0 {
                out.append(.init(field: "\(at).rigid_costs[\(j)].fen", rule: "must not be negative"))
            }
            for (j, s) in (m.supporters ?? []).enumerated() where s.age < 0 || s.age > 150 {
                out.append(.init(field: "\(at).supporters[\(j)].age", rule: "must be 0–150"))
            }
        }
        if let p = previous {
            if p.benefitFen < 0 { out.append(.init(field: "circumstances.previous.benefit_fen", rule: "must not be negative")) }
            if p.exitMonthsPaid < 0 { out.append(.init(field: "circumstances.previous.exit_months_paid", rule: "must not be negative")) }
        }
        if let d = disaster, d.displacedPeople < 0 {
            out.append(.init(field: "circumstances.disaster.displaced_people", rule: "must not be negative"))
        }
        return out
    }
}

/// Where a member lives, for the household definition (共同生活的家庭成员, 民发〔2021〕57号 第七条).
public enum Residence: String, Sendable, Codable, CaseIterable {
    /// Lives with the household.
    case home
    /// Away in full-time education (counted up to the pack's highest stage).
    case studyingAway = "studying_away"
    case prison
    /// In compulsory drug rehabilitation (强制隔离戒毒).
    case drugRehab = "drug_rehab"
    /// Declared missing (宣告失踪).
    case missing
    /// A religious professional living apart from the family (宗教教职人员), for `years_apart` years.
    case religiousApart = "religious_apart"
    /// Does not live with the household long-term (only spouses and minor children count regardless).
    case livesApart = "lives_apart"

    public var chineseName: String {
        switch self {
        case .home: return "共同居住"
        case .studyingAway: return "在外就读"
        case .prison: return "服刑"
        case .drugRehab: return "强制隔离戒毒"
        case .missing: return "宣告失踪"
        case .religiousApart: return "宗教教职人员脱离家庭"
        case .livesApart: return "未长期共同居住"
        }
    }
}

/// The stage of full-time education a member is in.
public enum SchoolStage: String, Sendable, Codable, CaseIterable, Comparable {
    case none, preschool, primary, junior, seniorHigh = "senior_high", secondaryVocational = "secondary_vocational"
    case undergraduate, postgraduate

    public var chineseName: String {
        switch self {
        case .none: return "未在读"
        case .preschool: return "学前教育"
        case .primary: return "小学"
        case .junior: return "初中"
        case .seniorHigh: return "普通高中"
        case .secondaryVocational: return "中等职业学校"
        case .undergraduate: return "本科及专科"
        case .postgraduate: return "研究生"
        }
    }

    private var order: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: SchoolStage, b: SchoolStage) -> Bool { a.order < b.order }
}

/// A kind of income (民发〔2021〕57号 第十二、十三条; 民发〔2021〕43号 第七条). Which kinds are not
/// counted is the pack's (dated) list, not this type's.
public enum IncomeKind: String, Sendable, Codable, CaseIterable {
    case wage, business, property
    case supportReceived = "support_received"
    case pension
    case basicPension = "basic_pension"
    case unemploymentBenefit = "unemployment_benefit"
    case specialCare = "special_care"
    case familyPlanning = "family_planning"
    case scholarship
    case heroismAward = "heroism_award"
    case socialAssistance = "social_assistance"
    case elderlyAllowance = "elderly_allowance"
    case insuranceReimbursement = "insurance_reimbursement"
    case trafficAccidentRelief = "traffic_accident_relief"
    case supportForSevereDisability = "support_for_severe_disability"
    case other

    public var chineseName: String {
        switch self {
        case .wage: return "工资性收入"
        case .business: return "经营净收入"
        case .property: return "财产净收入"
        case .supportReceived: return "赡养（抚养、扶养）费"
        case .pension: return "养老金（基础养老金以外）"
        case .basicPension: return "城乡居民基础养老金"
        case .unemploymentBenefit: return "失业保险金"
        case .specialCare: return "优待抚恤金"
        case .familyPlanning: return "计划生育奖励与扶助金"
        case .scholarship: return "奖学金、助学金"
        case .heroismAward: return "见义勇为等奖励"
        case .socialAssistance: return "政府发放的社会救助款物"
        case .elderlyAllowance: return "高龄津贴"
        case .insuranceReimbursement: return "基本医疗保险等社会保险待遇"
        case .trafficAccidentRelief: return "道路交通事故社会救助基金一次性困难补助"
        case .supportForSevereDisability: return "兄弟姐妹或60岁以上老人给付成年无业重度残疾人的赡养（扶养）费"
        case .other: return "其他收入"
        }
    }
}

/// One monthly income of a member, in fen (the monthly average over the reference period).
public struct IncomeItem: Hashable, Sendable, Codable {
    public var kind: IncomeKind
    public var fen: Int64
    public init(_ kind: IncomeKind, fen: Int64) { self.kind = kind; self.fen = fen }
}

/// A kind of rigid monthly cost caused by illness or disability (57号 第十三条).
public enum RigidCostKind: String, Sendable, Codable, CaseIterable {
    case medical
    case disabilityRehabilitation = "disability_rehabilitation"
    case disabilityCare = "disability_care"
    public var chineseName: String {
        switch self {
        case .medical: return "自付医疗费用"
        case .disabilityRehabilitation: return "残疾康复费用"
        case .disabilityCare: return "残疾护理费用"
        }
    }
}

public struct RigidCost: Hashable, Sendable, Codable {
    public var kind: RigidCostKind
    public var fen: Int64
    public init(_ kind: RigidCostKind, fen: Int64) { self.kind = kind; self.fen = fen }
}

/// A recognised condition or status the CSV does not hold.
public enum MemberCondition: String, Sendable, Codable, CaseIterable {
    /// 耐多药结核病患者 (龙岩: single-person inclusion).
    case mdrTuberculosis = "mdr_tuberculosis"
    /// 定期抚恤的重点优抚对象 (双鸭山: single-person inclusion).
    case entitledGroup = "entitled_group"
    /// 孤儿.
    case orphan
    /// 事实无人抚养儿童.
    case unsupportedChild = "unsupported_child"
    /// Unemployed (登记失业), for the employment referral.
    case registeredUnemployed = "registered_unemployed"

    public var chineseName: String {
        switch self {
        case .mdrTuberculosis: return "耐多药结核病患者"
        case .entitledGroup: return "定期抚恤的重点优抚对象"
        case .orphan: return "孤儿"
        case .unsupportedChild: return "事实无人抚养儿童"
        case .registeredUnemployed: return "登记失业人员"
        }
    }
}

/// A legal supporter (法定赡养、抚养、扶养义务人) of a member, as far as 43号 第八条 needs to know.
public struct Supporter: Hashable, Sendable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case tekun, dibao
        case severeDisability = "severe_disability"
        /// 三级 intellectual or mental disability.
        case intellectualOrMentalGrade3 = "intellectual_or_mental_grade3"
        case noCivilCapacity = "no_civil_capacity"
        case missing, prison
        public var chineseName: String {
            switch self {
            case .tekun: return "特困人员"
            case .dibao: return "低保对象"
            case .severeDisability: return "重度残疾人"
            case .intellectualOrMentalGrade3: return "三级智力或精神残疾人"
            case .noCivilCapacity: return "无民事行为能力"
            case .missing: return "被宣告失踪"
            case .prison: return "在监狱服刑"
            }
        }
    }
    public var name: String
    public var age: Int
    public var status: Set<Status>
    /// Own income below the local previous-year per-capita disposable income.
    public var incomeBelowReference: Bool
    /// Assets within the local 低收入家庭 asset rule.
    public var assetsWithinLowIncomeRule: Bool

    public init(name: String, age: Int, status: Set<Status> = [], incomeBelowReference: Bool = false, assetsWithinLowIncomeRule: Bool = false) {
        self.name = name
        self.age = age
        self.status = status
        self.incomeBelowReference = incomeBelowReference
        self.assetsWithinLowIncomeRule = assetsWithinLowIncomeRule
    }

    enum CodingKeys: String, CodingKey {
        case name, age, status, incomeBelowReference = "income_below_reference", assetsWithinLowIncomeRule = "assets_within_low_income_rule"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        age = try c.decode(Int.self, forKey: .age)
        status = try c.decodeIfPresent(Set<Status>.self, forKey: .status) ?? []
        incomeBelowReference = try c.decodeIfPresent(Bool.self, forKey: .incomeBelowReference) ?? false
        assetsWithinLowIncomeRule = try c.decodeIfPresent(Bool.self, forKey: .assetsWithinLowIncomeRule) ?? false
    }
}

/// 生活自理能力评估 (民发〔2021〕43号 第二十至二十三条): six activities, each done unaided or not.
public enum SelfCareItem: String, CaseIterable, Sendable, Codable {
    case eating, dressing, bedTransfer = "bed_transfer", toileting, indoorWalking = "indoor_walking", bathing

    public var chineseName: String {
        switch self {
        case .eating: return "吃饭"
        case .dressing: return "穿衣"
        case .bedTransfer: return "上下床"
        case .toileting: return "如厕"
        case .indoorWalking: return "室内行走"
        case .bathing: return "洗澡"
        }
    }
}

/// What the registry knows of one member beyond the CSV.
public struct MemberCircumstances: Hashable, Sendable, Codable {
    public var idNumber: IDNumber
    public var residence: Residence
    /// Years lived apart (for `religious_apart`).
    public var yearsApart: Int
    public var school: SchoolStage
    /// Income by kind; when given it replaces `monthly_income_fen` and `employment_income_fen`.
    public var incomes: [IncomeItem]?
    public var rigidCosts: [RigidCost]
    public var conditions: Set<MemberCondition>
    /// The legal supporters; when given, whether one is able to support is decided from them by
    /// 43号 第八条 instead of `has_capable_supporter`.
    public var supporters: [Supporter]?
    /// The activities the member cannot do unaided; when given, the care level is decided from
    /// them instead of `care_level`.
    public var selfCareUnable: Set<SelfCareItem>?

    public init(idNumber: IDNumber, residence: Residence = .home, yearsApart: Int = 0, school: SchoolStage = .none,
                incomes: [IncomeItem]? = nil, rigidCosts: [RigidCost] = [], conditions: Set<MemberCondition> = [],
                supporters: [Supporter]? = nil, selfCareUnable: Set<SelfCareItem>? = nil) {
        self.idNumber = idNumber
        self.residence = residence
        self.yearsApart = yearsApart
        self.school = school
        self.incomes = incomes
        self.rigidCosts = rigidCosts
        self.conditions = conditions
        self.supporters = supporters
        self.selfCareUnable = selfCareUnable
    }

    enum CodingKeys: String, CodingKey {
        case idNumber = "id_number", residence, yearsApart = "years_apart", school, incomes, rigidCosts = "rigid_costs"
        case conditions, supporters, selfCareUnable = "self_care_unable"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        idNumber = try c.decode(IDNumber.self, forKey: .idNumber)
        residence = try c.decodeIfPresent(Residence.self, forKey: .residence) ?? .home
        yearsApart = try c.decodeIfPresent(Int.self, forKey: .yearsApart) ?? 0
        school = try c.decodeIfPresent(SchoolStage.self, forKey: .school) ?? .none
        incomes = try c.decodeIfPresent([IncomeItem].self, forKey: .incomes)
        rigidCosts = try c.decodeIfPresent([RigidCost].self, forKey: .rigidCosts) ?? []
        conditions = try c.decodeIfPresent(Set<MemberCondition>.self, forKey: .conditions) ?? []
        supporters = try c.decodeIfPresent([Supporter].self, forKey: .supporters)
        selfCareUnable = try c.decodeIfPresent(Set<SelfCareItem>.self, forKey: .selfCareUnable)
    }
}

/// The basic-living benefit paid before this month, for 渐退期.
public struct PreviousBenefit: Hashable, Sendable, Codable {
    /// `tekun`, `dibao`, `dibao_single`, `low_income` or `none` (a Programme's raw value).
    public var programme: String
    public var benefitFen: Int64
    /// Gradual-exit months already paid.
    public var exitMonthsPaid: Int
    /// The income rose because a member found or kept work.
    public var riseFromWork: Bool

    public init(programme: String, benefitFen: Int64, exitMonthsPaid: Int = 0, riseFromWork: Bool = false) {
        self.programme = programme
        self.benefitFen = benefitFen
        self.exitMonthsPaid = exitMonthsPaid
        self.riseFromWork = riseFromWork
    }

    enum CodingKeys: String, CodingKey {
        case programme, benefitFen = "benefit_fen", exitMonthsPaid = "exit_months_paid", riseFromWork = "rise_from_work"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        programme = try c.decode(String.self, forKey: .programme)
        benefitFen = try c.decodeIfPresent(Int64.self, forKey: .benefitFen) ?? 0
        exitMonthsPaid = try c.decodeIfPresent(Int.self, forKey: .exitMonthsPaid) ?? 0
        riseFromWork = try c.decodeIfPresent(Bool.self, forKey: .riseFromWork) ?? false
    }
}

/// Damage a natural disaster did to the household (受灾人员救助).
public struct DisasterDamage: Hashable, Sendable, Codable {
    public enum House: String, Sendable, Codable, CaseIterable {
        case none, damaged, collapsed
        public var chineseName: String {
            switch self {
            case .none: return "无损"
            case .damaged: return "一般损坏"
            case .collapsed: return "倒塌或严重损坏"
            }
        }
    }
    public var house: House
    /// Members who cannot live at home and need transitional living help.
    public var displacedPeople: Int

    public init(house: House, displacedPeople: Int = 0) { self.house = house; self.displacedPeople = displacedPeople }

    enum CodingKeys: String, CodingKey { case house, displacedPeople = "displaced_people" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        house = try c.decodeIfPresent(House.self, forKey: .house) ?? .none
        displacedPeople = try c.decodeIfPresent(Int.self, forKey: .displacedPeople) ?? 0
    }
}
