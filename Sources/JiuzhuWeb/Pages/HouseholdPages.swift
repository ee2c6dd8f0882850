import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import Plot
import Vapor

/// 家庭登记: search, a household's file, and registration with field-level errors in Chinese.
enum HouseholdPages {
    // MARK: Search

    struct SearchModel: Equatable {
        let context: PageContext
        let query: String
        let rows: [Row]
        let total: Int
        struct Row: Equatable {
            let id: String
            let head: String
            let headID: String
            let members: Int
            let place: String
        }
    }

    static func search(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let q = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
            var query = RegistryQuery(perPage: 50)
            if q.count == 18 { query.idNumber = q } else if !q.isEmpty { query.name = q }
            let page = try await req.registry.search(query)
            return htmlResponse(renderSearch(SearchModel(context: c, query: q, rows: page.items.map {
                SearchModel.Row(id: $0.household.householdID, head: $0.headName, headID: $0.headIDNumber, members: $0.memberCount, place: $0.divisionName)
            }, total: page.total)))
        }
    }

    static func renderSearch(_ m: SearchModel) -> String {
        Layout.page(title: "家庭登记", context: m.context, body: .group(
            .h2("家庭登记"),
            .form(.method(.get), .action("/households"), .class("card"),
                  .label(.for("q"), .text("身份证号或姓名")), .input(.type(.text), .name("q"), .id("q"), .value(m.query)),
                  .button(.type(.submit), .text("查询")), .text(" "), .a(.href("/households/new"), .text("登记新家庭"))),
            .p(.text("共 \(Format.grouped(m.total)) 户" + (m.total > m.rows.count ? "，显示前 \(m.rows.count) 户" : ""))),
            .table(
                .thead(.tr(.th("家庭编号"), .th("户主"), .th("户主身份证号"), .th(.class("n"), .text("人数")), .th("住址"))),
                .tbody(.forEach(m.rows) { r in
                    .tr(.td(.a(.href("/households/\(r.id.pathEscaped)"), .text(r.id))), .td(.text(r.head)), .td(.text(r.headID)),
                        .td(.class("n"), .text(String(r.members))), .td(.text(r.place)))
                }))
        )).render(indentedBy: .spaces(1))
    }

    // MARK: A household's file

    struct FileModel: Equatable {
        let context: PageContext
        let id: String
        let place: String
        let hukou: String
        let facts: [(String, String)]
        let members: [[String]]
        let history: [[String]]
        let cases: [[String]]
        /// This month's evaluation: the programme and amount, or why not.
        var thisMonth: String = ""
        /// Open flags from department data: severity, what, the evidence.
        var flags: [[String]] = []
        static func == (a: FileModel, b: FileModel) -> Bool {
            a.context == b.context && a.id == b.id && a.place == b.place && a.hukou == b.hukou && a.facts.map { $0.0 + $0.1 } == b.facts.map { $0.0 + $0.1 }
                && a.members == b.members && a.history == b.history && a.cases == b.cases && a.thisMonth == b.thisMonth && a.flags == b.flags
        }
    }

    static func file(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let id = try req.pathParameter("household_id")
            let registry = try req.registry
            let record = try await registry.household(id)
            let history = try await registry.history(id)
            let cases = try await req.casework.list(householdID: id)
            var model = makeFile(c, record, history: history, cases: cases)
            let user = req.user!
            model.flags = try await FeedStore(db: req.db, scope: user.jurisdiction, actor: user.actor, now: { req.now }).flags(householdID: id).map {
                [["high": "高", "medium": "中", "info": "提示"][$0.severity] ?? $0.severity, $0.message, evidenceText($0.evidence)]
            }
            let month = Day(req.now).monthOfYear
            let circumstances = try await registry.circumstances(id, in: month)
            if let pack = try? PackChoice.byDivision(.bundled).pack(for: record.household),
               let e = try? BasicLivingRules.evaluate(record, circumstances: circumstances, month: month, pack: pack, explain: false) {
                model.thisMonth = "\(month) 按登记信息测算：\(e.programme.chineseName)" + (e.benefit.fen > 0 ? "，每月 \(e.benefit)" : "")
            }
            return htmlResponse(renderFile(model))
        }
    }

    static func makeFile(_ c: PageContext, _ r: HouseholdRecord, history: [HouseholdVersion], cases: [CaseSummary]) -> FileModel {
        let h = r.household
        let facts: [(String, String)] = [("货币化存款", "\(h.deposits)"), ("车辆价值", "\(h.vehiclesValue)" + (h.disabilityVehicle ? "（代步车）" : "")),
                                         ("住房", "\(h.houses) 套"), ("工商登记", h.businessRegistered ? "有" : "无")]
        let members: [[String]] = r.members.map { (m: Member) -> [String] in
            let disability = m.disabilityGrade == 0 ? "无" : "\(m.disabilityKind.chineseName)\(m.disabilityGrade)级"
            return [m.name, m.relation.chineseName, m.idNumber.value, disability, m.seriousIllness ? "是" : "否", m.ableToWork ? "有" : "无",
                    m.careLevel.chineseName, "\(m.monthlyIncome)"]
        }
        let versions: [[String]] = history.map { (v: HouseholdVersion) -> [String] in
            let kind = v.kind == .correction ? "更正" : v.kind == .change ? "变更" : "登记"
            let incomes = v.record.members.map { "\($0.name) \($0.monthlyIncome)" }.joined(separator: "；")
            return [v.effectiveFrom.description, kind, v.recordedBy, incomes]
        }
        let caseRows: [[String]] = cases.map { (c: CaseSummary) -> [String] in
            [c.number, CaseProgramme(rawValue: c.programme)?.chineseName ?? "临时救助", CaseState(rawValue: c.state)?.chineseName ?? c.state]
        }
        return FileModel(context: c, id: h.householdID, place: Divisions.bundled.fullName(h.divisionCode), hukou: h.hukouType.chineseName,
                         facts: facts, members: members, history: versions, cases: caseRows)
    }

    /// The feed rows behind a flag, one line each: line number and fields.
    static func evidenceText(_ json: String) -> String {
        guard let rows = try? JSONDecoder().decode([FeedRow].self, from: Data(json.utf8)) else { return json }
        return rows.map { r in "第 \(r.line) 行：" + r.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "，") }.joined(separator: "；")
    }

    static func renderFile(_ m: FileModel) -> String {
        Layout.page(title: "家庭 \(m.id)", context: m.context, body: .group(
            .h2(.text("家庭 \(m.id) · \(m.place) · \(m.hukou)户籍")),
            m.thisMonth.isEmpty ? .empty : .p(.strong(.text(m.thisMonth))),
            .p(.a(.href("/intake?household_id=\(m.id.pathEscaped)"), .text("为该家庭受理申请")), .text(" · "),
               .a(.href("/households/\(m.id.pathEscaped)/edit"), .text("变更登记信息")), .text(" · "),
               .a(.href("/households/\(m.id.pathEscaped)/circumstances"), .text("家庭情况（收入、居住、义务人等）")), .text(" · "),
               .a(.href("/api/v1/households/\(m.id.pathEscaped)/assessment?month="), .text("综合评估（API）"))),
            .table(.tbody(.forEach(m.facts) { f in .tr(.th(.text(f.0)), .td(.text(f.1))) })),
            m.flags.isEmpty ? .empty : .group(
                .h3("核对预警"),
                .table(.thead(.tr(.th("程度"), .th("情况"), .th("部门数据"))),
                       .tbody(.forEach(m.flags) { f in .tr(.td(.class(f[0] == "高" ? "status-overdue" : f[0] == "中" ? "status-due_soon" : ""), .text(f[0])),
                                                           .td(.text(f[1])), .td(.text(f[2]))) }))),
            .h3("家庭成员"),
            .table(.thead(.tr(.th("姓名"), .th("关系"), .th("身份证号"), .th("残疾"), .th("重病"), .th("劳动能力"), .th("自理能力"), .th(.class("n"), .text("月收入")))),
                   .tbody(.forEach(m.members) { row in .tr(.forEach(Array(row.enumerated())) { i, v in i == 7 ? .td(.class("n"), .text(v)) : .td(.text(v)) }) })),
            .h3("事实变更记录"),
            m.history.isEmpty ? .p("登记后尚无变更。") :
                Layout.textTable(["生效日期", "类别", "记录人", "成员月收入"], m.history),
            .h3("案件"),
            m.cases.isEmpty ? .p("无。") :
                .table(.thead(.tr(.th("案卷号"), .th("救助项目"), .th("环节"))),
                       .tbody(.forEach(m.cases) { row in .tr(.td(.a(.href("/cases/\(row[0])"), .text(row[0]))), .td(.text(row[1])), .td(.text(row[2]))) }))
        )).render(indentedBy: .spaces(1))
    }

    // MARK: Registration

    /// The registration form: one household and up to four members; what the user typed is kept
    /// and every wrong field is marked in Chinese.
    struct NewModel: Equatable {
        let context: PageContext
        var values: [String: String]
        var errors: [String: String]
        var message: String?
        /// Member rows on the form: four for a new household, one more than it has when editing.
        var rows: Int = 4
        /// The household being changed (nil: registering a new one).
        var editing: String?
    }

    static func newForm(req: Request) async throws -> Response {
        try await signedInPage(req) { c in htmlResponse(renderNew(NewModel(context: c, values: ["hukou_type": "rural", "division_code": req.user!.division.digits], errors: [:]))) }
    }

    static func create(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let form = try req.content.decode([String: String].self)
            try checkedForm(req, csrf: form["csrf"])
            let (record, errors) = parse(form, rows: Int(form["rows"] ?? "") ?? 4)
            guard let record, errors.isEmpty else {
                return htmlResponse(renderNew(NewModel(context: c, values: form, errors: errors, message: "请更正标记的项目。")), status: .unprocessableEntity)
            }
            do {
                try await req.registry.create(record)
                return req.redirect(to: "/households/\(record.household.householdID.pathEscaped)")
            } catch let StoreError.invalid(problems) {
                return htmlResponse(renderNew(NewModel(context: c, values: form, errors: chinese(problems), message: "请更正标记的项目。")), status: .unprocessableEntity)
            } catch let StoreError.conflict(p) {
                return htmlResponse(renderNew(NewModel(context: c, values: form, errors: chinese([p]), message: "与已登记的信息冲突。")), status: .conflict)
            }
        }
    }

    /// The form prefilled with a household's facts, for a dated change or a correction.
    static func editForm(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let record = try await req.registry.household(try req.pathParameter("household_id"))
            return htmlResponse(renderNew(editModel(c, record, today: Day(req.now))))
        }
    }

    static func editModel(_ c: PageContext, _ r: HouseholdRecord, today: Day) -> NewModel {
        let h = r.household
        func yuan(_ m: Money) -> String { m.fen == 0 ? "" : String(format: "%d.%02d", m.fen / 100, m.fen % 100) }
        var v: [String: String] = ["division_code": h.divisionCode.digits, "hukou_type": h.hukouType.rawValue, "deposits": yuan(h.deposits),
                                   "vehicles_value": yuan(h.vehiclesValue), "houses": h.houses == 0 ? "" : String(h.houses),
                                   "effective": today.description, "kind": "change"]
        for (i, m) in r.members.enumerated() {
            v["m\(i)_name"] = m.name
            v["m\(i)_id_number"] = m.idNumber.value
            v["m\(i)_relation"] = m.relation.rawValue
            v["m\(i)_income"] = yuan(m.monthlyIncome)
            v["m\(i)_disability_kind"] = m.disabilityKind.rawValue
            v["m\(i)_disability_grade"] = String(m.disabilityGrade)
            v["m\(i)_care"] = m.careLevel.rawValue
            if m.ableToWork { v["m\(i)_able"] = "on" }
            if m.seriousIllness { v["m\(i)_ill"] = "on" }
            if m.hasCapableSupporter { v["m\(i)_supporter"] = "on" }
        }
        return NewModel(context: c, values: v, errors: [:], message: nil, rows: r.members.count + 1, editing: h.householdID)
    }

    /// Saves the changed facts, dated: what the form does not show (veteran status, employment income) is kept.
    static func saveEdit(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let id = try req.pathParameter("household_id")
            var form = try req.content.decode([String: String].self)
            try checkedForm(req, csrf: form["csrf"])
            form["household_id"] = id
            let rows = Int(form["rows"] ?? "") ?? 4
            let registry = try req.registry
            let current = try await registry.household(id)
            var (parsed, errors) = parse(form, rows: rows)
            var effective: Day?
            do { effective = try Day(parsing: form["effective"] ?? "") } catch { errors["effective"] = "请填写生效日期" }
            let kind: FactChange = form["kind"] == "correction" ? .correction : .change
            func again(_ message: String, _ errors: [String: String], _ status: HTTPResponseStatus) -> Response {
                var m = NewModel(context: c, values: form, errors: errors, message: message, rows: rows, editing: id)
                m.values["household_id"] = nil
                return htmlResponse(renderNew(m), status: status)
            }
            guard let record = parsed, errors.isEmpty else { return again("请更正标记的项目。", errors, .unprocessableEntity) }
            parsed = merged(record, onto: current)
            do {
                try await registry.replace(id, with: parsed!, effective: effective, kind: kind)
                return req.redirect(to: "/households/\(id.pathEscaped)")
            } catch let StoreError.invalid(problems) {
                return again("请更正标记的项目。", chinese(problems), .unprocessableEntity)
            } catch let StoreError.conflict(p) {
                return again("与已登记的信息冲突。", chinese([p]), .conflict)
            }
        }
    }

    /// The form's facts over the stored ones: members matched by ID number keep every fact the form
    /// does not show; the household keeps its vehicle and business facts.
    static func merged(_ form: HouseholdRecord, onto current: HouseholdRecord) -> HouseholdRecord {
        var h = form.household
        h.disabilityVehicle = current.household.disabilityVehicle
        h.businessRegistered = current.household.businessRegistered
        let members = form.members.map { m -> Member in
            guard var kept = current.members.first(where: { $0.idNumber == m.idNumber }) else { return m }
            kept.name = m.name
            kept.relation = m.relation
            kept.ableToWork = m.ableToWork
            kept.disabilityGrade = m.disabilityGrade
            kept.disabilityKind = m.disabilityKind
            kept.seriousIllness = m.seriousIllness
            kept.careLevel = m.careLevel
            kept.hasCapableSupporter = m.hasCapableSupporter
            kept.monthlyIncome = m.monthlyIncome
            kept.employmentIncome = min(kept.employmentIncome, m.monthlyIncome)
            return kept
        }
        return HouseholdRecord(household: h, members: members)
    }

    /// The form's fields as a household, or the errors by field.
    static func parse(_ f: [String: String], rows: Int) -> (HouseholdRecord?, [String: String]) {
        var errors: [String: String] = [:]
        func text(_ k: String) -> String { (f[k] ?? "").trimmingCharacters(in: .whitespaces) }
        func fen(_ k: String) -> Int64 {
            let t = text(k)
            if t.isEmpty { return 0 }
            guard let m = try? Money(yuanText: t) else { errors[k] = "请填写金额（元），如 1200 或 1200.50"; return 0 }
            return m.fen
        }
        func int(_ k: String) -> Int64 {
            let t = text(k)
            if t.isEmpty { return 0 }
            guard let n = Int64(t), n >= 0 else { errors[k] = "请填写非负整数"; return 0 }
            return n
        }
        let id = text("household_id")
        if id.isEmpty { errors["household_id"] = "请填写家庭编号" }
        var division: DivisionCode?
        do { division = try DivisionCode(text("division_code")) } catch { errors["division_code"] = "区划代码应为6、9或12位数字" }
        let hukou = HukouType(rawValue: text("hukou_type"))
        if hukou == nil { errors["hukou_type"] = "请选择户籍类别" }
        let deposits = fen("deposits"), vehicles = fen("vehicles_value"), houses = int("houses")
        var members: [Member] = []
        for i in 0..<min(rows, 64) {
            let name = text("m\(i)_name"), idText = text("m\(i)_id_number")
            if name.isEmpty && idText.isEmpty { continue }
            if name.isEmpty { errors["m\(i)_name"] = "请填写姓名" }
            var idNumber: IDNumber?
            do { idNumber = try IDNumber(validating: idText, today: Day(year: 9999, month: 12, day: 31)!) } catch {
                errors["m\(i)_id_number"] = "身份证号有误：\(error.description)"
            }
            guard let relation = Relation(rawValue: text("m\(i)_relation")) else { errors["m\(i)_relation"] = "请选择与户主关系"; continue }
            let income = fen("m\(i)_income")
            let kind = DisabilityKind(rawValue: text("m\(i)_disability_kind")) ?? .none
            let grade = Int(text("m\(i)_disability_grade")) ?? 0
            if (kind == .none) != (grade == 0) { errors["m\(i)_disability_grade"] = "残疾类别与等级须同时填写（无残疾则都选“无”）" }
            let care = CareLevel(rawValue: text("m\(i)_care")) ?? .self
            if let idNumber, !name.isEmpty {
                members.append(Member(householdID: id, idNumber: idNumber, name: name, relation: relation, disabilityGrade: grade, disabilityKind: kind,
                                      seriousIllness: f["m\(i)_ill"] == "on", ableToWork: f["m\(i)_able"] == "on",
                                      hasCapableSupporter: f["m\(i)_supporter"] == "on", careLevel: care, monthlyIncome: Money(fen: income)))
            }
        }
        if members.isEmpty && errors.keys.allSatisfy({ !$0.hasPrefix("m") }) { errors["m0_name"] = "至少登记一名家庭成员" }
        guard let division, let hukou, errors.isEmpty else { return (nil, errors) }
        return (HouseholdRecord(household: Household(householdID: id, divisionCode: division, hukouType: hukou, deposits: Money(fen: deposits),
                                                     vehiclesValue: Money(fen: vehicles), houses: houses), members: members), errors)
    }

    /// The registry's rules, in Chinese, on the form's fields.
    static func chinese(_ problems: [FieldProblem]) -> [String: String] {
        var out: [String: String] = [:]
        for p in problems {
            var field = p.field
            if field.hasPrefix("members["), let close = field.firstIndex(of: "]") {
                let i = field[field.index(field.startIndex, offsetBy: 8)..<close]
                let rest = field[field.index(after: close)...].trimmingCharacters(in: CharacterSet(charactersIn: "."))
                field = "m\(i)_" + (rest == "id_number" ? "id_number" : rest == "relation" ? "relation" : "name")
            }
            out[field] = "不符合规则：" + p.rule
        }
        return out
    }

    static func errorNote<C: HTML.BodyContext>(_ m: NewModel, _ k: String) -> Node<C> {
        .unwrap(m.errors[k]) { .span(.class("field-error"), .text($0)) }
    }

    static func textInput<C: HTML.BodyContext>(_ m: NewModel, _ k: String) -> Node<C> {
        .group(.input(.type(.text), .name(k), .id(k), .value(m.values[k] ?? "")), errorNote(m, k))
    }

    static func memberRow(_ m: NewModel, _ i: Int) -> Node<HTML.TableContext> {
        // An empty row suggests the usual order: the head, the spouse, then children.
        let typed = m.values["m\(i)_relation"] ?? ""
        let chosen = !typed.isEmpty ? typed : i == 0 ? "head" : i == 1 ? "spouse" : "child"
        let options: [Node<HTML.SelectContext>] = Relation.allCases.map { r in
            .option(.value(r.rawValue), .label(r.chineseName), .isSelected(chosen == r.rawValue))
        }
        let relation: Node<HTML.BodyContext> = .group(
            .select(.attribute(named: "name", value: "m\(i)_relation"), .attribute(named: "id", value: "m\(i)_relation"), .group(options)),
            errorNote(m, "m\(i)_relation"))
        func box(_ k: String) -> Node<HTML.BodyContext> { .input(.type(.checkbox), .name("m\(i)_\(k)"), .id("m\(i)_\(k)"), .checked(m.values["m\(i)_\(k)"] == "on")) }
        func pick<T: RawRepresentable & CaseIterable>(_ k: String, _: T.Type, _ name: (T) -> String) -> Node<HTML.BodyContext> where T.RawValue == String {
            let chosen = m.values["m\(i)_\(k)"] ?? ""
            let options: [Node<HTML.SelectContext>] = T.allCases.map { .option(.value($0.rawValue), .label(name($0)), .isSelected(chosen == $0.rawValue)) }
            return .select(.attribute(named: "name", value: "m\(i)_\(k)"), .attribute(named: "id", value: "m\(i)_\(k)"), .group(options))
        }
        let grades: [Node<HTML.SelectContext>] = (0...4).map { g in
            .option(.value(String(g)), .label(g == 0 ? "无" : "\(g)级"), .isSelected((m.values["m\(i)_disability_grade"] ?? "0") == String(g)))
        }
        let disability: Node<HTML.BodyContext> = .group(
            pick("disability_kind", DisabilityKind.self, \.chineseName),
            .select(.attribute(named: "name", value: "m\(i)_disability_grade"), .attribute(named: "id", value: "m\(i)_disability_grade"), .group(grades)),
            errorNote(m, "m\(i)_disability_grade"))
        func small(_ k: String, _ size: Int) -> Node<HTML.BodyContext> {
            .group(.input(.type(.text), .name(k), .id(k), .value(m.values[k] ?? ""), .attribute(named: "size", value: String(size))), errorNote(m, k))
        }
        return .tr(.td(small("m\(i)_name", 6)), .td(small("m\(i)_id_number", 18)), .td(relation), .td(small("m\(i)_income", 7)), .td(disability),
                   .td(box("ill")), .td(pick("care", CareLevel.self, \.chineseName)), .td(box("able")), .td(box("supporter")))
    }

    static func renderNew(_ m: NewModel) -> String {
        func row(_ k: String, _ label: String) -> Node<HTML.FormContext> {
            .p(.label(.for(k), .text(label)), textInput(m, k))
        }
        let hukou = m.values["hukou_type"] ?? "rural"
        let hukouSelect: Node<HTML.FormContext> = .p(
            .label(.for("hukou_type"), .text("户籍类别")),
            .select(.attribute(named: "name", value: "hukou_type"), .attribute(named: "id", value: "hukou_type"),
                    .option(.value("rural"), .label("农村"), .isSelected(hukou == "rural")),
                    .option(.value("urban"), .label("城镇"), .isSelected(hukou == "urban"))),
            errorNote(m, "hukou_type"))
        let rows: [Node<HTML.TableContext>] = (0..<m.rows).map { memberRow(m, $0) }
        let title = m.editing.map { "变更家庭 \($0) 的登记信息" } ?? "登记新家庭"
        let kind = m.values["kind"] ?? "change"
        let dating: Node<HTML.FormContext> = m.editing == nil ? .empty : .group(
            .p(.label(.for("effective"), .text("生效日期")), .input(.type(.date), .name("effective"), .id("effective"), .value(m.values["effective"] ?? "")),
               errorNote(m, "effective")),
            .p(.label(.for("kind"), .text("类别")),
               .select(.attribute(named: "name", value: "kind"), .attribute(named: "id", value: "kind"),
                       .option(.value("change"), .label("情况变化（自生效日起）"), .isSelected(kind == "change")),
                       .option(.value("correction"), .label("更正（原登记有误）"), .isSelected(kind == "correction")))))
        let idField: Node<HTML.FormContext> = m.editing.map { id in
            .group(.input(.type(.hidden), .name("household_id"), .value(id)), .p(.label(.text("家庭编号")), .text(id)))
        } ?? row("household_id", "家庭编号")
        return Layout.page(title: title, context: m.context, body: .group(
            .h2(.text(title)),
            .unwrap(m.message) { .p(.class("error"), .text($0)) },
            .form(.method(.post), .action(m.editing.map { "/households/\($0.pathEscaped)/edit" } ?? "/households"), .class("card"),
                  Layout.csrfField(m.context),
                  .input(.type(.hidden), .name("rows"), .value(String(m.rows))),
                  idField, dating, row("division_code", "区划代码"), hukouSelect,
                  row("deposits", "货币化存款（元）"), row("vehicles_value", "车辆价值（元）"), row("houses", "住房（套）"),
                  .h3("家庭成员"),
                  .table(.thead(.tr(.th("姓名"), .th("身份证号"), .th("与户主关系"), .th("月收入（元）"), .th("残疾类别、等级"), .th("重病"), .th("自理能力"),
                                    .th("劳动能力"), .th("有赡养人"))),
                         .tbody(.group(rows))),
                  .button(.type(.submit), .id("register"), .text(m.editing == nil ? "登记" : "保存变更")))
        )).render(indentedBy: .spaces(1))
    }
}
