import ArgumentParser
import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuStore

/// `jiuzhu hotline receive|close|list|report`: the 12349 social-assistance hotline.
struct HotlineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hotline", abstract: "The 12349 hotline: tickets received and routed with a due day in working days, closed, overdue, the month's on-time rate.",
        subcommands: [Receive.self, Close.self, List.self, Report.self])

    struct Receive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Receive a call as a ticket; prints its number and due day.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The county code (6 digits).") var county: String
        @Option(help: "enquiry, help, complaint or fraud.") var kind: String
        @Option(help: "The caller (匿名 when anonymous).") var caller: String
        @Option(help: "The caller's phone.") var phone: String = ""
        @Option(help: "The household concerned (required for fraud).") var household: String?
        @Option(help: "What the call is about.") var description: String
        @Option(name: .customLong("routed-to"), help: "A township code of the county, or a department's name.") var routedTo: String
        @Option(help: "The day received, YYYY-MM-DD (default: today).") var on: String?

        func run() async throws {
            try await reporting {
                guard let k = HotlineTicket.Kind(rawValue: kind) else { throw CommandFailure("--kind: must be enquiry, help, complaint or fraud, found '\(kind)'") }
                let day: Day
                do { day = try on.map { try Day(parsing: $0) } ?? Day(Date()) } catch { throw CommandFailure("--on: must be YYYY-MM-DD") }
                let (county, caller, phone, household, description, routedTo) = (county, caller, phone, household, description, routedTo)
                let t = try await db.withRuntime { runtime in
                    try await Hotline(db: runtime.db, actor: .commandLine()).receive(county: county, kind: k, caller: caller, phone: phone, householdID: household,
                                                                                    description: description, routedTo: routedTo, on: day)
                }
                print("\(t.number): \(t.kind.chineseName), routed to \(t.routedTo), due \(t.dueOn)\(t.provisional ? " (provisional: beyond the calendar)" : "")")
            }
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a ticket with its resolution.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The county code (6 digits).") var county: String
        @Option(help: "The ticket's number.") var number: String
        @Option(help: "How it was answered or resolved.") var resolution: String
        @Option(help: "The day closed, YYYY-MM-DD (default: today).") var on: String?

        func run() async throws {
            try await reporting {
                let day: Day
                do { day = try on.map { try Day(parsing: $0) } ?? Day(Date()) } catch { throw CommandFailure("--on: must be YYYY-MM-DD") }
                let (county, number, resolution) = (county, number, resolution)
                let t = try await db.withRuntime { runtime in
                    try await Hotline(db: runtime.db, actor: .commandLine()).close(county: county, number: number, on: day, resolution: resolution)
                }
                print("\(t.number): closed \(t.closedOn!)\(t.closedOnTime ? " on time" : " late (due \(t.dueOn))")")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The county's tickets by due day; with --overdue, the open ones past due (escalated to the county).")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The county code (6 digits).") var county: String
        @Flag(help: "Only open tickets past their due day (today).") var overdue = false

        func run() async throws {
            try await reporting {
                let (county, overdue) = (county, overdue)
                let list = try await db.withRuntime { runtime in
                    overdue ? try await Hotline(db: runtime.db, actor: .commandLine()).overdue(county: county, on: Day(Date()))
                        : try await HotlineStore(db: runtime.db, actor: .commandLine()).tickets(county: county)
                }
                for t in list {
                    print([t.number, t.kind.chineseName, t.routedTo, "due \(t.dueOn)", t.state.rawValue, t.closedOn.map { "closed \($0)" } ?? "", t.description]
                        .joined(separator: "\t"))
                }
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The month's tickets due, closed on time or late, still open, and the on-time rate.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The county code (6 digits).") var county: String
        @Option(help: "The month, YYYY-MM.") var month: String

        func run() async throws {
            try await reporting {
                let m: Month
                do { m = try Month(parsing: month) } catch { throw CommandFailure("--month: must be YYYY-MM") }
                let county = county
                let r = try await db.withRuntime { runtime in try await Hotline(db: runtime.db, actor: .commandLine()).report(county: county, month: m) }
                print("\(county) \(m): \(r.due) due, \(r.closedOnTime) closed on time, \(r.closedLate) late, \(r.open) open past due, \(r.notYetDue) not yet due; on-time rate \(r.onTimeRate ?? "—")")
            }
        }
    }
}
