import JiuzhuCore

/// The values of a pack in force for one month, typed for the reference rules, each remembered
/// with its effective date and citation for the explanation.
public struct ReferenceParameters: Sendable {
    public let month: Month
    public let pack: String
    public let sUrban, sRural, w, averageBenefit: Money
    public let employmentDeductionRate, upliftRate, lowIncomeMultiplier, tekunMultiplier: Rate
    public let careRates: [CareLevel: Rate]
    public let depositMonths, maxHouses, elderlyAge, minorAge: Int64
    public let vehicleRule: VehicleRule
    public let businessRegistrationFailsAssets: Bool
    public let upliftCategories, singleInclusionCategories, tekunCategories: Set<MemberCategory>
    public let upliftVeteranGrades, singleInclusionVeteranGrades, severeGrades: Set<Int>
    public let severeGrade3Kinds: Set<DisabilityKind>
    /// 无劳动能力 by disability (民发〔2021〕43号 第五条): the grades of each kind that count, read only
    /// when a category list names `work_disability`.
    public let workDisabilityGrades: [DisabilityKind: Set<Int>]
    public let payment: Payment
    public let roundToYuan: Bool
    /// Every parameter read, by name.
    public let uses: [String: ParameterUse]

    public enum VehicleRule: String, Sendable { case none, disabilityVehicleWithinLimit = "disability_vehicle_within_limit" }

    /// How the dibao benefit is paid: the gap to the line, or fixed amounts by bands of per-capita income.
    public enum Payment: Sendable, Equatable {
        case gap
        /// (per-capita net income below `upTo`, amount per person), in increasing order.
        case bands([(upTo: Money, perPerson: Money)])

        public static func == (a: Payment, b: Payment) -> Bool {
            switch (a, b) {
            case (.gap, .gap): return true
            case (.bands(let x), .bands(let y)): return x.map(\.upTo) == y.map(\.upTo) && x.map(\.perPerson) == y.map(\.perPerson)
            default: return false
            }
        }
    }

