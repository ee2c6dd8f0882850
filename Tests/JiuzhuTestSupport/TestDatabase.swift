import FluentKit
import Foundation
import JiuzhuCore
import JiuzhuStore
import SQLKit

/// A fresh, empty database for one test.
///
/// By default a new SQLite file in the temporary folder. When `JIUZHU_TEST_DATABASE_URL`
/// is a postgres:// URL, a new PostgreSQL database is created on that server for the test
/// and dropped afterwards, so the same tests run against both.
public enum TestDatabase {
    public static let environmentVariable = "JIUZHU_TEST_DATABASE_URL"

    public static var serverURL: String? {
        let v = ProcessInfo.processInfo.environment[environmentVariable]
        return (v?.isEmpty ?? true) ? nil : v
    }

    /// "sqlite" or "postgresql": which kind the suite is running against.
    public static var kind: String { serverURL == nil ? "sqlite" : "postgresql" }

    /// How many PostgreSQL test databases may be open at once. Swift Testing starts every test
    /// together; each runtime's pool may open 8 connections, so without a bound the suite exceeds
    /// the server's `max_connections` ("sorry, too many clients already").
    public static let postgresSlots = AsyncSemaphore(10)

    /// Makes a new empty database and returns its location, with a function that removes it.
    /// On PostgreSQL it waits for one of `postgresSlots`, which the cleanup gives back.
    public static func make() async throws -> (location: DatabaseLocation, cleanup: @Sendable () async -> Void) {
        let name = "jiuzhu_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        guard let server = serverURL else {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).sqlite").path
            return (.sqlite(path: path), {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            })
        }
        await postgresSlots.wait()
        do {
            try await onServer(server, "CREATE DATABASE \(name)")
        } catch {
            await postgresSlots.signal()
            throw error
        }
        var parts = URLComponents(string: server)!
        parts.path = "/" + name
        let once = Once()
        return (.postgres(url: parts.string!), {
            guard await once.first() else { return }
            try? await onServer(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            await postgresSlots.signal()
        })
    }

    /// Runs one statement on the server's own database; the runtime is shut down whatever happens.
    private static func onServer(_ server: String, _ statement: String) async throws {
        let admin = try StoreRuntime(location: .postgres(url: server))
        do {
            try await admin.sql.raw("\(unsafeRaw: statement)").run()
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
    }

    /// Runs `body` with a new, migrated database, then removes it.
    public static func withRuntime<T: Sendable>(migrate: Bool = true, _ body: (StoreRuntime) async throws -> T) async throws -> T {
        let (location, cleanup) = try await make()
        let runtime = try StoreRuntime(location: location)
        do {
            if migrate { try await runtime.prepareForUse() }
            let result = try await body(runtime)
            await runtime.shutdown()
            await cleanup()
            return result
        } catch {
            await runtime.shutdown()
            await cleanup()
            throw error
        }
    }
}

/// Small valid values for tests.
public enum Fixtures {
    /// A fixed "today" so ID-number and age checks never depend on the clock.
    public static let today = Day(year: 2025, month: 7, day: 15)!
    public static let now: Date = {
        var c = DateComponents()
        c.year = 2025; c.month = 7; c.day = 15; c.hour = 10
        c.timeZone = Day.chinaTimeZone
        return Calendar(identifier: .gregorian).date(from: c)!
    }()

    /// A valid ID number for a county, birth date and sequence (check character computed by the standard's rule,
    /// written out here independently of `IDNumber`).
    public static func idNumber(county: String = "530428", born: String, sequence: Int) -> String {
        let first17 = county + born + String(format: "%03d", sequence)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(first17, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        let check = Array("10X98765432")[sum % 11]
        return first17 + String(check)
    }

    public static func id(_ text: String) -> IDNumber {
        try! IDNumber(validating: text, today: today)
    }

    /// A two-person household in 元江县 因远镇 (530428103? — the township code is read from the bundled table).
    public static func record(_ householdID: String = "H1", township: String? = nil, headID: String? = nil,
                              spouseID: String? = nil) -> HouseholdRecord {
        let t = township ?? Divisions.bundled.townships(in: try! DivisionCode("530428")).first!.code.digits
        let head = Member(householdID: householdID, idNumber: id(headID ?? idNumber(born: "19600101", sequence: 11)),
                          name: "李建国", relation: .head, ableToWork: false, monthlyIncome: 30000)
        let spouse = Member(householdID: householdID, idNumber: id(spouseID ?? idNumber(born: "19620302", sequence: 22)),
                            name: "王秀英", relation: .spouse, disabilityGrade: 2, disabilityKind: .physical, ableToWork: false)
        return HouseholdRecord(household: Household(householdID: householdID, divisionCode: try! DivisionCode(t), hukouType: .rural,
                                                    deposits: 500000, houses: 1), members: [head, spouse])
    }
}

/// True the first time only.
actor Once {
    private var done = false
    func first() -> Bool { defer { done = true }; return !done }
}
