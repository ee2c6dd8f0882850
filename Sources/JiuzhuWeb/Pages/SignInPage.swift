import Foundation
import JiuzhuStore
import Plot
import Vapor

/// 登录: the sign-in form of the pages. The form carries a token that must equal the one in its
/// cookie (double-submit), so another site cannot sign a browser in or out.
enum SignInPage {
    struct Model: Equatable {
        let username: String
        let error: String?
        let csrf: String
    }

    static let csrfCookie = CSRF.cookie

    static func render(_ m: Model) -> String {
        Layout.page(title: "登录", body: .group(
            .h2("登录"),
            .unwrap(m.error) { .p(.class("error"), .text($0)) },
            .form(.method(.post), .action("/login"),
                  .input(.type(.hidden), .name("csrf"), .value(m.csrf)),
                  .p(.label(.for("username"), .text("用户名")), .br(),
                     .input(.type(.text), .name("username"), .id("username"), .value(m.username), .attribute(named: "autocomplete", value: "username"))),
                  .p(.label(.for("password"), .text("密码")), .br(),
                     .input(.type(.password), .name("password"), .id("password"), .attribute(named: "autocomplete", value: "current-password"))),
                  .p(.button(.type(.submit), .text("登录"))))
        )).render(indentedBy: .spaces(1))
    }

    static func page(_ req: Request, username: String = "", error: String? = nil, status: HTTPResponseStatus = .ok) -> Response {
        htmlResponse(render(Model(username: username, error: error, csrf: req.csrfToken)), status: status)
    }

    static func show(req: Request) async throws -> Response {
        if req.user != nil { return req.redirect(to: "/") }
        return page(req)
    }

    struct Form: Content {
        let username: String?
        let password: String?
        let csrf: String?
    }

    static func submit(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        guard let sent = form.csrf, let expected = req.cookies[csrfCookie]?.string, !sent.isEmpty, sent == expected else {
            return page(req, username: form.username ?? "", error: "页面已过期，请重新提交。", status: .forbidden)
        }
        let username = (form.username ?? "").trimmingCharacters(in: .whitespaces)
        guard !username.isEmpty else { return page(req, error: "请填写用户名。", status: .unprocessableEntity) }
        guard let password = form.password, !password.isEmpty else { return page(req, username: username, error: "请填写密码。", status: .unprocessableEntity) }
        do {
            let session = try await req.accounts.signIn(username: username, password: password, address: req.clientAddress)
            let response = req.redirect(to: "/")
            response.cookies[SessionCookie.name] = HTTPCookies.Value(string: session.token, expires: session.expiresAt, isHTTPOnly: true, sameSite: .lax)
            return response
        } catch let f as Accounts.Failure {
            let message: String
            switch f {
            case .wrongCredentials: message = "用户名或密码不正确。"
            case .locked(let until): message = "密码错误次数过多，账号已锁定至 \(Accounts.Failure.time(until))（北京时间），请稍后再试。"
            case .inactive: message = "该账号已停用，请联系县级系统管理员。"
            }
            return page(req, username: username, error: message, status: .unauthorized)
        }
    }

    static func signOut(req: Request) async throws -> Response {
        let form = try? req.content.decode(Form.self)
        if let sent = form?.csrf, sent == req.cookies[csrfCookie]?.string, let token = req.sessionToken {
            try await req.accounts.signOut(token: token, address: req.clientAddress)
        }
        let response = req.redirect(to: "/login")
        response.cookies[SessionCookie.name] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0))
        return response
    }
}
