import JiuzhuCore

public enum SelfCareAssessment {
    /// The care level from the items a person cannot do unaided: none → 全自理; from
    /// `care_semi_from_items` → 半护理; from `care_full_from_items` → 全护理.
    public static func careLevel(unable items: Set<SelfCareItem>, month: Month, pack: PolicyPack) throws(PolicyError) -> (CareLevel, Step) {
        let reader = PackReader(pack: pack, needs: "the self-care assessment needs")
        let day = month.firstDay
        let (semiValue, semiUse) = try reader.get("care_semi_from_items", .count, on: day)
        let (fullValue, fullUse) = try reader.get("care_full_from_items", .count, on: day)
        guard case .integer(let semi) = semiValue, case .integer(let full) = fullValue, semi >= 1, full > semi, full <= 6 else {
            throw PolicyError(pack: pack.id, parameter: "care_full_from_items", "must satisfy 1 ≤ care_semi_from_items < care_full_from_items ≤ 6")
        }
        let n = Int64(items.count)
        let level: CareLevel = n >= full ? .full : n >= semi ? .semi : .self
        let names = SelfCareItem.allCases.filter(items.contains).map(\.chineseName)
        let step = Step(key: "self_care", title: "生活自理能力评估", passed: nil,
                        detail: "六项中不能自主完成 \(n) 项" + (names.isEmpty ? "" : "（" + names.joined(separator: "、") + "）")
                            + "：\(level.chineseName)（\(semi) 项起半护理，\(full) 项起全护理）",
                        parameters: [semiUse, fullUse], citation: "民发〔2021〕43号 第二十至二十三条")
        return (level, step)
    }
}

/// 渐退期 (民发〔2021〕57号 第三十三条): when work lifts a dibao household above the line, its benefit
/// continues for the pack's `gradual_exit_months`, then stops.
public enum GradualExit {
    public struct Decision: Sendable, Equatable, Codable {
        /// Keep paying this month.
        public let continues: Bool
        /// The amount paid this month (the last benefit before the rise), or zero.
        public let amount: Money
        /// Which month of the exit period this is (1-based), when it continues.
        public let month: Int?
        public let months: Int
        public let step: Step
    }

    /// The pack's exit period in months on a day.
    public static func months(pack: PolicyPack, on day: Day) throws(PolicyError) -> Int {
        let (value, _) = try PackReader(pack: pack, needs: "gradual exit needs").get("gradual_exit_months", .months, on: day)
        guard case .integer(let m) = value, m >= 0 else { throw PolicyError(pack: pack.id, parameter: "gradual_exit_months", "must be months") }
        return Int(m)
    }

    /// - Parameters:
    ///   - previous: the benefit paid before income rose (programme and amount).
    ///   - current: this month's evaluation.
    ///   - becauseOfWork: the rise comes from a member finding or keeping work.
    ///   - monthsAlreadyInExit: exit months already paid before this month.
    public static func decide(previous: (programme: Programme, benefit: Money), current: Evaluation, becauseOfWork: Bool,
                              monthsAlreadyInExit: Int, pack: PolicyPack) throws(PolicyError) -> Decision {
        let reader = PackReader(pack: pack, needs: "gradual exit needs")
        let (value, use) = try reader.get("gradual_exit_months", .months, on: current.month.firstDay)
        guard case .integer(let m) = value else { throw PolicyError(pack: pack.id, parameter: "gradual_exit_months", "must be months") }
        let months = Int(m)
        let wasDibao = previous.programme == .dibao || previous.programme == .dibaoSingle
        let leftDibao = current.programme == .lowIncome || current.programme == .none
        let applies = wasDibao && leftDibao && becauseOfWork && monthsAlreadyInExit < months
        let why: String
        if !wasDibao { why = "此前未享受低保，不适用渐退" }
        else if !leftDibao { why = "本月仍符合\(current.programme.chineseName)，按本月测算发放" }
        else if !becauseOfWork { why = "收入超过低保标准并非因就业，不适用渐退，应停发" }
        else if monthsAlreadyInExit >= months { why = "渐退期 \(months) 个月已满，停发" }
        else { why = "因就业收入超过低保标准，渐退期第 \(monthsAlreadyInExit + 1)/\(months) 个月，继续按原标准 \(previous.benefit) 发放" }
        let step = Step(key: "gradual_exit", title: "渐退期", passed: applies, detail: why, parameters: [use],
                        citation: "民发〔2021〕57号 第三十三条；民政部等四部门通知（2022-10-20）")
        return Decision(continues: applies, amount: applies ? previous.benefit : .zero, month: applies ? monthsAlreadyInExit + 1 : nil,
                        months: months, step: step)
    }
}

/// 定期复核 (民发〔2021〕57号 第三十一条; 中办发〔2020〕18号 第七项): 特困人员 and households whose
/// finances change little — no member able to work — are reviewed every `review_interval_stable_months`;
/// households with a member able to work (irregular income) every `review_interval_unstable_months`.
public enum ReviewSchedule {
    public struct Due: Sendable, Equatable, Codable {
        public let on: Day
        public let months: Int
        public let stable: Bool
        public let step: Step
    }

    /// The next review after `day` for a household paid `programme`.
    public static func next(after day: Day, tekun: Bool, members: [Member], pack: PolicyPack) throws(PolicyError) -> Due {
        let reader = PackReader(pack: pack, needs: "the review schedule needs")
        let stable = tekun || !members.contains(where: \.ableToWork)
        let name = stable ? "review_interval_stable_months" : "review_interval_unstable_months"
        let (value, use) = try reader.get(name, .months, on: day)
        guard case .integer(let m) = value, m > 0 else { throw PolicyError(pack: pack.id, parameter: name, "must be a number of months above 0") }
        let month = day.monthOfYear.adding(months: Int(m))
        let on = Day(year: month.year, month: month.month, day: min(day.day, month.lastDay.day))!
        let why = tekun ? "特困人员" : stable ? "家庭成员均无劳动能力，收入短期内变化不大" : "有劳动能力成员，收入来源不固定"
        let step = Step(key: "review_schedule", title: "定期复核", passed: nil, detail: "\(why)：每 \(m) 个月复核一次，下次复核 \(on)",
                        parameters: [use], citation: "民发〔2021〕57号 第三十一条；中办发〔2020〕18号 第七项")
        return Due(on: on, months: Int(m), stable: stable, step: step)
    }
}
