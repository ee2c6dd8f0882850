import FluentKit
import SQLKit

/// The registry's migrations, in order. Append only: never edit one that has shipped.
public enum JiuzhuMigrations {
    public static var all: [any AsyncMigration] {
        [
            // 2026-11 — the registry (issue 2)
            M001CreateHouseholds(),
            M002CreateMembers(),
            M003CreateAuditEvents(),
            // 2026-12 — the household's circumstances, dated (issue 4)
            M004CreateCircumstances(),
            // 2026-12 — the audit trail chained by hash, with the caller's address (issue 5)
            M005ChainAuditEvents(),
            // 2026-12 — users and sessions (issue 5)
            M006CreateUsers(),
            M007CreateSessions(),
            // 2026-12 — case files and their timelines (issue 5)
            M008CreateCases(),
            M009CreateCaseEvents(),
            M010CreateReferrals(),
            M011CreateHouseholdVersions(),
            // 2026-12 — search by the beginning of a name (issue 6)
            M012IndexMemberNames(),
            // 2026-12 — department feeds and the flags they raise (issue 7)
            M013CreateFeeds(),
            // 2026-12 — entitlements and payment rolls (issue 8)
            M014CreatePayments(),
            // 2026-12 — the 12349 hotline (issue 9)
            M015CreateHotline(),
            M016CreateMonitoring(),
        ]
    }

    public static func register(on migrations: Migrations, id: DatabaseID?) {
        for m in all { migrations.add(m, to: id) }
    }

    /// New when Fluent's migration log is absent or empty; otherwise current or pending.
    static func state(of db: any Database, migrator: Migrator) async throws -> MigrationState {
        let sql = db as! any SQLDatabase
        let exists: Bool
        switch sql.dialect.name {
        case "sqlite":
            exists = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_fluent_migrations'")
                .first() != nil
        default:
            exists = try await sql.raw("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '_fluent_migrations'")
                .first() != nil
        }
        guard exists else { return .new }
        let applied = try await sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first()?.decode(column: "n", as: Int.self) ?? 0
        if applied == 0 { return .new }
        let pending = try await migrator.previewPrepareBatch().get().map { $0.0.name }
        return pending.isEmpty ? .current : .pending(pending)
    }
}

/// Households: the facts of Population CSV v1, keyed by `household_id`, with the county code.
struct M001CreateHouseholds: AsyncMigration {
    var name: String { "M001CreateHouseholds" }
    func prepare(on database: any Database) async throws {
        try await database.schema("households")
            .field("id", .int64, .identifier(auto: true))
            .field("household_id", .string, .required)
            .field("county_code", .string, .required)
            .field("division_code", .string, .required)
            .field("hukou_type", .string, .required)
            .field("deposits_fen", .int64, .required)
            .field("vehicles_value_fen", .int64, .required)
            .field("disability_vehicle", .bool, .required)
            .field("houses", .int64, .required)
            .field("business_registered", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "household_id")
            .create()
        // Jurisdiction scoping filters on a division-code prefix; the county code is its first six digits.
        let sql = database as! any SQLDatabase
        try await sql.create(index: "households_division_code").on("households").column("division_code").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("households").delete()
    }
}

/// Members, each in one household; an ID number is registered once in the whole registry.
struct M002CreateMembers: AsyncMigration {
    var name: String { "M002CreateMembers" }
    func prepare(on database: any Database) async throws {
        try await database.schema("members")
            .field("id", .int64, .identifier(auto: true))
            .field("household_id", .string, .required, .references("households", "household_id", onDelete: .cascade, onUpdate: .cascade))
            .field("county_code", .string, .required)
            .field("id_number", .string, .required)
            .field("name", .string, .required)
            .field("relation", .string, .required)
            .field("disability_grade", .int64, .required)
            .field("disability_kind", .string, .required)
            .field("serious_illness", .bool, .required)
            .field("veteran_disability_grade", .int64, .required)
            .field("martyr_family", .bool, .required)
            .field("demobilized_veteran", .bool, .required)
            .field("able_to_work", .bool, .required)
            .field("has_capable_supporter", .bool, .required)
            .field("care_level", .string, .required)
            .field("monthly_income_fen", .int64, .required)
            .field("employment_income_fen", .int64, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "id_number")
            .create()
        // Name search matches any part of a name (LIKE '%…%'), which no B-tree index serves.
        let sql = database as! any SQLDatabase
        try await sql.create(index: "members_household_id").on("members").column("household_id").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("members").delete()
    }
}

