import JiuzhuCore

/// 低保积分制 (元江县任务清单 第18项; Yunnan): a household is scored on indicators of hardship and
/// of means, and the score is set against the pack's pass mark. It supports the income test, it does
/// not replace it: the officer sees it beside the evaluation.
///
/// The pack's `dibao_points_table` lists `indicator:points` items (points may be negative); the
/// indicators are the ones of ``Indicator``. `dibao_points_pass_mark` is the pass mark.
public enum DibaoPoints {
    public static let citation = "元江县任务清单 第18项（持续推行低保积分制，科学认定低保对象）；POLICY.md §9"

    /// What the household is scored on; `per_…` indicators count once for each member concerned.
    public enum Indicator: String, CaseIterable, Sendable {
        case incomeBelowStandard = "income_below_standard"
        case incomeBelowHalfStandard = "income_below_half_standard"
        case noAbleWorker = "no_able_worker"
        case perSevereDisability = "per_severe_disability"
        case perSeriousIllness = "per_serious_illness"
        case perElderly = "per_elderly"
        case perMinor = "per_minor"
        case perStudent = "per_student"
        case rigidCostsOverStandard = "rigid_costs_over_standard"
        case noHouse = "no_house"
        case depositsOverHalfLimit = "deposits_over_half_limit"
        case vehicle
        case businessRegistered = "business_registered"

        public var chineseName: String {
            switch self {
            case .incomeBelowStandard: return "人均收入低于低保标准"
            case .incomeBelowHalfStandard: return "人均收入低于低保标准的一半"
            case .noAbleWorker: return "家庭无劳动年龄内有劳动能力的成员"
            case .perSevereDisability: return "重度残疾成员（每人）"
            case .perSeriousIllness: return "重病成员（每人）"
            case .perElderly: return "老年成员（每人）"
            case .perMinor: return "未成年成员（每人）"
            case .perStudent: return "在校学生（每人）"
            case .rigidCostsOverStandard: return "月刚性支出不低于低保标准"
            case .noHouse: return "无自有住房"
            case .depositsOverHalfLimit: return "存款超过存款上限的一半"
            case .vehicle: return "拥有非代步机动车"
            case .businessRegistered: return "有工商登记"
            }
        }
    }

    public struct Line: Sendable, Equatable, Codable {
        public let indicator: String
        public let title: String
        /// How many times it applies (members, or 1).
        public let count: Int
        public let points: Int64
    }

    public struct Result: Sendable, Equatable, Codable {
        public let total: Int64
        public let passMark: Int64
        public let passed: Bool
        public let lines: [Line]
        public let step: Step
        enum CodingKeys: String, CodingKey { case total, passMark = "pass_mark", passed, lines, step }
    }

    /// Scores the household, or nil when the pack has no points system in force that month.
    /// `record` is the household as the evaluation saw it (``BasicLivingRules/householdView``):
    /// its co-resident members with their counted income.
    public static func score(_ record: HouseholdRecord, circumstances: Circumstances, evaluation e: Evaluation,
                             month: Month, pack: PolicyPack) throws(PolicyError) -> Result? {
        let day = month.firstDay
        // No points system in the pack, or none yet in force that month (元江's starts 2021-12-26).
        guard pack.parameters["dibao_points_table"]?.value(on: day) != nil else { return nil }
        let reader = PackReader(pack: pack, needs: "the 低保积分制 needs")
        let (tableValue, tableUse) = try reader.get("dibao_points_table", .list, on: day)
        let (markValue, markUse) = try reader.get("dibao_points_pass_mark", .count, on: day)
        guard case .names(let items) = tableValue, case .integer(let mark) = markValue else {
            throw PolicyError(pack: pack.id, parameter: "dibao_points_table", "must be a list")
        }
        var table: [(Indicator, Int64)] = []
        for item in items {
            let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let indicator = Indicator(rawValue: parts[0]), let points = Int64(parts[1]) else {
                throw PolicyError(pack: pack.id, parameter: "dibao_points_table",
                                  "each item is 'indicator:points' with an indicator of " + Indicator.allCases.map(\.rawValue).joined(separator: ", ")
                                  + ", found '\(item)'")
            }
            table.append((indicator, points))
        }
        let p = try ReferenceParameters(pack: pack, month: month)
        let counts = indicatorCounts(record, circumstances: circumstances, evaluation: e, parameters: p)
        var lines: [Line] = [], total: Int64 = 0
        for (indicator, points) in table {
            let n = counts[indicator] ?? 0
            guard n > 0 else { continue }
            lines.append(Line(indicator: indicator.rawValue, title: indicator.chineseName, count: n, points: points * Int64(n)))
            total += points * Int64(n)
        }
        let passed = total >= mark
        let parts: [String] = lines.map { (l: Line) -> String in
            let times = l.count > 1 ? " ×\(l.count)" : ""
            let sign = l.points >= 0 ? "+" : ""
            return l.title + times + " " + sign + String(l.points)
        }
        let detail: String = (parts.isEmpty ? "无计分项" : parts.joined(separator: "，"))
            + "；合计 \(total) 分，" + (passed ? "达到" : "未达到") + "分数线 \(mark) 分（积分辅助认定，不替代收入和财产核算）"
        let step = Step(key: "dibao_points", title: "低保积分", passed: passed, detail: detail, parameters: [tableUse, markUse], citation: citation)
        return Result(total: total, passMark: mark, passed: passed, lines: lines, step: step)
    }

    static func indicatorCounts(_ r: HouseholdRecord, circumstances c: Circumstances, evaluation e: Evaluation,
                                parameters p: ReferenceParameters) -> [Indicator: Int] {
        let day = p.month.firstDay
        let s = p.standard(r.household.hukouType)
        let n = Int64(max(1, e.figures.n))
        let perCapita = e.figures.netFen / n
        let members = r.members
        let ages = members.map { $0.idNumber.age(on: day) }
        var out: [Indicator: Int] = [:]
        func set(_ i: Indicator, _ v: Int) { if v > 0 { out[i] = v } }
        set(.incomeBelowStandard, perCapita < s.fen ? 1 : 0)
        set(.incomeBelowHalfStandard, perCapita * 2 < s.fen ? 1 : 0)
        set(.noAbleWorker, zip(members, ages).contains { $0.0.ableToWork && (16...59).contains($0.1) } ? 0 : 1)
        set(.perSevereDisability, members.filter { p.severeGrades.contains($0.disabilityGrade) || ($0.disabilityGrade == 3 && p.severeGrade3Kinds.contains($0.disabilityKind)) }.count)
        set(.perSeriousIllness, members.filter(\.seriousIllness).count)
        set(.perElderly, ages.filter { Int64($0) >= p.elderlyAge }.count)
        set(.perMinor, ages.filter { Int64($0) < p.minorAge }.count)
        set(.perStudent, members.filter { c.of($0.idNumber).school != .none }.count)
        let rigid = members.flatMap { c.of($0.idNumber).rigidCosts }.reduce(Int64(0)) { $0 + $1.fen }
        set(.rigidCostsOverStandard, rigid > 0 && rigid >= s.fen ? 1 : 0)
        set(.noHouse, r.household.houses == 0 ? 1 : 0)
        let depositLimit = Int128(p.depositMonths) * Int128(s.fen) * Int128(n)
        set(.depositsOverHalfLimit, Int128(r.household.deposits.fen) * 2 > depositLimit ? 1 : 0)
        set(.vehicle, r.household.vehiclesValue.fen > 0 && !r.household.disabilityVehicle ? 1 : 0)
        set(.businessRegistered, r.household.businessRegistered ? 1 : 0)
        return out
    }
}
