import JiuzhuCore

/// The price indices published for one month: year-on-year rises of the CPI and its food part.
public struct PriceIndices: Sendable, Equatable {
    /// The month the indices describe (the subsidy is paid the following month).
    public let month: Month
    public let cpiRise: Rate
    public let foodCpiRise: Rate

    public init(month: Month, cpiRise: Rate, foodCpiRise: Rate) {
        self.month = month
        self.cpiRise = cpiRise
        self.foodCpiRise = foodCpiRise
    }
}

/// 社会救助和保障标准与物价上涨挂钩联动机制 (发改价格〔2021〕1553号): when the CPI or the food CPI rises
/// past its trigger in a month, every covered recipient is paid, the next month, the local 低保
/// standard times the rise (the higher rise if both trigger), per person; in a month when neither
/// holds, nothing is paid.
public enum PriceLinkage {
    public static let citation = "发改价格〔2021〕1553号；shared/POLICY.md §5"

    /// Whether the indices trigger the subsidy, and how much per person for each hukou.
    public struct Decision: Sendable, Equatable, Codable {
        public let indexMonth: Month
        public let paymentMonth: Month
        public let triggered: Bool
        /// `cpi`, `food_cpi`, or nil.
        public let index: String?
        /// The rise the amount is computed from (e.g. "6.5%").
        public let rise: String?
        public let perPersonUrbanFen: Int64
        public let perPersonRuralFen: Int64
        /// The programmes whose recipients are paid.
        public let programmes: [String]
        public let steps: [Step]

        enum CodingKeys: String, CodingKey {
            case indexMonth = "index_month", paymentMonth = "payment_month", triggered, index, rise,
                 perPersonUrbanFen = "per_person_urban_fen", perPersonRuralFen = "per_person_rural_fen", programmes, steps
        }

        /// The subsidy of one evaluated household for the payment month: per person × the people the
        /// programme covers (the household for dibao and low_income, the included members for
        /// dibao_single, the one person for tekun), if its programme is covered.
        public func subsidy(for e: Evaluation, hukou: HukouType) -> Money {
            let people: Int
            switch e.programme {
            case .tekun: people = 1
            case .dibaoSingle: people = e.figures.singleInclusionMembers
            case .dibao, .lowIncome: people = e.figures.n
            case .none: people = 0
            }
            return subsidy(programme: e.programme.rawValue, people: people, hukou: hukou)
        }

        /// The subsidy of a payment of a programme covering `people` (per person × people), if covered.
        public func subsidy(programme: String, people: Int, hukou: HukouType) -> Money {
            guard triggered, programmes.contains(programme) else { return .zero }
            return Money(fen: (hukou == .urban ? perPersonUrbanFen : perPersonRuralFen) * Int64(people))
        }
    }

    /// Decides the subsidy paid in the month after `indices.month`. The linkage parameters (triggers,
    /// coverage, rounding, floor) are those in force for the index month — the national rules date
    /// their temporary changes by index month; the 低保 standards are those of the payment month.
    public static func decide(_ indices: PriceIndices, pack: PolicyPack) throws(PolicyError) -> Decision {
        let indexDay = indices.month.firstDay
        let payment = indices.month.adding(months: 1)
        let standards = try ReferenceParameters(pack: pack, month: payment)
        let p = PackReader(pack: pack, needs: "this rule needs")
        let (cpiTrigger, cpiUse) = try p.rate("price_cpi_trigger", on: indexDay)
        let (foodTrigger, foodUse) = try p.rate("price_food_cpi_trigger", on: indexDay)
        let (programmes, programmesUse) = try p.names("price_subsidy_programmes", on: indexDay)
        let (rounding, roundingUse) = try p.choice("price_subsidy_rounding", ["yuan_nearest", "yuan_up", "fen"], on: indexDay)
        let (floor, floorUse) = try p.money("price_subsidy_floor", on: indexDay)

        let cpiHolds = atLeast(indices.cpiRise, cpiTrigger)
        let foodHolds = atLeast(indices.foodCpiRise, foodTrigger)
        var steps = [Step(key: "price_trigger", title: "物价联动启动条件", passed: cpiHolds || foodHolds,
                          detail: "\(indices.month) CPI 同比 \(indices.cpiRise.percent)（启动条件 ≥ \(cpiTrigger.percent)："
                            + (cpiHolds ? "达到" : "未达到") + "）；食品 CPI 同比 \(indices.foodCpiRise.percent)（启动条件 ≥ \(foodTrigger.percent)："
                            + (foodHolds ? "达到" : "未达到") + "）" + (cpiHolds || foodHolds ? "" : "；本月不发放价格临时补贴"),
                          parameters: [cpiUse, foodUse], citation: citation)]
        guard cpiHolds || foodHolds else {
            return Decision(indexMonth: indices.month, paymentMonth: payment, triggered: false, index: nil, rise: nil,
                            perPersonUrbanFen: 0, perPersonRuralFen: 0, programmes: programmes, steps: steps)
        }
        // Both trigger: the higher rise. One triggers: its rise.
        let useFood = foodHolds && (!cpiHolds || atLeast(indices.foodCpiRise, indices.cpiRise))
        let rise = useFood ? indices.foodCpiRise : indices.cpiRise
        func amount(_ s: Money) -> Money {
            let raw: Money
            switch rounding {
            case "yuan_up": raw = rise.timesCeil(s).roundedUpToYuan
            case "fen": raw = rise.timesFloor(s)
            default: raw = Money(fen: (rise.timesFloor(Money(fen: s.fen * 2)).fen + 100) / 200 * 100)   // nearest yuan, halves up
            }
            return max(raw, floor)
        }
        let urban = amount(standards.sUrban), rural = amount(standards.sRural)
        steps.append(Step(key: "price_subsidy", title: "价格临时补贴标准", passed: nil,
                          detail: "按\(useFood ? "食品 CPI" : "CPI")涨幅 \(rise.percent) 计算，于 \(payment) 发放：城市 \(standards.sUrban) × \(rise.percent) → \(urban)/人·月，"
                            + "农村 \(standards.sRural) × \(rise.percent) → \(rural)/人·月（取整方式 \(rounding)，最低 \(floor)）；发放对象："
                            + programmes.compactMap { Programme(rawValue: $0)?.chineseName }.joined(separator: "、"),
                          parameters: [standards.uses["S_urban"]!, standards.uses["S_rural"]!, roundingUse, floorUse, programmesUse],
                          citation: citation))
        return Decision(indexMonth: indices.month, paymentMonth: payment, triggered: true, index: useFood ? "food_cpi" : "cpi",
                        rise: rise.percent, perPersonUrbanFen: urban.fen, perPersonRuralFen: rural.fen, programmes: programmes, steps: steps)
    }

