import Fluent
import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuStore
import SQLKit
import Vapor

/// How to run the web application.
public struct WebConfig: Sendable {
    public var location: DatabaseLocation
    public var hostname: String
    public var port: Int
    /// Load the demo county into a new database.
    public var demo: Bool
    public var now: @Sendable () -> Date
    /// bcrypt's cost: 12 in service (about a quarter of a second a check); tests may lower it.
    public var bcryptCost: Int

    public init(location: DatabaseLocation, hostname: String = "127.0.0.1", port: Int = 8080, demo: Bool = true,
                now: @escaping @Sendable () -> Date = { Date() }, bcryptCost: Int = 12) {
        self.location = location
        self.hostname = hostname
        self.port = port
        self.demo = demo
        self.now = now
        self.bcryptCost = bcryptCost
    }
}

/// What the server found when it opened its database.
public struct StartupReport: Sendable {
    public let state: MigrationState
    public let demoLoaded: PopulationStore.Summary?
    /// The demo county's users (all with ``DemoCounty/password``), when it was loaded.
    public let demoUsers: [UserAccount]
}

/// The composition root: database, migrations, middleware and routes. Tests call it with a test config.
@discardableResult
public func configure(_ app: Application, _ config: WebConfig) async throws -> StartupReport {
    app.http.server.configuration.hostname = config.hostname
    app.http.server.configuration.port = config.port
    app.databases.use(try config.location.factory(), as: .jiuzhu, isDefault: true)
    JiuzhuMigrations.register(on: app.migrations, id: .jiuzhu)
    app.storage[ClockKey.self] = config.now
    app.storage[LocationKey.self] = config.location
    app.storage[HasherKey.self] = BcryptHasher(cost: config.bcryptCost)

    app.middleware = Middlewares()
    app.middleware.use(MaskedRouteLogging(level: app.environment == .testing ? .debug : .info))
    app.middleware.use(JiuzhuErrorMiddleware())
    app.middleware.use(SignInMiddleware())
    app.middleware.use(CSRFCookieMiddleware())

    let migrator = Migrator(databases: app.databases, migrations: app.migrations, logger: app.logger,
                            on: app.eventLoopGroup.any(), migrationLogLevel: .debug)
    let state = try await DatabaseGate.prepareForUse(db: app.db, migrator: migrator, location: config.location)
    var demo: PopulationStore.Summary?
    var demoUsers: [UserAccount] = []
    if state == .new && config.demo {
        demo = try await DemoCounty.load(on: app.db, now: config.now())
        let accounts = Accounts(db: app.db, hasher: BcryptHasher(cost: config.bcryptCost), now: config.now)
        for u in DemoCounty.users {
            demoUsers.append(try await accounts.add(u, password: DemoCounty.password, by: nil, actor: .system))
        }
        // Its caseload: the households the rules pay this month, so that the roll has lines.
        _ = try await Payroll(db: app.db, actor: .system, now: config.now).migrateDemoCaseload(month: Day(config.now()).monthOfYear)
        // And a first monitoring push, so that the warning chain has work.
        _ = try await Monitoring(db: app.db, actor: .system, now: config.now).demoPush(on: Day(config.now()))
    }

    try routes(app)
    return StartupReport(state: state, demoLoaded: demo, demoUsers: demoUsers)
}

