import Foundation
import JiuzhuCore
import JiuzhuTestSupport
import Testing

@Suite struct MonitorCommandTests {
    /// A 医保 push naming every registered member (half at or above the 40,000-yuan burden), received
    /// while the process is killed at a random moment, then again: exactly one push and one warning
    /// for each member at or above the burden, all due at the county on 2025-10-11; the same file a
    /// third time changes nothing; a step out of order is refused with its reason; the report.
    @Test func aPushKilledPartWay_andRerun_makesExactlyTheExpectedWarnings() async throws {
        let (location, cleanup) = try await TestDatabase.make()
        let db = databaseArgument(location)
        let dir = try CLI.tempDir()
        #expect(try CLI.run(["synth", "--households", "300", "--seed", "5", "--today", "2025-07-15", "--out", dir.path]).status == 0)
        #expect(try CLI.run(["import", "population", "--database", db, "--households", dir.appendingPathComponent("households.csv").path,
                             "--members", dir.appendingPathComponent("members.csv").path]).status == 0)
        let members = try String(contentsOf: dir.appendingPathComponent("members.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { String($0.split(separator: ",")[1]) }
        var text = "id_number,year,self_paid_fen\n"
        var expected = 0
        for (i, id) in members.enumerated() {
            let fen = i % 2 == 0 ? 4_000_000 + i : 3_999_999 - i
            if fen >= 4_000_000 { expected += 1 }
            text += "\(id),2025,\(fen)\n"
        }
        let file = dir.appendingPathComponent("yb.csv")
        try Data(text.utf8).write(to: file)
        let push = ["monitor", "push", "--database", db, "--department", "医保", "--file", file.path, "--received-on", "2025-09-30"]
        try await PayrollCommandTests.killedPartWay(push)
        let done = try CLI.run(push)
        #expect(done.status == 0, "\(done.stderr)")
        let listed = try CLI.run(["monitor", "list", "--database", db])
        let lines = listed.stdout.split(separator: "\n")
        #expect(lines.count == expected)
        #expect(lines.allSatisfy { $0.contains("send_to_county due 2025-10-11") })
        let again = try CLI.run(push)
        #expect(again.status == 0 && again.stdout.contains("already received"))
        #expect(try CLI.run(["monitor", "list", "--database", db]).stdout.split(separator: "\n").count == expected)

        let first = String(lines[0].split(separator: "\t")[0])
        let early = try CLI.run(["monitor", "visit", first, "--database", db, "--visitor", "王", "--findings", "x", "--on", "2025-10-09"])
        #expect(early.status == 1 && early.stderr.contains("a home visit comes after dispatch to the township"))
        #expect(try CLI.run(["monitor", "send", first, "--database", db, "--on", "2025-10-09"]).status == 0)
        let report = try CLI.run(["monitor", "report", "--database", db, "--month", "2025-10", "--json"])
        #expect(report.status == 0 && report.stdout.contains("\"due\" : \(expected)"), "\(report.stdout.prefix(400))")
        let bad = dir.appendingPathComponent("bad.csv")
        try Data("id_number,year,self_paid_fen,hospital\n".utf8).write(to: bad)
        let refused = try CLI.run(["monitor", "push", "--database", db, "--department", "医保", "--file", bad.path])
        #expect(refused.status == 1 && refused.stderr.contains("line 1, column hospital: unknown column"), "\(refused.stderr)")
        await cleanup()
    }
}
