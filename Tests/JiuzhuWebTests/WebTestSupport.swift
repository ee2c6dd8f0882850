import Foundation
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
@testable import JiuzhuWeb
import Testing
import Vapor
import VaporTesting

/// The session of the test's signed-in user, sent by `authHeaders` and `jsonHeaders`.
enum TestSession {
    @TaskLocal static var token = ""
    /// The user every test signs in as unless it says otherwise: 元江县's administrator.
    static let admin = UserAccount(username: "tester", role: .countyAdmin, division: try! DivisionCode("530428"))
    static let password = "correct horse battery"
}

/// Adds a user and signs them in, returning the token.
func signIn(_ app: Application, as user: UserAccount, password: String = TestSession.password) async throws -> String {
    let accounts = Accounts(db: app.db, hasher: BcryptHasher(cost: 4), now: app.storage[ClockKey.self] ?? { Fixtures.now })
    if try await accounts.users(in: .everywhere).contains(where: { $0.username == user.username }) == false {
        try await accounts.add(user, password: password, by: nil, actor: .system)
    }
    return try await accounts.signIn(username: user.username, password: password, address: "test").token
}

/// Runs `body` against an app configured on a fresh database (SQLite file, or PostgreSQL
/// when JIUZHU_TEST_DATABASE_URL is set), with the clock fixed, signed in as `TestSession.admin`.
func withJiuzhuApp(demo: Bool = false, clock: MovableClock? = nil, _ body: (Application) async throws -> Void) async throws {
    let (location, cleanup) = try await TestDatabase.make()
    let app = try await Application.make(.testing)
    do {
        let now: @Sendable () -> Date
        if let clock { now = { clock.now } } else { now = { Fixtures.now } }
        try await configure(app, WebConfig(location: location, demo: demo, now: now, bcryptCost: 4))
        let token = try await signIn(app, as: TestSession.admin)
        try await TestSession.$token.withValue(token) { try await body(app) }
    } catch {
        try? await app.asyncShutdown()
        await cleanup()
        throw error
    }
    try await app.asyncShutdown()
    await cleanup()
}

/// Encodes a value as a JSON request body.
func jsonBody(_ value: some Encodable) throws -> ByteBuffer {
    ByteBuffer(data: try JSONEncoder().encode(value))
}

func jsonBody(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

/// JSON with the signed-in test user's token.
var jsonHeaders: HTTPHeaders { ["Content-Type": "application/json", "Authorization": "Bearer \(TestSession.token)"] }
/// The signed-in test user's token.
var authHeaders: HTTPHeaders { ["Authorization": "Bearer \(TestSession.token)"] }

extension TestingHTTPResponse {
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601 // as Vapor encodes dates
        return try decoder.decode(T.self, from: Data(buffer: body))
    }
}