func routes(_ app: Application) throws {
    app.get("health", use: Health.check)
    app.get(use: HomePage.handle)
    app.get("login", use: SignInPage.show)
    app.post("login", use: SignInPage.submit)
    app.post("logout", use: SignInPage.signOut)
    app.get("households", use: HouseholdPages.search)
    app.get("households", "new", use: HouseholdPages.newForm)
    app.post("households", use: HouseholdPages.create)
    app.get("households", ":household_id", use: HouseholdPages.file)
    app.get("households", ":household_id", "edit", use: HouseholdPages.editForm)
    app.get("households", ":household_id", "circumstances", use: CircumstancesPage.show)
    app.post("households", ":household_id", "circumstances", use: CircumstancesPage.save)
    app.post("households", ":household_id", "edit", use: HouseholdPages.saveEdit)
    app.get("intake", use: CasePages.intakeForm)
    app.post("intake", use: CasePages.receive)
    app.get("cases", use: CasePages.list)
    app.get("cases", ":number", use: CasePages.show)
    app.post("cases", ":number", "act", use: CasePages.act)
    app.get("cases", ":number", "notice", use: CasePages.notice)
    app.get("cases", ":number", ":document", use: CasePages.document)
    app.get("referrals", use: ReferralPages.page)
    app.post("referrals", ":number", "act", use: ReferralPages.act)
    app.get("feeds", use: FeedPages.page)
    app.get("monitoring", use: MonitoringPages.page)
    app.get("hotline", use: HotlinePages.page)
    app.post("hotline", use: HotlinePages.submit)
    app.post("monitoring", use: MonitoringPages.step)
    app.get("monitoring", "report.xlsx", use: MonitoringPages.reportXLSX)
    app.get("monitoring", "annual.xlsx", use: MonitoringPages.annualXLSX)
    app.on(.POST, "feeds", body: .collect(maxSize: "64mb"), use: FeedPages.upload)
    app.get("verification", use: VerificationPage.page)
    app.get("payroll", use: PayrollPage.page)
    app.post("payroll", "generate", use: PayrollPage.generate)
    app.post("payroll", "confirm", use: PayrollPage.confirm)
    app.post("payroll", "export", use: PayrollPage.export)
    app.get("policy", use: PolicyPages.list)
    app.get("policy", ":id", use: PolicyPages.pack)
    app.get("policy", ":id", "whatif", use: PolicyPages.whatIf)
    app.get("statistics", use: StatisticsPages.page)
    app.get("statistics.csv", use: StatisticsPages.csv)
    app.get("statistics.xlsx", use: StatisticsPages.xlsx)
    app.get("admin", "users", use: AdminPages.page)
    app.post("admin", "users", use: AdminPages.create)
    app.get("openapi.json", use: OpenAPIDocument.handle)
    let api = app.grouped("api", "v1")
    let signedIn = api.grouped(RequireSignIn())
    AuthAPI.register(api, signedIn: signedIn)
    UserAPI.register(signedIn)
    HouseholdAPI.register(signedIn)
    CaseAPI.register(signedIn)
    FeedAPI.register(signedIn)
    PayrollAPI.register(signedIn)
    HotlineAPI.register(signedIn)
    MonitoringAPI.register(signedIn)
}

struct ClockKey: StorageKey {
    typealias Value = @Sendable () -> Date
}

/// Where the database is (a bulk write takes the SQLite file's fast path).
struct LocationKey: StorageKey {
    typealias Value = DatabaseLocation
}

extension Request {
    var now: Date { (application.storage[ClockKey.self] ?? { Date() })() }

    /// The registry as this request may use it: the one place that decides the caller's
    /// jurisdiction (the signed-in user's division) and what their role allows.
    var registry: Registry {
        get throws {
            guard let user else { throw Abort(.unauthorized, reason: "sign in first") }
            let clock = application.storage[ClockKey.self] ?? { Date() }
            return Registry(db: db, user: user, address: clientAddress, now: clock)
        }
    }
}

enum Health {
    struct Status: Content {
        let status: String
        let database: String
    }

    static func check(req: Request) async throws -> Status {
        let sql = req.db as! any SQLDatabase
        try await sql.raw("SELECT 1").run()
        return Status(status: "ok", database: sql.dialect.name)
    }
}

/// Logs each request's method and path with resident ID numbers masked (5304**********123X), so
/// the server log never holds a whole one.
struct MaskedRouteLogging: AsyncMiddleware {
    let level: Logger.Level

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        request.logger.log(level: level, "\(request.method) \(Self.mask(request.url.path))")
        return try await next.respond(to: request)
    }

    /// Every run of 17 digits and a check character becomes its first four and last four.
    static func mask(_ text: String) -> String {
        var out = "", run = ""
        func flush() {
            if run.count == 18 { out += String(run.prefix(4)) + String(repeating: "*", count: 10) + String(run.suffix(4)) } else { out += run }
            run = ""
        }
        for ch in text {
            if ch.isASCII && (ch.isNumber || ((ch == "X" || ch == "x") && run.count == 17)) { run.append(ch) } else { flush(); out.append(ch) }
        }
        flush()
        return out
    }
}
