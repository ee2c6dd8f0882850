import ArgumentParser
import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore

/// `jiuzhu import recipients --file F [--from YYYY-MM]`: the county's current caseload.
struct ImportRecipients: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recipients",
        abstract: "Migrate the households a county already pays (recipients.csv): all lines or none, each checked against the registry and re-evaluated under its pack; differences are reported, the imported amounts stand.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "recipients.csv (../shared/spec/recipients-csv.md).") var file: String
    @Option(name: .customLong("from"), help: "The first month Jiuzhu pays, YYYY-MM (default: this month).") var from: String?

    func validate() throws {
        if let from { do { _ = try Month(parsing: from) } catch { throw ValidationError("--from: \(error.description)") } }
    }

    func run() async throws {
        try await reporting {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch { throw CommandFailure("\(file): cannot be read") }
            let month = try from.map { try Month(parsing: $0) } ?? Day(Date()).monthOfYear
            let s = try await db.withRuntime { runtime in
                try await Payroll(db: runtime.db, actor: .commandLine()).importRecipients(data, fileName: URL(fileURLWithPath: file).lastPathComponent, owedFrom: month)
            }
            if s.repeated { print("\(file): already imported (\(s.lines) lines, paid from \(s.owedFrom)): nothing applied again"); return }
            print("imported \(s.lines) entitlements, paid by Jiuzhu from \(s.owedFrom); \(s.differences.count) differ from the rules of their pack"
                  + (s.notEvaluated > 0 ? ", \(s.notEvaluated) outside basic living not re-evaluated" : ""))
            for d in s.differences {
                print("line \(d.line)\t\(d.householdID)\timported \(d.programme) \(Money(fen: d.importedFen))\trules \(d.rulesProgramme) \(Money(fen: d.rulesFen))")
            }
        }
    }
}

