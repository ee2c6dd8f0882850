import Foundation
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
@testable import JiuzhuWeb
import Testing
import Vapor
import VaporTesting

/// Runs `body` against an app configured on a fresh database (SQLite file, or PostgreSQL
/// when JIUZHU_TEST_DATABASE_URL is set), with the clock fixed.
func withJiuzhuApp(demo: Bool = false, _ body: (Application) async throws -> Void) async throws {
    let (location, cleanup) = try await TestDatabase.make()
    let app = try await Application.make(.testing)
    do {
        try await configure(app, WebConfig(location: location, demo: demo, now: { Fixtures.now }))
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        await cleanup()
        throw error
    }
    try await app.asyncShutdown()
    await cleanup()
}

/// Encodes a value as a JSON request body.
func jsonBody(_ value: some Encodable) throws -> ByteBuffer {
    ByteBuffer(data: try JSONEncoder().encode(value))
}

func jsonBody(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

let jsonHeaders: HTTPHeaders = ["Content-Type": "application/json"]

extension TestingHTTPResponse {
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601 // as Vapor encodes dates
        return try decoder.decode(T.self, from: Data(buffer: body))
    }
}
