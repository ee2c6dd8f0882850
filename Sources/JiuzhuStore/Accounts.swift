import Crypto
import FluentKit
import Foundation
import JiuzhuCore

/// Hashes and checks passwords (bcrypt in the server, given by the caller: Store has no Vapor).
public protocol PasswordHashing: Sendable {
    func hash(_ password: String) throws -> String
    func verify(_ password: String, against hash: String) throws -> Bool
}

/// A user as the platform sees them: who, what they do, where.
public struct UserAccount: Sendable, Equatable, Codable {
    public let username: String
    public let role: Role
    public let division: DivisionCode
    /// For a department liaison: the department (医保局, 教育局, …).
    public let department: String?
    public let active: Bool

    public init(username: String, role: Role, division: DivisionCode, department: String? = nil, active: Bool = true) {
        self.username = username
        self.role = role
        self.division = division
        self.department = department
        self.active = active
    }

    enum CodingKeys: String, CodingKey { case username, role, division = "division_code", department, active }

    /// Where the user may act.
    public var jurisdiction: Jurisdiction { Jurisdiction(division: division) }
    public var actor: AuditActor { AuditActor("user:\(username)") }
}

/// A signed-in session: the token is given to the client once; only its SHA-256 is stored.
public struct Session: Sendable, Equatable {
    public let token: String
    public let user: UserAccount
    public let expiresAt: Date
}

/// Users, passwords and sessions. Sign-in is throttled: after `maxFailures` wrong passwords in a
/// row the account is locked for `lockout`. Every change is audited.
public struct Accounts: Sendable {
    public let db: any Database
    public let hasher: any PasswordHashing
    public let now: @Sendable () -> Date
    public static let maxFailures = 5
    public static let lockout: TimeInterval = 15 * 60
    public static let sessionLength: TimeInterval = 12 * 3600

    public init(db: any Database, hasher: any PasswordHashing, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.hasher = hasher
        self.now = now
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// Wrong username or password (which one is not said).
        case wrongCredentials
        case locked(until: Date)
        case inactive
        public var description: String {
            switch self {
            case .wrongCredentials: return "the username or password is wrong"
            case .locked(let until): return "too many wrong passwords: sign-in is locked until \(Day(until)) \(Self.time(until)) (Beijing time)"
            case .inactive: return "this account is disabled"
            }
        }
        public static func time(_ d: Date) -> String {
            var c = Calendar(identifier: .gregorian)
            c.timeZone = Day.chinaTimeZone
            let p = c.dateComponents([.hour, .minute], from: d)
            return String(format: "%02d:%02d", p.hour ?? 0, p.minute ?? 0)
        }
    }

