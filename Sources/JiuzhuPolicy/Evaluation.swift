import JiuzhuCore

/// The result of evaluating a household for a month, with the steps that led there.
public struct Evaluation: Sendable, Equatable, Codable {
    public let householdID: String
    public let month: Month
    public let pack: String
    public let programme: Programme
    /// Monthly amount.
    public let benefit: Money
    public let figures: Figures
    /// Each test in order, with the figures that went in, the parameters used and the outcome.
    public let steps: [Step]

    enum CodingKeys: String, CodingKey {
        case householdID = "household_id", month, pack, programme, benefit = "benefit_fen", figures, steps
    }
}

/// The key intermediate figures of the reference evaluation.
public struct Figures: Sendable, Equatable, Codable {
    public var n: Int
    public var netFen: Int64
    public var deductionFen: Int64
    public var specialMembers: Int
    public var upliftFen: Int64
    public var singleInclusionMembers: Int
    /// `pass` or `fail`.
    public var assetTest: String

    enum CodingKeys: String, CodingKey {
        case n, netFen = "net_fen", deductionFen = "deduction_fen", specialMembers = "special_members",
             upliftFen = "uplift_fen", singleInclusionMembers = "single_inclusion_members", assetTest = "asset_test"
    }

    /// The figure with its JSON name, as text (for comparing with hand-worked cases).
    public func value(named name: String) -> String? {
        switch name {
        case "n": return String(n)
        case "net_fen": return String(netFen)
        case "deduction_fen": return String(deductionFen)
        case "special_members": return String(specialMembers)
        case "uplift_fen": return String(upliftFen)
        case "single_inclusion_members": return String(singleInclusionMembers)
        case "asset_test": return assetTest
        default: return nil
        }
    }
}

/// One test of an evaluation.
public struct Step: Sendable, Equatable, Codable {
    /// A stable key: `members`, `net_income`, `assets`, `tekun`, `dibao`, `low_income`, `dibao_single`, …
    public let key: String
    /// The test's name in Chinese.
    public let title: String
    /// true = passed, false = failed, nil = a computation rather than a test.
    public let passed: Bool?
    /// What went in and what came out, in Chinese.
    public let detail: String
    /// The pack parameters used, with their values, effective dates and citations.
    public let parameters: [ParameterUse]
    public let citation: String
}