/// The audit trail: who did what to which record, when, with the change itself.
struct M003CreateAuditEvents: AsyncMigration {
    var name: String { "M003CreateAuditEvents" }
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_events")
            .field("id", .int64, .identifier(auto: true))
            .field("county_code", .string, .required)
            .field("at", .datetime, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("entity", .string, .required)
            .field("entity_key", .string, .required)
            .field("detail", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "audit_events_entity").on("audit_events").column("entity").column("entity_key").run()
        try await sql.create(index: "audit_events_county_code").on("audit_events").column("county_code").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("audit_events").delete()
    }
}

/// The household's circumstances beyond Population CSV v1 (JSON), one version per month from which
/// it holds: the rules for a month read the latest version that starts on or before it.
struct M004CreateCircumstances: AsyncMigration {
    var name: String { "M004CreateCircumstances" }
    func prepare(on database: any Database) async throws {
        try await database.schema("household_circumstances")
            .field("id", .int64, .identifier(auto: true))
            .field("household_id", .string, .required, .references("households", "household_id", onDelete: .cascade, onUpdate: .cascade))
            .field("county_code", .string, .required)
            .field("effective_from", .string, .required)
            .field("body", .string, .required)
            .field("recorded_at", .datetime, .required)
            .field("recorded_by", .string, .required)
            .unique(on: "household_id", "effective_from")
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("household_circumstances").delete()
    }
}

/// Chains the audit trail: each record gets the caller's address, the hash of the record before
/// it and its own hash (``AuditChain``). Records written before are chained in their order.
struct M005ChainAuditEvents: AsyncMigration {
    var name: String { "M005ChainAuditEvents" }
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        for column in ["address", "prev_hash", "hash"] {
            try await database.schema("audit_events").field(FieldKey(stringLiteral: column), .string).update()
        }
        var prev = AuditChain.genesis
        for row in try await AuditEventModel.query(on: database).sort(\.$id).all() {
            row.address = row.address ?? ""
            row.at = AuditChain.stamp(row.at)
            row.prevHash = prev
            row.hash = AuditChain.hash(row.fields)
            try await row.update(on: database)
            prev = row.hash!
        }
        // Two appends after the same record would fork the chain: the second is refused.
        let sql = database as! any SQLDatabase
        try await sql.create(index: "audit_events_prev_hash").unique().on("audit_events").column("prev_hash").run()
    }
    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "audit_events_prev_hash").run()
        for column in ["address", "prev_hash", "hash"] {
            try await database.schema("audit_events").deleteField(FieldKey(stringLiteral: column)).update()
        }
    }
}

/// Users: a role and a division each; bcrypt password hashes; the sign-in throttle's counters.
struct M006CreateUsers: AsyncMigration {
    var name: String { "M006CreateUsers" }
    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .field("id", .int64, .identifier(auto: true))
            .field("username", .string, .required)
            .field("role", .string, .required)
            .field("division_code", .string, .required)
            .field("county_code", .string, .required)
            .field("department", .string)
            .field("active", .bool, .required)
            .field("password_hash", .string, .required)
            .field("failed_logins", .int64, .required)
            .field("locked_until", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "username")
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("users").delete()
    }
}