    /// The rules on a new or changed account; `by` (an administrator) may only act within their division.
    public static func problems(_ u: UserAccount, password: String?, by admin: UserAccount?, divisions: Divisions = .bundled) -> [FieldProblem] {
        var out: [FieldProblem] = []
        let allowed = u.username.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0) }
        if u.username.isEmpty || u.username.count > 64 || !allowed {
            out.append(.init(field: "username", rule: "must be 1–64 letters, digits, '.', '_' or '-'"))
        }
        if let p = divisions.validatePlace(u.division) { out.append(.init(field: "division_code", rule: p)) }
        if u.role.isCountyLevel && u.division.digits.count != 6 {
            out.append(.init(field: "division_code", rule: "a \(u.role.rawValue) works at county level: give the six-digit county code"))
        }
        if u.role == .departmentLiaison && Department(rawValue: u.department ?? "") == nil {
            out.append(.init(field: "department", rule: "a department_liaison needs one of " + Department.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        if let password, password.count < 10 {
            out.append(.init(field: "password", rule: "must be at least 10 characters"))
        }
        if let admin, !admin.jurisdiction.contains(u.division) {
            out.append(.init(field: "division_code", rule: "\(u.division) is outside your jurisdiction (\(admin.jurisdiction))"))
        }
        return out
    }

    /// Adds a user (by an administrator, or by the command line when `admin` is nil).
    @discardableResult
    public func add(_ user: UserAccount, password: String, by admin: UserAccount?, actor: AuditActor) async throws -> UserAccount {
        let problems = Self.problems(user, password: password, by: admin)
        if !problems.isEmpty { throw StoreError.invalid(problems) }
        let hash = try hasher.hash(password)
        let at = now()
        return try await AuditLog.transaction(on: db) { tx in
            if try await UserModel.query(on: tx).filter(\.$username == user.username).first() != nil {
                throw StoreError.conflict(FieldProblem(field: "username", rule: "\(user.username) is already taken"))
            }
            let row = UserModel(user, passwordHash: hash, at: at)
            try await row.create(on: tx)
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .create, entity: "user", key: user.username,
                                      county: user.division.countyCode.digits, detail: user)
            return user
        }
    }

    /// Changes a user's role, division, department, activity or password, within the admin's division.
    @discardableResult
    public func change(_ username: String, to user: UserAccount, password: String?, by admin: UserAccount, actor: AuditActor) async throws -> UserAccount {
        guard user.username == username else {
            throw StoreError.invalid([FieldProblem(field: "username", rule: "must be \(username), the user being changed")])
        }
        let problems = Self.problems(user, password: password, by: admin)
        if !problems.isEmpty { throw StoreError.invalid(problems) }
        let hash = try password.map { try hasher.hash($0) }
        let at = now()
        return try await AuditLog.transaction(on: db) { tx in
            guard let row = try await UserModel.query(on: tx).filter(\.$username == username).first(),
                  let before = try? row.account(), admin.jurisdiction.contains(before.division) else {
                throw StoreError.notFound(entity: "user", key: username)
            }
            row.apply(user)
            if let hash { row.passwordHash = hash; row.failedLogins = 0; row.lockedUntil = nil }
            try await row.update(on: tx)
            if !user.active || hash != nil {
                try await SessionModel.query(on: tx).filter(\.$username == username).delete()
            }
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .update, entity: "user", key: username,
                                      county: user.division.countyCode.digits,
                                      detail: UserChange(changes: try changes(from: before, to: user), passwordChanged: hash != nil))
            return user
        }
    }

    /// The users in a division (an administrator's list).
    public func users(in scope: Jurisdiction) async throws -> [UserAccount] {
        try await UserModel.query(on: db).sort(\.$username).all().compactMap { try? $0.account() }.filter { scope.contains($0.division) }
    }

    /// Signs in: a new session, or the reason there is none. Failures count towards the lockout.
    public func signIn(username: String, password: String, address: String) async throws -> Session {
        let at = now()
        let token = Self.newToken()
        // bcrypt is slow by design: check outside the transaction, then record the outcome in one.
        guard let row = try await UserModel.query(on: db).filter(\.$username == username).first() else {
            _ = try? hasher.verify(password, against: Self.decoyHash) // as slow as a real check
            throw Failure.wrongCredentials
        }
        if let until = row.lockedUntil, until > at { throw Failure.locked(until: until) }
        let ok = try hasher.verify(password, against: row.passwordHash)
        let actor = AuditActor("user:\(username)", address: address)
        let session = try await AuditLog.transaction(on: db) { tx -> Session? in
            guard let row = try await UserModel.query(on: tx).filter(\.$username == username).first() else { throw Failure.wrongCredentials }
            let user = try row.account()
            if !ok {
                row.failedLogins += 1
                var lockedUntil: Date?
                if row.failedLogins >= Self.maxFailures {
                    lockedUntil = at.addingTimeInterval(Self.lockout)
                    row.lockedUntil = lockedUntil
                    row.failedLogins = 0
                }
                try await row.update(on: tx)
                try await AuditLog.record(on: tx, at: at, actor: actor, action: .signInFailed, entity: "user", key: username,
                                          county: user.division.countyCode.digits, detail: ["locked": lockedUntil != nil ? "yes" : "no"])
                return nil as Session?
            }
            guard user.active else { throw Failure.inactive }
            row.failedLogins = 0
            row.lockedUntil = nil
            try await row.update(on: tx)
            let expires = at.addingTimeInterval(Self.sessionLength)
            try await SessionModel(tokenHash: Self.digest(token), username: username, created: at, expires: expires, address: address).create(on: tx)
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .signIn, entity: "user", key: username,
                                      county: user.division.countyCode.digits, detail: [String: String]())
            return Session(token: token, user: user, expiresAt: expires)
        }
        if let session { return session }
        throw try await lockState(username, at: at)
    }

    private func lockState(_ username: String, at: Date) async throws -> Failure {
        let row = try await UserModel.query(on: db).filter(\.$username == username).first()
        if let until = row?.lockedUntil, until > at { return .locked(until: until) }
        return .wrongCredentials
    }

    /// The signed-in user of a token, or nil when it is unknown, expired, or the user is disabled.
    public func user(forToken token: String) async throws -> UserAccount? {
        guard let s = try await SessionModel.query(on: db).filter(\.$tokenHash == Self.digest(token)).first(), s.expiresAt > now(),
              let row = try await UserModel.query(on: db).filter(\.$username == s.username).first(), let user = try? row.account(), user.active else {
            return nil
        }
        return user
    }

    /// Ends the session of `token` (audited as the user's sign-out).
    public func signOut(token: String, address: String) async throws {
        let (at, digest) = (now(), Self.digest(token))
        try await AuditLog.transaction(on: db) { tx in
            guard let s = try await SessionModel.query(on: tx).filter(\.$tokenHash == digest).first() else { return }
            let county = try await UserModel.query(on: tx).filter(\.$username == s.username).first()?.countyCode ?? ""
            try await s.delete(on: tx)
            try await AuditLog.record(on: tx, at: at, actor: AuditActor("user:\(s.username)", address: address), action: .signOut,
                                      entity: "user", key: s.username, county: county, detail: [String: String]())
        }
    }

    public static func newToken() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func digest(_ token: String) -> String { SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined() }

    /// A bcrypt hash of a random password, checked when the username is unknown so that the
    /// answer takes as long as for a real account.
    static let decoyHash = "$2b$10$CwTycUXWue0Thq9StjUM0uJ8.rPXv5ZqRTHtZs8pU2Fn6QeQbRuvG"
}

/// The audit detail of a change to a user (never the password itself).
struct UserChange: Encodable {
    let changes: [String: Change]
    let passwordChanged: Bool
    enum CodingKeys: String, CodingKey { case changes, passwordChanged = "password_changed" }
}
