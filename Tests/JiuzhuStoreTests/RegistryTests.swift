import FluentKit
import Foundation
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
import Testing

@Suite struct RegistryTests {
    let clerk = AuditActor("test:clerk")

    func registry(_ rt: StoreRuntime, scope: Jurisdiction = .everywhere) -> Registry {
        Registry(db: rt.db, scope: scope, actor: clerk, now: { Fixtures.now })
    }

    @Test func create_thenRead_returnsTheSameRecord_andAuditsBoth() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let r = registry(rt)
            let record = Fixtures.record("H1")
            try await r.create(record)
            #expect(try await r.household("H1") == record)
            let events = try await AuditLog.events(on: rt.db, entity: "household", key: "H1")
            #expect(events.map(\.action) == ["create", "read"])
            #expect(events.allSatisfy { $0.actor == "test:clerk" && $0.countyCode == "530428" })
            #expect(events[0].detail.contains("李建国"))
        }
    }

    @Test func create_existingHouseholdID_isConflict_andChangesNothing() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let r = registry(rt)
            try await r.create(Fixtures.record("H1"))
            let other = Fixtures.record("H1", headID: Fixtures.idNumber(born: "19700101", sequence: 31),
                                        spouseID: Fixtures.idNumber(born: "19710101", sequence: 42))
            await #expect(throws: StoreError.conflict(FieldProblem(field: "household_id", rule: "H1 is already registered"))) {
                try await r.create(other)
            }
            #expect(try await AuditLog.all(on: rt.db).count == 1)
        }
    }

    @Test func create_idNumberRegisteredInAnotherHousehold_namesBothHouseholds() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let r = registry(rt)
            try await r.create(Fixtures.record("H1"))
            let clash = Fixtures.record("H2", spouseID: Fixtures.idNumber(born: "19710101", sequence: 42))
            do {
                try await r.create(clash)
                Issue.record("expected a conflict")
            } catch let StoreError.conflict(p) {
                #expect(p.field == "members[0].id_number")
                #expect(p.rule.contains("household H1"))
                #expect(p.rule.contains(clash.members[0].idNumber.value))
            }
            await #expect(throws: StoreError.notFound(entity: "household", key: "H2")) { try await r.household("H2") }
        }
    }

    @Test func create_brokenRules_listsEveryFieldWithItsPath() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            var record = Fixtures.record("H1")
            record.members[1].relation = .head            // two heads
            record.members[1].disabilityKind = .none      // grade 2 with kind none
            record.household.houses = -1
            do {
                try await registry(rt).create(record)
                Issue.record("expected invalid")
            } catch let StoreError.invalid(problems) {
                let fields = Set(problems.map(\.field))
                #expect(fields == ["houses", "members[1].disability_kind", "members"])
            }
        }
    }

    @Test func replace_recordsEachChangedFieldInTheAudit() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let r = registry(rt)
            var record = Fixtures.record("H1")
            try await r.create(record)
            record.household.deposits = 800000
            record.members[0].monthlyIncome = 45000
            try await r.replace("H1", with: record)
            #expect(try await r.household("H1") == record)
            let update = try await AuditLog.events(on: rt.db, entity: "household", key: "H1").first { $0.action == "update" }!
            #expect(update.detail.contains("\"deposits_fen\":{\"from\":\"500000\",\"to\":\"800000\"}"))
            #expect(update.detail.contains("\"monthly_income_fen\":{\"from\":\"30000\",\"to\":\"45000\"}"))
        }
    }

    @Test func addMember_andUpdateMember_changeTheHousehold() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let r = registry(rt)
            try await r.create(Fixtures.record("H1"))
            let childID = Fixtures.id(Fixtures.idNumber(born: "20120505", sequence: 13))
            let child = Member(householdID: "", idNumber: childID, name: "李小明", relation: .child, ableToWork: false)
            let after = try await r.addMember(child, to: "H1")
            #expect(after.members.count == 3)
            var changed = try await r.member(childID.value)
            #expect(changed.householdID == "H1")
            changed.seriousIllness = true
            let final = try await r.updateMember(childID.value, with: changed)
            #expect(final.members.first { $0.idNumber == childID }?.seriousIllness == true)
        }
    }

    @Test func township_cannotSeeAnotherTownship_inReadsSearchesOrCounts() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let townships = Divisions.bundled.townships(in: try DivisionCode("530428"))
            let a = townships[0].code, b = townships[1].code
            let all = registry(rt)
            try await all.create(Fixtures.record("HA", township: a.digits))
            try await all.create(Fixtures.record("HB", township: b.digits,
                                                 headID: Fixtures.idNumber(born: "19700101", sequence: 31),
                                                 spouseID: Fixtures.idNumber(born: "19710101", sequence: 42)))
            let officerA = registry(rt, scope: Jurisdiction(division: a))
            #expect(try await officerA.household("HA").household.householdID == "HA")
            await #expect(throws: StoreError.notFound(entity: "household", key: "HB")) { try await officerA.household("HB") }
            let bHead = Fixtures.idNumber(born: "19700101", sequence: 31)
            await #expect(throws: StoreError.notFound(entity: "member", key: bHead)) { try await officerA.member(bHead) }
            let page = try await officerA.search(RegistryQuery())
            #expect(page.items.map(\.household.householdID) == ["HA"])
            #expect(page.total == 1)
            #expect(try await officerA.search(RegistryQuery(idNumber: bHead)).total == 0)
            #expect(try await officerA.countsByTownship().map(\.code) == [a.digits])
            // Writing into another township is refused too.
            await #expect(throws: StoreError.self) {
                try await officerA.create(Fixtures.record("HC", township: b.digits,
                                                          headID: Fixtures.idNumber(born: "19800101", sequence: 51),
                                                          spouseID: Fixtures.idNumber(born: "19810101", sequence: 62)))
            }
            #expect(try await all.countsByTownship().count == 2)
            // Registering a person already registered in township B does not reveal B's household.
            do {
                try await officerA.create(Fixtures.record("HD", township: a.digits, headID: bHead,
                                                          spouseID: Fixtures.idNumber(born: "19810101", sequence: 64)))
                Issue.record("expected a conflict")
            } catch let StoreError.conflict(p) {
                #expect(p.rule == "\(bHead) is already registered in a household outside your jurisdiction")
            }
        }
    }

    @Test func search_byNameAndDivision_findsTheHousehold() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let r = registry(rt)
            let record = Fixtures.record("H1")
            try await r.create(record)
            #expect(try await r.search(RegistryQuery(name: "王秀")).items.map(\.household.householdID) == ["H1"])
            #expect(try await r.search(RegistryQuery(name: "秀英")).total == 0)   // names match from their start
            #expect(try await r.search(RegistryQuery(name: "张")).total == 0)
            let page = try await r.search(RegistryQuery(division: try DivisionCode("530428")))
            #expect(page.items.first?.headName == "李建国")
            #expect(page.items.first?.memberCount == 2)
        }
    }
}
