import ArgumentParser
import Foundation
import JiuzhuCore
import JiuzhuStore

/// `jiuzhu import population --households F --members F`
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import data files.", subcommands: [ImportPopulation.self, ImportRecipients.self])
}

struct ImportPopulation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "population",
        abstract: "Import households and members (Population CSV v1): every row or none.")

    @OptionGroup var db: DatabaseOptions
    @Option(help: "households.csv") var households: String
    @Option(help: "members.csv") var members: String

    func run() async throws {
        try await reporting {
            try await db.withRuntime { runtime in
                let bar = ProgressBar(label: "导入 import")
                let summary = try await PopulationFiles.importFiles(
                    households: URL(fileURLWithPath: households), members: URL(fileURLWithPath: members),
                    on: runtime.db, location: runtime.location, actor: .commandLine(), today: JiuzhuCLI.today(),
                    progress: { done, total in bar.update(done, of: total) })
                bar.finish()
                print("imported \(summary.households) households and \(summary.members) members into \(runtime.location.redacted)")
            }
        }
    }
}

/// `jiuzhu export population --out DIR`
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export data files.", subcommands: [ExportPopulation.self])
}

struct ExportPopulation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "population", abstract: "Write the registry as Population CSV v1 (households.csv, members.csv).")

    @OptionGroup var db: DatabaseOptions
    @Option(help: "Folder to write households.csv and members.csv into (created if missing).") var out: String

    func run() async throws {
        try await reporting {
            try await db.withRuntime { runtime in
                let summary = try await PopulationFiles.exportFiles(to: URL(fileURLWithPath: out), on: runtime.db, actor: .commandLine())
                print("exported \(summary.households) households and \(summary.members) members to \(out)")
            }
        }
    }
}

/// `jiuzhu synth --households N --seed S --out DIR`
struct Synth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic population (Population CSV v1), deterministic per seed.")

    @Option(help: "Number of households.") var households: Int
    @Option(help: "Seed: the same seed gives the same files.") var seed: UInt64 = 1
    @Option(help: "Folder to write households.csv and members.csv into (created if missing).") var out: String
    @Option(help: "Day the population is generated for (YYYY-MM-DD); ages and ID numbers are consistent with it. Default: today.")
    var today: String?

    func validate() throws {
        guard households >= 1 && households <= 100_000_000 else { throw ValidationError("--households must be 1–100000000") }
        if let today { do { _ = try Day(parsing: today) } catch { throw ValidationError("--today: \(error.description)") } }
    }

    func run() async throws {
        try await reporting {
            let day = try today.map { try Day(parsing: $0) } ?? JiuzhuCLI.today()
            let n = try PopulationFiles.writeSynthetic(households: households, seed: seed, today: day, to: URL(fileURLWithPath: out))
            print("wrote \(n.households) households and \(n.members) members to \(out)")
        }
    }
}

enum JiuzhuCLI {
    static func today() -> Day { Day(Date()) }
}

/// A progress bar on stderr, shown only when stderr is a terminal.
final class ProgressBar: @unchecked Sendable {
    let label: String
    let enabled = isatty(2) == 1
    private var lastPercent = -1
    private let lock = NSLock()

    init(label: String) { self.label = label }

    func update(_ done: Int, of total: Int) {
        guard enabled, total > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        let percent = done * 100 / total
        guard percent != lastPercent else { return }
        lastPercent = percent
        let width = 30, filled = percent * width / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(percent)% \(done)/\(total) rows".utf8))
    }

    func finish() {
        guard enabled, lastPercent >= 0 else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
