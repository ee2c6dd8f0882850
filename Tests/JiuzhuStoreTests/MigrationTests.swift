import FluentKit
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
import SQLKit
import Testing

@Suite struct MigrationTests {
    @Test func newDatabase_isNew_thenPrepareForUse_migratesToCurrent() async throws {
        try await TestDatabase.withRuntime(migrate: false) { rt async throws in
            #expect(try await rt.migrationState() == .new)
            let state = try await rt.prepareForUse()
            #expect(state == .new)
            #expect(try await rt.migrationState() == .current)
            // The tables exist and are empty.
            let n = try await rt.sql.raw("SELECT COUNT(*) AS n FROM households").first()!.decode(column: "n", as: Int.self)
            #expect(n == 0)
        }
    }

    @Test func pendingMigration_refusedByPrepare_appliedOnlyByMigrate_andChainsTheOlderRecords() async throws {
        try await TestDatabase.withRuntime { rt async throws in
            // A database made by an older Jiuzhu: two audit records, the chain migration not yet applied.
            let registry = Registry(db: rt.db, actor: AuditActor("test"), now: { Fixtures.now })
            try await registry.create(Fixtures.record("H1"))
            _ = try await registry.household("H1")
            try await rt.sql.raw("DROP INDEX audit_events_prev_hash").run()
            for column in ["address", "prev_hash", "hash"] {
                try await rt.sql.raw("ALTER TABLE audit_events DROP COLUMN \(unsafeRaw: column)").run()
            }
            try await rt.sql.raw("DELETE FROM _fluent_migrations WHERE name = 'M005ChainAuditEvents'").run()
            #expect(try await rt.migrationState() == .pending(["M005ChainAuditEvents"]))
            await #expect(throws: StoreError.pendingMigrations(["M005ChainAuditEvents"])) {
                try await rt.prepareForUse()
            }
            #expect(try await rt.migrate() == ["M005ChainAuditEvents"])
            #expect(try await rt.migrationState() == .current)
            #expect(try await rt.migrate() == [])
            let chain = try await AuditChain.verify(on: rt.db)
            #expect(chain.holds && chain.checked == 2)
            _ = try await registry.household("H1")
            #expect(try await AuditChain.verify(on: rt.db).checked == 3)
        }
    }

    @Test func pendingMigrationsError_tellsTheUserToRunMigrate() {
        #expect(StoreError.pendingMigrations(["M009X"]).description.contains("jiuzhu migrate"))
    }
}

@Suite struct DatabaseLocationTests {
    @Test func resolve_prefersOption_thenEnvironment_thenDefaultFile() throws {
        #expect(try DatabaseLocation.resolve(option: "a.sqlite", environment: ["JIUZHU_DATABASE_URL": "postgres://x@h/db"]) == .sqlite(path: "a.sqlite"))
        #expect(try DatabaseLocation.resolve(option: nil, environment: ["JIUZHU_DATABASE_URL": "postgres://x@h/db"]) == .postgres(url: "postgres://x@h/db"))
        #expect(try DatabaseLocation.resolve(option: nil, environment: [:]) == .sqlite(path: "./jiuzhu.sqlite"))
    }

    @Test func parsing_acceptsSQLiteURLsAndPostgresql_rejectsOtherSchemes() throws {
        #expect(try DatabaseLocation(parsing: "sqlite:///tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        #expect(try DatabaseLocation(parsing: "sqlite:x.sqlite") == .sqlite(path: "x.sqlite"))
        #expect(try DatabaseLocation(parsing: "postgresql://u@h/d") == .postgres(url: "postgres://u@h/d"))
        #expect(throws: DatabaseLocationError.unsupported("mysql://u@h/d")) { try DatabaseLocation(parsing: "mysql://u@h/d") }
        #expect(throws: DatabaseLocationError.empty) { try DatabaseLocation(parsing: "  ") }
    }

    @Test func redacted_hidesThePassword() throws {
        let l = try DatabaseLocation(parsing: "postgres://jiuzhu:secret@localhost:5432/jiuzhu")
        #expect(!l.redacted.contains("secret"))
        #expect(l.redacted.contains("localhost"))
    }
}
