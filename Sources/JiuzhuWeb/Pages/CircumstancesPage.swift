import Foundation
import JiuzhuCore
import JiuzhuStore
import Plot
import Vapor

/// 家庭情况: what the registry knows beyond the basic facts — where each member lives, schooling,
/// income by kind, rigid costs, recognised conditions, a legal supporter, the self-care
/// assessment, the previous benefit, disaster damage — recorded from a month on.
enum CircumstancesPage {
    static let incomeKinds: [IncomeKind] = [.wage, .business, .property, .basicPension, .pension, .supportReceived, .elderlyAllowance, .specialCare, .other]
    static let rigidKinds: [RigidCostKind] = RigidCostKind.allCases
    static let conditions: [MemberCondition] = [.mdrTuberculosis, .entitledGroup, .orphan, .unsupportedChild, .registeredUnemployed]

    struct Model: Equatable {
        let context: PageContext
        let householdID: String
        /// (ID number, name（relation）) of each member.
        let members: [[String]]
        let versions: [[String]]
        var values: [String: String]
        var error: String?
    }

    static func yuan(_ fen: Int64) -> String { fen == 0 ? "" : String(format: "%d.%02d", fen / 100, fen % 100) }

    /// The form's fields of a set of circumstances.
    static func values(_ c: Circumstances, members: [Member], from month: Month) -> [String: String] {
        var v: [String: String] = ["from": month.description]
        for (i, m) in members.enumerated() {
            let x = c.of(m.idNumber)
            v["m\(i)_residence"] = x.residence.rawValue
            v["m\(i)_years_apart"] = x.yearsApart == 0 ? "" : String(x.yearsApart)
            v["m\(i)_school"] = x.school.rawValue
            for item in x.incomes ?? [] { v["m\(i)_income_\(item.kind.rawValue)"] = yuan(item.fen) }
            for cost in x.rigidCosts { v["m\(i)_rigid_\(cost.kind.rawValue)"] = yuan(cost.fen) }
            for cond in x.conditions { v["m\(i)_cond_\(cond.rawValue)"] = "on" }
            for item in x.selfCareUnable ?? [] { v["m\(i)_unable_\(item.rawValue)"] = "on" }
            if let s = x.supporters?.first {
                v["m\(i)_sup_age"] = String(s.age)
                for st in s.status { v["m\(i)_sup_\(st.rawValue)"] = "on" }
                if s.incomeBelowReference { v["m\(i)_sup_income_below"] = "on" }
                if s.assetsWithinLowIncomeRule { v["m\(i)_sup_assets_within"] = "on" }
            } else if x.supporters != nil {
                v["m\(i)_sup_none"] = "on"
            }
        }
        if let p = c.previous {
            v["prev_programme"] = p.programme
            v["prev_benefit"] = yuan(p.benefitFen)
            v["prev_exit_months"] = String(p.exitMonthsPaid)
            if p.riseFromWork { v["prev_from_work"] = "on" }
        }
        if c.recentDeath { v["recent_death"] = "on" }
        if let d = c.disaster { v["disaster_house"] = d.house.rawValue; v["disaster_displaced"] = d.displacedPeople == 0 ? "" : String(d.displacedPeople) }
        return v
    }