    /// Reads the pack's values in force on the first day of `month`.
    public init(pack: PolicyPack, month: Month) throws(PolicyError) {
        let day = month.firstDay
        var uses: [String: ParameterUse] = [:]
        let reader = PackReader(pack: pack, needs: "the reference rules need")
        func get(_ name: String, _ unit: ParameterUnit) throws(PolicyError) -> ParameterValue {
            let (value, use) = try reader.get(name, unit, on: day)
            uses[name] = use
            return value
        }
        // `get` has checked that each value fits its unit, so the `else` branches cannot be taken.
        func mismatch(_ n: String) -> PolicyError { PolicyError(pack: pack.id, parameter: n, "the value does not fit its unit") }
        func money(_ n: String) throws(PolicyError) -> Money { if case .money(let m) = try get(n, .fen) { return m }; throw mismatch(n) }
        func rate(_ n: String, _ u: ParameterUnit = .rate) throws(PolicyError) -> Rate { if case .rate(let r) = try get(n, u) { return r }; throw mismatch(n) }
        func int(_ n: String, _ u: ParameterUnit) throws(PolicyError) -> Int64 { if case .integer(let i) = try get(n, u) { return i }; throw mismatch(n) }
        func ints(_ n: String) throws(PolicyError) -> Set<Int> { if case .integers(let i) = try get(n, .integers) { return Set(i.map { Int($0) }) }; throw mismatch(n) }
        func choice(_ n: String, _ allowed: [String]) throws(PolicyError) -> String {
            guard case .choice(let c) = try get(n, .choice), allowed.contains(c) else {
                throw PolicyError(pack: pack.id, parameter: n, "must be one of \(allowed.joined(separator: ", "))")
            }
            return c
        }
        func names<T: RawRepresentable>(_ n: String, _: T.Type) throws(PolicyError) -> Set<T> where T.RawValue == String {
            guard case .names(let list) = try get(n, .list) else { throw mismatch(n) }
            var out = Set<T>()
            for item in list {
                guard let v = T(rawValue: item) else { throw PolicyError(pack: pack.id, parameter: n, "unknown name '\(item)'") }
                out.insert(v)
            }
            return out
        }

        self.month = month
        self.pack = pack.id
        sUrban = try money("S_urban")
        sRural = try money("S_rural")
        w = try money("W")
        averageBenefit = try money("average_benefit")
        employmentDeductionRate = try rate("employment_deduction_rate")
        upliftRate = try rate("uplift_rate")
        lowIncomeMultiplier = try rate("low_income_multiplier", .multiple)
        tekunMultiplier = try rate("tekun_multiplier", .multiple)
        careRates = [.self: try rate("care_rate_self"), .semi: try rate("care_rate_semi"), .full: try rate("care_rate_full")]
        depositMonths = try int("deposit_months", .months)
        maxHouses = try int("max_houses", .count)
        elderlyAge = try int("elderly_age", .years)
        minorAge = try int("minor_age", .years)
        vehicleRule = VehicleRule(rawValue: try choice("vehicle_rule", ["none", "disability_vehicle_within_limit"]))!
        businessRegistrationFailsAssets = try choice("business_registration", ["fails_assets", "ignored"]) == "fails_assets"
        upliftCategories = try names("uplift_categories", MemberCategory.self)
        singleInclusionCategories = try names("single_inclusion_categories", MemberCategory.self)
        tekunCategories = try names("tekun_categories", MemberCategory.self)
        upliftVeteranGrades = try ints("uplift_veteran_grades")
        singleInclusionVeteranGrades = try ints("single_inclusion_veteran_grades")
        severeGrades = try ints("severe_disability_grades")
        severeGrade3Kinds = try names("severe_disability_grade3_kinds", DisabilityKind.self)
        if upliftCategories.union(singleInclusionCategories).union(tekunCategories).contains(.workDisability) {
            guard case .names(let items) = try get("work_disability_grades", .list) else { throw mismatch("work_disability_grades") }
            var grades: [DisabilityKind: Set<Int>] = [:]
            for item in items {
                let parts = item.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
                let range = parts.count == 2 ? parts[1].split(separator: "-").compactMap { Int($0) } : []
                guard parts.count == 2, let kind = DisabilityKind(rawValue: parts[0]), kind != .none,
                      (range.count == 1 || (range.count == 2 && range[0] <= range[1])), range.allSatisfy({ (1...4).contains($0) }) else {
                    throw PolicyError(pack: pack.id, parameter: "work_disability_grades",
                                      "each item is 'kind:grades' such as 'intellectual:1-3' or 'visual:1', found '\(item)'")
                }
                grades[kind, default: []].formUnion(range[0]...range[range.count - 1])
            }
            workDisabilityGrades = grades
        } else {
            workDisabilityGrades = [:]
        }
        switch try choice("dibao_payment", ["gap", "bands"]) {
        case "gap":
            payment = .gap
        default:
            guard case .names(let items) = try get("dibao_bands", .list) else { throw mismatch("dibao_bands") }
            var bands: [(upTo: Money, perPerson: Money)] = []
            for item in items {
                let parts = item.split(separator: ":")
                guard parts.count == 2, let a = Int64(parts[0]), let b = Int64(parts[1]), a > (bands.last?.upTo.fen ?? -1), b >= 0 else {
                    throw PolicyError(pack: pack.id, parameter: "dibao_bands",
                                      "each band is 'below_fen:per_person_fen' in increasing order, found '\(item)'")
                }
                bands.append((Money(fen: a), Money(fen: b)))
            }
            payment = .bands(bands)
        }
        roundToYuan = try choice("dibao_rounding", ["yuan_up", "fen"]) == "yuan_up"
        self.uses = uses
    }

    /// The 低保 standard for a household's hukou.
    public func standard(_ hukou: HukouType) -> Money { hukou == .urban ? sUrban : sRural }
}

/// The categories a pack can name in its switches.
public enum MemberCategory: String, Sendable, CaseIterable {
    case severeDisability = "severe_disability"
    case disabledVeteran = "disabled_veteran"
    case seriousIllness = "serious_illness"
    case elderly
    case minor
    case martyrFamily = "martyr_family"
    case demobilizedVeteran = "demobilized_veteran"
    /// A disability that means no capacity to work (特困认定, 民发〔2021〕43号 第五条), by the pack's
    /// `work_disability_grades`.
    case workDisability = "work_disability"
    /// 耐多药结核病患者 (from the household's circumstances, not the CSV).
    case mdrTuberculosis = "mdr_tuberculosis"
    /// 定期抚恤的重点优抚对象 (from the household's circumstances, not the CSV).
    case entitledGroup = "entitled_group"

    public var chineseName: String {
        switch self {
        case .severeDisability: return "重度残疾"
        case .disabledVeteran: return "伤残军人"
        case .seriousIllness: return "重病"
        case .elderly: return "老年人"
        case .minor: return "未成年人"
        case .martyrFamily: return "军烈属"
        case .demobilizedVeteran: return "在乡老复员军人"
        case .workDisability: return "无劳动能力的残疾人"
        case .mdrTuberculosis: return "耐多药结核病患者"
        case .entitledGroup: return "定期抚恤的重点优抚对象"
        }
    }
}

extension ParameterUse {
    public static func text(_ value: ParameterValue, unit: ParameterUnit) -> String {
        switch (value, unit) {
        case (.names(let n), _) where n.isEmpty: return "（无）"
        case (.integers(let n), _) where n.isEmpty: return "（无）"
        case (.money(let m), _): return m.description
        case (.rate(let r), .rate): return r.percent
        case (.rate(let r), _): return r.description
        default: return value.description
        }
    }
}
