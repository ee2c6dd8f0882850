import Foundation
import Testing

@Suite struct ToolCommandTests {
    @Test func checkID_printsValidOrTheReason_perLine() throws {
        let input = [
            "11010519491231002X",   // the standard's sample
            "11010519491231002x",   // lower-case x is accepted
            "440524188001010014",   // the standard's second sample
            "110105194912310021",   // wrong check character (should be X)
            "11010519491231002",    // 17 characters
            "1101051949123100AX",   // a letter inside
            "110105194902300026",   // 1949-02-30 does not exist
        ].joined(separator: "\n") + "\n"
        let r = try CLI.run(["check-id"], input: input)
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 7)
        #expect(Array(lines[0..<3]) == ["valid", "valid", "valid"])
        #expect(lines[3] == "invalid: check digit: character 18 is 1, the MOD 11-2 check of the first 17 gives X")
        #expect(lines[4].hasPrefix("invalid: length:"))
        #expect(lines[5].hasPrefix("invalid: characters:"))
        #expect(lines[6].hasPrefix("invalid: date:"))
    }

    @Test func checkID_rejectsABirthDateInTheFuture() throws {
        // Born 2099-01-01: the date is real but after today.
        let first17 = "11010520990101001"
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(first17, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        let id = first17 + String(Array("10X98765432")[sum % 11])
        let r = try CLI.run(["check-id"], input: id + "\n")
        #expect(r.stdout == "invalid: date: birth date 20990101 (characters 7–14) is in the future\n")
    }

    @Test func workdaysAdd_followsTheStateCouncilNotices() throws {
        // 2024: 除夕 2/9 (Fri) is a working day; 2/10–2/17 off; Sunday 2/18 is a 调休 working day.
        #expect(try CLI.run(["workdays", "add", "2024-02-09", "1"]).stdout == "2024-02-18\n")
        // 2025: 国庆中秋 10/1–10/8 off; Sat 10/11 is a working day. From Sun 9/28 (a 调休 working day itself):
        // 9/29 (1), 9/30 (2), 10/9 (3), 10/10 (4), 10/11 (5).
        #expect(try CLI.run(["workdays", "add", "2025-09-28", "5"]).stdout == "2025-10-11\n")
        // Across the year end: 2022-12-30 (Fri) + 1 → 12/31–1/2 are the 2023 元旦 holiday → 2023-01-03.
        #expect(try CLI.run(["workdays", "add", "2022-12-30", "1"]).stdout == "2023-01-03\n")
        #expect(try CLI.run(["workdays", "add", "2025-03-03", "0"]).stdout == "2025-03-03\n")
    }

    @Test func workdaysCount_countsAfterAThroughB() throws {
        // 2025 春节: 1/28–2/4 off, Sun 1/26 and Sat 2/8 working. After 1/24 (Fri) through 2/8 (Sat):
        // 1/26, 1/27, 2/5, 2/6, 2/7, 2/8 = 6.
        #expect(try CLI.run(["workdays", "count", "2025-01-24", "2025-02-08"]).stdout == "6\n")
        #expect(try CLI.run(["workdays", "count", "2025-02-08", "2025-02-08"]).stdout == "0\n")
    }

    @Test func workdays_outsideTheKnownYears_isAnErrorThatSaysSo() throws {
        let r = try CLI.run(["workdays", "add", "2026-12-30", "5"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("2027"))
        #expect(r.stdout.isEmpty)
        let bad = try CLI.run(["workdays", "add", "2025-02-30", "1"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("not a real calendar date"))
    }
}
