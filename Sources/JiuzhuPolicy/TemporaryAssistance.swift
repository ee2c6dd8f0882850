import JiuzhuCore

/// A request for 临时救助, as the township receives it.
public struct TemporaryAssistanceRequest: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// 急难型: accident, sudden serious illness, other emergency needing immediate help.
        case emergency
        /// 支出型: a sudden rise in necessary (mainly medical or education) spending.
        case expenditure
    }
    public var kind: Kind
    public var month: Month
    /// Where the request is received (the township office).
    public var receivedAt: DivisionCode
    /// Where the emergency happened (急难型), or where the household lives (支出型).
    public var placeOfNeed: DivisionCode
    public var hukou: HukouType
    /// People in hardship.
    public var people: Int
    /// The amount the officer assesses as needed, fen.
    public var need: Money
    /// Per-capita disposable income of the household, fen per month (the 支出型 income test).
    public var perCapitaIncome: Money
    /// Temporary assistance already granted to the household this year, and whether one was for the same cause.
    public var grantsThisYear: Int
    public var sameCauseThisYear: Bool

    enum CodingKeys: String, CodingKey {
        case kind, month, receivedAt = "received_at", placeOfNeed = "place_of_need", hukou, people, need = "need_fen",
             perCapitaIncome = "per_capita_income_fen", grantsThisYear = "grants_this_year", sameCauseThisYear = "same_cause_this_year",
             publicEmergency = "public_emergency"
    }

    /// The public emergency declared where the need arose this month, if any: help is fast-tracked.
    public var publicEmergency: String?

    public init(kind: Kind, month: Month, receivedAt: DivisionCode, placeOfNeed: DivisionCode, hukou: HukouType, people: Int,
                need: Money, perCapitaIncome: Money, grantsThisYear: Int = 0, sameCauseThisYear: Bool = false, publicEmergency: String? = nil) {
        self.publicEmergency = publicEmergency
        self.kind = kind
        self.month = month
        self.receivedAt = receivedAt
        self.placeOfNeed = placeOfNeed
        self.hukou = hukou
        self.people = people
        self.need = need
        self.perCapitaIncome = perCapitaIncome
        self.grantsThisYear = grantsThisYear
        self.sameCauseThisYear = sameCauseThisYear
    }
}

/// The decision support for a 临时救助 request: eligible or not, the amount, who approves, whether
/// to pay first and complete the file afterwards (先行救助), and the steps with their parameters.
public struct TemporaryAssistanceDecision: Sendable, Equatable, Codable {
    public enum Approver: String, Sendable, Codable {
        /// The township approves and pays within its delegated limit.
        case township
        /// Above the township's limit: the county civil-affairs bureau.
        case county
        /// Above the standard cap: the county coordination mechanism decides case by case (一事一议).
        case committee
    }
    public let eligible: Bool
    public let amount: Money
    public let approver: Approver?
    /// Pay at once and complete the file afterwards, within this many hours (急难型 only).
    public let reliefFirstHours: Int?
    /// The amount may be approved once and paid in stages (一次审批、分阶段救助).
    public let staged: Bool
    public let steps: [Step]

    enum CodingKeys: String, CodingKey {
        case eligible, amount = "amount_fen", approver, reliefFirstHours = "relief_first_hours", staged, steps
    }
}

/// 临时救助 (社会救助暂行办法 第四十七至五十一条; 民发〔2018〕23号; 中办发〔2020〕18号 第14–15项), with each
/// locality's amounts, limits and deadlines in its pack.
public enum TemporaryAssistance {
    public static let citation = "《社会救助暂行办法》第四十七至五十一条；民发〔2018〕23号；中办发〔2020〕18号 第14、15项；POLICY.md §3"

