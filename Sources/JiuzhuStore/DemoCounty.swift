import FluentKit
import Foundation
import JiuzhuCore

/// The demo county a new server starts with: a synthetic population of about 2,000
/// households in the real townships of 元江哈尼族彝族傣族自治县 (530428).
public enum DemoCounty {
    public static let county = try! DivisionCode("530428")
    public static let households = 2_000
    public static let seed: UInt64 = 530_428

    /// The division table cut down to 元江县 and its parents, so the generator places
    /// every household in one of its townships.
    static var divisions: Divisions {
        let all = Divisions.bundled
        return Divisions(all.all.filter { county.contains($0.code) || $0.code.contains(county) })
    }

    /// The demo's password for every demo user (a demo database only: never use one in service).
    public static let password = "jiuzhu-demo"

    /// The demo's users: an administrator, a county officer and an auditor for the county, and a
    /// township officer for its first township.
    public static var users: [UserAccount] {
        let township = divisions.townships(in: county).first!.code
        return [
            UserAccount(username: "admin", role: .countyAdmin, division: county),
            UserAccount(username: "county", role: .countyOfficer, division: county),
            UserAccount(username: "township", role: .townshipOfficer, division: township),
            UserAccount(username: "auditor", role: .auditor, division: county),
        ]
    }

    /// Generates and imports the demo population, in one transaction.
    public static func load(on db: any Database, now: Date = Date()) async throws -> PopulationStore.Summary {
        let population = SyntheticPopulation(seed: seed, divisions: divisions, today: Day(now)).generate(households: households)
        return try await PopulationStore.importPopulation(population.households, population.members,
                                                          origin: .init(householdsFile: "demo:households", membersFile: "demo:members"),
                                                          on: db, actor: .system, now: now)
    }
}
