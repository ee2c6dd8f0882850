import FluentKit
import Foundation
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore

/// A review due (动态管理): on the entitlement's schedule, or within three months of a member's death.
public struct ReviewTask: Sendable, Equatable, Codable {
    public let entitlementID: Int64
    public let householdID: String
    public let divisionCode: String
    public let programme: PaymentProgramme
    public let due: Day
    public let reason: String
    public let overdue: Bool

    enum CodingKeys: String, CodingKey {
        case entitlementID = "entitlement_id", householdID = "household_id", divisionCode = "division_code", programme, due, reason, overdue
    }
}

/// What a review decides (民发〔2021〕57号 第三十一至三十三条).
public enum ReviewOutcome: String, Sendable, Codable, CaseIterable {
    /// Nothing changed materially: the benefit continues; the next review is scheduled.
    case keep = "continue"
    /// 增发或减发 from next month.
    case change
    /// 渐退: work lifted a 低保 household above the line; the benefit continues for the pack's months, then stops.
    case gradualExit = "gradual_exit"
    /// 停发 from next month.
    case stop
}

/// The written result of a review: what happens, from when, and the notice given to the household.
public struct ReviewResult: Sendable, Equatable, Codable {
    public let outcome: ReviewOutcome
    public let householdID: String
    public let programme: PaymentProgramme
    public let nextReview: Day?
    /// The last month paid, when the benefit ends.
    public let lastMonth: Month?
    public let amountFen: Int64
    public let notice: String

    enum CodingKeys: String, CodingKey {
        case outcome, householdID = "household_id", programme, nextReview = "next_review", lastMonth = "last_month", amountFen = "amount_fen", notice
    }
}

extension Payroll {
    /// The reviews due in a county by a day: each active entitlement whose review date has come,
    /// and each whose household has a member reported dead (a flag from department data) — due
    /// three months after the death (民政部等四部门通知 2022). Earliest first.
    public func reviewsDue(county code: String, by day: Day) async throws -> [ReviewTask] {
        let county = try county(code)
        let active = try await store.entitlements(county: county).filter { $0.endMonth == nil }
        let deaths = try await FeedStore(db: db, scope: Jurisdiction(division: try DivisionCode(county)), actor: actor, now: now).flags()
            .filter { $0.kind == FeedKind.deaths.rawValue }
        var died: [String: Day] = [:]
        for f in deaths {
            guard let rows = try? JSONDecoder().decode([FeedRow].self, from: Data(f.evidence.utf8)) else { continue }
            for r in rows {
                guard let d = try? Day(parsing: r.fields["date_of_death"] ?? "") else { continue }
                let m = d.monthOfYear.adding(months: 3)
                let due = Day(year: m.year, month: m.month, day: min(d.day, m.lastDay.day))!
                died[f.householdID] = min(died[f.householdID] ?? due, due)
            }
        }
        var out: [ReviewTask] = []
        for e in active {
            var candidates: [(Day, String)] = []
            if let r = e.nextReview, r <= day { candidates.append((r, "定期复核")) }
            if let d = died[e.householdID] {
                // Reviewed since the death (on or after the day three months before the due day): done.
                let since = d.monthOfYear.adding(months: -3)
                let reviewed = try await store.reviews(entitlementID: e.id).contains { $0.on.monthOfYear >= since }
                if !reviewed { candidates.append((d, "家庭成员死亡：三个月内复核，增发、减发或停发")) }
            }
            guard let first = candidates.min(by: { $0.0 < $1.0 }) else { continue }
            out.append(ReviewTask(entitlementID: e.id, householdID: e.householdID, divisionCode: e.divisionCode, programme: e.programme, due: first.0,
                                  reason: first.1, overdue: first.0 < day))
        }
        return out.sorted { ($0.due, $0.householdID, $0.programme) < ($1.due, $1.householdID, $1.programme) }
    }

