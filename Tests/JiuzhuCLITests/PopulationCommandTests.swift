import Foundation
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
import Testing

@Suite struct PopulationCommandTests {
    func fresh() async throws -> (db: String, cleanup: @Sendable () async -> Void) {
        let (location, cleanup) = try await TestDatabase.make()
        return (databaseArgument(location), cleanup)
    }

    @Test func synth10000_import_export_roundTripsExactly() async throws {
        let (db, cleanup) = try await fresh()
        let dir = try CLI.tempDir()
        let synth = try CLI.run(["synth", "--households", "10000", "--seed", "1", "--today", "2025-07-15", "--out", dir.appendingPathComponent("in").path])
        #expect(synth.status == 0, "\(synth.stderr)")
        let imp = try CLI.run(["import", "population", "--database", db,
                               "--households", dir.appendingPathComponent("in/households.csv").path,
                               "--members", dir.appendingPathComponent("in/members.csv").path])
        #expect(imp.status == 0, "\(imp.stderr)")
        #expect(imp.stdout.contains("imported 10000 households"))
        let exp = try CLI.run(["export", "population", "--database", db, "--out", dir.appendingPathComponent("out").path])
        #expect(exp.status == 0, "\(exp.stderr)")
        for name in ["households.csv", "members.csv"] {
            let a = try Data(contentsOf: dir.appendingPathComponent("in/\(name)"))
            let b = try Data(contentsOf: dir.appendingPathComponent("out/\(name)"))
            #expect(a == b, "\(name) differs after the round trip")
        }
        await cleanup()
    }

    @Test func synth_sameSeed_sameFiles_otherSeed_otherFiles() throws {
        let dir = try CLI.tempDir()
        for (sub, seed) in [("a", "7"), ("b", "7"), ("c", "8")] {
            #expect(try CLI.run(["synth", "--households", "300", "--seed", seed, "--today", "2025-07-15", "--out", dir.appendingPathComponent(sub).path]).status == 0)
        }
        let read = { (s: String) in try Data(contentsOf: dir.appendingPathComponent("\(s)/members.csv")) }
        #expect(try read("a") == read("b"))
        #expect(try read("a") != read("c"))
    }

