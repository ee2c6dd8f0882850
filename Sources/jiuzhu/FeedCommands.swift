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
                let url = URL(fileURLWithPath: file)
                guard FileManager.default.isReadableFile(atPath: url.path) else { throw CommandFailure("\(file): cannot be read") }
                let day = try asOf.map { try Day(parsing: $0) } ?? Day(Date())
                let summary = try await db.withRuntime { runtime in
                    try await Verification(db: runtime.db, actor: .commandLine())
                        .importFeed(from: .file(url), department: department, asOf: day, fileName: URL(fileURLWithPath: file).lastPathComponent,
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

/// `jiuzhu verify --month YYYY-MM`: the month's verification of every household, and the worklist.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify every household for a month: each evaluated under its pack, those with open flags again with the department data taken as true; prints a summary by township and by kind of data, then the worklist. Changes nothing.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The month, YYYY-MM.") var month: String
    @Flag(help: "Print the whole report as JSON.") var json = false

    func validate() throws {
        do { _ = try Month(parsing: month) } catch { throw ValidationError("--month: \(error.description)") }
    }

    func run() async throws {
        try await reporting {
            let m = try Month(parsing: month)
            let report = try await db.withRuntime { runtime in try await Verification(db: runtime.db, actor: .commandLine()).monthly(month: m) }
            if json { try printJSON(report); return }
            let outcomes = ReevaluationItem.outcomes
            print((["township", "households", "recipients", "recipients_flagged"] + outcomes).joined(separator: "\t"))
            for t in report.townships {
                print(([t.name, String(t.households), String(t.recipients), String(t.recipientsFlagged)] + outcomes.map { String(t.outcomes[$0] ?? 0) })
                    .joined(separator: "\t"))
            }
            if !report.kinds.isEmpty {
                print("")
                print(["data", "from", "imports", "as_of_this_month", "rows", "matched", "unknown", "open_flags"].joined(separator: "\t"))
                for k in report.kinds {
                    let from = FeedKind(rawValue: k.kind)?.departments.joined(separator: "/") ?? ""
                    let open = k.openFlags.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                    print([k.kind, from, String(k.imports), String(k.importsThisMonth), String(k.rows), String(k.matched), String(k.unknown), open.isEmpty ? "0" : open]
                        .joined(separator: "\t"))
                }
            }
            print("")
            for i in report.worklist {
                print([i.outcome, i.householdID, "\(i.nowProgramme) \(Money(fen: i.nowBenefitFen))", "→ \(i.withFeedsProgramme) \(Money(fen: i.withFeedsBenefitFen))",
                       i.flags.joined(separator: "；")].joined(separator: "\t"))
            }
        }
    }
}