/// `jiuzhu payroll generate|confirm|show|export|answer`: the month's payment roll (发放名册).
struct PayrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payroll", abstract: "The month's payment roll: generate, confirm, show, export the bank file, record the bank's answer.",
        subcommands: [Generate.self, Confirm.self, Show.self, ExportFile.self, Answer.self, Account.self, PriceIndex.self])

    struct RollOptions: ParsableArguments {
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The county code (6 digits).") var county: String
        @Option(help: "The month, YYYY-MM.") var month: String

        func validate() throws {
            do { _ = try Month(parsing: month) } catch { throw ValidationError("--month: \(error.description)") }
        }

        func payroll<T: Sendable>(_ body: @escaping @Sendable (Payroll, Month) async throws -> T) async throws -> T {
            let m = try Month(parsing: month)
            return try await db.withRuntime { runtime in try await body(Payroll(db: runtime.db, actor: .commandLine()), m) }
        }
    }

    static func printTotals(_ t: RollTotals) {
        let programmes = t.byProgramme.keys.sorted { (PaymentProgramme(rawValue: $0) ?? .orphan) < (PaymentProgramme(rawValue: $1) ?? .orphan) }
        print((["township", "lines"] + programmes + ["total"]).joined(separator: "\t"))
        for r in t.rows {
            print(([r.name, String(r.lines)] + programmes.map { Money(fen: r.byProgramme[$0] ?? 0).description } + [Money(fen: r.totalFen).description])
                .joined(separator: "\t"))
        }
        print((["total", String(t.lines)] + programmes.map { Money(fen: t.byProgramme[$0] ?? 0).description } + [Money(fen: t.totalFen).description])
            .joined(separator: "\t"))
    }

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate the county's roll for a month from its entitlements (a draft is generated again freely; a confirmed roll is kept).")
        @OptionGroup var roll: RollOptions

        func run() async throws {
            try await reporting {
                let county = roll.county
                let (run, result, totals) = try await roll.payroll { p, m in
                    let (run, result) = try await p.generate(county: county, month: m)
                    return (run, result, try await p.roll(county: county, month: m).totals)
                }
                print("roll \(run.month) for \(run.countyCode): \(run.lines) lines, \(Money(fen: run.totalFen)) (\(run.status.rawValue))")
                PayrollCommand.printTotals(totals)
                for h in result.held { print("held: \(h.householdID) \(h.programme.rawValue) \(Money(fen: h.owedFen)) — no bank account recorded") }
                for o in result.overpaid {
                    print("overpaid: \(o.householdID) \(o.programme.rawValue) \(o.month): paid \(Money(fen: o.paidFen)), owed \(Money(fen: o.owedFen)) — recovery is an officer's decision")
                }
            }
        }
    }

    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Confirm the roll: from now on it is not generated again.")
        @OptionGroup var roll: RollOptions

        func run() async throws {
            try await reporting {
                let county = roll.county
                let run = try await roll.payroll { p, m in try await p.confirm(county: county, month: m) }
                print("roll \(run.month) for \(run.countyCode): \(run.status.rawValue), \(run.lines) lines, \(Money(fen: run.totalFen))")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The roll's totals by township and programme, then (with --lines) every line.")
        @OptionGroup var roll: RollOptions
        @Flag(help: "Print every line.") var lines = false

        func run() async throws {
            try await reporting {
                let county = roll.county
                let r = try await roll.payroll { p, m in try await p.roll(county: county, month: m) }
                print("roll \(r.run.month) for \(r.run.countyCode): \(r.run.status.rawValue)")
                PayrollCommand.printTotals(r.totals)
                if lines {
                    for l in r.lines {
                        print([l.township, l.householdID, l.programme.rawValue, l.forMonth.description, l.kind.rawValue, l.payee, l.bankAccount,
                               Money(fen: l.amountFen).description, l.status.rawValue, l.note].joined(separator: "\t"))
                    }
                }
            }
        }
    }

    struct ExportFile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write the bank file of a confirmed roll: payroll-COUNTY-MONTH.csv and .xlsx (the same roll, the same bytes).")
        @OptionGroup var roll: RollOptions
        @Option(help: "The folder to write into.") var out: String
        @Option(help: "The county's column layout, comma-separated (default: \(PaymentFileLayout.standard.columns.joined(separator: ","))).") var columns: String?

        func run() async throws {
            try await reporting {
                let layout = try columns.map { try PaymentFileLayout(parsing: $0) } ?? .standard
                let (county, dir) = (roll.county, URL(fileURLWithPath: out))
                let files = try await roll.payroll { p, m in try await p.export(county: county, month: m, to: dir, layout: layout) }
                for f in files { print(f.path) }
            }
        }
    }

    struct Answer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the bank's answer to an exported roll: the returned payments (a CSV: household_id,payee_id_number,bank_account,programme,month,amount_fen,reason), all others paid. Returned payments are paid again by the next roll.")
        @OptionGroup var roll: RollOptions
        @Option(help: "The returned payments (none: every payment was made).") var returned: String?

        func run() async throws {
            try await reporting {
                var data: Data?
                if let returned {
                    do { data = try Data(contentsOf: URL(fileURLWithPath: returned)) } catch { throw CommandFailure("\(returned): cannot be read") }
                }
                let (county, file, name) = (roll.county, data, returned.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "")
                let r = try await roll.payroll { p, m in try await p.recordBankAnswer(county: county, month: m, returned: file, fileName: name) }
                print("recorded: \(r.paid) paid, \(r.returned) returned")
            }
        }
    }

    struct PriceIndex: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "price-index",
            abstract: "Record a month's CPI and food-CPI year-on-year rises for a county: the next month's roll adds the price subsidy (物价联动) when they trigger it.")
        @OptionGroup var roll: RollOptions
        @Option(help: "CPI year-on-year rise, e.g. 3.6% (a fall: 0%).") var cpi: String
        @Option(name: .customLong("food-cpi"), help: "Food CPI year-on-year rise, e.g. 6.5%.") var foodCPI: String

        func run() async throws {
            try await reporting {
                let c: Rate, f: Rate
                do { c = try Rate(parsing: cpi) } catch { throw CommandFailure("--cpi: \(error)") }
                do { f = try Rate(parsing: foodCPI) } catch { throw CommandFailure("--food-cpi: \(error)") }
                let county = roll.county
                try await roll.payroll { p, m in try await p.recordPriceIndices(county: county, month: m, cpi: c, foodCpi: f) }
                print("recorded for \(county), \(roll.month): CPI \(c.percent), food CPI \(f.percent); the roll of the next month applies them")
            }
        }
    }

    struct Account: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record the account a household's entitlement is paid into (a new card after a closed account).")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The county code (6 digits).") var county: String
        @Option(help: "The household.") var household: String
        @Option(help: "The programme: \(PaymentProgramme.allCases.map(\.rawValue).joined(separator: ", ")).") var programme: String
        @Option(help: "10 to 30 digits.") var account: String

        func run() async throws {
            try await reporting {
                guard let p = PaymentProgramme(rawValue: programme) else { throw CommandFailure("--programme: unknown programme '\(programme)'") }
                let (county, household, account) = (county, household, account)
                let n = try await db.withRuntime { runtime in
                    try await PaymentStore(db: runtime.db, actor: .commandLine()).setAccount(county: county, householdID: household, programme: p, account: account)
                }
                print("account recorded for \(n) entitlement\(n == 1 ? "" : "s") of \(household)")
            }
        }
    }
}

