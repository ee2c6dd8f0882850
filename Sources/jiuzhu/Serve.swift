import ArgumentParser
import Foundation
import JiuzhuStore
import JiuzhuWeb
import Logging
import Vapor

/// `jiuzhu serve`: the web application and API.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the web application (loads a demo county into a new database).")

    @OptionGroup var db: DatabaseOptions
    @ArgumentParser.Option(help: "Address to listen on. Until sign-in exists, keep the default loopback address.")
    var hostname = "127.0.0.1"
    @ArgumentParser.Option(help: "Port to listen on.")
    var port = 8080
    @ArgumentParser.Flag(help: "Do not load the demo county into a new database.")
    var noDemo = false

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1–65535") }
    }

    func run() async throws {
        try await reporting {
            let location = try db.location()
            var env = Environment(name: "production", arguments: ["jiuzhu", "serve", "--hostname", hostname, "--port", String(port)])
            try LoggingSystem.bootstrap(from: &env)
            let app = try await Application.make(env)
            do {
                let report = try await configure(app, WebConfig(location: location, hostname: hostname, port: port, demo: !noDemo))
                var lines = ["救助 Jiuzhu — database \(location.redacted)"]
                if let demo = report.demoLoaded {
                    lines.append("new database: loaded the demo county 元江县 (\(demo.households) households, \(demo.members) members)")
                    lines.append("demo users (password \(DemoCounty.password)): "
                                 + report.demoUsers.map { "\($0.username) (\($0.role.chineseName), \($0.division))" }.joined(separator: ", "))
                }
                lines.append("serving on http://\(hostname):\(port)/  (API: /api/v1, OpenAPI: /openapi.json, health: /health)")
                print(lines.joined(separator: "\n"))
                try await app.execute()
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        }
    }
}

/// `jiuzhu migrate`: applies pending migrations (the only command that migrates an existing database).
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reporting {
            let runtime = try StoreRuntime(location: try db.location())
            do {
                let applied = try await runtime.migrate()
                print(applied.isEmpty ? "database is up to date" : "applied \(applied.count) migration(s): \(applied.joined(separator: ", "))")
            } catch {
                await runtime.shutdown()
                throw error
            }
            await runtime.shutdown()
        }
    }
}
