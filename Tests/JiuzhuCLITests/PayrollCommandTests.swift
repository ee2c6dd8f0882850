import Foundation
import JiuzhuCore
import JiuzhuTestSupport
import Testing

@Suite struct PayrollCommandTests {
    /// recipients.csv for the heads of the county with the most households: its code, lines and total.
    static func recipients(_ dir: URL) throws -> (county: String, lines: Int, totalFen: Int64) {
        let households = try String(contentsOf: dir.appendingPathComponent("households.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let members = try String(contentsOf: dir.appendingPathComponent("members.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var heads: [String: String] = [:]
        for m in members where m[3] == "head" && heads[m[0]] == nil { heads[m[0]] = m[1] }
        let county = Dictionary(grouping: households, by: { String($0[1].prefix(6)) }).max { $0.value.count < $1.value.count }!.key
        var text = "household_id,programme,payee_id_number,monthly_amount_fen,first_month,next_review,bank_account\n"
        var total: Int64 = 0, n = 0
        for (i, h) in households.filter({ $0[1].hasPrefix(county) }).enumerated() {
            let fen = Int64(40000 + i)
            text += "\(h[0]),dibao,\(heads[h[0]]!),\(fen),2024-01,2026-06-30,6217\(String(format: "%012d", i))\n"
            total += fen
            n += 1
        }
        try Data(text.utf8).write(to: dir.appendingPathComponent("recipients.csv"))
        return (county, n, total)
    }

    /// Migrated recipients, a roll generated while the process is killed at a random moment and
    /// generated again, confirmed, exported while killed and exported again: exactly one roll,
    /// whose bank file pays every recipient for both months, the same bytes as a clean export.
    @Test func killedWhileGeneratingOrExporting_aRerunLeavesExactlyOneCorrectRoll() async throws {
        let (location, cleanup) = try await TestDatabase.make()
        let db = databaseArgument(location)
        let dir = try CLI.tempDir()
        #expect(try CLI.run(["synth", "--households", "400", "--seed", "8", "--today", "2025-07-15", "--out", dir.path]).status == 0)
        #expect(try CLI.run(["import", "population", "--database", db, "--households", dir.appendingPathComponent("households.csv").path,
                             "--members", dir.appendingPathComponent("members.csv").path]).status == 0)
        let (county, n, total) = try Self.recipients(dir)
        let imported = try CLI.run(["import", "recipients", "--database", db, "--file", dir.appendingPathComponent("recipients.csv").path, "--from", "2025-06"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.hasPrefix("imported \(n) entitlements, paid by Jiuzhu from 2025-06"))
        let roll = ["--database", db, "--county", county, "--month", "2025-07"]

        // Not yet confirmed: no bank file; not yet exported: no answer.
        let early = try CLI.run(["payroll", "export"] + roll + ["--out", dir.appendingPathComponent("bank").path])
        #expect(early.status == 1 && early.stderr.contains("there is no roll of 2025-07"))

        try await Self.killedPartWay(["payroll", "generate"] + roll)
        let generated = try CLI.run(["payroll", "generate"] + roll)
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(generated.stdout.hasPrefix("roll 2025-07 for \(county): \(2 * n) lines, \(Money(fen: 2 * total)) (generated)"))
        let answerEarly = try CLI.run(["payroll", "answer"] + roll)
        #expect(answerEarly.status == 1 && answerEarly.stderr.contains("has not been sent to the bank"))
        #expect(try CLI.run(["payroll", "confirm"] + roll).status == 0)
        let again = try CLI.run(["payroll", "generate"] + roll)
        #expect(again.status == 1 && again.stderr.contains("is confirmed; it is not generated again (nothing changed)"))

        let bank = dir.appendingPathComponent("bank"), clean = dir.appendingPathComponent("clean")
        try await Self.killedPartWay(["payroll", "export"] + roll + ["--out", bank.path])
        #expect(try CLI.run(["payroll", "export"] + roll + ["--out", bank.path]).status == 0)
        #expect(try CLI.run(["payroll", "export"] + roll + ["--out", clean.path]).status == 0)
        for ext in ["csv", "xlsx"] {
            let name = "payroll-\(county)-2025-07.\(ext)"
            #expect(try Data(contentsOf: bank.appendingPathComponent(name)) == (try Data(contentsOf: clean.appendingPathComponent(name))))
        }
        let lines = try String(contentsOf: bank.appendingPathComponent("payroll-\(county)-2025-07.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(lines.count == 2 * n)
        #expect(lines.reduce(Int64(0)) { $0 + Int64($1.split(separator: ",").last!)! } == 2 * total)
        #expect(Set(lines.map { $0.split(separator: ",")[5] }) == ["2025-06", "2025-07"])
        let show = try CLI.run(["payroll", "show"] + roll)
        #expect(show.stdout.contains("roll 2025-07 for \(county): exported") && show.stdout.contains("total\t\(2 * n)\t"))

        // The bank's answer: an unknown account refuses it whole; then one payment returned.
        let first = lines.first!.split(separator: ",").map(String.init)
        let wrong = dir.appendingPathComponent("wrong.csv")
        try Data("household_id,payee_id_number,bank_account,programme,month,amount_fen,reason\n\(first[0]),\(first[2]),1234567890,dibao,\(first[5]),\(first[6]),账户已销户\n".utf8).write(to: wrong)
        let refused = try CLI.run(["payroll", "answer"] + roll + ["--returned", wrong.path])
        #expect(refused.status == 1 && refused.stderr.contains("line 2") && refused.stderr.contains("1234567890"))
        let returned = dir.appendingPathComponent("returned.csv")
        try Data("household_id,payee_id_number,bank_account,programme,month,amount_fen,reason\n\(first[0]),\(first[2]),\(first[3]),dibao,\(first[5]),\(first[6]),账户已销户\n".utf8).write(to: returned)
        let answered = try CLI.run(["payroll", "answer"] + roll + ["--returned", returned.path])
        #expect(answered.stdout == "recorded: \(2 * n - 1) paid, 1 returned\n", "\(answered.stderr)")
        await cleanup()
    }

    /// Starts a command and kills it (SIGKILL) at a random moment within its first half second.
    static func killedPartWay(_ args: [String]) async throws {
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        try await Task.sleep(nanoseconds: UInt64.random(in: 50_000_000...500_000_000))
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }
}
