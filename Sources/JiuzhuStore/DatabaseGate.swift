import FluentKit
import SQLKit

/// The one rule for opening a database, shared by the commands and the server:
/// a new database is created and migrated; one with pending migrations is refused
/// (only `jiuzhu migrate` applies them); SQLite gets its server settings.
public enum DatabaseGate {
    @discardableResult
    public static func prepareForUse(db: any Database, migrator: Migrator, location: DatabaseLocation) async throws -> MigrationState {
        let state: MigrationState
        do {
            state = try await JiuzhuMigrations.state(of: db, migrator: migrator)
        } catch {
            throw StoreError.cannotOpen(DatabaseFailure.describe(error, at: location))
        }
        switch state {
        case .new: try await migrate(migrator)
        case .pending(let names): throw StoreError.pendingMigrations(names)
        case .current: break
        }
        if case .sqlite = location {
            let sql = db as! any SQLDatabase
            try await sql.raw("PRAGMA journal_mode=WAL").run()
            try await sql.raw("PRAGMA synchronous=NORMAL").run()
            try await sql.raw("PRAGMA busy_timeout=5000").run()
        }
        return state
    }

    @discardableResult
    public static func migrate(_ migrator: Migrator) async throws -> [String] {
        try await migrator.setupIfNeeded().get()
        let pending = try await migrator.previewPrepareBatch().get().map { $0.0.name }
        if !pending.isEmpty { try await migrator.prepareBatch().get() }
        return pending
    }
}
