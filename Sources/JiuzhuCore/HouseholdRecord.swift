/// A household with its members: what the registry stores and the API exchanges.
///
/// As JSON it is the household's fields (Population CSV v1 column names) plus `members`.
public struct HouseholdRecord: Hashable, Sendable, Codable {
    public var household: Household
    public var members: [Member]

    public init(household: Household, members: [Member]) {
        self.household = household
        self.members = members
    }

    enum CodingKeys: String, CodingKey { case members }

    public init(from decoder: any Decoder) throws {
        household = try Household(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        members = try c.decode([Member].self, forKey: .members)
        // Members inside a household belong to it, whatever they say.
        for i in members.indices { members[i].householdID = household.householdID }
    }

    public func encode(to encoder: any Encoder) throws {
        try household.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(members, forKey: .members)
    }

    /// Every rule the record breaks, with field paths such as `members[2].relation`:
    /// the household's fields, each member's, ID numbers born after `today`, exactly one
    /// head, at least one member, no ID number twice.
    public func problems(today: Day, divisions: Divisions = .bundled) -> [FieldProblem] {
        var out = household.problems(divisions: divisions)
        if members.isEmpty { out.append(FieldProblem(field: "members", rule: "a household has at least one member")) }
        var seen: [IDNumber: Int] = [:]
        for (i, m) in members.enumerated() {
            for p in m.problems() { out.append(FieldProblem(field: "members[\(i)].\(p.field)", rule: p.rule)) }
            if m.idNumber.birthDate > today {
                out.append(FieldProblem(field: "members[\(i)].id_number", rule: "date: birth date \(m.idNumber.birthDate) is in the future"))
            }
            if m.householdID != household.householdID {
                out.append(FieldProblem(field: "members[\(i)].household_id", rule: "must be \(household.householdID), the household it is listed in"))
            }
            if let j = seen[m.idNumber] {
                out.append(FieldProblem(field: "members[\(i)].id_number", rule: "\(m.idNumber) is listed twice (also members[\(j)])"))
            } else {
                seen[m.idNumber] = i
            }
        }
        let heads = members.filter { $0.relation == .head }.count
        if !members.isEmpty && heads != 1 {
            out.append(FieldProblem(field: "members", rule: "exactly one member must have relation head, found \(heads)"))
        }
        return out
    }
}
