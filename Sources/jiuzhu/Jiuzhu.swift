import ArgumentParser
import Foundation
import JiuzhuCore
import JiuzhuStore

/// `jiuzhu`: the command line of the Jiuzhu social-assistance platform.
@main
struct Jiuzhu: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jiuzhu",
        abstract: "救助 Jiuzhu — the social-assistance platform of a county civil-affairs bureau.",
        subcommands: [Serve.self, Migrate.self, Import.self, Export.self, Synth.self, CheckID.self, Workdays.self, Explain.self, Assess.self, CircumstancesCommand.self, AuditCommand.self, UserCommand.self, FeedCommand.self, Verify.self, PayrollCommand.self, ReviewCommand.self, ReserveCommand.self, EmergencyCommand.self, FuneralCommand.self, HotlineCommand.self, MonitorCommand.self, Simulate.self, PriceSubsidy.self, OpenAPI.self]
    )
}

/// `--database`: an SQLite file path or a postgres:// URL; else JIUZHU_DATABASE_URL; else ./jiuzhu.sqlite.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite file or postgres://user:pass@host/db (default: $JIUZHU_DATABASE_URL, else ./jiuzhu.sqlite)")
    var database: String?

    func location() throws -> DatabaseLocation {
        do { return try DatabaseLocation.resolve(option: database) } catch { throw CommandFailure(error.description) }
    }

    /// Runs `body` with the database open (see ``open()``), and closes it afterwards whatever happens.
    func withRuntime<T>(_ body: (StoreRuntime) async throws -> T) async throws -> T {
        let runtime = try await open()
        do {
            let result = try await body(runtime)
            await runtime.shutdown()
            return result
        } catch {
            await runtime.shutdown()
            throw error
        }
    }

    /// Opens the database for a command: a new one is created and migrated; pending migrations stop the command.
    func open() async throws -> StoreRuntime {
        let runtime = try StoreRuntime(location: try location())
        do {
            try await runtime.prepareForUse()
        } catch {
            await runtime.shutdown()
            throw CommandFailure(describe(error))
        }
        return runtime
    }
}

/// A failure already worded for the user: printed without a stack trace, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Words for an error a command meets.
func describe(_ error: any Error) -> String {
    String(describing: error)
}

/// Runs a command body, turning any error into a message on stderr and exit status 1.
func reporting(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let e as ExitCode {
        throw e
    } catch {
        FileHandle.standardError.write(Data(("jiuzhu: " + describe(error) + "\n").utf8))
        throw ExitCode(1)
    }
}


