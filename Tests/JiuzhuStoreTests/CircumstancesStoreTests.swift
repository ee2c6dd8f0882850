import FluentKit
import Foundation
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
import Testing

@Suite struct CircumstancesStoreTests {
    let clerk = AuditActor("test:clerk")

    func registry(_ rt: StoreRuntime, scope: Jurisdiction = .everywhere) -> Registry {
        Registry(db: rt.db, scope: scope, actor: clerk, now: { Fixtures.now })
    }

    static let record = Fixtures.record("H1")
    static var head: IDNumber { record.members[0].idNumber }
    static let january = Circumstances(members: [MemberCircumstances(idNumber: head, incomes: [IncomeItem(.basicPension, fen: 20000)])])
    static let july = Circumstances(members: [MemberCircumstances(idNumber: head, school: .none, supporters: [])],
                                    previous: PreviousBenefit(programme: "dibao", benefitFen: 40000, exitMonthsPaid: 1, riseFromWork: true))

    @Test func versions_theMonthReadsTheLatestFromThatMonthOrBefore() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let r = registry(rt)
            try await r.create(Self.record)
            try await r.setCircumstances("H1", from: Month(year: 2025, month: 1)!, Self.january)
            try await r.setCircumstances("H1", from: Month(year: 2025, month: 7)!, Self.july)
            #expect(try await r.circumstances("H1", in: Month(year: 2024, month: 12)!) == .none)
            #expect(try await r.circumstances("H1", in: Month(year: 2025, month: 1)!) == Self.january)
            #expect(try await r.circumstances("H1", in: Month(year: 2025, month: 6)!) == Self.january)
            #expect(try await r.circumstances("H1", in: Month(year: 2025, month: 7)!) == Self.july)
            #expect(try await r.circumstances("H1", in: Month(year: 2030, month: 1)!) == Self.july)
            let history = try await r.circumstancesHistory("H1")
            #expect(history.map(\.effectiveFrom.description) == ["2025-01", "2025-07"])
            #expect(history.allSatisfy { $0.recordedBy == "test:clerk" })
        }
    }

    @Test func setTwiceForOneMonth_replacesIt_andAuditsCreateThenUpdateWithBeforeAndAfter() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let r = registry(rt)
            try await r.create(Self.record)
            let month = Month(year: 2025, month: 7)!
            try await r.setCircumstances("H1", from: month, Self.january)
            try await r.setCircumstances("H1", from: month, Self.july)
            #expect(try await r.circumstancesHistory("H1").map(\.circumstances) == [Self.july])
            let events = try await AuditLog.events(on: rt.db, entity: "circumstances", key: "H1@2025-07")
            #expect(events.map(\.action) == ["create", "update"])
            #expect(events[1].detail.contains("\"before\"") && events[1].detail.contains("basic_pension"))
            #expect(events[1].detail.contains("exit_months_paid"))
        }
    }

    @Test func aStranger_isInvalid_andChangesNothing() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let r = registry(rt)
            try await r.create(Self.record)
            let stranger = try IDNumber(validating: Fixtures.idNumber(born: "19900101", sequence: 71), today: Fixtures.today)
            let bad = Circumstances(members: [MemberCircumstances(idNumber: stranger), MemberCircumstances(idNumber: Self.head, yearsApart: -1)])
            do {
                try await r.setCircumstances("H1", from: Month(year: 2025, month: 7)!, bad)
                Issue.record("expected invalid")
            } catch let StoreError.invalid(problems) {
                #expect(problems.map(\.field) == ["circumstances.members[0].id_number", "circumstances.members[1].years_apart"])
            }
            #expect(try await r.circumstancesHistory("H1").isEmpty)
        }
    }

    @Test func outsideTheJurisdiction_isNotFound() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            try await registry(rt).create(Self.record)
            let townships = Divisions.bundled.townships(in: try DivisionCode("530428"))
            let elsewhere = registry(rt, scope: Jurisdiction(division: townships[1].code))
            await #expect(throws: StoreError.notFound(entity: "household", key: "H1")) {
                try await elsewhere.setCircumstances("H1", from: Month(year: 2025, month: 7)!, Self.january)
            }
            await #expect(throws: StoreError.notFound(entity: "household", key: "H1")) {
                _ = try await elsewhere.circumstances("H1", in: Month(year: 2025, month: 7)!)
            }
        }
    }

    @Test func aMemberWhoLeft_takesTheirCircumstancesWithThem() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            let r = registry(rt)
            try await r.create(Self.record)
            let spouse = Self.record.members[1].idNumber
            let c = Circumstances(members: [MemberCircumstances(idNumber: Self.head, school: .primary),
                                            MemberCircumstances(idNumber: spouse, residence: .prison)])
            try await r.setCircumstances("H1", from: Month(year: 2025, month: 1)!, c)
            var smaller = Self.record
            smaller.members.removeLast()
            try await r.replace("H1", with: smaller)
            let now = try await r.circumstances("H1", in: Month(year: 2025, month: 7)!)
            #expect(now.members.map(\.idNumber) == [Self.head])
        }
    }
}