/// `jiuzhu review due|record`: reviews on schedule (动态管理) and their outcomes.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Reviews of entitlements: those due, and an outcome with its notice.", subcommands: [Due.self, Record.self, Unreported.self])

    struct Unreported: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A change the household did not report: the amount from the change on (0: no longer eligible), the overpayment reckoned from the rolls, criticism beyond the pack's months, recovery and a fine range for fraud; prints the notice.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The county code (6 digits).") var county: String
        @Option(help: "The household.") var household: String
        @Option(help: "The programme.") var programme: String
        @Option(name: .customLong("changed-in"), help: "The month the change happened, YYYY-MM.") var changedIn: String
        @Option(help: "The monthly amount owed since the change, fen (0: no longer eligible).") var amount: Int64
        @Flag(help: "The household hid or falsified it (虚报、隐瞒、伪造).") var fraud = false
        @Option(help: "The day it was found, YYYY-MM-DD (default: today).") var on: String?

        func run() async throws {
            try await reporting {
                guard let p = PaymentProgramme(rawValue: programme) else { throw CommandFailure("--programme: unknown programme '\(programme)'") }
                let m: Month, day: Day
                do { m = try Month(parsing: changedIn) } catch { throw CommandFailure("--changed-in: must be YYYY-MM") }
                do { day = try on.map { try Day(parsing: $0) } ?? Day(Date()) } catch { throw CommandFailure("--on: must be YYYY-MM-DD") }
                let (county, household, amount, fraud) = (county, household, amount, fraud)
                let r = try await db.withRuntime { runtime in
                    try await Payroll(db: runtime.db, actor: .commandLine()).recordUnreportedChange(county: county, householdID: household, programme: p, changedIn: m,
                                                                                                   correctAmountFen: amount, fraud: fraud, on: day)
                }
                print("\(household) \(p.rawValue): unreported for \(r.monthsUnreported) months\(r.criticised ? " (criticised)" : ""), overpaid \(Money(fen: r.overpaidFen))"
                      + (r.fineFromFen.map { ", fine \(Money(fen: $0))–\(Money(fen: r.fineToFen ?? $0))" } ?? ""))
                print(r.review.notice)
            }
        }
    }

    struct Due: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The reviews due in a county by a day (default today): on schedule, or after a member's death.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The county code (6 digits).") var county: String
        @Option(help: "YYYY-MM-DD (default: today).") var by: String?

        func validate() throws {
            if let by { do { _ = try Day(parsing: by) } catch { throw ValidationError("--by: \(error.description)") } }
        }

        func run() async throws {
            try await reporting {
                let day = try by.map { try Day(parsing: $0) } ?? Day(Date())
                let county = county
                let (tasks, prompts) = try await db.withRuntime { runtime in
                    let p = Payroll(db: runtime.db, actor: .commandLine())
                    return (try await p.reviewsDue(county: county, by: day), try await p.basicLivingPrompts(county: county, by: day))
                }
                for t in tasks {
                    print([t.due.description, t.overdue ? "overdue" : "due", t.householdID, t.programme.rawValue, t.reason].joined(separator: "\t"))
                }
                for p in prompts { print([p.due.description, "assess", p.householdID, "case \(p.caseNumber)", p.reason].joined(separator: "\t")) }
                if tasks.isEmpty && prompts.isEmpty { print("no reviews due by \(day)") }
            }
        }
    }

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a review's outcome: continue, change (--amount), gradual_exit (低保, work income), stop; prints the notice for the household.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The county code (6 digits).") var county: String
        @Option(help: "The household.") var household: String
        @Option(help: "The programme: \(PaymentProgramme.allCases.map(\.rawValue).joined(separator: ", ")).") var programme: String
        @Option(help: "continue, change, gradual_exit or stop.") var outcome: String
        @Option(help: "The new monthly amount in fen (change).") var amount: Int64?
        @Option(help: "Why (required for change and stop; the notice states it).") var reason: String = ""
        @Option(help: "The day of the review, YYYY-MM-DD (default: today).") var on: String?

        func run() async throws {
            try await reporting {
                guard let p = PaymentProgramme(rawValue: programme) else { throw CommandFailure("--programme: unknown programme '\(programme)'") }
                guard let o = ReviewOutcome(rawValue: outcome) else {
                    throw CommandFailure("--outcome: must be one of \(ReviewOutcome.allCases.map(\.rawValue).joined(separator: ", ")), found '\(outcome)'")
                }
                let day: Day
                do { day = try on.map { try Day(parsing: $0) } ?? Day(Date()) } catch { throw CommandFailure("--on: must be YYYY-MM-DD") }
                let (county, household, amount, reason) = (county, household, amount, reason)
                let r = try await db.withRuntime { runtime in
                    try await Payroll(db: runtime.db, actor: .commandLine()).recordReview(county: county, householdID: household, programme: p, outcome: o,
                                                                                         amountFen: amount, reason: reason, on: day)
                }
                print("\(r.householdID) \(r.programme.rawValue): \(r.outcome.rawValue)" + (r.nextReview.map { ", next review \($0)" } ?? "")
                      + (r.lastMonth.map { ", last month paid \($0)" } ?? ""))
                print(r.notice)
            }
        }
    }
}

