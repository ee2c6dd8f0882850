import FluentPostgresDriver
import Foundation

/// Words for a failure to reach or use the database, naming the server (password hidden) and
/// the cause, instead of a driver's generic text.
enum DatabaseFailure {
    static func describe(_ error: any Error, at location: DatabaseLocation) -> String {
        if let e = error as? PSQLError {
            var parts = ["PostgreSQL at \(location.redacted): \(e.code)"]
            if let message = e.serverInfo?[.message] { parts.append(message) }
            if let underlying = e.underlying { parts.append(String(describing: underlying)) }
            return parts.joined(separator: ": ")
        }
        return "\(location.redacted): \(error)"
    }
}
