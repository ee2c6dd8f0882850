import Foundation
import JiuzhuCore
import JiuzhuStore
import Plot
import Vapor

/// 管理: the users of the administrator's division, and adding one (a county administrator only).
enum AdminPages {
    struct Model: Equatable {
        let context: PageContext
        let users: [[String]]
        /// The townships of the administrator's division: (code, name).
        var divisions: [[String]] = []
        let values: [String: String]
        let errors: [String: String]
        let message: String?
    }

    static func page(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            guard let admin = req.user, admin.role.managesUsers else { throw StoreError.forbidden("只有县级系统管理员可以管理用户") }
            return htmlResponse(render(try await model(req, c, admin: admin, values: ["role": "township_officer"], errors: [:], message: nil)))
        }
    }

    static func model(_ req: Request, _ c: PageContext, admin: UserAccount, values: [String: String], errors: [String: String], message: String?) async throws -> Model {
        let users = try await req.accounts.users(in: admin.jurisdiction).map {
            [$0.username, $0.role.chineseName, Divisions.bundled.fullName($0.division), Department(rawValue: $0.department ?? "")?.chineseName ?? "", $0.active ? "启用" : "停用"]
        }
        let townships = admin.division.digits.count == 6 ? Divisions.bundled.townships(in: admin.division) : []
        var m = Model(context: c, users: users, values: values, errors: errors, message: message)
        m.divisions = townships.map { [$0.code.digits, $0.name] }
        return m
    }

    static func create(req: Request) async throws -> Response {
        try await signedInPage(req) { c in
            guard let admin = req.user, admin.role.managesUsers else { throw StoreError.forbidden("只有县级系统管理员可以管理用户") }
            let f = try req.content.decode([String: String].self)
            try checkedForm(req, csrf: f["csrf"])
            var errors: [String: String] = [:]
            let role = Role(rawValue: f["role"] ?? "")
            if role == nil { errors["role"] = "请选择岗位" }
            var division: DivisionCode?
            do { division = try DivisionCode((f["division_code"] ?? "").trimmingCharacters(in: .whitespaces)) } catch { errors["division_code"] = "区划代码应为6、9或12位数字" }
            if let role, let division, errors.isEmpty {
                let user = UserAccount(username: (f["username"] ?? "").trimmingCharacters(in: .whitespaces), role: role, division: division,
                                       department: (f["department"] ?? "").isEmpty ? nil : f["department"])
                do {
                    try await req.accounts.add(user, password: f["password"] ?? "", by: admin, actor: AuditActor("user:\(admin.username)", address: req.clientAddress))
                    return req.redirect(to: "/admin/users")
                } catch let StoreError.invalid(problems) {
                    for p in problems { errors[p.field] = "不符合规则：" + p.rule }
                } catch let StoreError.conflict(p) {
                    errors[p.field] = "用户名已被使用"
                }
            }
            return htmlResponse(render(try await model(req, c, admin: admin, values: f, errors: errors, message: "请更正标记的项目。")), status: .unprocessableEntity)
        }
    }

    static func render(_ m: Model) -> String {
        func err(_ k: String) -> Node<HTML.BodyContext> { .unwrap(m.errors[k]) { .span(.class("field-error"), .text($0)) } }
        let roles: [Node<HTML.SelectContext>] = Role.allCases.map { .option(.value($0.rawValue), .label($0.chineseName), .isSelected(m.values["role"] == $0.rawValue)) }
        let departments: [Node<HTML.SelectContext>] = [.option(.value(""), .label("（非部门联络员）"))]
            + Department.allCases.map { .option(.value($0.rawValue), .label($0.chineseName), .isSelected(m.values["department"] == $0.rawValue)) }
        return Layout.page(title: "用户管理", context: m.context, body: .group(
            .h2("用户管理"),
            Layout.textTable(["用户名", "岗位", "所属区划", "部门", "状态"], m.users),
            .h3("新增用户"),
            .unwrap(m.message) { .p(.class("error"), .text($0)) },
            .form(.method(.post), .action("/admin/users"), .class("card"),
                  Layout.csrfField(m.context),
                  .p(.label(.for("username"), .text("用户名")), .input(.type(.text), .name("username"), .id("username"), .value(m.values["username"] ?? "")), err("username")),
                  .p(.label(.for("role"), .text("岗位")), .select(.attribute(named: "name", value: "role"), .attribute(named: "id", value: "role"), .group(roles)), err("role")),
                  .p(.label(.for("division_code"), .text("所属区划")),
                     .input(.type(.text), .name("division_code"), .id("division_code"), .value(m.values["division_code"] ?? "")), err("division_code")),
                  .p(.label(.for("department"), .text("部门")), .select(.attribute(named: "name", value: "department"), .attribute(named: "id", value: "department"), .group(departments)), err("department")),
                  .p(.label(.for("password"), .text("初始密码")), .input(.type(.password), .name("password"), .id("password")), err("password")),
                  .button(.type(.submit), .id("add-user"), .text("新增"))),
            .h3("辖区乡镇（街道）"),
            m.divisions.isEmpty ? .p("—") :
                .table(.thead(.tr(.th("区划代码"), .th("名称"))), .tbody(.forEach(m.divisions) { d in .tr(.td(.text(d[0])), .td(.text(d[1]))) }))
        )).render(indentedBy: .spaces(1))
    }
}
