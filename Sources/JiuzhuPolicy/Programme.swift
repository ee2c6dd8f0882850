/// The outcome of the basic-living evaluation for a household in a month.
public enum Programme: String, CaseIterable, Codable, Sendable, Comparable {
    case tekun
    case dibao
    case dibaoSingle = "dibao_single"
    case lowIncome = "low_income"
    case none

    public var chineseName: String {
        switch self {
        case .tekun: return "特困人员救助供养"
        case .dibao: return "最低生活保障（整户）"
        case .dibaoSingle: return "最低生活保障（单人户施保）"
        case .lowIncome: return "低收入家庭"
        case .none: return "不符合基本生活救助条件"
        }
    }

    /// Paid monthly (tekun, dibao, dibao_single); low_income is a recognition without payment.
    public var isPaid: Bool { self == .tekun || self == .dibao || self == .dibaoSingle }

    /// The position in `allCases` (the columnar evaluator's programme code).
    public var index: Int {
        switch self {
        case .tekun: return 0
        case .dibao: return 1
        case .dibaoSingle: return 2
        case .lowIncome: return 3
        case .none: return 4
        }
    }

    public static func < (a: Programme, b: Programme) -> Bool { a.index < b.index }
}
