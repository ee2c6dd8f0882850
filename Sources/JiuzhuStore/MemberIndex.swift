import FluentKit
import JiuzhuCore
import SQLKit

/// The registry's members within a jurisdiction: ID number → household, for matching department
/// data row by row. Built once per import, it holds two numbers a member (the ID key and the
/// household's slot) and each household ID once, so matching millions of rows costs one lookup
/// each, and its size follows the registry, never the file.
public struct MemberIndex: Sendable {
    private var slots: [UInt64: Int32] = [:]
    /// Household IDs by slot.
    public private(set) var householdIDs: [String] = []

    public init() {}

    /// The slot of the household of the member with this ID number, if registered.
    public func slot(of id: IDNumber) -> Int32? { slots[id.key] }

    /// How many members it holds.
    public var count: Int { slots.count }

    mutating func add(idNumber: String, householdID: String, slotOf: inout [String: Int32]) {
        let slot: Int32
        if let s = slotOf[householdID] { slot = s } else {
            slot = Int32(householdIDs.count)
            householdIDs.append(householdID)
            slotOf[householdID] = slot
        }
        var text = idNumber
        slots[text.withUTF8 { IDNumber.key($0) }] = slot
    }
}

extension FeedStore {
    /// The index of every member within the jurisdiction, read in one streamed query.
    public func memberIndex() async throws -> MemberIndex {
        guard let sql = db as? any SQLDatabase else { throw StoreError.invalid([FieldProblem(field: "database", rule: "needs SQL")]) }
        let query: SQLQueryString = scope.division == nil
            ? "SELECT id_number, household_id FROM members"
            : "SELECT m.id_number, m.household_id FROM members m JOIN households h ON h.household_id = m.household_id WHERE h.division_code LIKE \(bind: scope.prefix + "%")"
        let box = IndexBox()
        try await sql.raw(query).run { row in
            guard let id = try? row.decode(column: "id_number", as: String.self),
                  let household = try? row.decode(column: "household_id", as: String.self) else { return }
            box.index.add(idNumber: id, householdID: household, slotOf: &box.slotOf)
        }
        return box.index
    }
}

/// The index as the streamed query builds it (its rows arrive one at a time, in order).
private final class IndexBox: @unchecked Sendable {
    var index = MemberIndex()
    var slotOf: [String: Int32] = [:]
}