/// Sessions: the SHA-256 of each token, its user and when it expires.
struct M007CreateSessions: AsyncMigration {
    var name: String { "M007CreateSessions" }
    func prepare(on database: any Database) async throws {
        try await database.schema("sessions")
            .field("id", .int64, .identifier(auto: true))
            .field("token_hash", .string, .required)
            .field("username", .string, .required, .references("users", "username", onDelete: .cascade, onUpdate: .cascade))
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("address", .string, .required)
            .unique(on: "token_hash")
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("sessions").delete()
    }
}

/// Case files: the columns lists and deadlines need, the file itself as JSON, and a version.
struct M008CreateCases: AsyncMigration {
    var name: String { "M008CreateCases" }
    func prepare(on database: any Database) async throws {
        try await database.schema("cases")
            .field("id", .int64, .identifier(auto: true))
            .field("number", .string, .required)
            .field("household_id", .string, .required, .references("households", "household_id", onDelete: .restrict, onUpdate: .cascade))
            .field("county_code", .string, .required)
            .field("division_code", .string, .required)
            .field("programme", .string, .required)
            .field("state", .string, .required)
            .field("version", .int64, .required)
            .field("due_on", .string)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "number")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "cases_division_state").on("cases").column("division_code").column("state").run()
        try await sql.create(index: "cases_household").on("cases").column("household_id").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("cases").delete()
    }
}

/// Each step of a case: who, when, what, from which state to which.
struct M009CreateCaseEvents: AsyncMigration {
    var name: String { "M009CreateCaseEvents" }
    func prepare(on database: any Database) async throws {
        try await database.schema("case_events")
            .field("id", .int64, .identifier(auto: true))
            .field("number", .string, .required, .references("cases", "number", onDelete: .cascade, onUpdate: .cascade))
            .field("county_code", .string, .required)
            .field("at", .datetime, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("from_state", .string, .required)
            .field("to_state", .string, .required)
            .field("detail", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "case_events_number").on("case_events").column("number").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("case_events").delete()
    }
}

/// Referrals of specialised programmes to their departments, with a due date.
struct M010CreateReferrals: AsyncMigration {
    var name: String { "M010CreateReferrals" }
    func prepare(on database: any Database) async throws {
        try await database.schema("referrals")
            .field("id", .int64, .identifier(auto: true))
            .field("number", .string, .required)
            .field("case_number", .string, .required, .references("cases", "number", onDelete: .cascade, onUpdate: .cascade))
            .field("household_id", .string, .required)
            .field("county_code", .string, .required)
            .field("division_code", .string, .required)
            .field("programme", .string, .required)
            .field("department", .string, .required)
            .field("title", .string, .required)
            .field("reason", .string, .required)
            .field("state", .string, .required)
            .field("sent_on", .string, .required)
            .field("due_on", .string, .required)
            .field("outcome", .string)
            .field("version", .int64, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "number")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "referrals_department").on("referrals").column("department").column("division_code").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("referrals").delete()
    }
}

/// The dated history of a household's facts: each version with the day it took effect, when and by
/// whom it was recorded, and whether it was a change of circumstance or a correction.
struct M011CreateHouseholdVersions: AsyncMigration {
    var name: String { "M011CreateHouseholdVersions" }
    func prepare(on database: any Database) async throws {
        try await database.schema("household_versions")
            .field("id", .int64, .identifier(auto: true))
            .field("household_id", .string, .required, .references("households", "household_id", onDelete: .cascade, onUpdate: .cascade))
            .field("county_code", .string, .required)
            .field("effective_from", .string, .required)
            .field("kind", .string, .required)
            .field("recorded_at", .datetime, .required)
            .field("recorded_by", .string, .required)
            .field("body", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "household_versions_household").on("household_versions").column("household_id").column("effective_from").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("household_versions").delete()
    }
}

/// Name search matches from the start of a name: an index makes it a range scan.
struct M012IndexMemberNames: AsyncMigration {
    var name: String { "M012IndexMemberNames" }
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.create(index: "members_name").on("members").column("name").run()
        // Within a county (the usual user's scope) the search is a range on (county, name).
        try await sql.create(index: "members_county_name").on("members").column("county_code").column("name").run()
    }
    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "members_county_name").run()
        try await sql.drop(index: "members_name").run()
    }
}

