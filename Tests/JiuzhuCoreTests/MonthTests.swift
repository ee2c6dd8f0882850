import Foundation
import Testing
import JiuzhuCore

private func month(_ y: Int, _ m: Int) -> Month {
    guard let value = Month(year: y, month: m) else { fatalError("bad test month \(y)-\(m)") }
    return value
}

@Suite struct MonthTests {
    @Test func adding_crossesYearEnds_forwardAndBackward() {
        #expect(month(2024, 12).adding(months: 1) == month(2025, 1))
        #expect(month(2025, 1).adding(months: -1) == month(2024, 12))
        #expect(month(2025, 7).adding(months: 0) == month(2025, 7))
        // 2024-11 + 25 months: 2 years (→ 2026-11) and 1 month → 2026-12.
        #expect(month(2024, 11).adding(months: 25) == month(2026, 12))
        // 2025-03 − 15 months: 1 year (→ 2024-03) and 3 months → 2023-12.
        #expect(month(2025, 3).adding(months: -15) == month(2023, 12))
        #expect(month(2025, 1).adding(months: -12) == month(2024, 1))
        #expect(month(2025, 12).adding(months: 12) == month(2026, 12))
    }

    @Test func monthsTo_countsAcrossYears_andIsSigned() {
        #expect(month(2024, 11).months(to: month(2026, 12)) == 25)
        #expect(month(2026, 12).months(to: month(2024, 11)) == -25)
        #expect(month(2024, 12).months(to: month(2025, 1)) == 1)
        #expect(month(2025, 6).months(to: month(2025, 6)) == 0)
    }

    @Test func firstAndLastDay_knowFebruaryInLeapYears() {
        #expect(month(2024, 2).firstDay == Day(year: 2024, month: 2, day: 1))
        #expect(month(2024, 2).lastDay == Day(year: 2024, month: 2, day: 29))
        #expect(month(2023, 2).lastDay == Day(year: 2023, month: 2, day: 28))
        #expect(month(1900, 2).lastDay == Day(year: 1900, month: 2, day: 28))
        #expect(month(2000, 2).lastDay == Day(year: 2000, month: 2, day: 29))
        #expect(month(2025, 12).lastDay == Day(year: 2025, month: 12, day: 31))
        #expect(month(2025, 4).lastDay == Day(year: 2025, month: 4, day: 30))
    }

    @Test func init_rejectsMonthsOutside1To12() {
        #expect(Month(year: 2025, month: 0) == nil)
        #expect(Month(year: 2025, month: 13) == nil)
        #expect(Month(year: 0, month: 1) == nil)
    }

    @Test func parsing_acceptsYYYYMM_andDescriptionRoundTrips() throws {
        #expect(try Month(parsing: "2025-07") == month(2025, 7))
        #expect(month(2025, 7).description == "2025-07")
        #expect(month(999, 12).description == "0999-12")
        #expect(try Month(parsing: month(2024, 11).description) == month(2024, 11))
    }

    @Test(arguments: ["2025-7", "2025/07", "202507", "", "2025-07-01", "abcd-ef"])
    func parsing_rejectsMalformedText(text: String) {
        #expect(throws: MonthError.format(text)) { try Month(parsing: text) }
    }

    @Test(arguments: ["2025-13", "2025-00", "0000-05"])
    func parsing_rejectsMonthsThatDoNotExist(text: String) {
        #expect(throws: MonthError.noSuchMonth(text)) { try Month(parsing: text) }
    }

    @Test func errors_sayWhatIsWrong() {
        #expect(MonthError.format("2025-7").description == "'2025-7' is not a month in the form YYYY-MM")
        #expect(MonthError.noSuchMonth("2025-13").description == "'2025-13' is not a real month (01–12)")
    }

    @Test func ordering_isChronological() {
        #expect(month(2024, 12) < month(2025, 1))
        #expect(month(2025, 1) < month(2025, 2))
        #expect(!(month(2025, 2) < month(2025, 2)))
    }

    @Test func codable_usesText() throws {
        let data = try JSONEncoder().encode([month(2025, 7)])
        #expect(String(decoding: data, as: UTF8.self) == #"["2025-07"]"#)
        #expect(try JSONDecoder().decode([Month].self, from: data) == [month(2025, 7)])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Month].self, from: Data(#"["2025-13"]"#.utf8)) }
    }

    @Test func dayMonthOfYear_matches() {
        #expect(Day(year: 2024, month: 2, day: 29)?.monthOfYear == month(2024, 2))
    }
}
