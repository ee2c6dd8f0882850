import Foundation
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
import SQLKit
import Testing

@Suite struct UserAndAuditCommandTests {
    @Test func userAdd_readsThePasswordFromStdin_andRefusesBadInput() async throws {
        let (location, cleanup) = try await TestDatabase.make()
        let db = databaseArgument(location)
        let added = try CLI.run(["user", "add", "--database", db, "--username", "li.na", "--role", "township_officer",
                                 "--division", "530428101"], input: "a-long-password\n")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("added li.na: 乡镇民政干部"))
        let short = try CLI.run(["user", "add", "--database", db, "--username", "wang", "--role", "county_officer", "--division", "530428"],
                                input: "short\n")
        #expect(short.status == 1)
        #expect(short.stderr.contains("password: must be at least 10 characters"))
        let role = try CLI.run(["user", "add", "--database", db, "--username", "wang", "--role", "mayor", "--division", "530428"], input: "a-long-password\n")
        #expect(role.status != 0)
        #expect(role.stderr.contains("--role"))
        let again = try CLI.run(["user", "add", "--database", db, "--username", "li.na", "--role", "auditor", "--division", "530428"],
                                input: "a-long-password\n")
        #expect(again.stderr.contains("li.na is already taken"))
        let list = try CLI.run(["user", "list", "--database", db])
        #expect(list.stdout == "li.na\ttownship_officer\t530428101\t\tactive\n")
        await cleanup()
    }

    @Test func auditVerify_holdsOnANormalDatabase_andNamesTheAlteredRecord() async throws {
        let (location, cleanup) = try await TestDatabase.make()
        let db = databaseArgument(location)
        let dir = try CLI.tempDir()
        #expect(try CLI.run(["synth", "--households", "10", "--seed", "4", "--today", "2025-07-15", "--out", dir.path]).status == 0)
        #expect(try CLI.run(["import", "population", "--database", db, "--households", dir.appendingPathComponent("households.csv").path,
                             "--members", dir.appendingPathComponent("members.csv").path]).status == 0)
        for _ in 0..<3 { _ = try CLI.run(["explain", "--database", db, "--household", "H0000001", "--month", "2025-07"]) }
        let ok = try CLI.run(["audit", "verify", "--database", db])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.hasPrefix("audit trail holds: 4 records, last hash "))

        let rt = try StoreRuntime(location: location)
        let second = try await rt.sql.raw("SELECT id FROM audit_events ORDER BY id LIMIT 1 OFFSET 1").first()!.decode(column: "id", as: Int64.self)
        try await rt.sql.raw("UPDATE audit_events SET actor = 'someone-else' WHERE id = \(bind: second)").run()
        await rt.shutdown()
        let broken = try CLI.run(["audit", "verify", "--database", db])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("audit trail broken at record \(second): its contents do not match its hash"))
        await cleanup()
    }
}

@Suite struct FeedCommandTests {
    @Test func feedImport_reportsWhatItFound_onceOnly_andFlagsList() async throws {
        let (location, cleanup) = try await TestDatabase.make()
        let db = databaseArgument(location)
        let dir = try CLI.tempDir()
        #expect(try CLI.run(["synth", "--households", "5", "--seed", "8", "--today", "2025-07-15", "--out", dir.path]).status == 0)
        #expect(try CLI.run(["import", "population", "--database", db, "--households", dir.appendingPathComponent("households.csv").path,
                             "--members", dir.appendingPathComponent("members.csv").path]).status == 0)
        let members = try String(contentsOf: dir.appendingPathComponent("members.csv"), encoding: .utf8).split(separator: "\n")
        let someone = String(members[1].split(separator: ",")[1])
        let feed = dir.appendingPathComponent("deaths-gbk.csv")
        try "id_number,name,date_of_death\n\(someone),某人,2025-06-30\n".data(using: String.Encoding(rawValue: 0x8000_0632))!.write(to: feed)
        let r = try CLI.run(["feed", "import", "--database", db, "--department", "公安", "--file", feed.path, "--encoding", "gbk", "--as-of", "2025-07-01"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("deaths from 公安 as of 2025-07-01 (gb18030): 1 rows, 1 matched to members, 0 unknown people, 1 flags (high 1)"))
        let again = try CLI.run(["feed", "import", "--database", db, "--department", "公安", "--file", feed.path])
        #expect(again.stdout.contains("already imported"))
        let flags = try CLI.run(["feed", "flags", "--database", db])
        #expect(flags.stdout.split(separator: "\n").count == 1 && flags.stdout.contains("\thigh\tdeaths\t"))
        let verify = try CLI.run(["verify", "--database", db, "--month", "2025-07"])
        #expect(verify.status == 0, "\(verify.stderr)")
        let lines = verify.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "township\thouseholds\trecipients\trecipients_flagged\tlikely_ineligible\tbenefit_down\tnewly_eligible\tbenefit_up\tunchanged")
        let townshipLines = lines.dropFirst().prefix { !$0.isEmpty }
        #expect(townshipLines.reduce(0) { $0 + Int($1.split(separator: "\t")[1])! } == 5)   // every household verified
        #expect(townshipLines.reduce(0) { $0 + $1.split(separator: "\t")[4...].reduce(0) { $0 + Int($1)! } } == 1)   // one flagged
        #expect(lines.contains("deaths\t公安/卫健\t1\t1\t1\t1\t0\thigh 1"))
        #expect(verify.stdout.contains("已于 2025-06-30 死亡"))
        let bad = try CLI.run(["feed", "import", "--database", db, "--department", "人社", "--file", feed.path])
        #expect(bad.status == 1 && bad.stderr.contains("department: 人社 does not send deaths"))
        await cleanup()
    }
}