    /// Records a review's outcome on a day, with the notice the household is given. A change or a
    /// stop states its reason (第三十二条); gradual exit is for 低保 only. The roll follows from the
    /// next month.
    public func recordReview(county code: String, householdID: String, programme: PaymentProgramme, outcome: ReviewOutcome,
                             amountFen: Int64? = nil, reason: String = "", on day: Day) async throws -> ReviewResult {
        let county = try county(code)
        guard let e = try await store.entitlements(county: county, householdID: householdID).first(where: { $0.programme == programme && $0.endMonth == nil }) else {
            throw PaymentError.noEntitlement("household: \(householdID) has no active \(programme.rawValue) entitlement in \(county)")
        }
        let why = reason.trimmingCharacters(in: .whitespaces)
        if (outcome == .change || outcome == .stop) && why.isEmpty {
            throw StoreError.invalid([FieldProblem(field: "reason", rule: "增发、减发或停发 states its reason to the household (民发〔2021〕57号 第三十二条)")])
        }
        guard let record = try await FeedStore(db: db, scope: scope, actor: actor, now: now).records([householdID], purpose: "review").first else {
            throw StoreError.notFound(entity: "household", key: householdID)
        }
        let pack = try PackChoice.byDivision(packs).pack(for: record.household)
        let next = day.monthOfYear.adding(months: 1)
        let current = e.amount(in: day.monthOfYear)
        let name = programme.chineseName
        let schedule = { () throws -> Day in try ReviewSchedule.next(after: day, tekun: programme == .tekun, members: record.members, pack: pack).on }
        let result: ReviewResult
        var amount: DatedAmount?
        switch outcome {
        case .keep:
            let r = try schedule()
            result = ReviewResult(outcome: outcome, householdID: householdID, programme: programme, nextReview: r, lastMonth: nil, amountFen: current,
                                  notice: "经复核，你户家庭人口、收入和财产状况无明显变化，继续享受\(name)，每月 \(Money(fen: current))。下次复核：\(r)。")
        case .change:
            guard let fen = amountFen, fen >= 0 else { throw StoreError.invalid([FieldProblem(field: "amount_fen", rule: "a change gives the new monthly amount in fen")]) }
            let r = try schedule()
            amount = DatedAmount(from: next, fen: fen, reason: "复核：\(why)")
            result = ReviewResult(outcome: outcome, householdID: householdID, programme: programme, nextReview: r, lastMonth: nil, amountFen: fen,
                                  notice: "经复核，你户\(why)，自 \(next) 起\(name)\(fen >= current ? "增发" : "减发")为每月 \(Money(fen: fen))（原每月 \(Money(fen: current))）。"
                                      + "下次复核：\(r)。如对本决定不服，可以依法申请行政复议或者提起行政诉讼。")
        case .gradualExit:
            guard programme == .dibao || programme == .dibaoSingle else {
                throw StoreError.invalid([FieldProblem(field: "outcome", rule: "渐退期 is for 低保 households whose income rose through work (第三十三条), not \(programme.rawValue)")])
            }
            let months = try GradualExit.months(pack: pack, on: day)
            let last = day.monthOfYear.adding(months: months)
            result = ReviewResult(outcome: outcome, householdID: householdID, programme: programme, nextReview: nil, lastMonth: last, amountFen: current,
                                  notice: "经复核，你户因家庭成员就业，家庭人均收入超过低保标准。给予渐退期 \(months) 个月：\(next) 至 \(last) 继续按每月 \(Money(fen: current)) 发放，"
                                      + "\(last.adding(months: 1)) 起停发。如对本决定不服，可以依法申请行政复议或者提起行政诉讼。")
        case .stop:
            result = ReviewResult(outcome: outcome, householdID: householdID, programme: programme, nextReview: nil, lastMonth: day.monthOfYear, amountFen: 0,
                                  notice: "经复核，你户\(why)，不再符合\(name)条件，自 \(next) 起停发。如对本决定不服，可以依法申请行政复议或者提起行政诉讼。")
        }
        try await store.recordReview(entitlementID: e.id, on: day, outcome: outcome.rawValue, notice: result.notice, nextReview: result.nextReview,
                                     amount: amount, lastMonth: result.lastMonth)
        return result
    }
}

