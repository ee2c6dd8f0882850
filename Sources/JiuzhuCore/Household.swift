/// Where a household's hukou is: it decides which 低保 standard applies (城镇 / 农村).
public enum HukouType: String, Sendable, Codable, CaseIterable {
    case urban, rural
    public var chineseName: String { self == .urban ? "城镇" : "农村" }
}

/// A member's relation to the head of the household.
public enum Relation: String, Sendable, Codable, CaseIterable {
    case head, spouse, child, parent, grandchild, grandparent, sibling, other
    public var chineseName: String {
        switch self {
        case .head: return "户主"
        case .spouse: return "配偶"
        case .child: return "子女"
        case .parent: return "父母"
        case .grandchild: return "孙子女"
        case .grandparent: return "祖父母"
        case .sibling: return "兄弟姐妹"
        case .other: return "其他"
        }
    }
}

/// The kind of disability on a disability certificate (残疾人证).
public enum DisabilityKind: String, Sendable, Codable, CaseIterable {
    case none, physical, visual, hearing, speech, intellectual, mental, multiple
    public var chineseName: String {
        switch self {
        case .none: return "无"
        case .physical: return "肢体"
        case .visual: return "视力"
        case .hearing: return "听力"
        case .speech: return "言语"
        case .intellectual: return "智力"
        case .mental: return "精神"
        case .multiple: return "多重"
        }
    }
}

/// Self-care ability assessment (生活自理能力评估).
public enum CareLevel: String, Sendable, Codable, CaseIterable {
    case `self`, semi, full
    public var chineseName: String {
        switch self {
        case .self: return "全自理"
        case .semi: return "半护理"
        case .full: return "全护理"
        }
    }
}

/// A household (家庭) as the registry holds it, with the facts of Population CSV v1.
public struct Household: Hashable, Sendable, Codable {
    public var householdID: String
    public var divisionCode: DivisionCode
    public var hukouType: HukouType
    /// Monetised financial assets of the whole household (货币化存款).
    public var deposits: Money
    /// Market value of members' motor vehicles.
    public var vehiclesValue: Money
    /// The vehicle is a mobility aid for a severely disabled or seriously ill member.
    public var disabilityVehicle: Bool
    public var houses: Int64
    public var businessRegistered: Bool

    public init(householdID: String, divisionCode: DivisionCode, hukouType: HukouType, deposits: Money = 0,
                vehiclesValue: Money = 0, disabilityVehicle: Bool = false, houses: Int64 = 0,
                businessRegistered: Bool = false) {
        self.householdID = householdID
        self.divisionCode = divisionCode
        self.hukouType = hukouType
        self.deposits = deposits
        self.vehiclesValue = vehiclesValue
        self.disabilityVehicle = disabilityVehicle
        self.houses = houses
        self.businessRegistered = businessRegistered
    }

    /// The county (first six digits): every stored row carries it.
    public var countyCode: DivisionCode { divisionCode.countyCode }

    /// JSON keys are the column names of Population CSV v1.
    enum CodingKeys: String, CodingKey {
        case householdID = "household_id", divisionCode = "division_code", hukouType = "hukou_type"
        case deposits = "deposits_fen", vehiclesValue = "vehicles_value_fen", disabilityVehicle = "disability_vehicle"
        case houses, businessRegistered = "business_registered"
    }
}

/// A member of a household, with the facts of Population CSV v1.
public struct Member: Hashable, Sendable, Codable {
    public var householdID: String
    public var idNumber: IDNumber
    public var name: String
    public var relation: Relation
    /// 0 = none; 1 is the most severe.
    public var disabilityGrade: Int
    public var disabilityKind: DisabilityKind
    public var seriousIllness: Bool
    /// 0 = not a disabled veteran; 1–10.
    public var veteranDisabilityGrade: Int
    public var martyrFamily: Bool
    public var demobilizedVeteran: Bool
    public var ableToWork: Bool
    public var hasCapableSupporter: Bool
    public var careLevel: CareLevel
    public var monthlyIncome: Money
    public var employmentIncome: Money

    public init(householdID: String, idNumber: IDNumber, name: String, relation: Relation,
                disabilityGrade: Int = 0, disabilityKind: DisabilityKind = .none, seriousIllness: Bool = false,
                veteranDisabilityGrade: Int = 0, martyrFamily: Bool = false, demobilizedVeteran: Bool = false,
                ableToWork: Bool = true, hasCapableSupporter: Bool = false, careLevel: CareLevel = .self,
                monthlyIncome: Money = 0, employmentIncome: Money = 0) {
        self.householdID = householdID
        self.idNumber = idNumber
        self.name = name
        self.relation = relation
        self.disabilityGrade = disabilityGrade
        self.disabilityKind = disabilityKind
        self.seriousIllness = seriousIllness
        self.veteranDisabilityGrade = veteranDisabilityGrade
        self.martyrFamily = martyrFamily
        self.demobilizedVeteran = demobilizedVeteran
        self.ableToWork = ableToWork
        self.hasCapableSupporter = hasCapableSupporter
        self.careLevel = careLevel
        self.monthlyIncome = monthlyIncome
        self.employmentIncome = employmentIncome
    }

