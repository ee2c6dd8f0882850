import Foundation
import JiuzhuCore
import JiuzhuStore
import Plot
import Vapor

/// The pages' anti-forgery token: one random value per browser, in a cookie only this site can read
/// (SameSite=Strict), and in every form; a form post whose two copies differ is refused.
enum CSRF {
    static let cookie = "jiuzhu_csrf"
    struct Key: StorageKey { typealias Value = String }
}

/// Sets the token cookie when a browser has none, so every page can render its forms.
struct CSRFCookieMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let existing = request.cookies[CSRF.cookie]?.string
        let token = (existing?.isEmpty == false ? existing : nil) ?? Accounts.newToken()
        request.storage[CSRF.Key.self] = token
        let response = try await next.respond(to: request)
        if existing != token, response.cookies[CSRF.cookie] == nil {
            response.cookies[CSRF.cookie] = HTTPCookies.Value(string: token, isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }
}

extension Request {
    var csrfToken: String { storage[CSRF.Key.self] ?? cookies[CSRF.cookie]?.string ?? "" }

    /// Checks a form's token against the cookie's.
    func verifyCSRF(_ sent: String?) -> Bool {
        guard let sent, !sent.isEmpty, let cookie = cookies[CSRF.cookie]?.string else { return false }
        return sent == cookie
    }

    /// The page context of the signed-in user, or nil.
    var pageContext: PageContext? {
        guard let u = user else { return nil }
        return PageContext(username: u.username, roleName: u.role.chineseName, divisionName: Divisions.bundled.fullName(u.division), csrf: csrfToken,
                           role: u.role)
    }
}

/// An HTML answer.
func htmlResponse(_ html: String, status: HTTPResponseStatus = .ok) -> Response {
    let r = Response(status: status, body: .init(string: html))
    r.headers.contentType = .html
    return r
}

/// A download: the bytes, their media type, and the name the browser saves them under.
func download(_ data: Data, _ type: HTTPMediaType, name: String) -> Response {
    let r = Response(status: .ok, body: .init(data: data))
    r.headers.contentType = type
    r.headers.contentDisposition = .init(.attachment, filename: name)
    return r
}

extension HTTPMediaType {
    /// An Excel workbook (.xlsx).
    static let xlsx = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
}

/// Why a form's step was refused, as the page says it ("未办理：…"); nil for an error that is not a
/// refusal of the step (it goes to the error page). `missing` names what was not found.
func refusal(_ error: any Error, missing: (String) -> String) -> String? {
    switch error {
    case StoreError.invalid(let problems): return "未办理：" + problems.map { "\($0.field)：\($0.rule)" }.joined(separator: "；")
    case StoreError.conflict(let p): return "未办理：\(p.rule)"
    case StoreError.notFound(_, let key): return "未办理：" + missing(key)
    case let e as RequestProblem: return "未办理：\(e)"
    default: return nil
    }
}

/// Runs a page handler for a signed-in user; anyone else is sent to the sign-in form.
func signedInPage(_ req: Request, _ body: (PageContext) async throws -> Response) async throws -> Response {
    guard let c = req.pageContext else { return req.redirect(to: "/login") }
    return try await body(c)
}

/// A form post's token is checked first; a forged one is refused with a page that says so.
func checkedForm(_ req: Request, csrf: String?) throws {
    guard req.verifyCSRF(csrf) else { throw Abort(.forbidden, reason: "页面已过期或来源不明，请返回重新提交。") }
}

enum Format {
    /// 12,345
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    static func day(_ d: Day) -> String { "\(d.year)年\(d.month)月\(d.day)日" }

    /// 2025年7月15日 10:05, in China's time.
    static func dateTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Day.chinaTimeZone
        let c = calendar.dateComponents([.hour, .minute], from: date)
        return day(Day(date)) + " " + String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }

    static let deadlineStatus = ["open": "未到期", "due_soon": "即将到期", "overdue": "已逾期", "met": "按时完成", "met_late": "逾期完成"]
}
