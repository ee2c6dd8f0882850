import ArgumentParser
import Foundation
import JiuzhuCore
import JiuzhuStore

/// `jiuzhu circumstances set|show`: a household's circumstances beyond Population CSV v1, dated by month.
struct CircumstancesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "circumstances",
        abstract: "Record or show a household's circumstances (income by kind, residence, schooling, supporters, self-care, history).",
        subcommands: [Set.self, Show.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the circumstances in a JSON file (docs/POLICY.md) as holding from a month on.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The household's ID in the registry.") var household: String
        @Option(help: "The first month they hold, YYYY-MM.") var from: String
        @Option(help: "The JSON file.") var file: String

        func validate() throws {
            do { _ = try Month(parsing: from) } catch { throw ValidationError("--from: \(error.description)") }
        }

        func run() async throws {
            try await reporting {
                let month = try Month(parsing: from)
                let data: Data
                do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch { throw CommandFailure("\(file): cannot be read") }
                let circumstances: Circumstances
                do { circumstances = try JSONDecoder().decode(Circumstances.self, from: data) } catch let e as DecodingError {
                    throw CommandFailure("\(file): " + (FieldProblem(decoding: e)?.description ?? "is not valid JSON"))
                }
                let version = try await db.withRuntime { runtime in
                    try await Registry(db: runtime.db, actor: .commandLine()).setCircumstances(household, from: month, circumstances)
                }
                print("household \(household): circumstances recorded from \(version.effectiveFrom)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every recorded version as JSON, oldest first.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The household's ID in the registry.") var household: String

        func run() async throws {
            try await reporting {
                let history = try await db.withRuntime { runtime in
                    try await Registry(db: runtime.db, actor: .commandLine()).circumstancesHistory(household)
                }
                try printJSON(history)
            }
        }
    }
}
