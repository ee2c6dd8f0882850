import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuStore
import Plot
import Vapor

/// 12349 热线: the county's tickets by due day (a township: those routed to it), the month's on-time
/// rate, a form to receive a call and one to close a ticket; a refusal says why and changes nothing.
enum HotlinePages {
    struct Model {
        let context: PageContext
        let report: HotlineReport
        let rows: [[String]]
        let townships: [(code: String, name: String)]
        let mayReceive: Bool
        var result: String? = nil
        var refusal: String? = nil
    }

    static func model(_ req: Request, _ c: PageContext) async throws -> Model {
        let (h, county, user) = try HotlineAPI.hotline(req, may: { $0.worksHotline || $0 == .auditor })
        let today = Day(req.now)
        let tickets = try await HotlineStore(db: req.db, actor: h.actor).tickets(county: county)
            .filter { user.role != .townshipOfficer || $0.routedTo.hasPrefix(user.division.digits) }
        let rows = tickets.map { t in
            [t.number, t.kind.chineseName, t.receivedOn.description, t.routedTo, t.dueOn.description + (t.provisional ? "（暂按周末计）" : ""),
             t.state == .closed ? "已办结 \(t.closedOn!)" + (t.closedOnTime ? "" : "（逾期）") : (t.dueOn < today ? "逾期未办结" : "办理中"),
             t.escalatedOn.map { "已升级至县 \($0)" } ?? "", t.description, t.resolution ?? ""]
        }
        let townships = Divisions.bundled.townships(in: user.division.countyCode).map { ($0.code.digits, $0.name) }
        return Model(context: c, report: try await h.report(county: county, month: today.monthOfYear), rows: rows, townships: townships,
                     mayReceive: user.role.worksHotline)
    }

    static func page(req: Request) async throws -> Response {
        try await signedInPage(req) { c in htmlResponse(render(try await model(req, c))) }
    }

    struct Form: Decodable {
        var csrf: String?
        var action: String?
        var kind: String?
        var caller: String?
        var phone: String?
        var household: String?
        var description: String?
        var routedTo: String?
        var number: String?
        var resolution: String?
        enum CodingKeys: String, CodingKey { case csrf, action, kind, caller, phone, household, description, routedTo = "routed_to", number, resolution }
    }

    /// `POST /hotline`: receive a call, or close a ticket.
    static func submit(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let f = try req.content.decode(Form.self)
            try checkedForm(req, csrf: f.csrf)
            var m = try await model(req, c)
            do {
                let (h, county, user) = try HotlineAPI.hotline(req, may: \.worksHotline)
                let today = Day(req.now)
                if f.action == "close" {
                    let number = (f.number ?? "").trimmingCharacters(in: .whitespaces)
                    try await HotlineAPI.mayClose(number, h, county: county, user: user)
                    let t = try await h.close(county: county, number: number, on: today, resolution: f.resolution ?? "")
                    m = try await model(req, c)
                    m.result = "工单 \(t.number) 已办结" + (t.closedOnTime ? "（按时）" : "（逾期，期限 \(t.dueOn)）")
                } else {
                    guard let kind = HotlineTicket.Kind(rawValue: f.kind ?? "") else { throw RequestProblem("kind", "请选择工单类别") }
                    let household = (f.household ?? "").trimmingCharacters(in: .whitespaces)
                    let t = try await h.receive(county: county, kind: kind, caller: f.caller ?? "", phone: f.phone ?? "", householdID: household.isEmpty ? nil : household,
                                                description: f.description ?? "", routedTo: f.routedTo ?? "", on: today)
                    m = try await model(req, c)
                    m.result = "已受理工单 \(t.number)（\(t.kind.chineseName)），转 \(t.routedTo) 办理，期限 \(t.dueOn)" + (kind == .fraud ? "；已对该户启动核查" : "")
                }
                return htmlResponse(render(m))
            } catch {
                guard let text = refusal(error, missing: { "没有工单 \($0)" }) else { throw error }
                m.refusal = text
            }
            return htmlResponse(render(m), status: .unprocessableEntity)
        }
    }

    static func render(_ m: Model) -> String {
        let r = m.report
        let kinds: [Node<HTML.SelectContext>] = HotlineTicket.Kind.allCases.map { .option(.value($0.rawValue), .label($0.chineseName)) }
        let routes: [Node<HTML.SelectContext>] = m.townships.map { .option(.value($0.code), .label($0.name)) }
            + ["县民政局", "县医疗保障局", "县人力资源和社会保障局", "县住房和城乡建设局", "县教育局"].map { .option(.value($0), .label($0)) }
        return Layout.page(title: "12349 热线", context: m.context, body: .group(
            .h2("12349 社会救助服务热线"),
            .p(.text("\(r.month.year)年\(r.month.month)月：到期 \(r.due) 件，按时办结 \(r.closedOnTime) 件，逾期办结 \(r.closedLate) 件，逾期未办结 \(r.open) 件，未到期 \(r.notYetDue) 件；按期办结率 \(r.onTimeRate ?? "—")（目标 100%）。办结期限按工作日计算，逾期未办结的工单升级至县民政局。")),
            .unwrap(m.result) { .section(.class("card"), .id("hotline-result"), .p(.text($0))) },
            .unwrap(m.refusal) { .p(.class("error"), .id("hotline-refusal"), .text($0)) },
            m.mayReceive ? .group(
                .form(.method(.post), .action("/hotline"), .class("card"), .id("receive-form"),
                      Layout.csrfField(m.context), .input(.type(.hidden), .name("action"), .value("receive")),
                      .p(.label(.for("kind"), .text("类别")), .select(.attribute(named: "name", value: "kind"), .attribute(named: "id", value: "kind"), .group(kinds))),
                      .p(.label(.for("caller"), .text("来电人")), .input(.type(.text), .name("caller"), .id("caller"), .placeholder("匿名来电填“匿名”"))),
                      .p(.label(.for("phone"), .text("电话")), .input(.type(.text), .name("phone"), .id("phone"))),
                      .p(.label(.for("household"), .text("涉及家庭编号")), .input(.type(.text), .name("household"), .id("household"), .placeholder("举报必填"))),
                      .p(.label(.for("description"), .text("来电内容")), .input(.type(.text), .name("description"), .id("description"))),
                      .p(.label(.for("routed_to"), .text("承办单位")), .select(.attribute(named: "name", value: "routed_to"), .attribute(named: "id", value: "routed_to"), .group(routes))),
                      .button(.type(.submit), .id("receive-call"), .text("受理"))),
                .form(.method(.post), .action("/hotline"), .class("card"), .id("close-form"),
                      Layout.csrfField(m.context), .input(.type(.hidden), .name("action"), .value("close")),
                      .p(.label(.for("number"), .text("工单号")), .input(.type(.text), .name("number"), .id("number"))),
                      .p(.label(.for("resolution"), .text("办理结果")), .input(.type(.text), .name("resolution"), .id("resolution"))),
                      .button(.type(.submit), .id("close-ticket"), .text("办结")))) : .empty,
            .h3("工单（按办结期限）"),
            m.rows.isEmpty ? .p(.text("没有工单。")) : Layout.textTable(["工单号", "类别", "受理日", "承办", "办结期限", "状态", "升级", "内容", "办理结果"], m.rows)
        )).render()
    }
}