/// A household helped by emergency-type 临时救助 that the pack says to assess for 低保 or 特困 once
/// it is still in hardship after `emergency_to_basic_months` (双鸭山: 6; seed 003).
public struct BasicLivingPrompt: Sendable, Equatable, Codable {
    public let householdID: String
    public let caseNumber: String
    public let firstPaidOn: Day
    public let due: Day
    public let reason: String

    enum CodingKeys: String, CodingKey { case householdID = "household_id", caseNumber = "case_number", firstPaidOn = "first_paid_on", due, reason }
}

extension Payroll {
    /// The households paid emergency-type temporary assistance at least the pack's
    /// `emergency_to_basic_months` before `day` (where the pack sets it) that have no 低保 or 特困
    /// entitlement: assess them for basic living assistance.
    public func basicLivingPrompts(county code: String, by day: Day) async throws -> [BasicLivingPrompt] {
        let county = try county(code)
        let basic: Set<PaymentProgramme> = [.dibao, .dibaoSingle, .tekun]
        let covered = Set(try await store.entitlements(county: county).filter { basic.contains($0.programme) && $0.endMonth == nil }.map(\.householdID))
        let records = CaseRecords(db: db, scope: Jurisdiction(division: try DivisionCode(county)), actor: actor, now: now)
        var out: [BasicLivingPrompt] = []
        for stored in try await records.all(programme: "temporary", divisionPrefix: county) {
            guard let f = try? Casework.temporaryFile(stored), f.intake.kind == .emergency, !covered.contains(f.householdID),
                  let first = f.payments.map(\.on).min(), let pack = try? packs.pack(id: f.pack),
                  let (value, _) = try? PackReader(pack: pack, needs: "the prompt needs").get("emergency_to_basic_months", .months, on: first),
                  case .integer(let months) = value else { continue }
            let m = first.monthOfYear.adding(months: Int(months))
            let due = Day(year: m.year, month: m.month, day: min(first.day, m.lastDay.day))!
            guard due <= day else { continue }
            out.append(BasicLivingPrompt(householdID: f.householdID, caseNumber: f.number, firstPaidOn: first, due: due,
                                         reason: "急难型临时救助已满 \(months) 个月，仍无法摆脱生活困境的，评估是否纳入低保或特困供养"))
        }
        return out.sorted { ($0.due, $0.householdID) < ($1.due, $1.householdID) }
    }
}

/// The handling of a change the household did not report (民政部等四部门通知 2022 五、(五);
/// 《社会救助暂行办法》第六十八条).
public struct UnreportedChangeResult: Sendable, Equatable, Codable {
    public let review: ReviewResult
    /// Months between the change and its discovery.
    public let monthsUnreported: Int
    /// Beyond the pack's `unreported_change_months`: criticism and education.
    public let criticised: Bool
    /// Paid since the change beyond what was owed: to be returned (recovered if fraud).
    public let overpaidFen: Int64
    /// For fraud: the fine's range, 1 to 3 times the amount obtained.
    public let fineFromFen: Int64?
    public let fineToFen: Int64?

    enum CodingKeys: String, CodingKey {
        case review, monthsUnreported = "months_unreported", criticised, overpaidFen = "overpaid_fen", fineFromFen = "fine_from_fen", fineToFen = "fine_to_fen"
    }
}

