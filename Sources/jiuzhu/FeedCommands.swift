import ArgumentParser
import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuStore

/// `jiuzhu feed import|flags`: department data, and the flags it raises.
struct FeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed", abstract: "Import department data (docs/feeds/) and list the flags it raises.", subcommands: [Import.self, Flags.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a department's feed file: whole or not at all, once (the same file again is recognised); prints what it found.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The sending department, e.g. 人社, 公安, 银行, 残联 (docs/feeds/).") var department: String
        @Option(help: "The CSV file (UTF-8 or GBK/GB18030; the kind is read from its header).") var file: String
        @Option(help: "utf-8 or gbk (default: detected).") var encoding: String?
        @Option(name: .customLong("as-of"), help: "The day the data describes, YYYY-MM-DD (default: today).") var asOf: String?

        func validate() throws {
            if let encoding, FeedEncoding(named: encoding) == nil { throw ValidationError("--encoding: must be utf-8 or gbk") }
            if let asOf { do { _ = try Day(parsing: asOf) } catch { throw ValidationError("--as-of: \(error.description)") } }
        }

        func run() async throws {
            try await reporting {
                let data: Data
                do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch { throw CommandFailure("\(file): cannot be read") }
                let day = try asOf.map { try Day(parsing: $0) } ?? Day(Date())
                let summary = try await db.withRuntime { runtime in
                    try await Verification(db: runtime.db, actor: .commandLine())
                        .importFeed(data, department: department, asOf: day, fileName: URL(fileURLWithPath: file).lastPathComponent,
                                    encoding: encoding.flatMap(FeedEncoding.init(named:)))
                }
                let r = summary.record
                if summary.repeated {
                    print("\(file): already imported on \(Day(r.importedAt)) by \(r.importedBy) (\(r.kind), \(r.digest.prefix(12))…): nothing applied again")
                } else {
                    print("\(r.kind) from \(r.department) as of \(r.asOf) (\(r.encoding)): \(r.rows) rows, \(r.matched) matched to members, "
                          + "\(r.unknown) unknown people, \(r.flags) flags"
                          + (summary.flagsBySeverity.isEmpty ? "" : " (" + summary.flagsBySeverity.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"))
                }
            }
        }
    }

    struct Flags: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The open flags, one a line: household, severity, kind, message.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Only this household's.") var household: String?

        func run() async throws {
            try await reporting {
                let flags = try await db.withRuntime { runtime in try await FeedStore(db: runtime.db, actor: .commandLine()).flags(householdID: household) }
                for f in flags { print([f.householdID, f.severity, f.kind, f.message].joined(separator: "\t")) }
            }
        }
    }
}