    public static func decide(_ r: TemporaryAssistanceRequest, pack: PolicyPack) throws(PolicyError) -> TemporaryAssistanceDecision {
        let day = r.month.firstDay
        let base = try ReferenceParameters(pack: pack, month: r.month)
        let reader = PackReader(pack: pack, needs: "temporary assistance needs")
        func multiple(_ name: String) throws(PolicyError) -> (Rate, ParameterUse) {
            let (v, u) = try reader.get(name, .multiple, on: day)
            guard case .rate(let m) = v else { throw PolicyError(pack: pack.id, parameter: name, "must be a multiple") }
            return (m, u)
        }
        func integer(_ name: String, _ unit: ParameterUnit) throws(PolicyError) -> (Int64, ParameterUse) {
            let (v, u) = try reader.get(name, unit, on: day)
            guard case .integer(let i) = v else { throw PolicyError(pack: pack.id, parameter: name, "must be a whole number") }
            return (i, u)
        }
        guard r.people >= 1 else { throw PolicyError(pack: pack.id, "people: at least one person must be in hardship") }
        guard r.need.fen >= 0, r.perCapitaIncome.fen >= 0 else { throw PolicyError(pack: pack.id, "need_fen and per_capita_income_fen must not be negative") }

        let s = base.standard(r.hukou)
        let sUse = base.uses[r.hukou == .urban ? "S_urban" : "S_rural"]!
        let (capMultiple, capUse) = try multiple("ts_max_multiple")
        let (townshipMultiple, townshipUse) = try multiple("ts_township_limit_multiple")
        let (hours, hoursUse) = try integer("ts_relief_first_hours", .count)
        let (maxGrants, maxGrantsUse) = try integer("ts_max_grants_per_year", .count)
        let (income, incomeUse) = try reader.money("ts_income_reference_fen", on: day)
        var steps: [Step] = []
        func fail(_ key: String, _ title: String, _ detail: String, _ uses: [ParameterUse]) -> TemporaryAssistanceDecision {
            steps.append(Step(key: key, title: title, passed: false, detail: detail, parameters: uses, citation: citation))
            return TemporaryAssistanceDecision(eligible: false, amount: .zero, approver: nil, reliefFirstHours: nil, staged: false, steps: steps)
        }

        // Where: since 2020 help is given where the emergency happened (急难发生地), without hukou limits.
        let sameCounty = r.receivedAt.countyCode == r.placeOfNeed.countyCode
        steps.append(Step(key: "where", title: "受理地", passed: sameCounty,
                          detail: (r.kind == .emergency ? "急难发生地 " : "家庭所在地 ") + "\(r.placeOfNeed)，受理地 \(r.receivedAt)"
                            + (sameCounty ? "：同一县（市、区），可以受理" : "：不在同一县（市、区），应引导向" + (r.kind == .emergency ? "急难发生地" : "所在地") + "申请"),
                          parameters: [], citation: "中办发〔2020〕18号 第15项；国办发〔2023〕39号（在急难发生地申请）"))
        guard sameCounty else { return TemporaryAssistanceDecision(eligible: false, amount: .zero, approver: nil, reliefFirstHours: nil, staged: false, steps: steps) }

        // How often.
        if r.sameCauseThisYear || Int64(r.grantsThisYear) >= maxGrants {
            return fail("frequency", "救助次数", r.sameCauseThisYear ? "同一事由本年度已获临时救助" : "本年度已获临时救助 \(r.grantsThisYear) 次，达到上限 \(maxGrants) 次",
                        [maxGrantsUse])
        }
        steps.append(Step(key: "frequency", title: "救助次数", passed: true, detail: "本年度已获 \(r.grantsThisYear) 次（上限 \(maxGrants) 次），非同一事由",
                          parameters: [maxGrantsUse], citation: citation))

        // 支出型: per-capita income below the local reference (the previous year's per-capita disposable income).
        if r.kind == .expenditure {
            guard r.perCapitaIncome < income else {
                return fail("income", "支出型收入条件", "家庭人均可支配收入 \(r.perCapitaIncome)/月 不低于当地标准 \(income)/月", [incomeUse])
            }
            steps.append(Step(key: "income", title: "支出型收入条件", passed: true,
                              detail: "家庭人均可支配收入 \(r.perCapitaIncome)/月 低于当地标准 \(income)/月", parameters: [incomeUse], citation: citation))
        }

        // Amount and who approves.
        let perPersonCap = capMultiple.timesFloor(s)
        let cap = perPersonCap * Int64(r.people)
        let townshipLimit = townshipMultiple.timesFloor(s) * Int64(r.people)
        // In a declared public emergency the township approves up to the cap (简化审批).
        let townshipApproves = r.need <= townshipLimit || (r.publicEmergency != nil && r.need <= cap)
        let approver: TemporaryAssistanceDecision.Approver = townshipApproves ? .township : r.need <= cap ? .county : .committee
        let amount = approver == .committee ? r.need : min(r.need, cap)
        steps.append(Step(key: "amount", title: "救助金额与审批", passed: nil,
                          detail: "核定需要 \(r.need)；上限 低保标准 \(s) × \(capMultiple) × \(r.people) 人 = \(cap)；乡镇审批限额 \(s) × \(townshipMultiple) × \(r.people) 人 = \(townshipLimit)；"
                            + (approver == .township ? "由乡镇（街道）审批发放" : approver == .county ? "超出乡镇限额，报县级民政部门审批"
                                : "超出上限，提交县困难群众基本生活保障工作协调机制一事一议"),
                          parameters: [sUse, capUse, townshipUse], citation: citation))
        if let e = r.publicEmergency {
            steps.append(Step(key: "public_emergency", title: "突发公共事件", passed: nil,
                              detail: "急难发生地在已宣布的突发公共事件（\(e)）范围和期间内：简化审批，乡镇（街道）在上限内审批，支出型也先行救助",
                              parameters: [], citation: "中办发〔2020〕18号 第十三项（突发公共事件中简化认定程序、先行救助）；双办发〔2021〕14号"))
        }
        let relief = r.kind == .emergency || r.publicEmergency != nil ? Int(hours) : nil
        if let relief {
            steps.append(Step(key: "relief_first", title: "先行救助", passed: nil,
                              detail: (r.kind == .emergency ? "急难型" : "突发公共事件") + "：可先行救助，\(relief) 小时内发放，事后补齐核对、公示等手续", parameters: [hoursUse],
                              citation: "民发〔2018〕23号（先行救助）；" + hoursUse.citation))
        }
        return TemporaryAssistanceDecision(eligible: true, amount: amount, approver: approver, reliefFirstHours: relief,
                                           staged: approver != .township, steps: steps)
    }
}
