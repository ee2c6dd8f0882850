import Foundation
import JiuzhuCore

/// Which pack evaluates a household: one chosen explicitly (`--policy`), or each household's own
/// by its division (county, else prefecture, else province).
public enum PackChoice: Sendable {
    case fixed(PolicyPack)
    case byDivision(Packs)

    /// The pack that evaluates household `h`.
    public func pack(for h: Household) throws(PolicyError) -> PolicyPack {
        try pack(forDivision: h.divisionCode, what: "household \(h.householdID) (division \(h.divisionCode))")
    }

    public func pack(forDivision code: DivisionCode, what: String? = nil) throws(PolicyError) -> PolicyPack {
        switch self {
        case .fixed(let p): return p
        case .byDivision(let packs):
            do { return try packs.pack(for: code) } catch {
                throw PolicyError(pack: "?", "\(what ?? "division \(code)"): no pack covers its county, prefecture or province; choose one with --policy")
            }
        }
    }

    /// The same choice with some parameter values replaced from `day` on.
    func overriding(_ changes: [String: ParameterValue], from day: Day) -> PackChoice {
        switch self {
        case .fixed(let p): return .fixed(p.overriding(changes, from: day))
        case .byDivision(let packs): return .byDivision(Packs(packs.all.map { $0.overriding(changes, from: day) }))
        }
    }
}

/// The programme and monthly amount of each household, in population order.
public struct Outcomes: Sendable, Equatable {
    public var programmes: [Programme]
    public var benefits: [Int64]

    public init(programmes: [Programme], benefits: [Int64]) {
        self.programmes = programmes
        self.benefits = benefits
    }

    /// The outcomes of the columnar evaluator.
    public init(_ result: ColumnarResult) {
        let all = Programme.allCases
        programmes = result.programme.map { all[Int($0)] }
        benefits = result.benefit
    }
}

/// Totals of a run, in the JSON shape of reference-rules.md.
public struct Totals: Sendable, Equatable, Codable {
    public struct Program: Sendable, Equatable, Codable {
        public var households: Int
        public var benefitFen: Int64
        enum CodingKeys: String, CodingKey { case households, benefitFen = "benefit_fen" }
    }
    public let month: Month
    public let households: Int
    public let programs: [String: Program]
    public let totalBenefitFen: Int64

    enum CodingKeys: String, CodingKey { case month, households, programs, totalBenefitFen = "total_benefit_fen" }

    public init(month: Month, outcomes: Outcomes) {
        let all = Programme.allCases
        var counts = [Int](repeating: 0, count: all.count), sums = [Int64](repeating: 0, count: all.count)
        for (p, b) in zip(outcomes.programmes, outcomes.benefits) {
            let i = p.index
            counts[i] += 1
            sums[i] += b
        }
        self.month = month
        self.households = outcomes.programmes.count
        self.programs = Dictionary(uniqueKeysWithValues: all.map { ($0.rawValue, Program(households: counts[$0.index], benefitFen: sums[$0.index])) })
        self.totalBenefitFen = sums.reduce(0, +)
    }

    /// The spec's JSON, keys sorted.
    public var json: String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try! e.encode(self), as: UTF8.self)
    }
}

/// Runs the reference evaluation over a whole population.
public enum Simulation {
    /// Evaluates every household (members grouped by household), in population order.
    public static func evaluate(_ population: Population, month: Month, packs: PackChoice) throws(PolicyError) -> Outcomes {
        var groups: [String: [Member]] = [:]
        groups.reserveCapacity(population.households.count)
        for m in population.members { groups[m.householdID, default: []].append(m) }
        var parameters: [String: ReferenceParameters] = [:]
        var out = Outcomes(programmes: [], benefits: [])
        out.programmes.reserveCapacity(population.households.count)
        out.benefits.reserveCapacity(population.households.count)
        for h in population.households {
            let pack = try packs.pack(for: h)
            let p: ReferenceParameters
            if let cached = parameters[pack.id] { p = cached } else {
                p = try ReferenceParameters(pack: pack, month: month)
                parameters[pack.id] = p
            }
            let e = try ReferenceRules.evaluate(h, members: groups[h.householdID] ?? [], parameters: p, explain: false)
            out.programmes.append(e.programme)
            out.benefits.append(e.benefit.fen)
        }
        return out
    }

