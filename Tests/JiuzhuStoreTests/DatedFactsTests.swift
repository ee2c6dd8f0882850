import FluentKit
import Foundation
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
import Testing

@Suite struct DatedFactsTests {
    func withIncome(_ r: HouseholdRecord, _ fen: Int64) -> HouseholdRecord {
        var x = r
        x.members[0].monthlyIncome = Money(fen: fen)
        return x
    }

    /// Registered in March; in June a new income from June 1 is recorded; in July it is corrected.
    /// Each day's facts can be read back, with what was a change and what a correction.
    @Test func changesAndCorrections_areDated_andEachDaysFactsCanBeReadBack() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let clock = MovableClock(Day(year: 2025, month: 3, day: 1)!)
            let r = Registry(db: rt.db, actor: AuditActor("test"), now: { clock.now })
            let base = Fixtures.record("H1")
            try await r.create(base)
            #expect(try await r.history("H1").isEmpty)
            clock.set(Day(year: 2025, month: 6, day: 20)!)
            try await r.replace("H1", with: withIncome(base, 90000), effective: Day(year: 2025, month: 6, day: 1)!, kind: .change)
            clock.set(Day(year: 2025, month: 7, day: 15)!)
            try await r.replace("H1", with: withIncome(base, 80000), effective: Day(year: 2025, month: 6, day: 1)!, kind: .correction)
            let h = try await r.history("H1")
            #expect(h.map(\.kind) == [.registration, .change, .correction])
            #expect(h.map(\.effectiveFrom.description) == ["2025-03-01", "2025-06-01", "2025-06-01"])
            #expect(h.map(\.record.members[0].monthlyIncome.fen) == [30000, 90000, 80000])
            func income(_ y: Int, _ m: Int, _ d: Int) async throws -> Int64 {
                let record = try await r.household("H1", asOf: Day(year: y, month: m, day: d)!)
                return record.members[0].monthlyIncome.fen
            }
            #expect(try await income(2025, 5, 31) == 30000)
            #expect(try await income(2025, 6, 1) == 80000)
            #expect(try await income(2025, 2, 1) == 30000)   // before anything recorded: the earliest facts
            #expect(try await r.household("H1").members[0].monthlyIncome.fen == 80000)
            let audit = try await AuditLog.events(on: rt.db, entity: "household", key: "H1").filter { $0.action == "update" }
            #expect(audit.last?.detail.contains("\"kind\":\"correction\"") == true && audit.last?.detail.contains("\"effective\":\"2025-06-01\"") == true)
        }
    }

    @Test func aChangeDatedInTheFuture_isRefused_andChangesNothing() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let r = Registry(db: rt.db, actor: AuditActor("test"), now: { Fixtures.now })
            try await r.create(Fixtures.record("H1"))
            await #expect(throws: StoreError.self) {
                try await r.replace("H1", with: withIncome(Fixtures.record("H1"), 1), effective: Day(year: 2025, month: 7, day: 16)!)
            }
            #expect(try await r.household("H1").members[0].monthlyIncome.fen == 30000)
            #expect(try await r.history("H1").isEmpty)
        }
    }
}
