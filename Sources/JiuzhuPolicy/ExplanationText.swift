import JiuzhuCore

/// An evaluation in Chinese, for staff and applicants: the conclusion, each test with what went
/// in and came out, and every parameter with its value, effective date and source.
public enum ExplanationText {
    public static func render(_ e: Evaluation, packName: String? = nil) -> String {
        var lines: [String] = []
        lines.append("家庭 \(e.householdID) · \(e.month.year)年\(e.month.month)月 · 政策包 \(e.pack)" + (packName.map { "（\($0)）" } ?? ""))
        lines.append("结论：\(e.programme.chineseName)" + (e.benefit.fen > 0 ? "，每月 \(e.benefit)" : ""))
        lines.append("")
        lines.append("测算过程：")
        for (i, s) in e.steps.enumerated() {
            let mark: String
            switch s.passed {
            case .some(true): mark = "【符合】"
            case .some(false): mark = "【不符合】"
            case .none: mark = ""
            }
            lines.append("\(i + 1). \(s.title)\(mark)：\(s.detail)" + (s.citation == ReferenceRules.citation ? "" : "（依据：\(s.citation)）"))
        }
        var seen = Set<String>()
        let used = e.steps.flatMap(\.parameters).filter { seen.insert($0.name).inserted }
        if !used.isEmpty {
            lines.append("")
            lines.append("所用参数：")
            for p in used { lines.append("- " + parameterLine(p)) }
        }
        lines.append("")
        lines.append("规则依据：\(ReferenceRules.citation)")
        return lines.joined(separator: "\n")
    }
}

extension ExplanationText {
    /// One parameter: what it is, its value, from when, 待核定, and its source.
    static func parameterLine(_ p: ParameterUse) -> String {
        "\(p.description)（\(p.name)）：\(p.value)，自 \(p.from) 起执行" + (p.provisional ? "（待核定）" : "") + "；依据：\(p.citation)"
    }

    /// The comprehensive assessment in Chinese: the evaluation, 渐退期 and 低保积分 where they apply,
    /// then each referral with its reason, amount and the parameters behind it.
    public static func render(_ a: Assessment, packName: String? = nil) -> String {
        var lines = [render(a.evaluation, packName: packName)]
        for step in [a.gradualExit?.step, a.points?.step].compactMap({ $0 }) {
            lines.append("")
            lines.append("【\(step.title)】" + (step.passed.map { $0 ? "符合" : "不符合" } ?? "") + "：\(step.detail)（依据：\(step.citation)）")
            for u in step.parameters { lines.append("    参数 " + parameterLine(u)) }
        }
        lines += ["", "专项救助转介："]
        if a.referrals.isEmpty { lines.append("（无）") }
        for (i, r) in a.referrals.enumerated() {
            lines.append("\(i + 1). \(r.title) → \(r.department)" + (r.members.isEmpty ? "（全户）" : "（" + r.members.joined(separator: "、") + "）")
                         + "：\(r.reason)" + (r.amountFen.map { "；金额 \(Money(fen: $0))" } ?? "") + (r.toVerify ? "【需部门核实】" : "")
                         + "；依据：\(r.citation)")
            for u in r.parameters { lines.append("    参数 " + parameterLine(u)) }
        }
        return lines.joined(separator: "\n")
    }
}
