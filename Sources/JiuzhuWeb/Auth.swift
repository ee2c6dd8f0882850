import Foundation
import JiuzhuCore
import JiuzhuStore
import Vapor

/// bcrypt, as Vapor implements it.
public struct BcryptHasher: JiuzhuStore.PasswordHashing {
    public let cost: Int
    public init(cost: Int = 12) { self.cost = cost }
    public func hash(_ password: String) throws -> String { try Bcrypt.hash(password, cost: cost) }
    public func verify(_ password: String, against hash: String) throws -> Bool { try Bcrypt.verify(password, created: hash) }
}

/// Who is signed in: from `Authorization: Bearer <token>` (the API) or the session cookie (pages).
struct SignedInUserKey: StorageKey { typealias Value = UserAccount }

struct HasherKey: StorageKey { typealias Value = BcryptHasher }

enum SessionCookie {
    static let name = "jiuzhu_session"
}

/// Finds the signed-in user, if any, for every request.
struct SignInMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let token = request.sessionToken, let user = try await request.accounts.user(forToken: token) {
            request.storage[SignedInUserKey.self] = user
        }
        return try await next.respond(to: request)
    }
}

/// Refuses a request with no signed-in user (401).
struct RequireSignIn: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.user != nil else { throw Abort(.unauthorized, reason: "sign in first: POST /api/v1/auth/login, then send Authorization: Bearer <token>") }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The token of this request: the bearer token (API clients), else the session cookie (pages).
    var sessionToken: String? {
        if let bearer = headers.bearerAuthorization?.token, !bearer.isEmpty { return bearer }
        return cookies[SessionCookie.name]?.string
    }

    var user: UserAccount? { storage[SignedInUserKey.self] }

    var accounts: Accounts {
        Accounts(db: db, hasher: application.storage[HasherKey.self] ?? BcryptHasher(cost: 12), now: { self.now })
    }

    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}

/// `/api/v1/auth`: sign in, sign out, who am I.
enum AuthAPI {
    struct Credentials: Content {
        let username: String
        let password: String
    }

    struct SignedIn: Content {
        let token: String
        let expiresAt: Date
        let user: UserView
        enum CodingKeys: String, CodingKey { case token, expiresAt = "expires_at", user }
    }

    /// A user as the API shows them.
    struct UserView: Content, Equatable {
        let username: String
        let role: String
        let roleName: String
        let divisionCode: String
        let divisionName: String
        let department: String?
        let active: Bool
        enum CodingKeys: String, CodingKey {
            case username, role, roleName = "role_name", divisionCode = "division_code", divisionName = "division_name", department, active
        }
        init(_ u: UserAccount) {
            username = u.username
            role = u.role.rawValue
            roleName = u.role.chineseName
            divisionCode = u.division.digits
            divisionName = Divisions.bundled.fullName(u.division)
            department = u.department
            active = u.active
        }
    }

    static func register(_ api: any RoutesBuilder, signedIn: any RoutesBuilder) {
        api.post("auth", "login", use: login)
        signedIn.post("auth", "logout", use: logout)
        signedIn.get("auth", "me", use: me)
    }

    /// `POST /api/v1/auth/login` `{"username","password"}` → the token (also set as the session cookie).
    static func login(req: Request) async throws -> Response {
        let c = try req.content.decode(Credentials.self)
        let session = try await req.accounts.signIn(username: c.username, password: c.password, address: req.clientAddress)
        let response = try await SignedIn(token: session.token, expiresAt: session.expiresAt, user: UserView(session.user)).encodeResponse(for: req)
        response.cookies[SessionCookie.name] = HTTPCookies.Value(string: session.token, expires: session.expiresAt, isSecure: false,
                                                                  isHTTPOnly: true, sameSite: .lax)
        return response
    }

    static func logout(req: Request) async throws -> HTTPStatus {
        if let token = req.sessionToken { try await req.accounts.signOut(token: token, address: req.clientAddress) }
        return .noContent
    }

    static func me(req: Request) async throws -> UserView { UserView(req.user!) }
}

/// `/api/v1/users`: an administrator's users, within their division.
enum UserAPI {
    struct NewUser: Content {
        let username: String
        let role: Role
        let divisionCode: String
        let department: String?
        let active: Bool?
        let password: String?
        enum CodingKeys: String, CodingKey { case username, role, divisionCode = "division_code", department, active, password }

        func account() throws -> UserAccount {
            let d: DivisionCode
            do { d = try DivisionCode(divisionCode) } catch { throw RequestProblem("division_code", error.description) }
            return UserAccount(username: username, role: role, division: d, department: department, active: active ?? true)
        }
    }

    static func register(_ signedIn: any RoutesBuilder) {
        let users = signedIn.grouped("users")
        users.get(use: list)
        users.post(use: create)
        users.put(":username", use: change)
    }

    static func admin(_ req: Request) throws -> UserAccount {
        let u = req.user!
        guard u.role.managesUsers else { throw StoreError.forbidden("only a county administrator manages users") }
        return u
    }

    static func list(req: Request) async throws -> [AuthAPI.UserView] {
        let a = try admin(req)
        return try await req.accounts.users(in: a.jurisdiction).map(AuthAPI.UserView.init)
    }

    static func create(req: Request) async throws -> Response {
        let a = try admin(req)
        let body = try req.content.decode(NewUser.self)
        guard let password = body.password else { throw RequestProblem("password", "is required") }
        let user = try await req.accounts.add(try body.account(), password: password, by: a,
                                              actor: AuditActor("user:\(a.username)", address: req.clientAddress))
        return try await AuthAPI.UserView(user).encodeResponse(status: .created, for: req)
    }

    static func change(req: Request) async throws -> AuthAPI.UserView {
        let a = try admin(req)
        let body = try req.content.decode(NewUser.self)
        let user = try await req.accounts.change(try req.pathParameter("username"), to: try body.account(), password: body.password, by: a,
                                                 actor: AuditActor("user:\(a.username)", address: req.clientAddress))
        return AuthAPI.UserView(user)
    }
}