    /// The circumstances the form describes, or the first thing wrong with it (in Chinese).
    static func parse(_ f: [String: String], members: [Member]) -> Result<(Month, Circumstances), CircumstancesFormError> {
        func fen(_ k: String) throws -> Int64 {
            let t = (f[k] ?? "").trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return 0 }
            do { return try Money(yuanText: t).fen } catch { throw CircumstancesFormError(message: "“\(t)”不是金额（元）") }
        }
        func int(_ k: String) throws -> Int {
            let t = (f[k] ?? "").trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return 0 }
            guard let n = Int(t), n >= 0 else { throw CircumstancesFormError(message: "“\(t)”不是非负整数") }
            return n
        }
        do {
            guard let month = try? Month(parsing: f["from"] ?? "") else { throw CircumstancesFormError(message: "请填写起始月份（如 2025-07）") }
            var out: [MemberCircumstances] = []
            for (i, m) in members.enumerated() {
                var x = MemberCircumstances(idNumber: m.idNumber)
                x.residence = Residence(rawValue: f["m\(i)_residence"] ?? "") ?? .home
                x.yearsApart = try int("m\(i)_years_apart")
                x.school = SchoolStage(rawValue: f["m\(i)_school"] ?? "") ?? .none
                let incomes = try incomeKinds.compactMap { k -> IncomeItem? in let v = try fen("m\(i)_income_\(k.rawValue)"); return v > 0 ? IncomeItem(k, fen: v) : nil }
                x.incomes = incomes.isEmpty ? nil : incomes
                x.rigidCosts = try rigidKinds.compactMap { k -> RigidCost? in let v = try fen("m\(i)_rigid_\(k.rawValue)"); return v > 0 ? RigidCost(k, fen: v) : nil }
                x.conditions = Set(conditions.filter { f["m\(i)_cond_\($0.rawValue)"] == "on" })
                let unable = SelfCareItem.allCases.filter { f["m\(i)_unable_\($0.rawValue)"] == "on" }
                x.selfCareUnable = unable.isEmpty && f["m\(i)_assessed"] != "on" ? nil : Set(unable)
                let age = try int("m\(i)_sup_age")
                if f["m\(i)_sup_none"] == "on" {
                    x.supporters = []
                } else if age > 0 {
                    x.supporters = [Supporter(name: "", age: age, status: Set(Supporter.Status.allCases.filter { f["m\(i)_sup_\($0.rawValue)"] == "on" }),
                                              incomeBelowReference: f["m\(i)_sup_income_below"] == "on", assetsWithinLowIncomeRule: f["m\(i)_sup_assets_within"] == "on")]
                }
                if x != MemberCircumstances(idNumber: m.idNumber) { out.append(x) }
            }
            var c = Circumstances(members: out)
            if let p = f["prev_programme"], !p.isEmpty {
                c.previous = PreviousBenefit(programme: p, benefitFen: try fen("prev_benefit"), exitMonthsPaid: try int("prev_exit_months"), riseFromWork: f["prev_from_work"] == "on")
            }
            c.recentDeath = f["recent_death"] == "on"
            let displaced = try int("disaster_displaced")
            if let house = DisasterDamage.House(rawValue: f["disaster_house"] ?? ""), house != .none || displaced > 0 {
                c.disaster = DisasterDamage(house: house, displacedPeople: displaced)
            }
            return .success((month, c))
        } catch let e as CircumstancesFormError {
            return .failure(e)
        } catch {
            return .failure(CircumstancesFormError(message: "\(error)"))
        }
    }

    struct CircumstancesFormError: Error { let message: String }

    static func show(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let id = try req.pathParameter("household_id")
            let registry = try req.registry
            let record = try await registry.household(id)
            let month = Day(req.now).monthOfYear
            let current = try await registry.circumstances(id, in: month)
            let history = try await registry.circumstancesHistory(id)
            return htmlResponse(render(Model(context: c, householdID: id, members: names(record), versions: versions(history),
                                             values: values(current, members: record.members, from: month), error: nil)))
        }
    }

    static func names(_ r: HouseholdRecord) -> [[String]] { r.members.map { [$0.idNumber.value, "\($0.name)（\($0.relation.chineseName)）"] } }
    static func versions(_ h: [CircumstancesVersion]) -> [[String]] { h.map { [$0.effectiveFrom.description, $0.recordedBy, Format.day(Day($0.recordedAt))] } }

    static func save(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let id = try req.pathParameter("household_id")
            let f = try req.content.decode([String: String].self)
            try checkedForm(req, csrf: f["csrf"])
            let registry = try req.registry
            let record = try await registry.household(id)
            func again(_ message: String) async throws -> Response {
                htmlResponse(render(Model(context: c, householdID: id, members: names(record), versions: versions(try await registry.circumstancesHistory(id)),
                                          values: f, error: message)), status: .unprocessableEntity)
            }
            switch parse(f, members: record.members) {
            case .failure(let e): return try await again(e.message)
            case .success(let (month, circumstances)):
                do {
                    try await registry.setCircumstances(id, from: month, circumstances)
                } catch let StoreError.invalid(problems) {
                    return try await again("不符合规则：" + problems.map(\.description).joined(separator: "；"))
                }
                return req.redirect(to: "/households/\(id.pathEscaped)")
            }
        }
    }

    static func render(_ m: Model) -> String {
        func v(_ k: String) -> String { m.values[k] ?? "" }
        func box(_ k: String, _ label: String) -> Node<HTML.BodyContext> {
            .group(.input(.type(.checkbox), .name(k), .id(k), .checked(v(k) == "on")), .label(.for(k), .text(label)), .text(" "))
        }
        func money(_ k: String, _ label: String) -> Node<HTML.BodyContext> {
            .group(.label(.for(k), .text(label)), .input(.type(.text), .name(k), .id(k), .value(v(k)), .attribute(named: "size", value: "8")), .text(" "))
        }
        func select<T: RawRepresentable & CaseIterable>(_ k: String, _: T.Type, _ name: (T) -> String) -> Node<HTML.BodyContext> where T.RawValue == String {
            let options: [Node<HTML.SelectContext>] = T.allCases.map { .option(.value($0.rawValue), .label(name($0)), .isSelected(v(k) == $0.rawValue)) }
            return .select(.attribute(named: "name", value: k), .attribute(named: "id", value: k), .group(options))
        }
        let memberBlocks: [Node<HTML.FormContext>] = m.members.enumerated().map { i, member in
            let p = "m\(i)_"
            return .fieldset(
                .element(named: "legend", text: member[1]),
                .p(.label(.text("居住")), select(p + "residence", Residence.self, \.chineseName), .text(" "), money(p + "years_apart", "脱离家庭年数"),
                   .label(.text("就读")), select(p + "school", SchoolStage.self, \.chineseName)),
                .p(.group(incomeKinds.map { money(p + "income_\($0.rawValue)", $0.chineseName) })),
                .p(.group(rigidKinds.map { money(p + "rigid_\($0.rawValue)", $0.chineseName) })),
                .p(.group(conditions.map { box(p + "cond_\($0.rawValue)", $0.chineseName) })),
                .p(box(p + "assessed", "已做自理能力评估，不能自主完成："), .group(SelfCareItem.allCases.map { box(p + "unable_\($0.rawValue)", $0.chineseName) })),
                .p(.text("法定义务人："), box(p + "sup_none", "无"), money(p + "sup_age", "年龄"),
                   .group(Supporter.Status.allCases.map { box(p + "sup_\($0.rawValue)", $0.chineseName) }),
                   box(p + "sup_income_below", "收入低于上年人均可支配收入"), box(p + "sup_assets_within", "财产符合低收入家庭规定")))
        }
        let programmes: [Node<HTML.SelectContext>] = [.option(.value(""), .label("（无）"), .isSelected(v("prev_programme").isEmpty))]
            + ["dibao", "dibao_single", "tekun", "low_income"].map { .option(.value($0), .label($0), .isSelected(v("prev_programme") == $0)) }
        return Layout.page(title: "家庭情况", context: m.context, body: .group(
            .h2(.text("家庭 \(m.householdID) 的家庭情况")),
            .unwrap(m.error) { .p(.class("error"), .text($0)) },
            .form(.method(.post), .action("/households/\(m.householdID.pathEscaped)/circumstances"), .class("card"),
                  Layout.csrfField(m.context),
                  .p(.label(.for("from"), .text("自月份起")), .input(.type(.text), .name("from"), .id("from"), .value(v("from")))),
                  .group(memberBlocks),
                  .fieldset(.element(named: "legend", text: "家庭"),
                            .p(.label(.text("此前享受")), .select(.attribute(named: "name", value: "prev_programme"), .group(programmes)),
                               money("prev_benefit", "月金额（元）"), money("prev_exit_months", "已发渐退月数"), box("prev_from_work", "收入增加因就业")),
                            .p(box("recent_death", "近三个月内有成员去世"), .label(.text("受灾住房")), select("disaster_house", DisasterDamage.House.self, \.chineseName),
                               money("disaster_displaced", "需过渡安置人数"))),
                  .button(.type(.submit), .id("save-circumstances"), .text("保存"))),
            .h3("记录"),
            m.versions.isEmpty ? .p("尚未记录。") :
                Layout.textTable(["自月份起", "记录人", "记录日期"], m.versions)
        )).render(indentedBy: .spaces(1))
    }
}
