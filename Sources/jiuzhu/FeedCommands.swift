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

/// `jiuzhu verify --month YYYY-MM`: the re-evaluation worklist of the flagged households.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-evaluate every household with open flags for a month, as registered and with the department data taken as true; prints a summary by township, then the worklist. Changes nothing.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The month, YYYY-MM.") var month: String
    @Flag(help: "Print the worklist as JSON.") var json = false

    func validate() throws {
        do { _ = try Month(parsing: month) } catch { throw ValidationError("--month: \(error.description)") }
    }

    func run() async throws {
        try await reporting {
            let m = try Month(parsing: month)
            let list = try await db.withRuntime { runtime in try await Verification(db: runtime.db, actor: .commandLine()).worklist(month: m) }
            if json { try printJSON(list); return }
            let outcomes = ["likely_ineligible", "benefit_down", "newly_eligible", "benefit_up", "unchanged"]
            print((["township"] + outcomes).joined(separator: "\t"))
            for (township, items) in Dictionary(grouping: list, by: { String($0.divisionCode.prefix(9)) }).sorted(by: { $0.key < $1.key }) {
                let name = (try? DivisionCode(township)).flatMap { Divisions.bundled[$0]?.name } ?? township
                print(([name] + outcomes.map { o in String(items.filter { $0.outcome == o }.count) }).joined(separator: "\t"))
            }
            // By department: the flags of each kind of data, per township.
            let kinds = FeedKind.allCases.map(\.rawValue).filter { k in list.contains { $0.kinds.contains(k) } }
            if !kinds.isEmpty {
                print("")
                print((["township"] + kinds.map { k in FeedKind(rawValue: k)!.departments.joined(separator: "/") + ":" + k }).joined(separator: "\t"))
                for (township, items) in Dictionary(grouping: list, by: { String($0.divisionCode.prefix(9)) }).sorted(by: { $0.key < $1.key }) {
                    let name = (try? DivisionCode(township)).flatMap { Divisions.bundled[$0]?.name } ?? township
                    print(([name] + kinds.map { k in String(items.reduce(0) { $0 + $1.kinds.filter { $0 == k }.count }) }).joined(separator: "\t"))
                }
            }
            print("")
            for i in list {
                print([i.outcome, i.householdID, "\(i.nowProgramme) \(Money(fen: i.nowBenefitFen))", "→ \(i.withFeedsProgramme) \(Money(fen: i.withFeedsBenefitFen))",
                       i.flags.joined(separator: "；")].joined(separator: "\t"))
            }
        }
    }
}
