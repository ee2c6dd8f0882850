import FluentKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit

/// A database opened outside the web server (commands, tests): its own event loops,
/// thread pool and Fluent `Databases`, the registry's migrations, and the migration rule:
/// a new database is created and migrated by any command; an existing one with pending
/// migrations is migrated only by `jiuzhu migrate`.
public final class StoreRuntime: Sendable {
    public let location: DatabaseLocation
    public let databases: Databases
    let eventLoopGroup: MultiThreadedEventLoopGroup
    let threadPool: NIOThreadPool
    public let logger: Logger

    /// `logger` defaults to one that reports only critical driver events: a command reports its own errors.
    public init(location: DatabaseLocation, logger: Logger = StoreRuntime.quietLogger) throws {
        self.location = location
        self.logger = logger
        eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        databases = Databases(threadPool: threadPool, on: eventLoopGroup)
        if case .sqlite(let path) = location {
            let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if !FileManager.default.fileExists(atPath: dir) {
                throw StoreError.cannotOpen("the folder \(dir) for the SQLite file does not exist")
            }
        }
        databases.use(try location.factory(), as: .jiuzhu, isDefault: true)
    }

    public static var quietLogger: Logger {
        var l = Logger(label: "jiuzhu.store")
        l.logLevel = .critical
        return l
    }

    /// A database handle for one unit of work.
    public var db: any Database {
        databases.database(.jiuzhu, logger: logger, on: eventLoopGroup.any())!
    }

    public var sql: any SQLDatabase { db as! any SQLDatabase }

    public var migrator: Migrator {
        let migrations = Migrations()
        JiuzhuMigrations.register(on: migrations, id: .jiuzhu)
        return Migrator(databases: databases, migrations: migrations, logger: logger, on: eventLoopGroup.any(), migrationLogLevel: .debug)
    }

    /// Whether the database is new, up to date, or waiting for `jiuzhu migrate`.
    public func migrationState() async throws -> MigrationState {
        try await JiuzhuMigrations.state(of: db, migrator: migrator)
    }

    /// Creates and migrates a new database; refuses one with pending migrations.
    /// Every command except `migrate` opens its database through this.
    @discardableResult
    public func prepareForUse() async throws -> MigrationState {
        try await DatabaseGate.prepareForUse(db: db, migrator: migrator, location: location)
    }

    /// Applies every pending migration (what `jiuzhu migrate` does). Returns their names.
    @discardableResult
    public func migrate() async throws -> [String] {
        do {
            return try await DatabaseGate.migrate(migrator)
        } catch {
            throw StoreError.cannotOpen(DatabaseFailure.describe(error, at: location))
        }
    }

    public func shutdown() async {
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
        try? await eventLoopGroup.shutdownGracefully()
    }
}

extension DatabaseID {
    public static let jiuzhu = DatabaseID(string: "jiuzhu")
}

public enum MigrationState: Equatable, Sendable {
    /// No Jiuzhu tables yet.
    case new
    case current
    /// Migrations not yet applied, by name.
    case pending([String])
}
