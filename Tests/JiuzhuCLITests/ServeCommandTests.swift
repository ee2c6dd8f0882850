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
        // The home page asks for sign-in; a demo user signs in and sees the demo county.
        let home = try await get("http://127.0.0.1:\(port)/")
        #expect(home.contains("<form method=\"post\" action=\"/login\">"))
        var login = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v1/auth/login")!)
        login.httpMethod = "POST"
        login.setValue("application/json", forHTTPHeaderField: "Content-Type")
        login.httpBody = Data(#"{"username":"admin","password":"jiuzhu-demo"}"#.utf8)
        let (data, _) = try await URLSession.shared.data(for: login)
        let token = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["token"] as? String)
        var list = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v1/households?per_page=1")!)
        list.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (page, _) = try await URLSession.shared.data(for: list)
        #expect(String(decoding: page, as: UTF8.self).contains("\"total\":2000"))
        p.terminate()
        p.waitUntilExit()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.contains("http://127.0.0.1:\(port)/"))
        #expect(printed.contains("demo county"))
        #expect(printed.contains("demo users (password jiuzhu-demo): admin"))
    }

    func get(_ url: String) async throws -> String {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw URLError(.badServerResponse) }
        return String(decoding: data, as: UTF8.self)
    }
}
