import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import JiuzhuTestSupport
import Testing

@Suite struct ServeCommandTests {
    /// `jiuzhu serve` on a new database migrates it, loads the demo county, prints its address and answers.
    @Test func serve_onANewDatabase_servesTheDemoCounty() async throws {
        let dir = try CLI.tempDir()
        let port = 18_000 + Int.random(in: 0..<2_000)
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = ["serve", "--port", String(port), "--database", dir.appendingPathComponent("demo.sqlite").path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { p.terminate(); p.waitUntilExit() }

        var health: String?
        for _ in 0..<300 where health == nil {          // up to 30 s for migration + demo load in a debug build
            try await Task.sleep(nanoseconds: 100_000_000)
            health = try? await get("http://127.0.0.1:\(port)/health")
        }
        #expect(health?.contains("\"status\":\"ok\"") == true)
        let home = try await get("http://127.0.0.1:\(port)/")
        #expect(home.contains("元江哈尼族彝族傣族自治县"))
        #expect(home.contains("2,000"))
        p.terminate()
        p.waitUntilExit()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.contains("http://127.0.0.1:\(port)/"))
        #expect(printed.contains("demo county"))
    }

    func get(_ url: String) async throws -> String {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw URLError(.badServerResponse) }
        return String(decoding: data, as: UTF8.self)
    }
}