/// `jiuzhu reserve show|top-up`: the townships' reserve funds (临时救助备用金).
struct ReserveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reserve", abstract: "A township's reserve fund for temporary assistance: its statement, and top-ups.", subcommands: [Show.self, TopUp.self])

    static func print(_ s: ReserveStatement) {
        Swift.print("reserve fund of \(s.township), \(s.year): allocation \(Money(fen: s.allocationFen)), top-ups \(Money(fen: s.topUpsFen)), "
                    + "payouts \(Money(fen: s.payoutsFen)), balance \(Money(fen: s.balanceFen))")
        for e in s.entries {
            Swift.print([e.on.description, e.kind.rawValue, Money(fen: e.amountFen).description, e.caseNumber ?? "", e.note, e.recordedBy].joined(separator: "\t"))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The fund's year: allocation, top-ups, payouts (each with its case) and balance.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The township code (9 digits).") var township: String
        @Option(help: "The year (default: this year).") var year: Int?

        func run() async throws {
            try await reporting {
                let (t, y) = (township, year ?? Day(Date()).year)
                let s = try await db.withRuntime { runtime in try await Payroll(db: runtime.db, actor: .commandLine()).reserveStatement(township: t, year: y) }
                ReserveCommand.print(s)
            }
        }
    }

    struct TopUp: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "top-up", abstract: "Add to a township's fund (the county's transfer).")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The township code (9 digits).") var township: String
        @Option(help: "The amount in fen.") var amount: Int64
        @Option(help: "What it is (e.g. the transfer's number).") var note: String = ""
        @Option(help: "The day, YYYY-MM-DD (default: today).") var on: String?

        func run() async throws {
            try await reporting {
                let day: Day
                do { day = try on.map { try Day(parsing: $0) } ?? Day(Date()) } catch { throw CommandFailure("--on: must be YYYY-MM-DD") }
                let (t, a, n) = (township, amount, note)
                let s = try await db.withRuntime { runtime in
                    try await Payroll(db: runtime.db, actor: .commandLine()).topUpReserve(township: t, amountFen: a, on: day, note: n)
                }
                ReserveCommand.print(s)
            }
        }
    }
}

