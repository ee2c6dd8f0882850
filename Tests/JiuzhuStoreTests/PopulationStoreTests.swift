import FluentKit
import Foundation
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
import SQLKit
import Testing

@Suite struct PopulationStoreTests {
    let actor = AuditActor("test:import")

    func count(_ rt: StoreRuntime, _ table: String) async throws -> Int {
        try await rt.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!.decode(column: "n", as: Int.self)
    }

    /// n two-person households with distinct IDs.
    func population(_ n: Int, prefix: String = "H") -> ([Household], [Member]) {
        var hs: [Household] = [], ms: [Member] = []
        for i in 0..<n {
            let r = Fixtures.record("\(prefix)\(i)", headID: Fixtures.idNumber(born: "19\(60 + i / 500)0101", sequence: 2 * i % 1000 + 1),
                                    spouseID: Fixtures.idNumber(born: "19\(60 + i / 500)0302", sequence: 2 * i % 1000))
            hs.append(r.household)
            ms.append(contentsOf: r.members.map { var m = $0; m.name = "成员\(i)"; return m })
        }
        return (hs, ms)
    }

    @Test func import_thenExport_givesBackTheSameRowsInTheSameOrder() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let (hs, ms) = population(450) // more than one insert batch
            let summary = try await PopulationStore.importPopulation(hs, ms, on: rt.db, actor: actor)
            #expect(summary == .init(households: 450, members: 900))
            let (eh, em) = try await PopulationStore.exportPopulation(on: rt.db, actor: actor)
            #expect(eh == hs)
            #expect(em == ms)
            let audit = try await AuditLog.all(on: rt.db)
            #expect(audit.map(\.action) == ["import", "export"])
            #expect(audit[0].detail.contains("\"households\":450"))
        }
    }

    @Test func import_idNumberAlreadyRegistered_isRefusedWhole_namingLineAndBothHouseholds() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let (hs, ms) = population(3)
            try await PopulationStore.importPopulation(hs, ms, on: rt.db, actor: actor)
            let (hs2, ms2) = population(3, prefix: "N")
            // N2's head reuses the ID number of H2's head; give the other N members fresh numbers.
            var fresh = ms2
            for i in fresh.indices where fresh[i].householdID != "N2" || fresh[i].relation != .head {
                fresh[i].idNumber = Fixtures.id(Fixtures.idNumber(born: "19900101", sequence: 100 + i))
            }
            let origin = PopulationStore.Origin(memberLines: Array(2...(fresh.count + 1)))
            do {
                try await PopulationStore.importPopulation(hs2, fresh, origin: origin, on: rt.db, actor: actor)
                Issue.record("expected a conflict")
            } catch let e as PopulationStore.ImportConflict {
                #expect(e.file == "members.csv")
                #expect(e.line == 6) // N2's head is the fifth member: line 6 after the header
                #expect(e.column == "id_number")
                #expect(e.rule.contains("household N2") && e.rule.contains("household H2"))
            }
            #expect(try await count(rt, "households") == 3)
            #expect(try await count(rt, "members") == 6)
        }
    }

    @Test func import_failingInTheDatabaseHalfway_leavesNothingBehind() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let (hs, members) = population(900)
            var ms = members
            // The last member points at a household that is not in the file: the database's foreign key
            // refuses it after 900 households and 1,799 members were already inserted.
            ms[ms.count - 1].householdID = "NOPE"
            await #expect(throws: (any Error).self) {
                try await PopulationStore.importPopulation(hs, ms, on: rt.db, actor: actor)
            }
            #expect(try await count(rt, "households") == 0)
            #expect(try await count(rt, "members") == 0)
            #expect(try await count(rt, "audit_events") == 0)
        }
    }

    @Test func export_isScopedToTheJurisdiction() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let townships = Divisions.bundled.townships(in: try DivisionCode("530428"))
            let a = Fixtures.record("HA", township: townships[0].code.digits)
            let b = Fixtures.record("HB", township: townships[1].code.digits,
                                    headID: Fixtures.idNumber(born: "19700101", sequence: 31),
                                    spouseID: Fixtures.idNumber(born: "19710101", sequence: 42))
            try await PopulationStore.importPopulation([a.household, b.household], a.members + b.members, on: rt.db, actor: actor)
            let (hs, ms) = try await PopulationStore.exportPopulation(scope: Jurisdiction(division: townships[1].code), on: rt.db, actor: actor)
            #expect(hs.map(\.householdID) == ["HB"])
            #expect(Set(ms.map(\.householdID)) == ["HB"])
        }
    }
}

