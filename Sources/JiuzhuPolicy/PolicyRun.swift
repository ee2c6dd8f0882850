import Foundation
import JiuzhuCore

/// The calls behind `jiuzhu simulate`: over a population in memory, or over files by the columnar path.
public enum PolicyRun {
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
    /// compiled evaluator, each household under its own pack (or the one chosen with `--policy`).
    public static func simulate(households: Data, members: Data, householdsFile: String = "households.csv",
                                membersFile: String = "members.csv", today: Day, month: Month, packs: PackChoice,
                                changes: [String], phase: (String) -> Void = { _ in }) throws -> String {
        let columns = try ColumnarPopulation.parse(households: households, members: members, today: today,
                                                   householdsFile: householdsFile, membersFile: membersFile)
        phase("read and check \(columns.householdCount) households, \(columns.memberCount) members")
        // The pack of each distinct division code, as an index into `chosen`.
        var chosen: [PolicyPack] = []
        var packOfDivision: [Int] = []
        for code in columns.divisionCodes {
            let p = try packs.pack(forDivision: code)
            if let i = chosen.firstIndex(where: { $0.id == p.id }) { packOfDivision.append(i) } else {
                chosen.append(p)
                packOfDivision.append(chosen.count - 1)
            }
        }
        guard !chosen.isEmpty else { return Totals(month: month, outcomes: Outcomes(programmes: [], benefits: [])).json }
        func run(_ packs: [PolicyPack]) throws -> Outcomes {
            var parameters: [ReferenceParameters] = []
            for p in packs { parameters.append(try ReferenceParameters(pack: p, month: month)) }
            return Outcomes(try ColumnarEvaluator.evaluate(columns, parameters: parameters, packOfDivision: packOfDivision))
        }
        let baseline = try run(chosen)
        phase("evaluate \(columns.householdCount) households (\(chosen.map(\.id).joined(separator: ", ")))")
        guard !changes.isEmpty else {
            let json = Totals(month: month, outcomes: baseline).json
            phase("totals")
            return json
        }
        // A change applies to every pack that has the parameter; each value is read against the first such pack.
        let parsed = try Simulation.parseChanges(changes, pack: chosen[0])
        let whatIf = try run(chosen.map { $0.overriding(parsed, from: month.firstDay) })
        phase("evaluate the what-if")
        let described = Dictionary(uniqueKeysWithValues: parsed.map { ($0.key, $0.value.description) })
        let json = WhatIf(month: month, township: { columns.township($0) }, baseline: baseline, whatIf: whatIf, changes: described).json
        phase("compare and report")
        return json
    }
}
