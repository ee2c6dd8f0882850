import ArgumentParser
import Foundation
import JiuzhuStore

/// `jiuzhu audit verify`: checks the audit trail's hash chain.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every audit record against its hash and the record before it; name the first that does not match (exit status 1).")
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await reporting {
                let v = try await db.withRuntime { runtime in try await AuditChain.verify(on: runtime.db) }
                if let broken = v.broken {
                    throw CommandFailure("audit trail broken at record \(broken.id): \(broken.reason); \(v.checked) records before it hold")
                }
                print("audit trail holds: \(v.checked) records" + (v.lastHash.map { ", last hash \($0)" } ?? ""))
            }
        }
    }
}