    /// JSON keys are the column names of Population CSV v1.
    enum CodingKeys: String, CodingKey {
        case householdID = "household_id", idNumber = "id_number", name, relation
        case disabilityGrade = "disability_grade", disabilityKind = "disability_kind", seriousIllness = "serious_illness"
        case veteranDisabilityGrade = "veteran_disability_grade", martyrFamily = "martyr_family"
        case demobilizedVeteran = "demobilized_veteran", ableToWork = "able_to_work"
        case hasCapableSupporter = "has_capable_supporter", careLevel = "care_level"
        case monthlyIncome = "monthly_income_fen", employmentIncome = "employment_income_fen"
    }

    /// Decodes a member; `household_id` may be left out where the household is known from
    /// context (inside a household, or in the URL), and is then empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        householdID = try c.decodeIfPresent(String.self, forKey: .householdID) ?? ""
        idNumber = try c.decode(IDNumber.self, forKey: .idNumber)
        name = try c.decode(String.self, forKey: .name)
        relation = try c.decode(Relation.self, forKey: .relation)
        disabilityGrade = try c.decode(Int.self, forKey: .disabilityGrade)
        disabilityKind = try c.decode(DisabilityKind.self, forKey: .disabilityKind)
        seriousIllness = try c.decode(Bool.self, forKey: .seriousIllness)
        veteranDisabilityGrade = try c.decode(Int.self, forKey: .veteranDisabilityGrade)
        martyrFamily = try c.decode(Bool.self, forKey: .martyrFamily)
        demobilizedVeteran = try c.decode(Bool.self, forKey: .demobilizedVeteran)
        ableToWork = try c.decode(Bool.self, forKey: .ableToWork)
        hasCapableSupporter = try c.decode(Bool.self, forKey: .hasCapableSupporter)
        careLevel = try c.decode(CareLevel.self, forKey: .careLevel)
        monthlyIncome = try c.decode(Money.self, forKey: .monthlyIncome)
        employmentIncome = try c.decode(Money.self, forKey: .employmentIncome)
    }
}

/// One rule a member's facts break, independent of where they came from (CSV or API).
public struct FieldProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The field (CSV column name), e.g. `disability_kind`.
    public let field: String
    /// The rule broken, in words a caseworker can act on.
    public let rule: String
    public init(field: String, rule: String) { self.field = field; self.rule = rule }
    public var description: String { "\(field): \(rule)" }
}

extension Household {
    /// The rules on a household's own fields (Population CSV v1), with `divisions` to know places.
    public func problems(divisions: Divisions = .bundled) -> [FieldProblem] {
        var out: [FieldProblem] = []
        let idLength = householdID.count
        if idLength < 1 || idLength > 64 { out.append(.init(field: "household_id", rule: "must be 1–64 characters, found \(idLength)")) }
        if let p = divisions.validatePlace(divisionCode) { out.append(.init(field: "division_code", rule: p)) }
        if deposits.fen < 0 { out.append(.init(field: "deposits_fen", rule: "must not be negative")) }
        if vehiclesValue.fen < 0 { out.append(.init(field: "vehicles_value_fen", rule: "must not be negative")) }
        if houses < 0 { out.append(.init(field: "houses", rule: "must not be negative")) }
        return out
    }
}

extension Member {
    /// The rules linking a member's fields (Population CSV v1).
    public func problems() -> [FieldProblem] {
        var out: [FieldProblem] = []
        if name.trimmingWhitespace().isEmpty { out.append(.init(field: "name", rule: "must not be empty")) }
        if !(0...4).contains(disabilityGrade) { out.append(.init(field: "disability_grade", rule: "must be 0–4 (0 = none, 1 most severe)")) }
        if (disabilityGrade == 0) != (disabilityKind == .none) {
            out.append(.init(field: "disability_kind", rule: "must be none exactly when disability_grade is 0"))
        }
        if !(0...10).contains(veteranDisabilityGrade) { out.append(.init(field: "veteran_disability_grade", rule: "must be 0–10")) }
        if monthlyIncome.fen < 0 { out.append(.init(field: "monthly_income_fen", rule: "must not be negative")) }
        if employmentIncome.fen < 0 { out.append(.init(field: "employment_income_fen", rule: "must not be negative")) }
        if employmentIncome > monthlyIncome {
            out.append(.init(field: "employment_income_fen", rule: "must not exceed monthly_income_fen"))
        }
        return out
    }
}

/// An enumeration stored and exchanged as its lower-case code name; decoding a value that
/// is not one of them says which values are allowed.
public protocol CodeNamed: RawRepresentable, CaseIterable, Codable, Sendable where RawValue == String {}

extension CodeNamed {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "must be one of \(Self.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

extension HukouType: CodeNamed {}
extension Relation: CodeNamed {}
extension DisabilityKind: CodeNamed {}
extension CareLevel: CodeNamed {}
