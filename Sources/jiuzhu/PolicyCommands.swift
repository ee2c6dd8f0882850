import ArgumentParser
import Foundation
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore

/// The options `explain` and `assess` share: one registered household, a month, an optional pack.
struct HouseholdMonthOptions: ParsableArguments {
    @OptionGroup var db: DatabaseOptions
    @Option(help: "The household's ID in the registry.") var household: String
    @Option(help: "The month, YYYY-MM.") var month: String
    @Option(help: "A pack id (reference, or a division code); default: the household's own pack by its division.") var policy: String?
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        do { _ = try Month(parsing: month) } catch { throw ValidationError("--month: \(error.description)") }
    }

    /// The household (an audited read), its circumstances in the month, the month and the pack that evaluates it.
    func load() async throws -> (record: HouseholdRecord, circumstances: Circumstances, month: Month, pack: PolicyPack) {
        let m = try Month(parsing: month)
        let (record, circumstances) = try await db.withRuntime { runtime in
            let registry = Registry(db: runtime.db, actor: .commandLine())
            return (try await registry.household(household), try await registry.circumstances(household, in: m))
        }
        let choice: PackChoice = try policy.map { .fixed(try Packs.bundled.pack(id: $0)) } ?? .byDivision(.bundled)
        return (record, circumstances, m, try choice.pack(for: record.household))
    }
}

/// Prints a value as pretty, key-sorted JSON.
func printJSON(_ value: some Encodable) throws {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try enc.encode(value), as: UTF8.self))
}

/// `jiuzhu explain --household ID --month YYYY-MM`: the evaluation of one registered household, step by step.
struct Explain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain, step by step in Chinese (or as JSON), what a registered household qualifies for in a month.")

    @OptionGroup var options: HouseholdMonthOptions

    func run() async throws {
        try await reporting {
            let (record, circumstances, month, pack) = try await options.load()
            let e = try BasicLivingRules.evaluate(record, circumstances: circumstances, month: month, pack: pack)
            if options.json { try printJSON(e) } else { print(ExplanationText.render(e, packName: pack.name)) }
        }
    }
}

/// `jiuzhu assess --household ID --month YYYY-MM`: the comprehensive assessment of a registered household.
struct Assess: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The comprehensive assessment of a registered household: basic living and every specialised programme to refer it to.")

    @OptionGroup var options: HouseholdMonthOptions

    func run() async throws {
        try await reporting {
            let (record, circumstances, month, pack) = try await options.load()
            let a = try ComprehensiveAssessment.assess(record, circumstances: circumstances, month: month, pack: pack)
            if options.json { try printJSON(a) } else { print(ExplanationText.render(a, packName: pack.name)) }
        }
    }
}

/// `jiuzhu simulate`: the totals of a population for a month, and what a change of parameters does.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a whole population for a month and print the totals JSON; with --set, the what-if beside the baseline.")

    @OptionGroup var db: DatabaseOptions
    @Option(help: "households.csv (Population CSV v1); without files the registry (--database) is used.") var households: String?
    @Option(help: "members.csv") var members: String?
    @Option(help: "The month, YYYY-MM.") var month: String
    @Option(help: "A pack id for every household (reference, or a division code); default: each household's own pack.") var policy: String?
    @Option(name: .customLong("set"), help: "A what-if change, name=value (repeatable), e.g. --set S_rural=60000 --set uplift_rate=20%.")
    var changes: [String] = []
    @Flag(help: "Print the time of each phase (read, evaluate, report) to stderr.") var timings = false

    func validate() throws {
        do { _ = try Month(parsing: month) } catch { throw ValidationError("--month: \(error.description)") }
        if (households == nil) != (members == nil) { throw ValidationError("give both --households and --members, or neither (then the registry is used)") }
    }

    func run() async throws {
        try await reporting {
            let m = try Month(parsing: month)
            let choice: PackChoice = try policy.map { .fixed(try Packs.bundled.pack(id: $0)) } ?? .byDivision(.bundled)
            if let households, let members {
                let (h, mb) = (URL(fileURLWithPath: households), URL(fileURLWithPath: members))
                let clock = ContinuousClock()
                var last = clock.now
                let timings = self.timings
                print(try PolicyRun.simulate(households: try PopulationFiles.readFile(h), members: try PopulationFiles.readFile(mb),
                                             householdsFile: h.lastPathComponent, membersFile: mb.lastPathComponent,
                                             today: JiuzhuCLI.today(), month: m, packs: choice, changes: changes,
                                             phase: { what in
                                                 guard timings else { return }
                                                 let now = clock.now
                                                 let ms = Double((now - last).components.attoseconds) / 1e15 + Double((now - last).components.seconds) * 1000
                                                 FileHandle.standardError.write(Data(String(format: "%8.1f ms  %@\n", ms, what).utf8))
                                                 last = now
                                             }))
            } else {
                let population = try await db.withRuntime { runtime in
                    let (h, ms) = try await PopulationStore.exportPopulation(on: runtime.db, actor: .commandLine())
                    return Population(households: h, members: ms)
                }
                print(try PolicyRun.simulate(population, month: m, packs: choice, changes: changes))
            }
        }
    }
}

/// `jiuzhu price-subsidy`: whether a month's price indices trigger the price subsidy, and how much per person.
struct PriceSubsidy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "price-subsidy",
        abstract: "Decide the price subsidy (物价联动) from a month's CPI and food-CPI year-on-year rises.")

    @Option(name: .customLong("index-month"), help: "The month the indices describe, YYYY-MM (the subsidy is paid the month after).")
    var indexMonth: String
    @Option(help: "CPI year-on-year rise, e.g. 3.6%.") var cpi: String
    @Option(name: .customLong("food-cpi"), help: "Food CPI year-on-year rise, e.g. 6.5%.") var foodCPI: String
    @Option(help: "The pack (reference, or a division code).") var policy: String
    @Flag(help: "Print the decision as JSON.") var json = false

    func run() throws {
        let month: Month, cpiRise: Rate, foodRise: Rate
        do { month = try Month(parsing: indexMonth) } catch { throw ValidationError("--index-month: \(error.description)") }
        do { cpiRise = try Rate(parsing: cpi) } catch { throw ValidationError("--cpi: \(error.description)") }
        do { foodRise = try Rate(parsing: foodCPI) } catch { throw ValidationError("--food-cpi: \(error.description)") }
        do {
            let d = try PriceLinkage.decide(PriceIndices(month: month, cpiRise: cpiRise, foodCpiRise: foodRise), pack: Packs.bundled.pack(id: policy))
            if json {
                try printJSON(d)
            } else {
                print(d.triggered ? "启动：\(d.paymentMonth) 发放价格临时补贴，城市 \(Money(fen: d.perPersonUrbanFen))/人·月，农村 \(Money(fen: d.perPersonRuralFen))/人·月"
                                  : "未启动：\(d.paymentMonth) 不发放价格临时补贴")
                for s in d.steps { print("- \(s.title)：\(s.detail)") }
            }
        } catch let e as PolicyError {
            throw CommandFailure(e.description)
        }
    }
}