/// Department feeds (provenance; a file is applied once), the flags they raise, and the people
/// they name whom the registry does not know.
struct M013CreateFeeds: AsyncMigration {
    var name: String { "M013CreateFeeds" }
    func prepare(on database: any Database) async throws {
        try await database.schema("feed_imports")
            .field("id", .int64, .identifier(auto: true))
            .field("kind", .string, .required)
            .field("department", .string, .required)
            .field("as_of", .string, .required)
            .field("file_name", .string, .required)
            .field("digest", .string, .required)
            .field("encoding", .string, .required)
            .field("rows", .int64, .required)
            .field("matched", .int64, .required)
            .field("unknown", .int64, .required)
            .field("flags", .int64, .required)
            .field("imported_at", .datetime, .required)
            .field("imported_by", .string, .required)
            .field("scope", .string, .required)
            .unique(on: "kind", "digest", "scope")
            .create()
        try await database.schema("flags")
            .field("id", .int64, .identifier(auto: true))
            .field("feed_import_id", .int64, .required, .references("feed_imports", "id", onDelete: .cascade))
            .field("household_id", .string, .required, .references("households", "household_id", onDelete: .cascade, onUpdate: .cascade))
            .field("county_code", .string, .required)
            .field("division_code", .string, .required)
            .field("kind", .string, .required)
            .field("severity", .string, .required)
            .field("id_number", .string)
            .field("message", .string, .required)
            .field("evidence", .string, .required)
            .field("citation", .string, .required)
            .field("feed_digest", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("feed_leads")
            .field("id", .int64, .identifier(auto: true))
            .field("feed_import_id", .int64, .required, .references("feed_imports", "id", onDelete: .cascade))
            .field("line", .int64, .required)
            .field("id_number", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "flags_division").on("flags").column("division_code").column("status").run()
        try await sql.create(index: "flags_household").on("flags").column("household_id").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("feed_leads").delete()
        try await database.schema("flags").delete()
        try await database.schema("feed_imports").delete()
    }
}

struct M014CreatePayments: AsyncMigration {
    var name: String { "M014CreatePayments" }
    func prepare(on database: any Database) async throws {
        try await database.schema("entitlements")
            .field("id", .int64, .identifier(auto: true))
            .field("household_id", .string, .required, .references("households", "household_id", onDelete: .restrict, onUpdate: .cascade))
            .field("county_code", .string, .required)
            .field("division_code", .string, .required)
            .field("programme", .string, .required)
            .field("payee_id_number", .string, .required)
            .field("bank_account", .string)
            .field("first_month", .string, .required)
            .field("owed_from", .string, .required)
            .field("end_month", .string)
            .field("next_review", .string)
            .field("source", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("entitlement_amounts")
            .field("id", .int64, .identifier(auto: true))
            .field("entitlement_id", .int64, .required, .references("entitlements", "id", onDelete: .cascade))
            .field("from_month", .string, .required)
            .field("amount_fen", .int64, .required)
            .field("reason", .string, .required)
            .field("recorded_at", .datetime, .required)
            .unique(on: "entitlement_id", "from_month")
            .create()
        try await database.schema("entitlement_reviews")
            .field("id", .int64, .identifier(auto: true))
            .field("entitlement_id", .int64, .required, .references("entitlements", "id", onDelete: .cascade))
            .field("reviewed_on", .string, .required)
            .field("outcome", .string, .required)
            .field("notice", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.schema("reserve_ledger")
            .field("id", .int64, .identifier(auto: true))
            .field("township", .string, .required)
            .field("county_code", .string, .required)
            .field("year", .int64, .required)
            .field("entry_on", .string, .required)
            .field("kind", .string, .required)
            .field("amount_fen", .int64, .required)
            .field("case_number", .string)
            .field("note", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.schema("funeral_assistance")
            .field("id", .int64, .identifier(auto: true))
            .field("county_code", .string, .required)
            .field("household_id", .string, .required)
            .field("deceased_id_number", .string, .required)
            .field("entitlement_id", .int64, .required, .references("entitlements", "id", onDelete: .restrict))
            .field("choice", .string, .required)
            .field("amount_fen", .int64, .required)
            .field("pay_month", .string, .required)
            .field("notice", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .unique(on: "deceased_id_number")
            .create()
        try await database.schema("emergencies")
            .field("id", .int64, .identifier(auto: true))
            .field("county_code", .string, .required)
            .field("name", .string, .required)
            .field("divisions", .string, .required)
            .field("from_month", .string, .required)
            .field("to_month", .string, .required)
            .field("raise", .string, .required)
            .field("subsidy_per_person_fen", .int64, .required)
            .field("subsidy_month", .string)
            .field("declared_by", .string, .required)
            .field("declared_at", .datetime, .required)
            .create()
        try await database.schema("price_indices")
            .field("id", .int64, .identifier(auto: true))
            .field("county_code", .string, .required)
            .field("month", .string, .required)
            .field("cpi_rise", .string, .required)
            .field("food_cpi_rise", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .unique(on: "county_code", "month")
            .create()
        try await database.schema("recipient_imports")
            .field("id", .int64, .identifier(auto: true))
            .field("digest", .string, .required)
            .field("scope", .string, .required)
            .field("file_name", .string, .required)
            .field("lines", .int64, .required)
            .field("owed_from", .string, .required)
            .field("imported_at", .datetime, .required)
            .field("imported_by", .string, .required)
            .unique(on: "digest", "scope")
            .create()
        try await database.schema("payroll_runs")
            .field("id", .int64, .identifier(auto: true))
            .field("county_code", .string, .required)
            .field("month", .string, .required)
            .field("status", .string, .required)
            .field("lines", .int64, .required)
            .field("total_fen", .int64, .required)
            .field("generated_at", .datetime, .required)
            .field("generated_by", .string, .required)
            .field("confirmed_at", .datetime)
            .field("confirmed_by", .string)
            .field("exported_at", .datetime)
            .field("exported_by", .string)
            .unique(on: "county_code", "month")
            .create()
        try await database.schema("payroll_lines")
            .field("id", .int64, .identifier(auto: true))
            .field("run_id", .int64, .required, .references("payroll_runs", "id", onDelete: .cascade))
            .field("month", .string, .required)
            .field("for_month", .string, .required)
            .field("kind", .string, .required)
            .field("entitlement_id", .int64, .required, .references("entitlements", "id", onDelete: .restrict))
            .field("household_id", .string, .required)
            .field("county_code", .string, .required)
            .field("division_code", .string, .required)
            .field("programme", .string, .required)
            .field("payee_id_number", .string, .required)
            .field("payee_name", .string, .required)
            .field("bank_account", .string, .required)
            .field("amount_fen", .int64, .required)
            .field("status", .string, .required)
            .field("note", .string, .required)
            .unique(on: "run_id", "entitlement_id", "for_month", "kind")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "entitlements_county").on("entitlements").column("county_code").run()
        try await sql.create(index: "entitlements_household").on("entitlements").column("household_id").run()
        try await sql.create(index: "payroll_lines_entitlement").on("payroll_lines").column("entitlement_id").column("for_month").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("payroll_lines").delete()
        try await database.schema("payroll_runs").delete()
        try await database.schema("recipient_imports").delete()
        try await database.schema("entitlement_reviews").delete()
        try await database.schema("price_indices").delete()
        try await database.schema("reserve_ledger").delete()
        try await database.schema("emergencies").delete()
        try await database.schema("funeral_assistance").delete()
        try await database.schema("entitlement_amounts").delete()
        try await database.schema("entitlements").delete()
    }
}

struct M015CreateHotline: AsyncMigration {
    var name: String { "M015CreateHotline" }
    func prepare(on database: any Database) async throws {
        try await database.schema("hotline_tickets")
            .field("id", .int64, .identifier(auto: true))
            .field("number", .string, .required)
            .field("county_code", .string, .required)
            .field("kind", .string, .required)
            .field("caller", .string, .required)
            .field("phone", .string, .required)
            .field("household_id", .string)
            .field("description", .string, .required)
            .field("received_on", .string, .required)
            .field("routed_to", .string, .required)
            .field("due_on", .string, .required)
            .field("provisional", .bool, .required)
            .field("state", .string, .required)
            .field("closed_on", .string)
            .field("resolution", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .unique(on: "number")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "hotline_tickets_county").on("hotline_tickets").column("county_code").column("due_on").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("hotline_tickets").delete()
    }
}

struct M016CreateMonitoring: AsyncMigration {
    var name: String { "M016CreateMonitoring" }
    func prepare(on database: any Database) async throws {
        try await database.schema("monitoring_pushes")
            .field("id", .int64, .identifier(auto: true))
            .field("scope", .string, .required)
            .field("kind", .string, .required)
            .field("department", .string, .required)
            .field("push_type", .string, .required)
            .field("received_on", .string, .required)
            .field("file_name", .string, .required)
            .field("digest", .string, .required)
            .field("rows", .int64, .required)
            .field("signalled", .int64, .required)
            .field("warnings", .int64, .required)
            .field("already_open", .int64, .required)
            .field("below_threshold", .int64, .required)
            .field("outside", .int64, .required)
            .field("imported_by", .string, .required)
            .field("imported_at", .datetime, .required)
            .unique(on: "scope", "kind", "digest")
            .create()
        try await database.schema("warnings")
            .field("id", .int64, .identifier(auto: true))
            .field("push_id", .int64)
            .field("source", .string, .required)
            .field("initial", .bool, .required)
            .field("id_number", .string, .required)
            .field("name", .string)
            .field("household_id", .string)
            .field("division_hint", .string)
            .field("county_code", .string)
            .field("township_code", .string)
            .field("groups", .string, .required)
            .field("reason", .string, .required)
            .field("state", .string, .required)
            .field("received_on", .string, .required)
            .field("county_due", .string)
            .field("sent_to_county_on", .string)
            .field("township_due", .string)
            .field("dispatched_on", .string)
            .field("visit_due", .string)
            .field("visited_on", .string)
            .field("findings", .string)
            .field("outcome", .string)
            .field("outcome_ref", .string)
            .field("classified_on", .string)
            .field("closed_on", .string)
            .field("next_visit_due", .string)
            .field("provisional", .bool, .required)
            .field("version", .int64, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.schema("warning_visits")
            .field("id", .int64, .identifier(auto: true))
            .field("warning_id", .int64, .required)
            .field("visited_on", .string, .required)
            .field("visitor", .string, .required)
            .field("findings", .string, .required)
            .field("repeat_visit", .bool, .required)
            .create()
        try await database.schema("warning_escalations")
            .field("warning_id", .int64, .required)
            .field("step", .string, .required)
            .field("due_on", .string, .required)
            .field("escalated_on", .string, .required)
            .field("escalated_to", .string, .required)
            .unique(on: "warning_id", "step", "due_on")
            .create()
        try await database.schema("hotline_tickets").field("escalated_on", .string).update()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "warnings_county").on("warnings").column("county_code").column("state").run()
        try await sql.create(index: "warnings_township").on("warnings").column("township_code").column("state").run()
        try await sql.create(index: "warnings_person").on("warnings").column("id_number").run()
        try await sql.create(index: "warning_visits_warning").on("warning_visits").column("warning_id").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("hotline_tickets").deleteField("escalated_on").update()
        for t in ["warning_escalations", "warning_visits", "warnings", "monitoring_pushes"] { try await database.schema(t).delete() }
    }
}