    /// a ≥ b, exactly.
    public static func atLeast(_ a: Rate, _ b: Rate) -> Bool {
        let scale = max(a.scale, b.scale)
        return Int128(a.units) * Rate.pow10(scale - a.scale) >= Int128(b.units) * Rate.pow10(scale - b.scale)
    }
}

/// Reads single parameters of a pack for a day, each with its use for the explanation; the one
/// place a rule's missing parameter, wrong unit or missing value becomes an error naming them.
public struct PackReader: Sendable {
    public let pack: PolicyPack
    /// Who needs the parameter, for the error: "the reference rules need", "this rule needs".
    public let needs: String

    public init(pack: PolicyPack, needs: String) {
        self.pack = pack
        self.needs = needs
    }

    public func get(_ name: String, _ unit: ParameterUnit, on day: Day) throws(PolicyError) -> (ParameterValue, ParameterUse) {
        guard let p = pack.parameters[name] else {
            throw PolicyError(pack: pack.id, parameter: name, "\(needs) this parameter; the pack does not define it")
        }
        guard p.unit == unit else { throw PolicyError(pack: pack.id, parameter: name, "must have unit \(unit.rawValue), the pack gives \(p.unit.rawValue)") }
        guard let (from, value) = p.value(on: day) else {
            throw PolicyError(pack: pack.id, parameter: name, "no value on \(day) (the first value takes effect on \(p.values.first!.from))")
        }
        guard value.fits(unit) else {
            throw PolicyError(pack: pack.id, parameter: name, "the value in force on \(day) (\(value)) is not a \(unit.rawValue) value")
        }
        return (value, ParameterUse(name: name, description: p.description, value: ParameterUse.text(value, unit: unit), unit: unit.rawValue,
                                    from: from, citation: p.citation, provisional: p.provisional))
    }

    public func rate(_ name: String, on day: Day) throws(PolicyError) -> (Rate, ParameterUse) {
        let (v, u) = try get(name, .rate, on: day)
        guard case .rate(let r) = v else { throw PolicyError(pack: pack.id, parameter: name, "must be a rate") }
        return (r, u)
    }

    public func money(_ name: String, on day: Day) throws(PolicyError) -> (Money, ParameterUse) {
        let (v, u) = try get(name, .fen, on: day)
        guard case .money(let m) = v else { throw PolicyError(pack: pack.id, parameter: name, "must be fen") }
        return (m, u)
    }

    /// A whole number of the unit (a count of working days, months, a day of the month), 0 or more.
    public func whole(_ name: String, _ unit: ParameterUnit, on day: Day) throws(PolicyError) -> (Int, ParameterUse) {
        let (v, u) = try get(name, unit, on: day)
        guard case .integer(let n) = v, n >= 0 else { throw PolicyError(pack: pack.id, parameter: name, "must be a whole number of \(unit.rawValue), 0 or more") }
        return (Int(n), u)
    }

    public func names(_ name: String, on day: Day) throws(PolicyError) -> ([String], ParameterUse) {
        let (v, u) = try get(name, .list, on: day)
        guard case .names(let n) = v else { throw PolicyError(pack: pack.id, parameter: name, "must be a list") }
        for item in n where Programme(rawValue: item) == nil {
            throw PolicyError(pack: pack.id, parameter: name, "unknown programme '\(item)'")
        }
        return (n, u)
    }

    func choice(_ name: String, _ allowed: [String], on day: Day) throws(PolicyError) -> (String, ParameterUse) {
        let (v, u) = try get(name, .choice, on: day)
        guard case .choice(let c) = v, allowed.contains(c) else {
            throw PolicyError(pack: pack.id, parameter: name, "must be one of \(allowed.joined(separator: ", "))")
        }
        return (c, u)
    }
}
