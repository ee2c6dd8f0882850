import ArgumentParser
import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import JiuzhuWeb

/// `jiuzhu monitor …`: monitoring and early warning (seed 002's annex) — pushes, the warning chain,
/// classification, hand-found warnings, overdue steps and the reports.
struct MonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor", abstract: "Monitoring and early warning: department pushes become warnings that travel city → county → township → home visit, each step due in working days.",
        subcommands: [Push.self, List.self, Send.self, Dispatch.self, Visit.self, Classify.self, Revisit.self, Discover.self, Overdue.self, Escalate.self,
                      Report.self, Annual.self])

    static func day(_ text: String?, _ option: String) throws -> Day {
        guard let text else { return Day(Date()) }
        do { return try Day(parsing: text) } catch { throw CommandFailure("--\(option): must be YYYY-MM-DD, found '\(text)'") }
    }

    /// A report's sheet on standard output, a row a line, cells separated by tabs.
    static func printRows(_ rows: [[XLSX.Cell]]) {
        for row in rows {
            print(row.map { cell -> String in
                switch cell {
                case .text(let t): return t
                case .number(let n): return String(n)
                }
            }.joined(separator: "\t"))
        }
    }

    static func line(_ w: MonitoringWarning) -> String {
        let due = w.pending.map { "\($0.step) due \($0.due)" } ?? (w.outcome.map { "outcome \($0)" + (w.outcomeRef.map { " \($0)" } ?? "") } ?? "to classify")
        return [String(w.id), w.idNumber, w.householdID ?? "-", w.townshipCode ?? w.countyCode ?? "-", w.state.rawValue, due,
                w.groups.joined(separator: ","), w.reason].joined(separator: "\t")
    }

    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Receive a department's push (docs/feeds/: monitored_households, disability, medical_costs, serious_illness, unemployment, housing_assistance, chronic_illness, vocational_students, disaster_housing): whole or not at all, once.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The sending department, e.g. 医保, 残联, 农业农村, 人社.") var department: String
        @Option(help: "The CSV or .xlsx file.") var file: String
        @Option(help: "initial (the year's initial data: visit within a month) or monthly (new data: 10 working days).") var type: String = "monthly"
        @Option(name: .customLong("received-on"), help: "The day the city received it, YYYY-MM-DD (default: today).") var receivedOn: String?
        @Option(help: "utf-8 or gbk (default: detected).") var encoding: String?

        func run() async throws {
            try await reporting {
                guard let t = PushType(rawValue: type) else { throw CommandFailure("--type: must be initial or monthly, found '\(type)'") }
                let url = URL(fileURLWithPath: file)
                guard FileManager.default.isReadableFile(atPath: url.path) else { throw CommandFailure("\(file): cannot be read") }
                if let encoding, FeedEncoding(named: encoding) == nil { throw CommandFailure("--encoding: must be utf-8 or gbk") }
                let day = try MonitorCommand.day(receivedOn, "received-on")
                let (department, encoding) = (department, encoding)
                let s = try await db.withRuntime { rt in
                    try await Monitoring(db: rt.db, actor: .commandLine(), location: rt.location).push(from: .file(url), department: department, type: t, receivedOn: day,
                                                                                fileName: url.lastPathComponent, encoding: encoding.flatMap(FeedEncoding.init(named:)))
                }
                let p = s.push
                if s.repeated { print("\(file): already received (push \(p.id), \(p.kind), \(p.digest.prefix(12))…): nothing applied again"); return }
                print("push \(p.id): \(p.kind) from \(p.department), \(p.pushType), received \(p.receivedOn): \(p.rows) rows, \(p.signalled) signalled, "
                      + "\(p.warnings) warnings, \(p.alreadyOpen) already under warning, \(p.belowThreshold) below the thresholds, \(p.outside) another county's")
                for (g, n) in s.warningsByGroup.sorted(by: { $0.key < $1.key }) { print("  \(MonitoredGroup(rawValue: g)?.chineseName ?? g)\t\(n)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The warnings, one a line: id, ID number, household, township or county, state, the step due, groups, reason.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Only this state: received, at_county, at_township, visited, watch, closed.") var state: String?
        @Option(help: "Only this person's.") var person: String?

        func run() async throws {
            try await reporting {
                var filter = MonitoringStore.Filter(idNumber: person)
                if let state { guard let s = WarningState(rawValue: state) else { throw CommandFailure("--state: unknown state '\(state)'") }; filter.state = s }
                let f = filter
                let list = try await db.withRuntime { rt in try await MonitoringStore(db: rt.db, scope: .everywhere, actor: .commandLine()).warnings(f) }
                for w in list { print(MonitorCommand.line(w)) }
            }
        }
    }

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "send", abstract: "The city sends a warning to the county (due 3 working days after receipt).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The warning's id.") var id: Int64
        @Option(help: "The day, YYYY-MM-DD (default: today).") var on: String?
        @Option(help: "Another county of the jurisdiction to route it to (default: its own).") var county: String?

        func run() async throws {
            try await reporting {
                let (day, id, county) = (try MonitorCommand.day(on, "on"), id, county)
                let w = try await db.withRuntime { rt in try await Monitoring(db: rt.db, actor: .commandLine()).sendToCounty(id, on: day, county: county) }
                print(MonitorCommand.line(w))
            }
        }
    }

    struct Dispatch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The county dispatches a warning to a township (due 3 working days after it arrived).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The warning's id.") var id: Int64
        @Option(help: "The day, YYYY-MM-DD (default: today).") var on: String?
        @Option(help: "The township (default: the registered household's).") var township: String?

        func run() async throws {
            try await reporting {
                let (day, id, township) = (try MonitorCommand.day(on, "on"), id, township)
                let w = try await db.withRuntime { rt in try await Monitoring(db: rt.db, actor: .commandLine()).dispatch(id, on: day, township: township) }
                print(MonitorCommand.line(w))
            }
        }
    }

    /// What a home visit records, the first or a repeat one.
    struct VisitOptions: ParsableArguments {
        @Argument(help: "The warning's id.") var id: Int64
        @Option(help: "The day, YYYY-MM-DD (default: today).") var on: String?
        @Option(help: "Who visited.") var visitor: String
        @Option(help: "What the visit found.") var findings: String
    }

    struct Visit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The township records its home visit (入户调查核实).")
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var visit: VisitOptions

        func run() async throws {
            try await reporting {
                let (v, day) = (visit, try MonitorCommand.day(visit.on, "on"))
                let w = try await db.withRuntime { rt in try await Monitoring(db: rt.db, actor: .commandLine()).visit(v.id, on: day, visitor: v.visitor, findings: v.findings) }
                print(MonitorCommand.line(w))
            }
        }
    }

    struct Classify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Classify a visited warning: dibao or tekun (opens the application), temporary, referral (a specialised programme's department) or watch (the ledger).")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The warning's id.") var id: Int64
        @Option(help: "dibao, tekun, temporary, referral or watch.") var outcome: String
        @Option(help: "For referral: the programme (medical, education, housing, employment, …).") var programme: String?
        @Option(help: "For temporary: emergency or expenditure.") var kind: String?
        @Option(help: "For temporary: the cause.") var cause: String?
        @Option(help: "For temporary: the people in need.") var people: Int = 1
        @Option(name: .customLong("need-fen"), help: "For temporary: the need in fen.") var needFen: Int64 = 0
        @Option(name: .customLong("income-fen"), help: "For temporary 支出型: the monthly income per head in fen.") var incomeFen: Int64 = 0
        @Option(name: .customLong("as"), help: "The officer (a user) who opens the application.") var user: String?
        @Option(help: "The day, YYYY-MM-DD (default: today).") var on: String?

        func run() async throws {
            try await reporting {
                let outcome: WarningOutcome
                switch self.outcome {
                case "dibao", "tekun": outcome = .basicLiving(CaseProgramme(rawValue: self.outcome)!)
                case "watch": outcome = .watch
                case "referral":
                    guard let p = programme.flatMap(CaseProgramme.init(rawValue:)) else { throw CommandFailure("--programme: a specialised programme for the referral") }
                    outcome = .referral(p)
                case "temporary":
                    guard let k = kind.flatMap(TemporaryAssistanceRequest.Kind.init(rawValue:)) else { throw CommandFailure("--kind: emergency or expenditure") }
                    guard let cause else { throw CommandFailure("--cause: say the cause") }
                    outcome = .temporary(kind: k, cause: cause, people: people, needFen: needFen, perCapitaIncomeFen: incomeFen)
                default: throw CommandFailure("--outcome: dibao, tekun, temporary, referral or watch, found '\(self.outcome)'")
                }
                let (day, id, username) = (try MonitorCommand.day(on, "on"), id, user)
                let w = try await db.withRuntime { rt in
                    var account: UserAccount?
                    if let username {
                        account = try await Accounts(db: rt.db, hasher: BcryptHasher()).users(in: .everywhere).first { $0.username == username }
                        guard account != nil else { throw CommandFailure("--as: no user '\(username)'") }
                    }
                    return try await Monitoring(db: rt.db, actor: .commandLine(), user: account, address: "command line").classify(id, as: outcome, on: day)
                }
                print(MonitorCommand.line(w))
            }
        }
    }

    struct Revisit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A repeat visit of a person on the watch ledger; sets the next one.")
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var visit: VisitOptions

        func run() async throws {
            try await reporting {
                let (v, day) = (visit, try MonitorCommand.day(visit.on, "on"))
                let w = try await db.withRuntime { rt in try await Monitoring(db: rt.db, actor: .commandLine()).revisit(v.id, on: day, visitor: v.visitor, findings: v.findings) }
                print(MonitorCommand.line(w))
            }
        }
    }

    struct Discover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A person found by hand: village_visit or hardship_ledger (at a township), crowdfunding (at the county).")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "village_visit, hardship_ledger or crowdfunding.") var source: String
        @Option(name: .customLong("id-number"), help: "The person's ID number.") var idNumber: String
        @Option(help: "The person's name.") var name: String
        @Option(help: "The township (or the county, for crowdfunding).") var division: String
        @Option(help: "What was found.") var description: String
        @Option(help: "The day, YYYY-MM-DD (default: today).") var on: String?

        func run() async throws {
            try await reporting {
                guard let s = DiscoverySource(rawValue: source) else { throw CommandFailure("--source: village_visit, hardship_ledger or crowdfunding, found '\(source)'") }
                let (day, idNumber, name, division, description) = (try MonitorCommand.day(on, "on"), idNumber, name, division, description)
                let w = try await db.withRuntime { rt in
                    try await Monitoring(db: rt.db, actor: .commandLine()).discover(s, idNumber: idNumber, name: name, division: division, description: description, on: day)
                }
                print(MonitorCommand.line(w))
            }
        }
    }

    struct Overdue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The warnings whose step is past due: id, step, due day, who it is escalated to.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The day, YYYY-MM-DD (default: today).") var on: String?

        func run() async throws {
            try await reporting {
                let day = try MonitorCommand.day(on, "on")
                let list = try await db.withRuntime { rt in try await Monitoring(db: rt.db, actor: .commandLine()).overdue(on: day) }
                for o in list { print([String(o.warning.id), o.step, "due \(o.due)", o.warning.escalatedTo ?? "", o.warning.idNumber].joined(separator: "\t")) }
            }
        }
    }

    struct Escalate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Escalate every overdue step to the level above, once a step (and the county's overdue hotline tickets with --county).")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The day, YYYY-MM-DD (default: today).") var on: String?
        @Option(help: "Also the hotline tickets of this county.") var county: String?

        func run() async throws {
            try await reporting {
                let (day, county) = (try MonitorCommand.day(on, "on"), county)
                let (warnings, tickets) = try await db.withRuntime { rt in
                    let w = try await Monitoring(db: rt.db, actor: .commandLine()).escalate(on: day)
                    var t: [HotlineTicket] = []
                    if let county { t = try await Hotline(db: rt.db, actor: .commandLine()).escalate(county: county, on: day) }
                    return (w, t)
                }
                for e in warnings { print(["warning \(e.warningID)", e.step, "due \(e.dueOn)", "escalated to \(e.escalatedTo)"].joined(separator: "\t")) }
                for t in tickets { print(["ticket \(t.number)", t.kind.rawValue, "due \(t.dueOn)", "escalated to the county"].joined(separator: "\t")) }
                print("\(warnings.count) warnings and \(tickets.count) tickets escalated on \(day)")
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The month's monitoring report (pushes, warnings, steps on time, townships, outcomes, watch ledger, escalations, hotline).")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The month, YYYY-MM.") var month: String
        @Option(help: "The county, for its hotline figures.") var county: String?
        @Option(help: "Also write the report as an .xlsx file.") var xlsx: String?
        @Flag(help: "Print the report as JSON.") var json = false

        func run() async throws {
            try await reporting {
                let m: Month
                do { m = try Month(parsing: month) } catch { throw CommandFailure("--month: must be YYYY-MM") }
                let county = county
                let r = try await db.withRuntime { rt in try await Monitoring(db: rt.db, actor: .commandLine()).report(month: m, county: county) }
                if let xlsx { try r.workbook.data.write(to: URL(fileURLWithPath: xlsx), options: .atomic) }
                if json { try printJSON(r); return }
                MonitorCommand.printRows(r.rows)
            }
        }
    }

    struct Annual: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The annual work report of a year (due to the city by 15 January): month by month and in total.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The year.") var year: Int
        @Option(help: "The county, for its hotline figures.") var county: String?
        @Option(help: "Also write the report as an .xlsx file.") var xlsx: String?
        @Flag(help: "Print the report as JSON.") var json = false

        func run() async throws {
            try await reporting {
                guard (2000...2100).contains(year) else { throw CommandFailure("--year: a year from 2000 to 2100") }
                let (year, county) = (year, county)
                let r = try await db.withRuntime { rt in try await Monitoring(db: rt.db, actor: .commandLine()).annualReport(year: year, county: county) }
                if let xlsx { try r.workbook.data.write(to: URL(fileURLWithPath: xlsx), options: .atomic) }
                if json { try printJSON(r); return }
                MonitorCommand.printRows(r.rows)
            }
        }
    }
}