extension Payroll {
    /// A change the household did not report, found on `day`: since `changedIn` the benefit should
    /// have been `correctAmountFen` a month (0: no longer eligible). The entitlement's amount is set
    /// from the change on (or it stops before it), so no roll pays the old amount again; what the
    /// rolls already paid beyond it since the change is reckoned;
    /// beyond the pack's `unreported_change_months` the household is criticised; for fraud
    /// (虚报、隐瞒、伪造) the overpayment is recovered and a fine of 1–3 times it may be imposed.
    /// Nothing is deducted by the roll: recovery and fines are the county's decisions, in the notice.
    public func recordUnreportedChange(county code: String, householdID: String, programme: PaymentProgramme, changedIn: Month,
                                       correctAmountFen: Int64, fraud: Bool, on day: Day) async throws -> UnreportedChangeResult {
        let county = try county(code)
        guard changedIn <= day.monthOfYear else {
            throw StoreError.invalid([FieldProblem(field: "changed_in", rule: "the change (\(changedIn)) cannot be after the day it was found (\(day))")])
        }
        guard correctAmountFen >= 0 else { throw StoreError.invalid([FieldProblem(field: "amount_fen", rule: "must be 0 or more")]) }
        guard let e = try await store.entitlements(county: county, householdID: householdID).first(where: { $0.programme == programme && $0.endMonth == nil }) else {
            throw PaymentError.noEntitlement("household: \(householdID) has no active \(programme.rawValue) entitlement in \(county)")
        }
        guard let record = try await FeedStore(db: db, scope: scope, actor: actor, now: now).records([householdID], purpose: "unreported change").first else {
            throw StoreError.notFound(entity: "household", key: householdID)
        }
        let pack = try PackChoice.byDivision(packs).pack(for: record.household)
        let (limitValue, _) = try PackReader(pack: pack, needs: "an unreported change needs").get("unreported_change_months", .months, on: day)
        guard case .integer(let limit) = limitValue else { throw PolicyError(pack: pack.id, parameter: "unreported_change_months", "must be months") }
        let months = (day.year - changedIn.year) * 12 + day.month - changedIn.month
        let criticised = months > Int(limit)
        let paid = try await store.paidBenefit(entitlementID: e.id, from: changedIn)
        let overpaid = paid.values.reduce(Int64(0)) { $0 + max(0, $1 - correctAmountFen) }
        let next = day.monthOfYear.adding(months: 1)
        let name = programme.chineseName
        var notice = "经核查，你户家庭人口、收入或财产状况自 \(changedIn) 起发生变化，未按规定及时告知。"
        if criticised { notice += "未告知已超过 \(limit) 个月，予以批评教育。" }
        let nextReview: Day? = correctAmountFen == 0 ? nil
            : try ReviewSchedule.next(after: day, tekun: programme == .tekun, members: record.members, pack: pack).on
        if correctAmountFen == 0 {
            notice += "你户自 \(changedIn) 起已不再符合\(name)条件，停发。"
        } else {
            notice += "\(name)自 \(changedIn) 起按每月 \(Money(fen: correctAmountFen)) 核定，\(next) 起按此发放。"
        }
        var fine: (Int64, Int64)?
        if overpaid > 0 {
            if fraud {
                fine = (overpaid, overpaid * 3)
                notice += "你户以虚报、隐瞒、伪造等手段多领取救助金 \(Money(fen: overpaid))，予以追回，并可处多领取金额 1 倍以上 3 倍以下（\(Money(fen: overpaid))至 \(Money(fen: overpaid * 3))）的罚款，依法追究相应责任。"
            } else {
                notice += "变化后多领取的救助金 \(Money(fen: overpaid)) 应予退还。"
            }
        }
        notice += "如对本决定不服，可以依法申请行政复议或者提起行政诉讼。"
        let review = ReviewResult(outcome: correctAmountFen == 0 ? .stop : .change, householdID: householdID, programme: programme, nextReview: nextReview,
                                  lastMonth: correctAmountFen == 0 ? changedIn.adding(months: -1) : nil, amountFen: correctAmountFen, notice: notice)
        try await store.recordReview(entitlementID: e.id, on: day, outcome: "unreported_change", notice: notice, nextReview: nextReview,
                                     amount: correctAmountFen == 0 ? nil : DatedAmount(from: changedIn, fen: correctAmountFen, reason: "未按规定告知的变化（自 \(changedIn)）"),
                                     lastMonth: review.lastMonth)
        return UnreportedChangeResult(review: review, monthsUnreported: months, criticised: criticised, overpaidFen: overpaid,
                                      fineFromFen: fine?.0, fineToFen: fine?.1)
    }
}