    /// Reads `name=value` changes against the pack's units (`S_rural=60000`, `uplift_rate=20%`).
    public static func parseChanges(_ texts: [String], pack: PolicyPack) throws(PolicyError) -> [String: ParameterValue] {
        var out: [String: ParameterValue] = [:]
        for t in texts {
            let parts = t.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw PolicyError(pack: pack.id, "--set \(t): write name=value, e.g. S_rural=60000")
            }
            guard let p = pack.parameters[parts[0]] else {
                throw PolicyError(pack: pack.id, parameter: parts[0], "--set: unknown parameter (known: \(pack.parameters.keys.sorted().joined(separator: ", ")))")
            }
            out[parts[0]] = try PackLoader.value(text: parts[1], unit: p.unit, parameter: parts[0], pack: pack.id)
        }
        return out
    }
}

/// What a change of parameters does. By programme: households that enter it (gained) or leave
/// it (lost) and the change in its monthly cost. By township: households that start or stop
/// receiving a paid programme (tekun, dibao, dibao_single) and the change in monthly cost.
public struct WhatIf: Sendable, Equatable, Codable {
    public struct Change: Sendable, Equatable, Codable {
        public var gained = 0
        public var lost = 0
        public var costChangeFen: Int64 = 0
        enum CodingKeys: String, CodingKey { case gained, lost, costChangeFen = "cost_change_fen" }
    }
    public struct Township: Sendable, Equatable, Codable {
        public let code: String
        public let name: String
        public var change: Change
    }
    public let baseline: Totals
    public let whatIf: Totals
    public let changes: [String: String]
    public let byProgramme: [String: Change]
    public let byTownship: [Township]
    public let householdsChanged: Int
    public let totalCostChangeFen: Int64

    enum CodingKeys: String, CodingKey {
        case baseline, whatIf = "what_if", changes = "set", byProgramme = "by_programme", byTownship = "by_township",
             householdsChanged = "households_changed", totalCostChangeFen = "total_cost_change_fen"
    }

    /// Compares two runs over the same households. A household is gained by a programme it
    /// enters and lost by the one it leaves; cost changes are counted where the money goes.
    public init(month: Month, households: [Household], baseline: Outcomes, whatIf: Outcomes, changes: [String: String],
                divisions: Divisions = .bundled) {
        self.init(month: month, township: { String(households[$0].divisionCode.digits.prefix(9)) }, baseline: baseline,
                  whatIf: whatIf, changes: changes, divisions: divisions)
    }

    /// `township(i)` gives household i's township code (first nine digits of its division code).
    public init(month: Month, township: (Int) -> String, baseline: Outcomes, whatIf: Outcomes, changes: [String: String],
                divisions: Divisions = .bundled) {
        var byProgramme = Dictionary(uniqueKeysWithValues: Programme.allCases.map { ($0.rawValue, Change()) })
        var byTownship: [String: Change] = [:]
        var changed = 0
        for i in baseline.programmes.indices {
            let (a, b) = (baseline.programmes[i], whatIf.programmes[i])
            let (x, y) = (baseline.benefits[i], whatIf.benefits[i])
            guard a != b || x != y else { continue }
            changed += 1
            let township = township(i)
            var t = byTownship[township] ?? Change()
            if a != b {
                byProgramme[b.rawValue]!.gained += 1
                byProgramme[a.rawValue]!.lost += 1
                if !a.isPaid && b.isPaid { t.gained += 1 }
                if a.isPaid && !b.isPaid { t.lost += 1 }
            }
            byProgramme[a.rawValue]!.costChangeFen -= x
            byProgramme[b.rawValue]!.costChangeFen += y
            t.costChangeFen += y - x
            byTownship[township] = t
        }
        self.baseline = Totals(month: month, outcomes: baseline)
        self.whatIf = Totals(month: month, outcomes: whatIf)
        self.changes = changes
        self.byProgramme = byProgramme
        self.byTownship = byTownship.keys.sorted().map { code in
            Township(code: code, name: (try? DivisionCode(code)).flatMap { divisions.fullName($0).isEmpty ? nil : divisions.fullName($0) } ?? code,
                     change: byTownship[code]!)
        }
        self.householdsChanged = changed
        self.totalCostChangeFen = self.whatIf.totalBenefitFen - self.baseline.totalBenefitFen
    }

    public var json: String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: try! e.encode(self), as: UTF8.self)
    }
}
