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
}
