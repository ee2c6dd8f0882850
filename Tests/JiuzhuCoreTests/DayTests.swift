import Foundation
import Testing
import JiuzhuCore

/// A day the test knows exists.
private func day(_ y: Int, _ m: Int, _ d: Int) -> Day {
    guard let value = Day(year: y, month: m, day: d) else { fatalError("bad test date \(y)-\(m)-\(d)") }
    return value
}

@Suite struct DayTests {
    @Test func ordinal_ofKnownDays_matchesHandCount() {
        #expect(day(1970, 1, 1).ordinal == 0)
        #expect(day(1969, 12, 31).ordinal == -1)
        #expect(day(1970, 3, 1).ordinal == 59) // January 31 + February 28 (1970 is a common year)
        // 1970–1999: 30 years × 365 + 7 leap days (1972, 76, 80, 84, 88, 92, 96) = 10,957.
        #expect(day(2000, 1, 1).ordinal == 10_957)
        // 2000-01-01 + 366 (2000 is a leap year: divisible by 400) = 2001-01-01.
        #expect(day(2001, 1, 1).ordinal == 10_957 + 366)
    }

    @Test func ordinal_roundTripsEveryDayFrom1900To2100_andStepsByOneDay() {
        // Walk the calendar by hand-written rules (month lengths), independent of the ordinal code.
        var y = 1900, m = 1, d = 1
        var expected = day(1900, 1, 1).ordinal
        // 1900–2100 inclusive: 201 years; leap years are the multiples of 4 except 1900 and 2100
        // (2000 is one): 51 − 2 = 49, so 201 × 365 + 49 = 73,414 days.
        var walked = 0
        while y <= 2100 {
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
            let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            let today = day(y, m, d)
            #expect(today.ordinal == expected)
            let back = Day(ordinal: expected)
            #expect(back == today && back.year == y && back.month == m && back.day == d)
            expected += 1
            walked += 1
            d += 1
            if d > lengths[m - 1] { d = 1; m += 1 }
            if m > 12 { m = 1; y += 1 }
        }
        #expect(walked == 73_414)
        #expect(Day(ordinal: expected) == day(2101, 1, 1))
    }

    @Test func weekday_ofKnownDates() {
        #expect(day(1970, 1, 1).weekday == 4)   // Thursday
        #expect(day(1949, 10, 1).weekday == 6)  // Saturday: the founding ceremony
        #expect(day(2000, 1, 1).weekday == 6)   // Saturday
        #expect(day(2008, 8, 8).weekday == 5)   // Friday: the Beijing Olympics opened
        #expect(day(2024, 2, 4).weekday == 7)   // Sunday (国办发明电〔2023〕7号: "2月4日(星期日)")
        #expect(day(2026, 2, 14).weekday == 6)  // Saturday (国办发明电〔2025〕7号: "2月14日(周六)")
        #expect(day(1900, 1, 1).weekday == 1)   // Monday
        #expect(day(1969, 12, 28).weekday == 7) // Sunday, before the epoch
        #expect(day(2024, 2, 4).isWeekend && day(2026, 2, 14).isWeekend)
        #expect(!day(2024, 2, 9).isWeekend)     // Friday
    }

    @Test func leapYears_followTheGregorianRule() {
        #expect(Day.isLeap(2000) && Day.isLeap(2024) && Day.isLeap(1996))
        #expect(!Day.isLeap(1900) && !Day.isLeap(2100) && !Day.isLeap(2023))
        #expect(Day(year: 2024, month: 2, day: 29) != nil)
        #expect(Day(year: 2000, month: 2, day: 29) != nil)
        #expect(Day(year: 2023, month: 2, day: 29) == nil)
        #expect(Day(year: 1900, month: 2, day: 29) == nil)
        #expect(Day.daysIn(year: 2024, month: 2) == 29 && Day.daysIn(year: 2023, month: 2) == 28)
        #expect(Day.daysIn(year: 2023, month: 4) == 30 && Day.daysIn(year: 2023, month: 12) == 31)
    }

    @Test func init_rejectsImpossibleDates() {
        #expect(Day(year: 2024, month: 13, day: 1) == nil)
        #expect(Day(year: 2024, month: 0, day: 1) == nil)
        #expect(Day(year: 2024, month: 4, day: 31) == nil)
        #expect(Day(year: 2024, month: 1, day: 0) == nil)
        #expect(Day(year: 0, month: 1, day: 1) == nil)
        #expect(Day(year: 10_000, month: 1, day: 1) == nil)
    }

