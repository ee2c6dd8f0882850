import Foundation
import JiuzhuCore

/// The one call behind `jiuzhu explain` and `jiuzhu simulate` (and later the web pages).
public enum PolicyRun {
    /// The explained evaluation of one household record, with the pack used.
    public static func explain(_ record: HouseholdRecord, month: Month, packs: PackChoice) throws(PolicyError) -> (evaluation: Evaluation, pack: PolicyPack) {
        let pack = try packs.pack(for: record.household)
        return (try ReferenceRules.evaluate(record.household, members: record.members, month: month, pack: pack), pack)
    }

    /// The totals JSON of the spec; with `changes` (`name=value`), the what-if report beside the baseline.
    public static func simulate(_ population: Population, month: Month, packs: PackChoice, changes: [String]) throws(PolicyError) -> String {
        let baseline = try Simulation.evaluate(population, month: month, packs: packs)
        guard !changes.isEmpty else { return Totals(month: month, outcomes: baseline).json }
        let reference: PolicyPack
        switch packs {
        case .fixed(let p): reference = p
        case .byDivision(let all):
            guard let first = population.households.first else { return Totals(month: month, outcomes: baseline).json }
            reference = try all.pack(for: first.divisionCode)
            _ = all
        }
        let parsed = try Simulation.parseChanges(changes, pack: reference)
        let whatIf = try Simulation.evaluate(population, month: month, packs: packs.overriding(parsed, from: month.firstDay))
        let described = Dictionary(uniqueKeysWithValues: parsed.map { ($0.key, $0.value.description) })
        return WhatIf(month: month, households: population.households, baseline: baseline, whatIf: whatIf, changes: described).json
    }

    /// `simulate` over Population CSV v1 files: read into columns with both cores and evaluated by the
    /// compiled evaluator when every household falls under one pack (the usual case: one county, or
    /// `--policy`); otherwise read whole and evaluated household by household with its own pack.
    public static func simulate(households: Data, members: Data, householdsFile: String = "households.csv",
                                membersFile: String = "members.csv", today: Day, month: Month, packs: PackChoice,
                                changes: [String], phase: (String) -> Void = { _ in }) throws -> String {
        let columns = try ColumnarPopulation.parse(households: households, members: members, today: today,
                                                   householdsFile: householdsFile, membersFile: membersFile)
        phase("read and check \(columns.householdCount) households, \(columns.memberCount) members")
        let pack: PolicyPack
        switch packs {
        case .fixed(let p):
            pack = p
        case .byDivision:
            var found: [String: PolicyPack] = [:]
            for code in columns.divisionCodes {
                let p = try packs.pack(forDivision: code)
                found[p.id] = p
            }
            guard found.count == 1, let only = found.values.first else {
                if found.isEmpty { return Totals(month: month, outcomes: Outcomes(programmes: [], benefits: [])).json }
                let population = try PopulationCSV.read(households: households, members: members, householdsFile: householdsFile,
                                                        membersFile: membersFile, today: today)
                return try simulate(population, month: month, packs: packs, changes: changes)
            }
            pack = only
        }
        let parameters = try ReferenceParameters(pack: pack, month: month)
        let result = try ColumnarEvaluator.evaluate(columns, parameters: parameters)
        phase("evaluate \(columns.householdCount) households")
        let baseline = Outcomes(result)
        guard !changes.isEmpty else {
            let json = Totals(month: month, outcomes: baseline).json
            phase("totals")
            return json
        }
        let parsed = try Simulation.parseChanges(changes, pack: pack)
        let changed = pack.overriding(parsed, from: month.firstDay)
        let whatIf = Outcomes(try ColumnarEvaluator.evaluate(columns, parameters: ReferenceParameters(pack: changed, month: month)))
        phase("evaluate the what-if")
        let described = Dictionary(uniqueKeysWithValues: parsed.map { ($0.key, $0.value.description) })
        let json = WhatIf(month: month, township: { columns.township($0) }, baseline: baseline, whatIf: whatIf, changes: described).json
        phase("compare and report")
        return json
    }
}
