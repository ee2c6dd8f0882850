import FluentKit
import Foundation
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
import SQLKit
import Testing

@Suite struct AuditChainTests {
    let clerk = AuditActor("test:clerk", address: "10.0.0.7")

    func registry(_ rt: StoreRuntime) -> Registry { Registry(db: rt.db, actor: clerk, now: { Fixtures.now }) }

    /// Five changes and reads: five records, each chained to the one before.
    func fiveRecords(_ rt: StoreRuntime) async throws {
        let r = registry(rt)
        try await r.create(Fixtures.record("H1"))
        _ = try await r.household("H1")
        try await r.setCircumstances("H1", from: Month(year: 2025, month: 7)!, .init(recentDeath: true))
        _ = try await r.search(RegistryQuery(name: "李"))
        _ = try await r.household("H1")
    }

    @Test func aNormalTrail_holds_andRecordsTheAddress() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            try await fiveRecords(rt)
            let v = try await AuditChain.verify(on: rt.db)
            #expect(v.holds && v.checked == 5)
            let events = try await AuditLog.all(on: rt.db)
            #expect(events.first?.prevHash == AuditChain.genesis)
            #expect(zip(events.dropFirst(), events).allSatisfy { $0.prevHash == $1.hash })
            #expect(v.lastHash == events.last?.hash)
            #expect(events.allSatisfy { $0.address == "10.0.0.7" })
        }
    }

    @Test(arguments: ["detail", "actor", "address", "entity_key", "county_code", "at", "hash", "prev_hash"])
    func alteringAnyField_namesThatRecord(_ column: String) async throws {
        try await TestDatabase.withRuntime { rt async throws in
            try await fiveRecords(rt)
            let third = try await AuditLog.all(on: rt.db)[2].id
            let value: String
            switch column {
            case "at": value = TestDatabase.kind == "sqlite" ? "at = at + 1" : "at = at + interval '1 second'"
            case "hash", "prev_hash": value = "\(column) = '" + String(repeating: "f", count: 64) + "'"
            default: value = "\(column) = \(column) || 'x'"
            }
            try await rt.sql.raw("UPDATE audit_events SET \(unsafeRaw: value) WHERE id = \(bind: third)").run()
            let v = try await AuditChain.verify(on: rt.db)
            #expect(v.broken?.id == third, "\(column): \(String(describing: v.broken))")
            #expect(v.checked == 2)
        }
    }

    @Test func deletingARecord_namesTheOneAfterIt() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            try await fiveRecords(rt)
            let events = try await AuditLog.all(on: rt.db)
            try await rt.sql.raw("DELETE FROM audit_events WHERE id = \(bind: events[1].id)").run()
            let v = try await AuditChain.verify(on: rt.db)
            #expect(v.broken?.id == events[2].id)
            #expect(v.broken?.reason.contains("prev_hash") == true)
        }
    }

    /// Concurrent changes append one at a time: the chain never forks.
    @Test func concurrentChanges_keepOneChain() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let r = registry(rt)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<12 {
                    group.addTask {
                        let record = Fixtures.record("C\(i)", headID: Fixtures.idNumber(born: "19700101", sequence: 100 + 2 * i + 1),
                                                     spouseID: Fixtures.idNumber(born: "19710101", sequence: 100 + 2 * i))
                        try await r.create(record)
                        _ = try await r.household("C\(i)")
                    }
                }
                try await group.waitForAll()
            }
            let v = try await AuditChain.verify(on: rt.db)
            #expect(v.holds && v.checked == 24)
        }
    }

    /// The import (the SQLite fast path or the portable one) chains its record like any other.
    @Test func populationImport_isChained() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            try await registry(rt).create(Fixtures.record("H1"))
            let pop = SyntheticPopulation(seed: 3, today: Fixtures.today).generate(households: 30)
            try await PopulationStore.importPopulation(pop.households, pop.members, origin: .init(digests: ["h.csv": "x", "m.csv": "y"]),
                                                       on: rt.db, location: rt.location, actor: clerk, now: Fixtures.now)
            let v = try await AuditChain.verify(on: rt.db)
            #expect(v.holds && v.checked == 2)
        }
    }
}
