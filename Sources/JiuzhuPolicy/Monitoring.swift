import JiuzhuCore

/// The groups a county monitors (监测对象, seed 002's annex 一): who is at risk of falling into
/// poverty, each marked by a department's data.
public enum MonitoredGroup: String, Sendable, Codable, CaseIterable {
    case unstable, marginal
    case incomeShock = "income_shock"
    case disability
    case unemployed, graduate
    case housing
    case seriousIllness = "serious_illness"
    case medicalBurden = "medical_burden"
    case chronicIllness = "chronic_illness"
    case vocationalStudent = "vocational_student"
    case disasterRebuild = "disaster_rebuild"

    public var chineseName: String {
        switch self {
        case .unstable: return "脱贫不稳定户"
        case .marginal: return "边缘易致贫户"
        case .incomeShock: return "收入骤减或支出骤增家庭"
        case .disability: return "重度残疾人、三级精神智力残疾人"
        case .unemployed: return "城乡失业登记人员"
        case .graduate: return "离校未就业高校毕业生"
        case .housing: return "住房救助、危房改造对象"
        case .seriousIllness: return "重大疾病救助对象"
        case .medicalBurden: return "重病医疗费用个人负担较重"
        case .chronicIllness: return "农村贫困人口慢性病患者"
        case .vocationalStudent: return "低保特困家庭职业学校新生"
        case .disasterRebuild: return "农村住房灾后重建对象"
        }
    }
}

/// One row of a push that marks a person as monitored: the group, why, and the rule's citation
/// with the parameters it read.
public struct MonitoringSignal: Sendable, Equatable, Codable {
    public let group: MonitoredGroup
    /// The reason in Chinese, with the department's data.
    public let reason: String
    public let citation: String
    public let parameters: [ParameterUse]
}

/// The thresholds of one pack on one day, read once for a whole push.
public struct MonitoringThresholds: Sendable, Equatable {
    public let medicalBurden: Money
    public let disabilityGrades: Set<Int>
    public let grade3Kinds: Set<DisabilityKind>
    public let uses: [String: ParameterUse]

    public init(pack: PolicyPack, on day: Day) throws(PolicyError) {
        let reader = PackReader(pack: pack, needs: "monitoring needs")
        let (burden, burdenUse) = try reader.money("monitoring_medical_burden_fen", on: day)
        let (grades, gradesUse) = try reader.get("monitoring_disability_grades", .integers, on: day)
        let (kinds, kindsUse) = try reader.get("monitoring_disability_grade3_kinds", .list, on: day)
        guard case .integers(let g) = grades else { throw PolicyError(pack: pack.id, parameter: "monitoring_disability_grades", "must be a list of grades") }
        guard case .names(let k) = kinds else { throw PolicyError(pack: pack.id, parameter: "monitoring_disability_grade3_kinds", "must be a list of kinds") }
        var parsed = Set<DisabilityKind>()
        for name in k {
            guard let kind = DisabilityKind(rawValue: name), kind != .none else {
                throw PolicyError(pack: pack.id, parameter: "monitoring_disability_grade3_kinds", "unknown disability kind '\(name)'")
            }
            parsed.insert(kind)
        }
        medicalBurden = burden
        disabilityGrades = Set(g.map { Int($0) })
        grade3Kinds = parsed
        uses = ["monitoring_medical_burden_fen": burdenUse, "monitoring_disability_grades": gradesUse, "monitoring_disability_grade3_kinds": kindsUse]
    }
}

/// Which rows of a department's push mark a person as monitored (seed 002's annex 二、1: what each
/// department pushes). Pure: the same row, thresholds and kind give the same signal.
public enum MonitoringSignals {
    public static let citation = "龙政办〔2021〕65号 附件《龙岩市社会救助监测预警机制》一、二"

    /// The kinds of data a department pushes for monitoring.
    public static let pushKinds: [FeedKind] = [.monitoredHouseholds, .disability, .medicalCosts, .seriousIllness, .unemployment,
                                                .housingAssistance, .chronicIllness, .vocationalStudents, .disasterHousing]

    /// The signal of one row, or nil when the row is below the thresholds (a grade-4 certificate,
    /// medical costs under the burden).
    public static func signal(_ kind: FeedKind, fields: [String: String], thresholds t: MonitoringThresholds) -> MonitoringSignal? {
        func f(_ k: String) -> String { fields[k] ?? "" }
        func s(_ g: MonitoredGroup, _ reason: String, _ params: [String] = []) -> MonitoringSignal {
            MonitoringSignal(group: g, reason: reason, citation: citation, parameters: params.compactMap { t.uses[$0] })
        }
        switch kind {
        case .monitoredHouseholds:
            let type = f("monitoring_type")
            let group: MonitoredGroup = type == "unstable" ? .unstable : type == "marginal" ? .marginal : .incomeShock
            return s(group, "纳入防止返贫监测（\(FeedCodes.monitoringType[type] ?? type)，自 \(f("since"))）")
        case .disability:
            guard let grade = Int(f("disability_grade")), let k = DisabilityKind(rawValue: f("disability_kind")) else { return nil }
            let params = ["monitoring_disability_grades", "monitoring_disability_grade3_kinds"]
            if t.disabilityGrades.contains(grade) { return s(.disability, "持残疾人证，残疾等级\(grade)级（重度）", params) }
            if grade == 3 && t.grade3Kinds.contains(k) { return s(.disability, "持残疾人证，三级\(k == .mental ? "精神" : k == .intellectual ? "智力" : k.rawValue)残疾", params) }
            return nil
        case .medicalCosts:
            let paid = Money(fen: Int64(f("self_paid_fen")) ?? 0)
            guard paid >= t.medicalBurden else { return nil }
            return s(.medicalBurden, "\(f("year"))年医疗费用个人负担\(paid)，达到\(t.medicalBurden)", ["monitoring_medical_burden_fen"])
        case .seriousIllness:
            return s(.seriousIllness, "患重特大疾病（\(f("diagnosis"))，自 \(f("since"))）")
        case .unemployment:
            let status = f("status")
            return s(status == "unemployed_graduate" ? .graduate : .unemployed, "\(FeedCodes.unemploymentStatus[status] ?? status)（自 \(f("since"))）")
        case .housingAssistance:
            return s(.housing, "享受\(FeedCodes.housingAssistance[f("assistance")] ?? f("assistance"))（自 \(f("since"))）")
        case .chronicIllness:
            return s(.chronicIllness, "慢性病患者（\(f("chronic_condition"))，自 \(f("since"))）")
        case .vocationalStudents:
            return s(.vocationalStudent, "\(f("since")) 被\(f("school"))录取")
        case .disasterHousing:
            return s(.disasterRebuild, "因自然灾害\(FeedCodes.disasterDamage[f("damage")] ?? f("damage"))（\(f("since"))），需灾后重建")
        default:
            return nil
        }
    }
}