    @Test func parsing_acceptsIsoDates() throws {
        #expect(try Day(parsing: "2024-02-29") == day(2024, 2, 29))
        #expect(try Day(parsing: "0999-01-02") == day(999, 1, 2))
        #expect(try Day(parsing: Substring("2025-12-31")) == day(2025, 12, 31))
    }

    @Test(arguments: ["2024-2-01", "2024/02/01", "20240201", "", "abcd-ef-gh", "2024-02-1x", " 2024-02-01", "２０２４-02-01"])
    func parsing_rejectsMalformedText_asFormat(text: String) {
        #expect(throws: DayError.format(text)) { try Day(parsing: text) }
    }

    @Test(arguments: ["2023-02-29", "2024-02-30", "2024-13-01", "2024-00-10", "2024-04-31", "0000-01-01"])
    func parsing_rejectsDatesThatDoNotExist_asNoSuchDate(text: String) {
        #expect(throws: DayError.noSuchDate(text)) { try Day(parsing: text) }
    }

    @Test func parsingErrors_sayWhatIsWrong() {
        #expect(DayError.format("2024/02/01").description == "'2024/02/01' is not a date in the form YYYY-MM-DD")
        #expect(DayError.noSuchDate("2023-02-29").description == "'2023-02-29' is not a real calendar date")
    }

    @Test func description_isZeroPaddedIso() {
        #expect(day(2024, 2, 9).description == "2024-02-09")
        #expect(day(999, 1, 2).description == "0999-01-02")
        #expect(day(2025, 12, 31).description == "2025-12-31")
    }

    @Test func arithmetic_acrossMonthAndYearEnds() {
        #expect(day(2024, 2, 28).adding(days: 1) == day(2024, 2, 29))
        #expect(day(2023, 2, 28).adding(days: 1) == day(2023, 3, 1))
        #expect(day(2024, 12, 31).adding(days: 1) == day(2025, 1, 1))
        #expect(day(2025, 1, 1).adding(days: -1) == day(2024, 12, 31))
        #expect(day(2024, 1, 1).days(to: day(2025, 1, 1)) == 366)
        #expect(day(2025, 1, 1).days(to: day(2024, 1, 1)) == -366)
    }

    @Test func ordering_isChronological() {
        #expect(day(2024, 12, 31) < day(2025, 1, 1))
        #expect(day(2025, 1, 31) < day(2025, 2, 1))
        #expect(!(day(2025, 2, 1) < day(2025, 2, 1)))
        #expect([day(2025, 3, 1), day(2024, 12, 31), day(2025, 1, 15)].sorted()
            == [day(2024, 12, 31), day(2025, 1, 15), day(2025, 3, 1)])
    }

    @Test func monthOfYear_isTheDaysMonth() {
        #expect(day(2025, 7, 19).monthOfYear == Month(year: 2025, month: 7))
    }

    @Test func instant_isTakenInChinaTime() {
        // 2024-12-31T16:00:00Z is 2025-01-01 00:00 in Beijing (UTC+8).
        #expect(Day(Date(timeIntervalSince1970: 1_735_660_800)) == day(2025, 1, 1))
        // One second earlier it is still 2024-12-31 in Beijing.
        #expect(Day(Date(timeIntervalSince1970: 1_735_660_799)) == day(2024, 12, 31))
    }

    @Test func codable_usesIsoText_andRejectsBadDates() throws {
        let data = try JSONEncoder().encode([day(2024, 2, 9)])
        #expect(String(decoding: data, as: UTF8.self) == #"["2024-02-09"]"#)
        #expect(try JSONDecoder().decode([Day].self, from: data) == [day(2024, 2, 9)])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Day].self, from: Data(#"["2023-02-29"]"#.utf8)) }
    }

    /// "Within one month": the same day a month later, or that month's last day.
    @Test func addingMonths_keepsTheDay_orTakesTheMonthsLast() {
        #expect(day(2025, 7, 3).adding(months: 1) == day(2025, 8, 3))
        #expect(day(2026, 1, 31).adding(months: 1) == day(2026, 2, 28))
        #expect(day(2024, 1, 31).adding(months: 1) == day(2024, 2, 29))
        #expect(day(2025, 12, 15).adding(months: 1) == day(2026, 1, 15))
        #expect(day(2025, 10, 27).adding(months: 3) == day(2026, 1, 27))
    }
}
