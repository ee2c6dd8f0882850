import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation

/// Where the registry lives: an SQLite file (the embedded default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case sqliteInMemory(name: String)
    case postgres(url: String)

    /// The default SQLite file, relative to the working directory.
    public static let defaultSQLitePath = "./jiuzhu.sqlite"

    /// The environment variable that points Jiuzhu at PostgreSQL (or another SQLite file).
    public static let environmentVariable = "JIUZHU_DATABASE_URL"

    /// Reads a location as a user writes it: `postgres://user:pass@host:5432/db` (or
    /// `postgresql://`), `sqlite:///abs/path.sqlite`, `sqlite:relative.sqlite`, or a plain file path.
    public init(parsing text: String) throws(DatabaseLocationError) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { throw .empty }
        if t.hasPrefix("postgres://") || t.hasPrefix("postgresql://") {
            self = .postgres(url: t.hasPrefix("postgresql://") ? "postgres://" + t.dropFirst("postgresql://".count) : t)
        } else if t.hasPrefix("sqlite://") {
            let path = String(t.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw .unsupported(text) }
            self = .sqlite(path: path)
        } else if t.hasPrefix("sqlite:") {
            let path = String(t.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw .unsupported(text) }
            self = .sqlite(path: path)
        } else if t.contains("://") {
            throw .unsupported(text)
        } else {
            self = .sqlite(path: t)
        }
    }

    /// The `--database` option if given, else `JIUZHU_DATABASE_URL`, else `./jiuzhu.sqlite`.
    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(DatabaseLocationError) -> DatabaseLocation
    {
        if let option { return try DatabaseLocation(parsing: option) }
        if let env = environment[environmentVariable], !env.isEmpty { return try DatabaseLocation(parsing: env) }
        return .sqlite(path: defaultSQLitePath)
    }

    public var isPostgres: Bool { if case .postgres = self { return true } else { return false } }

    /// The Fluent configuration for this location.
    public func factory() throws -> DatabaseConfigurationFactory {
        switch self {
        case .sqlite(let path):
            return .sqlite(.file(path), sqlLogLevel: nil)
        case .sqliteInMemory(let name):
            return .sqlite(.init(storage: .memory(identifier: name)), sqlLogLevel: nil)
        case .postgres(let url):
            do {
                return try .postgres(url: url, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace)
            } catch {
                throw DatabaseLocationError.badPostgresURL(redacted)
            }
        }
    }

    /// The location with any password hidden, for messages and logs.
    public var redacted: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .sqliteInMemory(let name): return "sqlite in memory (\(name))"
        case .postgres(let url):
            guard var c = URLComponents(string: url) else { return "postgres://…" }
            if c.password != nil { c.password = "***" }
            return c.string ?? "postgres://…"
        }
    }

    public var description: String { redacted }
}

public enum DatabaseLocationError: Error, Equatable, CustomStringConvertible {
    case empty
    case unsupported(String)
    case badPostgresURL(String)

    public var description: String {
        switch self {
        case .empty: return "database: the location is empty; give a file path or a postgres:// URL"
        case .unsupported(let t): return "database: '\(t)' is neither a postgres:// URL nor an SQLite file path"
        case .badPostgresURL(let t): return "database: '\(t)' is not a valid PostgreSQL URL (postgres://user:password@host:port/database)"
        }
    }
}