/// `jiuzhu emergency declare|list`: public emergencies and what they add to the rolls.
struct EmergencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emergency", abstract: "Public emergencies: standards raised for divisions and months, a bulk living subsidy; the rolls of those months pay them.",
        subcommands: [Declare.self, List.self])

    struct Declare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Declare an emergency for divisions and months.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The county code (6 digits).") var county: String
        @Option(help: "Its name, e.g. 2025年7月洪涝灾害.") var name: String
        @Option(help: "Division codes it covers, comma-separated (townships or villages of the county, or the county).") var divisions: String
        @Option(help: "First month, YYYY-MM.") var from: String
        @Option(help: "Last month, YYYY-MM.") var to: String
        @Option(help: "The raise of the 低保 and 特困 standards there, e.g. 10% (default 0%).") var raise: String = "0%"
        @Option(name: .customLong("subsidy-per-person"), help: "A bulk temporary living subsidy per person, fen (default 0).") var subsidy: Int64 = 0
        @Option(name: .customLong("subsidy-month"), help: "The month the subsidy is paid, YYYY-MM.") var subsidyMonth: String?

        func run() async throws {
            try await reporting {
                let f: Month, t: Month, r: Rate
                do { f = try Month(parsing: from) } catch { throw CommandFailure("--from: must be YYYY-MM") }
                do { t = try Month(parsing: to) } catch { throw CommandFailure("--to: must be YYYY-MM") }
                do { r = try Rate(parsing: raise) } catch { throw CommandFailure("--raise: \(error)") }
                var sm: Month?
                if let subsidyMonth { do { sm = try Month(parsing: subsidyMonth) } catch { throw CommandFailure("--subsidy-month: must be YYYY-MM") } }
                let (county, name, divisions, subsidy, month) = (county, name, divisions.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, subsidy, sm)
                let e = try await db.withRuntime { runtime in
                    try await Payroll(db: runtime.db, actor: .commandLine()).declareEmergency(county: county, name: name, divisions: divisions, from: f, to: t,
                                                                                             raise: r, subsidyPerPersonFen: subsidy, subsidyMonth: month)
                }
                print("declared \(e.id): \(e.name), \(e.divisions.joined(separator: ",")), \(e.from)…\(e.to), standards +\(e.raise)"
                      + (e.subsidyPerPersonFen > 0 ? ", \(Money(fen: e.subsidyPerPersonFen)) per person in \(e.subsidyMonth!)" : ""))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The emergencies declared in a county.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The county code (6 digits).") var county: String

        func run() async throws {
            try await reporting {
                let county = county
                let list = try await db.withRuntime { runtime in try await PaymentStore(db: runtime.db, actor: .commandLine()).emergencies(county: county) }
                for e in list {
                    print([String(e.id), e.name, e.divisions.joined(separator: ","), "\(e.from)…\(e.to)", "+" + e.raise,
                           e.subsidyMonth.map { "\(Money(fen: e.subsidyPerPersonFen))/人 \($0)" } ?? ""].joined(separator: "\t"))
                }
            }
        }
    }
}

/// `jiuzhu funeral record`: funeral assistance on the death of a member of a 低保 or 特困 household.
struct FuneralCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "funeral", abstract: "Funeral assistance (殡葬救助): basic services waived, or a one-off subsidy paid by the roll.",
                                                    subcommands: [Record.self])

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record funeral assistance for a member who died; prints the notice.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "The county code (6 digits).") var county: String
        @Option(help: "The household.") var household: String
        @Option(help: "The ID number of the member who died.") var deceased: String
        @Option(help: "waiver or subsidy.") var choice: String
        @Option(help: "The one-off subsidy in fen (subsidy).") var amount: Int64?
        @Option(help: "The day of the decision, YYYY-MM-DD (default: today).") var on: String?

        func run() async throws {
            try await reporting {
                guard let c = FuneralAssistance.Choice(rawValue: choice) else { throw CommandFailure("--choice: must be waiver or subsidy, found '\(choice)'") }
                let day: Day
                do { day = try on.map { try Day(parsing: $0) } ?? Day(Date()) } catch { throw CommandFailure("--on: must be YYYY-MM-DD") }
                let (county, household, deceased, amount) = (county, household, deceased, amount)
                let f = try await db.withRuntime { runtime in
                    try await Payroll(db: runtime.db, actor: .commandLine()).recordFuneral(county: county, householdID: household, deceased: deceased, choice: c,
                                                                                          amountFen: amount, on: day)
                }
                print(f.notice)
            }
        }
    }
}
