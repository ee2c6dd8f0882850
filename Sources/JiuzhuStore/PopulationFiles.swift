import Crypto
import FluentKit
import Foundation
import JiuzhuCore

/// Population CSV v1 files on disk: import into the registry, export from it, synthetic files.
public enum PopulationFiles {
    public static let householdsName = "households.csv"
    public static let membersName = "members.csv"

    /// Reads, checks and imports the two files: every row or none. Errors name file, line,
    /// column and rule. `progress(done, total)` reports rows written.
    public static func importFiles(households: URL, members: URL, on db: any Database, location: DatabaseLocation? = nil,
                                   actor: AuditActor, today: Day,
                                   progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> PopulationStore.Summary {
        let hData = try readFile(households)
        let mData = try readFile(members)
        let hName = households.lastPathComponent, mName = members.lastPathComponent
        let located: LocatedPopulation
        do {
            located = try PopulationCSV.readLocated(households: hData, members: mData, householdsFile: hName, membersFile: mName, today: today)
        } catch {
            throw error
        }
        let population = located.population
        let total = population.households.count + population.members.count
        let origin = PopulationStore.Origin(householdsFile: hName, membersFile: mName,
                                            householdLines: located.householdLines, memberLines: located.memberLines,
                                            digests: [hName: sha256(hData), mName: sha256(mData)])
        var onRows: (@Sendable (Int) -> Void)?
        if let progress { onRows = { done in progress(done, total) } }
        return try await PopulationStore.importPopulation(population.households, population.members, origin: origin,
                                                          on: db, location: location, actor: actor, progress: onRows)
    }

    /// Reads and checks the two files (no database involved).
    public static func read(households: URL, members: URL, today: Day) throws -> Population {
        let hData = try readFile(households), mData = try readFile(members)
        do {
            return try PopulationCSV.read(households: hData, members: mData, householdsFile: households.lastPathComponent,
                                          membersFile: members.lastPathComponent, today: today)
        } catch {
            throw error
        }
    }

    /// Writes the registry to `folder`/households.csv and members.csv.
    public static func exportFiles(to folder: URL, scope: Jurisdiction = .everywhere, on db: any Database,
                                   actor: AuditActor) async throws -> PopulationStore.Summary {
        let (households, members) = try await PopulationStore.exportPopulation(scope: scope, on: db, actor: actor)
        try write(Population(households: households, members: members), to: folder)
        return .init(households: households.count, members: members.count)
    }

    /// Generates a synthetic population and writes it to `folder`.
    public static func writeSynthetic(households n: Int, seed: UInt64, today: Day, to folder: URL) throws -> PopulationStore.Summary {
        let population = SyntheticPopulation(seed: seed, today: today).generate(households: n)
        try write(population, to: folder)
        return .init(households: population.households.count, members: population.members.count)
    }

    static func write(_ population: Population, to folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw FileProblem(path: folder.path, reason: "cannot create the folder")
        }
        let (h, m) = PopulationCSV.write(population)
        for (data, name) in [(h, householdsName), (m, membersName)] {
            let url = folder.appendingPathComponent(name)
            do { try data.write(to: url, options: .atomic) } catch { throw FileProblem(path: url.path, reason: "cannot write the file") }
        }
    }

    /// A file's bytes (memory-mapped), or a clear error naming it.
    public static func readFile(_ url: URL) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else { throw FileProblem(path: url.path, reason: "no such file") }
        do { return try Data(contentsOf: url, options: .alwaysMapped) } catch { throw FileProblem(path: url.path, reason: "cannot be read") }
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

/// A file that cannot be read or written.
public struct FileProblem: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}
