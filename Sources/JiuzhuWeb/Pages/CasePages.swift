import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import Plot
import Vapor

/// 一门受理 and the case pages: the intake form, the case with its assessment, deadlines, timeline,
/// referrals and the actions this user may take now, and the printable one-time notice.
enum CasePages {
    static let materialTitles: [(String, String)] = [
        ("application", "书面申请书"), ("id_documents", "身份证件"), ("income_assets_statement", "家庭收入和财产状况申报"),
        ("support_statement", "劳动能力、生活来源及赡养情况声明"), ("verification_consent", "家庭经济状况核对授权书"),
        ("declaration", "承诺书"), ("disability_certificate", "残疾人证"), ("proxy_authorization", "书面委托书"),
    ]

    // MARK: Intake

    struct IntakeModel: Equatable {
        let context: PageContext
        let householdID: String
        /// (ID number, "name（relation）") of the chosen household's members.
        let members: [[String]]
        let values: [String: String]
        let error: String?
    }

    static func intakeForm(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let id = (req.query[String.self, at: "household_id"] ?? "").trimmingCharacters(in: .whitespaces)
            var members: [[String]] = []
            var error: String?
            if !id.isEmpty {
                do { members = try await req.registry.household(id).members.map { [$0.idNumber.value, "\($0.name)（\($0.relation.chineseName)）"] } } catch StoreError.notFound {
                    error = "未找到家庭 \(id)（或不在您的管辖范围内）。"
                }
            }
            return htmlResponse(renderIntake(IntakeModel(context: c, householdID: id, members: members, values: ["programme": "dibao"], error: error)))
        }
    }

    static func receive(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let f = try req.content.decode([String: String].self)
            try checkedForm(req, csrf: f["csrf"])
            let id = f["household_id"] ?? ""
            let intake = Intake(householdID: id, programme: CaseProgramme(rawValue: f["programme"] ?? "") ?? .dibao,
                                applicantIDNumber: f["applicant"] ?? "", proxy: (f["proxy"] ?? "").isEmpty ? nil : f["proxy"],
                                consentToVerification: f["consent"] == "on", relativeOfStaff: f["relative"] == "on",
                                materialsProvided: materialTitles.map(\.0).filter { f["material_\($0)"] == "on" })
            do {
                let view = try await req.casework.receive(intake)
                return req.redirect(to: "/cases/\(view.file.number)")
            } catch let e as CaseError {
                let members = (try? await req.registry.household(id).members.map { [$0.idNumber.value, "\($0.name)（\($0.relation.chineseName)）"] }) ?? []
                return htmlResponse(renderIntake(IntakeModel(context: c, householdID: id, members: members, values: f, error: chinese(e))), status: .unprocessableEntity)
            }
        }
    }

    static func chinese(_ e: CaseError) -> String {
        switch e {
        case .illegal(_, let state, _): return "当前环节（\(state.chineseName)）不能进行此操作。"
        case .notAllowed(_, let role, let why): return "\(role.chineseName)不能进行此操作：" + (why.contains("county") ? "本地由县级民政部门审核确认。" : "不属于本岗位职责。")
        case .unmet(let field, let rule):
            let names = ["materials_provided": "材料", "materials": "材料", "applicant_id_number": "申请人", "investigators": "调查人员",
                         "reason": "理由", "reasons": "理由", "consent_to_verification": "核对授权", "home_visits": "入户调查", "checks": "信息核对",
                         "on": "日期", "from": "公示开始日期", "public_notice": "公示", "objection": "异议", "amount_fen": "金额", "proxy": "委托人"]
            return "\(names[field] ?? field)：\(rule)"
        }
    }

    static func renderIntake(_ m: IntakeModel) -> String {
        let programmes: [Node<HTML.SelectContext>] = CaseProgramme.allCases.map { p in
            .option(.value(p.rawValue), .label(p.chineseName), .isSelected((m.values["programme"] ?? "dibao") == p.rawValue))
        }
        let applicants: [Node<HTML.SelectContext>] = m.members.map { .option(.value($0[0]), .label($0[1]), .isSelected(m.values["applicant"] == $0[0])) }
        let materials: [Node<HTML.FormContext>] = materialTitles.map { k, t in
            .p(.input(.type(.checkbox), .name("material_\(k)"), .id("material_\(k)"), .checked(m.values["material_\(k)"] == "on")),
               .label(.for("material_\(k)"), .text(t)))
        }
        return Layout.page(title: "一门受理", context: m.context, body: .group(
            .h2("一门受理"),
            .form(.method(.get), .action("/intake"), .class("card"),
                  .label(.for("household_id"), .text("家庭编号")), .input(.type(.text), .name("household_id"), .id("household_id"), .value(m.householdID)),
                  .button(.type(.submit), .id("find"), .text("查找"))),
            .unwrap(m.error) { .p(.class("error"), .text($0)) },
            m.members.isEmpty ? .p("请先输入家庭编号查找家庭（未登记的家庭请先到“家庭登记”登记）。") :
                .form(.method(.post), .action("/intake"), .class("card"),
                      Layout.csrfField(m.context),
                      .input(.type(.hidden), .name("household_id"), .value(m.householdID)),
                      .p(.label(.for("programme"), .text("申请项目")),
                         .select(.attribute(named: "name", value: "programme"), .attribute(named: "id", value: "programme"), .group(programmes))),
                      .p(.label(.for("applicant"), .text("申请人")),
                         .select(.attribute(named: "name", value: "applicant"), .attribute(named: "id", value: "applicant"), .group(applicants))),
                      .p(.label(.for("proxy"), .text("委托代办人")), .input(.type(.text), .name("proxy"), .id("proxy"), .value(m.values["proxy"] ?? ""))),
                      .p(.input(.type(.checkbox), .name("consent"), .id("consent"), .checked(m.values["consent"] == "on")),
                         .label(.for("consent"), .text("已签署家庭经济状况核对授权"))),
                      .p(.input(.type(.checkbox), .name("relative"), .id("relative"), .checked(m.values["relative"] == "on")),
                         .label(.for("relative"), .text("家庭成员是经办人员或村（居）委会成员的近亲属（单独登记备案）"))),
                      .h3("已提交的材料"),
                      .group(materials),
                      .button(.type(.submit), .id("submit-application"), .text("受理")))
        )).render(indentedBy: .spaces(1))
    }

    // MARK: The case

    struct CaseModel: Equatable {
        let context: PageContext
        let number: String
        let version: Int
        let household: String
        let programme: String
        let state: String
        let receivedOn: String
        let receivedBy: String
        let assessmentText: String
        let notice: String?
        let deadlines: [[String]]
        let referrals: [[String]]
        let timeline: [[String]]
        let actions: [String]
        let missing: [(String, String)]
        let error: String?
        /// The file's records: home visits, checks, the opinion, the notices and objections, reviews, the decision.
        var records: [[String]] = []
        /// The explanation the decision rests on.
        var decisionText: String?
        static func == (a: CaseModel, b: CaseModel) -> Bool {
            a.number == b.number && a.version == b.version && a.state == b.state && a.deadlines == b.deadlines && a.timeline == b.timeline
                && a.actions == b.actions && a.error == b.error && a.assessmentText == b.assessmentText && a.context == b.context
                && a.records == b.records && a.decisionText == b.decisionText
        }
    }

    static func show(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let view = try await req.casework.file(try req.pathParameter("number"))
            return htmlResponse(renderCase(makeCase(c, view, error: nil)))
        }
    }

    /// What the file records, in order, for the case page.
    static func fileRecords(_ f: CaseFile) -> [[String]] {
        var out: [[String]] = []
        for h in f.homeVisits {
            out.append(["入户调查" + (h.byCounty ? "（县级）" : ""), Format.day(h.on), "调查人员：" + h.investigators.joined(separator: "、") + (h.findings.isEmpty ? "" : "；" + h.findings)])
        }
        for c in f.checks { out.append(["信息核对", c.department, c.finding + (c.discrepancy ? "（与申报不符）" : "")]) }
        if let o = f.opinion {
            out.append(["初审意见", Format.day(o.on), (o.eligible ? "符合条件" : "不符合条件") + "；测算：\(Programme(rawValue: o.programme)?.chineseName ?? o.programme)，每月 \(Money(fen: o.benefitFen))；\(o.reason)"])
        }
        for n in f.notices {
            out.append(["公示", "\(Format.day(n.from)) 至 \(Format.day(n.through))", n.objections.isEmpty ? "无异议" : "异议：" + n.objections.joined(separator: "；")])
        }
        for r in f.reviews { out.append(["民主评议", Format.day(r.on), "\(r.participants) 人参加；\(r.outcome)"]) }
        if let d = f.decision {
            out.append([d.approved ? "审核确认：纳入" : "审核确认：不予确认", Format.day(d.on),
                        "\(d.level == "township" ? "乡镇" : "县级")作出，经办 \(d.by)；" + (d.approved ? "每月 \(Money(fen: d.benefitFen))，自 \(d.benefitFrom?.description ?? "") 起" : "理由：\(d.reasons)")])
        }
        if let n = f.refusalNotifiedOn { out.append(["书面告知", Format.day(n), "已书面告知不予确认及理由"]) }
        return out
    }

    static func makeCase(_ c: PageContext, _ v: CaseView, error: String?) -> CaseModel {
        let f = v.file
        var m = CaseModel(
            context: c, number: f.number, version: f.version, household: f.householdID, programme: f.programme.chineseName,
            state: f.state.chineseName, receivedOn: Format.day(f.receivedOn), receivedBy: f.receivedBy,
            assessmentText: ExplanationText.render(f.assessment), notice: v.oneTimeNotice,
            deadlines: v.deadlines.map { [ $0.deadline.title, Format.day($0.deadline.due) + ($0.deadline.provisional ? "（暂按周末推算）" : ""),
                                            $0.status, Format.deadlineStatus[$0.status] ?? $0.status, $0.deadline.basis] },
            referrals: v.referrals.map { [$0.title, Department(rawValue: $0.department)?.chineseName ?? $0.department, $0.dueOn,
                                          ["sent": "已转办", "accepted": "已受理", "done": "已办结", "returned": "已退回"][$0.state] ?? $0.state, $0.outcome ?? ""] },
            timeline: v.timeline.map { e in [Format.day(Day(e.at)), e.actor.replacingOccurrences(of: "user:", with: ""),
                                             actionTitle(e.action), (CaseState(rawValue: e.toState)?.chineseName ?? e.toState)] },
            actions: v.actions, missing: f.missingMaterials.map { ($0.key, $0.title) }, error: error)
        m.records = fileRecords(f)
        m.decisionText = f.decision?.assessment.map { ExplanationText.render($0) }
        return m
    }

    static func actionTitle(_ name: String) -> String {
        ["receive": "受理", "start_investigation": "启动调查", "record_home_visit": "入户调查", "record_check": "信息核对", "provide_materials": "补齐材料",
         "record_consent": "签署核对授权", "propose": "提出初审意见", "start_public_notice": "开始公示", "record_objection": "登记异议",
         "close_public_notice": "结束公示", "reinvestigate": "重新调查", "community_review": "民主评议", "decide": "审核确认",
         "notify_refusal": "书面告知", "withdraw": "撤回"][name] ?? name
    }

    /// The form of one action: its own fields, the case version and the token.
    static func actionForm(_ m: CaseModel, _ action: String) -> Node<HTML.BodyContext> {
        func text(_ name: String, _ label: String) -> Node<HTML.FormContext> {
            .group(.label(.for("\(action)_\(name)"), .text(label)), .input(.type(.text), .name(name), .id("\(action)_\(name)")), .text(" "))
        }
        func date(_ name: String, _ label: String) -> Node<HTML.FormContext> {
            .group(.label(.for("\(action)_\(name)"), .text(label)), .input(.type(.date), .name(name), .id("\(action)_\(name)")), .text(" "))
        }
        func yesNo(_ name: String, _ yes: String, _ no: String) -> Node<HTML.FormContext> {
            .select(.attribute(named: "name", value: name), .option(.value("true"), .label(yes)), .option(.value("false"), .label(no)))
        }
        let fields: Node<HTML.FormContext>
        switch action {
        case "record_home_visit": fields = .group(date("on", "日期"), text("investigators", "调查人员（以、分隔）"), text("findings", "调查情况"))
        case "record_check": fields = .group(text("department", "核对部门"), text("finding", "核对结果"))
        case "provide_materials":
            fields = .group(.forEach(m.missing) { k, t in .group(.input(.type(.checkbox), .name("material_\(k)"), .id("provide_\(k)")), .label(.for("provide_\(k)"), .text(t)), .text(" ")) })
        case "propose": fields = .group(yesNo("eligible", "符合条件", "不符合条件"), text("reason", "理由"))
        case "start_public_notice": fields = date("from", "公示开始日期")
        case "record_objection": fields = text("objection", "异议内容")
        case "community_review": fields = .group(date("on", "日期"), text("participants", "参加人数"), text("outcome", "评议结果"))
        case "decide": fields = .group(yesNo("approve", "确认纳入", "不予确认"), text("reasons", "理由"))
        case "notify_refusal": fields = date("on", "告知日期")
        case "withdraw": fields = text("reason", "撤回原因")
        default: fields = .empty
        }
        return .form(.method(.post), .action("/cases/\(m.number)/act"), .class("card"),
                     Layout.csrfField(m.context),
                     .input(.type(.hidden), .name("action"), .value(action)),
                     .input(.type(.hidden), .name("version"), .value(String(m.version))),
                     fields,
                     .button(.type(.submit), .id("act-\(action)"), .text(actionTitle(action))))
    }

    static func renderCase(_ m: CaseModel) -> String {
        Layout.page(title: "案卷 \(m.number)", context: m.context, body: .group(
            .h2(.text("案卷 \(m.number) · \(m.programme) · \(m.state)")),
            .p(.text("家庭 "), .a(.href("/households/\(m.household.pathEscaped)"), .text(m.household)),
               .text(" · \(m.receivedOn)受理 · 首问负责：\(m.receivedBy)")),
            .unwrap(m.error) { .p(.class("error"), .text($0)) },
            .unwrap(m.notice) { n in .section(.class("card"), .h3("一次性告知"), .p(.text(n)),
                                              .p(.class("noprint"), .a(.href("/cases/\(m.number)/notice"), .text("打印告知书")))) },
            .p(.class("noprint"), .a(.href("/cases/\(m.number)/public-notice"), .text("公示单")), .text(" · "),
               .a(.href("/cases/\(m.number)/decision"), .text("决定书／不予确认通知书"))),
            .h3("可办理的操作"),
            m.actions.isEmpty ? .p("本岗位当前无可办理的操作。") : .group(.forEach(m.actions) { actionForm(m, $0) }),
            .h3("办理期限"),
            .table(.thead(.tr(.th("事项"), .th("期限"), .th("状态"), .th("依据"))),
                   .tbody(.forEach(m.deadlines) { d in .tr(.td(.text(d[0])), .td(.text(d[1])), .td(.class("status-\(d[2])"), .text(d[3])), .td(.text(d[4]))) })),
            .h3("案卷记录"),
            m.records.isEmpty ? .p("尚无调查、核对、公示或决定记录。") :
                Layout.textTable(["事项", "日期或部门", "内容"], m.records),
            .unwrap(m.decisionText) { .group(.h3("决定依据（作出决定时的测算）"), .pre(.class("explain"), .text($0))) },
            .h3("受理时的综合评估"),
            .pre(.class("explain"), .id("assessment"), .text(m.assessmentText)),
            .h3("转介"),
            m.referrals.isEmpty ? .p("无。") :
                Layout.textTable(["项目", "部门", "期限", "状态", "结果"], m.referrals),
            .h3("办理过程"),
            Layout.textTable(["日期", "经办人", "操作", "结果环节"], m.timeline)
        )).render(indentedBy: .spaces(1))
    }

    /// `POST /cases/{number}/act`: one action from its form.
    static func act(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let f = try req.content.decode([String: String].self)
            try checkedForm(req, csrf: f["csrf"])
            let number = try req.pathParameter("number")
            let work = try req.casework
            do {
                let action = try formAction(f)
                _ = try await work.act(number, version: Int(f["version"] ?? "") ?? 0, action)
                return req.redirect(to: "/cases/\(number)")
            } catch let e as CaseError {
                return htmlResponse(renderCase(makeCase(c, try await work.file(number), error: chinese(e))), status: .unprocessableEntity)
            } catch StoreError.conflict {
                return htmlResponse(renderCase(makeCase(c, try await work.file(number), error: "案卷已被他人更新，请核对后重新操作。")), status: .conflict)
            }
        }
    }

    static func formAction(_ f: [String: String]) throws -> CaseAction {
        func day(_ k: String) throws -> Day {
            guard let t = f[k], let d = try? Day(parsing: t) else { throw CaseError.unmet(field: k, rule: "请填写日期") }
            return d
        }
        func text(_ k: String) -> String { (f[k] ?? "").trimmingCharacters(in: .whitespaces) }
        switch f["action"] ?? "" {
        case "start_investigation": return .startInvestigation
        case "record_consent": return .recordConsent
        case "close_public_notice": return .closePublicNotice
        case "reinvestigate": return .reinvestigate
        case "record_home_visit":
            let names = text("investigators").split(whereSeparator: { "、,， ".contains($0) }).map(String.init)
            return .recordHomeVisit(HomeVisit(on: try day("on"), investigators: names, findings: text("findings")))
        case "record_check": return .recordCheck(CheckResult(department: text("department"), finding: text("finding"), discrepancy: false))
        case "provide_materials": return .provideMaterials(f.keys.filter { $0.hasPrefix("material_") && f[$0] == "on" }.map { String($0.dropFirst(9)) }.sorted())
        case "propose": return .propose(eligible: f["eligible"] == "true", reason: text("reason"))
        case "start_public_notice": return .startPublicNotice(from: try day("from"))
        case "record_objection": return .recordObjection(text("objection"))
        case "community_review":
            return .communityReview(CommunityReview(on: try day("on"), participants: Int(text("participants")) ?? 0, outcome: text("outcome")))
        case "decide": return .decide(approve: f["approve"] == "true", reasons: text("reasons"))
        case "notify_refusal": return .notifyRefusal(on: try day("on"))
        case "withdraw": return .withdraw(reason: text("reason"))
        default: throw CaseError.unmet(field: "action", rule: "未知的操作")
        }
    }

    // MARK: The list

    static func list(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let state = (req.query[String.self, at: "state"]).flatMap(CaseState.init(rawValue:))
            let rows = try await req.casework.list(state: state).map { s in
                [s.number, s.householdID, CaseProgramme(rawValue: s.programme)?.chineseName ?? "临时救助",
                 CaseState(rawValue: s.state)?.chineseName ?? s.state, s.dueOn ?? "—"]
            }
            return htmlResponse(renderList(c, rows: rows, state: state))
        }
    }

    static func renderList(_ c: PageContext, rows: [[String]], state: CaseState?) -> String {
        let options: [Node<HTML.SelectContext>] = [.option(.value(""), .label("全部"), .isSelected(state == nil))]
            + CaseState.allCases.map { s in .option(.value(s.rawValue), .label(s.chineseName), .isSelected(state == s)) }
        return Layout.page(title: "案件", context: c, body: .group(
            .h2("案件"),
            .form(.method(.get), .action("/cases"), .class("card"),
                  .label(.for("state"), .text("环节")), .select(.attribute(named: "name", value: "state"), .attribute(named: "id", value: "state"), .group(options)),
                  .button(.type(.submit), .text("筛选"))),
            rows.isEmpty ? .p("无案件。") :
                .table(.thead(.tr(.th("案卷号"), .th("家庭"), .th("救助项目"), .th("环节"), .th("下一期限"))),
                       .tbody(.forEach(rows) { r in .tr(.td(.a(.href("/cases/\(r[0])"), .text(r[0]))), .td(.text(r[1])), .td(.text(r[2])), .td(.text(r[3])), .td(.text(r[4]))) }))
        )).render(indentedBy: .spaces(1))
    }

    // MARK: Printable documents: the public-notice sheet and the decision or refusal letter

    struct DocumentModel: Equatable {
        let title: String
        let bureau: String
        let paragraphs: [String]
        let date: String
    }

    /// `/cases/{n}/public-notice` (公示) and `/cases/{n}/decision` (决定书 or 不予确认通知书).
    static func document(req: Request) async throws -> Response {
        try await signedInPage(req) { _ in
            let number = try req.pathParameter("number")
            let kind = try req.pathParameter("document")
            let v = try await req.casework.file(number)
            let f = v.file
            let record = try await req.registry.household(f.householdID)
            let applicant = record.members.first { $0.idNumber == f.applicant }
            let bureau = (Divisions.bundled[f.division.countyCode]?.name ?? "") + "民政局"
            let today = Format.day(Day(req.now))
            switch kind {
            case "public-notice":
                guard let o = f.opinion, let n = f.notices.last else { throw Abort(.notFound, reason: "尚未开始公示") }
                return htmlResponse(renderDocument(publicNotice(f, opinion: o, notice: n, applicantName: applicant?.name ?? "", township: Divisions.bundled.fullName(f.division), bureau: bureau, date: today)))
            case "decision":
                guard let d = f.decision else { throw Abort(.notFound, reason: "尚未作出决定") }
                return htmlResponse(renderDocument(decisionLetter(f, decision: d, applicantName: applicant?.name ?? "", bureau: bureau, date: today)))
            default:
                throw Abort(.notFound)
            }
        }
    }

    /// The name as a public notice shows it: the surname and the last character (李*国).
    static func maskedName(_ name: String) -> String {
        guard name.count > 1 else { return name }
        return String(name.prefix(1)) + String(repeating: "*", count: max(1, name.count - 2)) + (name.count > 2 ? String(name.suffix(1)) : "")
    }

    static func publicNotice(_ f: CaseFile, opinion o: Opinion, notice n: PublicNotice, applicantName: String, township: String, bureau: String, date: String) -> DocumentModel {
        let people = f.assessment.evaluation.figures.n
        return DocumentModel(title: "\(f.programme.chineseName)初审结果公示", bureau: bureau, paragraphs: [
            "经入户调查、家庭经济状况核对，现将以下申请人的初审意见予以公示：",
            "申请人：\(maskedName(applicantName))；家庭人口：\(people) 人；住址：\(township)；初审意见：" + (o.eligible ? "符合条件，拟纳入，拟每月发放 \(Money(fen: o.benefitFen))" : "不符合条件") + "。",
            "公示期：\(Format.day(n.from)) 至 \(Format.day(n.through))（\(n.from.days(to: n.through) + 1) 天）。如有异议，请在公示期内向乡镇（街道）人民政府（办事处）反映，或拨打 12349 民政服务热线。",
            "（依据：民发〔2021〕57号 第十九条；案卷号 \(f.number)）",
        ], date: date)
    }

    static func decisionLetter(_ f: CaseFile, decision d: CaseDecision, applicantName: String, bureau: String, date: String) -> DocumentModel {
        if d.approved {
            return DocumentModel(title: "\(f.programme.chineseName)审核确认决定书", bureau: bureau, paragraphs: [
                "\(applicantName)：",
                "你（家庭）于 \(Format.day(f.receivedOn)) 提出的\(f.programme.chineseName)申请，经调查核实、公示，本机关于 \(Format.day(d.on)) 审核确认：符合条件，"
                    + "自 \(d.benefitFrom.map { "\($0.year)年\($0.month)月" } ?? "") 起按月发放 \(Money(fen: d.benefitFen))。",
                "享受期间家庭人口、收入、财产状况发生变化的，应当及时告知乡镇（街道）。",
                "（依据：民发〔2021〕57号 第二十、二十一条；案卷号 \(f.number)）",
            ], date: Format.day(d.on))
        }
        return DocumentModel(title: "\(f.programme.chineseName)不予确认通知书", bureau: bureau, paragraphs: [
            "\(applicantName)：",
            "你（家庭）于 \(Format.day(f.receivedOn)) 提出的\(f.programme.chineseName)申请，经调查核实，本机关于 \(Format.day(d.on)) 决定不予确认。理由：\(d.reasons)。",
            "如对本决定不服，可以自收到本通知之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。",
            "（依据：民发〔2021〕57号 第二十一、三十八条；案卷号 \(f.number)）",
        ], date: Format.day(d.on))
    }

    static func renderDocument(_ m: DocumentModel) -> String {
        Layout.page(title: m.title, body: .div(.class("notice"),
            .h2(.text(m.bureau)), .h2(.text(m.title)),
            .forEach(m.paragraphs) { .p(.text($0)) },
            .p(.text("\(m.bureau)（盖章）")),
            .p(.text(m.date)),
            .p(.class("noprint"), .button(.attribute(named: "onclick", value: "window.print()"), .text("打印")))
        )).render(indentedBy: .spaces(1))
    }

    // MARK: The printable one-time notice

    struct NoticeModel: Equatable {
        let bureau: String
        let applicant: String
        let number: String
        let text: String
        let date: String
    }

    static func notice(req: Request) async throws -> Response {
        try await signedInPage(req) { _ in
            let v = try await req.casework.file(try req.pathParameter("number"))
            let county = Divisions.bundled[v.file.division.countyCode]?.name ?? ""
            return htmlResponse(renderNotice(NoticeModel(bureau: county + "民政局", applicant: v.file.applicant.masked, number: v.file.number,
                                                         text: v.oneTimeNotice ?? "材料已齐全，无需补充。", date: Format.day(Day(req.now)))))
        }
    }

    static func renderNotice(_ m: NoticeModel) -> String {
        Layout.page(title: "一次性告知书", body: .div(.class("notice"),
            .h2(.text("\(m.bureau)\n社会救助申请一次性告知书")),
            .p(.text("案卷号：\(m.number)　申请人身份证号：\(m.applicant)")),
            .p(.text(m.text)),
            .p(.text("\(m.bureau)（盖章）")),
            .p(.text(m.date)),
            .p(.class("noprint"), .button(.attribute(named: "onclick", value: "window.print()"), .text("打印")))
        )).render(indentedBy: .spaces(1))
    }
}
