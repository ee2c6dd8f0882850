import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuStore
import Plot
import Vapor

/// 转介: the referrals of the division (a liaison: their department's), each with its due date and
/// status; a liaison accepts, completes (with the outcome) or returns (with the reason) them here.
enum ReferralPages {
    struct Row: Equatable {
        let number: String
        let caseNumber: String
        let title: String
        let department: String
        let reason: String
        let due: String
        let status: String
        let statusText: String
        let state: String
        let outcome: String
        let version: Int
    }

    struct Model: Equatable {
        let context: PageContext
        let rows: [Row]
        /// The user works referrals (a department liaison).
        let works: Bool
        let error: String?
    }

    static let stateNames = ["sent": "待受理", "accepted": "办理中", "done": "已办结", "returned": "已退回"]

    static func page(req: Request) async throws -> Response {
        try await signedInPage(req) { c in htmlResponse(render(try await model(req, c, error: nil))) }
    }

    static func model(_ req: Request, _ c: PageContext, error: String?) async throws -> Model {
        let views = try await req.casework.referrals()
        return Model(context: c, rows: views.map { v in
            let r = v.referral
            return Row(number: r.number, caseNumber: r.caseNumber, title: r.title, department: Department(rawValue: r.department)?.chineseName ?? r.department,
                       reason: r.reason, due: r.dueOn, status: v.status, statusText: Format.deadlineStatus[v.status] ?? v.status, state: stateNames[r.state] ?? r.state,
                       outcome: r.outcome ?? "", version: r.version)
        }, works: req.user!.role == .departmentLiaison, error: error)
    }

    static func act(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            let f = try req.content.decode([String: String].self)
            try checkedForm(req, csrf: f["csrf"])
            let text = (f["text"] ?? "").trimmingCharacters(in: .whitespaces)
            let action: ReferralAction
            switch f["action"] ?? "" {
            case "accept": action = .accept
            case "complete": action = .complete(outcome: text)
            default: action = .giveBack(reason: text)
            }
            do {
                _ = try await req.casework.act(onReferral: try req.pathParameter("number"), version: Int(f["version"] ?? "") ?? 0, action)
                return req.redirect(to: "/referrals")
            } catch let e as CaseError {
                return htmlResponse(render(try await model(req, c, error: CasePages.chinese(e))), status: .unprocessableEntity)
            } catch StoreError.conflict {
                return htmlResponse(render(try await model(req, c, error: "转介已被他人更新，请核对后重新操作。")), status: .conflict)
            }
        }
    }

    static func actions(_ m: Model, _ r: Row) -> Node<HTML.BodyContext> {
        guard m.works, r.state == "待受理" || r.state == "办理中" else { return .text(r.outcome) }
        func form(_ action: String, _ label: String, text: String?) -> Node<HTML.BodyContext> {
            .form(.method(.post), .action("/referrals/\(r.number)/act"), .class("inline"),
                  Layout.csrfField(m.context),
                  .input(.type(.hidden), .name("action"), .value(action)),
                  .input(.type(.hidden), .name("version"), .value(String(r.version))),
                  .unwrap(text) { .input(.type(.text), .name("text"), .placeholder($0)) },
                  .button(.type(.submit), .text(label)))
        }
        return .group(r.state == "待受理" ? form("accept", "受理", text: nil) : .empty,
                      form("complete", "办结", text: "办理结果"), form("return", "退回", text: "退回理由"))
    }

    static func render(_ m: Model) -> String {
        Layout.page(title: "转介", context: m.context, body: .group(
            .h2("转介"),
            .unwrap(m.error) { .p(.class("error"), .text($0)) },
            m.rows.isEmpty ? .p("暂无转介。") :
                .table(.thead(.tr(.th("编号"), .th("项目"), .th("部门"), .th("事由"), .th("期限"), .th("状态"), .th("办理"))),
                       .tbody(.forEach(m.rows) { r in
                           .tr(.td(.text(r.number)), .td(.text(r.title)), .td(.text(r.department)), .td(.text(r.reason)),
                               .td(.class("status-\(r.status)"), .text("\(r.due)（\(r.statusText)）")), .td(.text(r.state)), .td(actions(m, r)))
                       }))
        )).render(indentedBy: .spaces(1))
    }
}