    /// One bad row anywhere refuses the whole file, names its line, and leaves the registry as it was.
    @Test(arguments: [
        ("bad check digit", "members.csv line 101, column id_number: check digit"),
        ("unknown household", "members.csv line 101, column household_id"),
        ("missing column", "households.csv line 1"),
        ("duplicate ID", "members.csv line 101, column id_number"),
    ])
    func import_oneBadRow_isRefusedWhole_andChangesNothing(flaw: String, expected: String) async throws {
        let (db, cleanup) = try await fresh()
        let dir = try CLI.tempDir()
        // A registry that already holds 50 households.
        #expect(try CLI.run(["synth", "--households", "50", "--seed", "3", "--today", "2025-07-15", "--out", dir.appendingPathComponent("base").path]).status == 0)
        #expect(try CLI.run(["import", "population", "--database", db, "--households", dir.appendingPathComponent("base/households.csv").path,
                             "--members", dir.appendingPathComponent("base/members.csv").path]).status == 0)
        #expect(try CLI.run(["export", "population", "--database", db, "--out", dir.appendingPathComponent("before").path]).status == 0)

        // A new file of 200 households (other IDs) with one flaw on members line 101 (or the households header).
        #expect(try CLI.run(["synth", "--households", "200", "--seed", "4", "--today", "2025-07-15", "--out", dir.appendingPathComponent("new").path]).status == 0)
        let hURL = dir.appendingPathComponent("new/households.csv"), mURL = dir.appendingPathComponent("new/members.csv")
        var hLines = try String(contentsOf: hURL, encoding: .utf8).components(separatedBy: "\n")
        var mLines = try String(contentsOf: mURL, encoding: .utf8).components(separatedBy: "\n")
        var fields = mLines[100].components(separatedBy: ",")   // line 101
        switch flaw {
        case "bad check digit":
            var id = Array(fields[1]); id[17] = id[17] == "0" ? "1" : "0"; fields[1] = String(id)
        case "unknown household":
            fields[0] = "NO-SUCH-HOUSEHOLD"
        case "missing column":
            hLines[0] = hLines[0].components(separatedBy: ",").filter { $0 != "houses" }.joined(separator: ",")
            hLines = hLines.enumerated().map { i, l in i == 0 || l.isEmpty ? l : l.components(separatedBy: ",").enumerated().filter { $0.offset != 6 }.map(\.element).joined(separator: ",") }
        default: // duplicate ID: line 101 repeats the ID number on line 2
            fields[1] = mLines[1].components(separatedBy: ",")[1]
        }
        mLines[100] = fields.joined(separator: ",")
        try hLines.joined(separator: "\n").write(to: hURL, atomically: true, encoding: .utf8)
        try mLines.joined(separator: "\n").write(to: mURL, atomically: true, encoding: .utf8)

        let r = try CLI.run(["import", "population", "--database", db, "--households", hURL.path, "--members", mURL.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains(expected), "\(flaw): \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack"))

        #expect(try CLI.run(["export", "population", "--database", db, "--out", dir.appendingPathComponent("after").path]).status == 0)
        for name in ["households.csv", "members.csv"] {
            #expect(try Data(contentsOf: dir.appendingPathComponent("before/\(name)")) == Data(contentsOf: dir.appendingPathComponent("after/\(name)")))
        }
        await cleanup()
    }

    @Test func import_idNumberAlreadyInTheRegistry_namesTheLineAndBothHouseholds() async throws {
        let (db, cleanup) = try await fresh()
        let dir = try CLI.tempDir()
        #expect(try CLI.run(["synth", "--households", "20", "--seed", "5", "--today", "2025-07-15", "--out", dir.appendingPathComponent("a").path]).status == 0)
        let a = dir.appendingPathComponent("a")
        #expect(try CLI.run(["import", "population", "--database", db, "--households", a.appendingPathComponent("households.csv").path,
                             "--members", a.appendingPathComponent("members.csv").path]).status == 0)
        // Same people again under new household IDs.
        let b = dir.appendingPathComponent("b")
        try FileManager.default.createDirectory(at: b, withIntermediateDirectories: true)
        for name in ["households.csv", "members.csv"] {
            let text = try String(contentsOf: a.appendingPathComponent(name), encoding: .utf8)
            try text.replacingOccurrences(of: "H0", with: "X0").write(to: b.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let firstMember = try String(contentsOf: a.appendingPathComponent("members.csv"), encoding: .utf8).components(separatedBy: "\n")[1]
        let (hid, id) = (firstMember.components(separatedBy: ",")[0], firstMember.components(separatedBy: ",")[1])
        let r = try CLI.run(["import", "population", "--database", db, "--households", b.appendingPathComponent("households.csv").path,
                             "--members", b.appendingPathComponent("members.csv").path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("members.csv line 2, column id_number: \(id)"), "\(r.stderr)")
        #expect(r.stderr.contains("household \(hid.replacingOccurrences(of: "H0", with: "X0"))") && r.stderr.contains("household \(hid)"))
        await cleanup()
    }

    @Test func command_onADatabaseWithPendingMigrations_saysRunMigrate() async throws {
        let (location, cleanup) = try await TestDatabase.make()
        let rt = try StoreRuntime(location: location)
        try await rt.prepareForUse()
        try await rt.sql.raw("DROP TABLE audit_events").run()
        try await rt.sql.raw("DELETE FROM _fluent_migrations WHERE name IN ('M003CreateAuditEvents', 'M005ChainAuditEvents')").run()
        await rt.shutdown()
        let dir = try CLI.tempDir()
        let r = try CLI.run(["export", "population", "--database", databaseArgument(location), "--out", dir.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("pending migration") && r.stderr.contains("jiuzhu migrate"))
        let m = try CLI.run(["migrate", "--database", databaseArgument(location)])
        #expect(m.status == 0)
        #expect(m.stdout.contains("M003CreateAuditEvents") && m.stdout.contains("M005ChainAuditEvents"))
        #expect(try CLI.run(["export", "population", "--database", databaseArgument(location), "--out", dir.path]).status == 0)
        await cleanup()
    }

    @Test func import_missingFile_isAClearError() throws {
        let dir = try CLI.tempDir()
        let r = try CLI.run(["import", "population", "--database", dir.appendingPathComponent("x.sqlite").path,
                             "--households", "/nonexistent/h.csv", "--members", "/nonexistent/m.csv"])
        #expect(r.status == 1)
        #expect(r.stderr == "jiuzhu: /nonexistent/h.csv: no such file\n")
    }
}