/// The same import contract through the runtime's own location: on SQLite this is the
/// prepared-statement fast path, on PostgreSQL the multi-row INSERT path.
@Suite struct PopulationStoreLocationTests {
    let actor = AuditActor("test:import")

    func count(_ rt: StoreRuntime, _ table: String) async throws -> Int {
        try await rt.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!.decode(column: "n", as: Int.self)
    }

    func population(_ n: Int, prefix: String, born: String) -> ([Household], [Member]) {
        var hs: [Household] = [], ms: [Member] = []
        for i in 0..<n {
            let r = Fixtures.record("\(prefix)\(i)", headID: Fixtures.idNumber(born: born, sequence: 2 * i + 1),
                                    spouseID: Fixtures.idNumber(born: born, sequence: 2 * i + 2))
            hs.append(r.household)
            ms.append(contentsOf: r.members)
        }
        return (hs, ms)
    }

    @Test func import_thenExport_roundTrips_andAudits() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let (hs, ms) = population(300, prefix: "A", born: "19600101")
            try await PopulationStore.importPopulation(hs, ms, on: rt.db, location: rt.location, actor: actor, now: Fixtures.now)
            let (eh, em) = try await PopulationStore.exportPopulation(on: rt.db, actor: actor)
            #expect(eh == hs)
            #expect(em == ms)
            let audit = try await AuditLog.all(on: rt.db)
            #expect(audit.first?.action == "import")
            #expect(audit.first?.actor == "test:import")
            #expect(audit.first?.at == Fixtures.now)
            // Rows written by either path read back through the Fluent models.
            let record = try await Registry(db: rt.db, actor: actor, now: { Fixtures.now }).household("A7")
            #expect(record.members.count == 2)
        }
    }

    @Test func import_clashHalfway_rollsBackEverything_andNamesTheLine() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let (base, baseMembers) = population(10, prefix: "A", born: "19600101")
            try await PopulationStore.importPopulation(base, baseMembers, on: rt.db, location: rt.location, actor: actor)
            var (hs, ms) = population(400, prefix: "B", born: "19700101")
            ms[600].idNumber = baseMembers[5].idNumber   // member 601 (line 602) is A2's spouse
            let origin = PopulationStore.Origin(householdLines: Array(2...401), memberLines: Array(2...801))
            do {
                try await PopulationStore.importPopulation(hs, ms, origin: origin, on: rt.db, location: rt.location, actor: actor)
                Issue.record("expected a conflict")
            } catch let e as PopulationStore.ImportConflict {
                #expect(e.description == "members.csv line 602, column id_number: \(baseMembers[5].idNumber) of household B300 is already registered in household A2")
            }
            #expect(try await count(rt, "households") == 10)
            #expect(try await count(rt, "members") == 20)
            #expect(try await count(rt, "audit_events") == 1)
            hs[0].householdID = "A3"
            for i in ms.indices where ms[i].householdID == "B0" { ms[i].householdID = "A3" }
            ms[600] = population(400, prefix: "B", born: "19700101").1[600]
            do {
                try await PopulationStore.importPopulation(hs, ms, origin: origin, on: rt.db, location: rt.location, actor: actor)
                Issue.record("expected a conflict")
            } catch let e as PopulationStore.ImportConflict {
                #expect(e.description == "households.csv line 2, column household_id: household A3 is already registered")
            }
            #expect(try await count(rt, "households") == 10)
        }
    }
}
