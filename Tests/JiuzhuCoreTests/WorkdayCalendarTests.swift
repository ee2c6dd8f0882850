import Foundation
import Testing
import JiuzhuCore

private func d(_ text: String) -> Day {
    do { return try Day(parsing: text) } catch { fatalError("bad test date \(text)") }
}

/// The State Council notices, transcribed here by hand independently of Resources/workdays-cn.csv:
/// (holiday as named, first rest day, last rest day, 调休上班日 with the weekday the notice prints).
/// 国办发明电〔2020〕27号 (2021), 〔2021〕11号 (2022), 〔2022〕16号 (2023), 〔2023〕7号 (2024),
/// 〔2024〕12号 (2025), 〔2025〕7号 (2026).
private let notices: [(name: String, first: String, last: String, work: [(String, Int)])] = [
    // 2021: 星期日 = 7, 星期六 = 6
    ("元旦", "2021-01-01", "2021-01-03", []),
    ("春节", "2021-02-11", "2021-02-17", [("2021-02-07", 7), ("2021-02-20", 6)]),
    ("清明节", "2021-04-03", "2021-04-05", []),
    ("劳动节", "2021-05-01", "2021-05-05", [("2021-04-25", 7), ("2021-05-08", 6)]),
    ("端午节", "2021-06-12", "2021-06-14", []),
    ("中秋节", "2021-09-19", "2021-09-21", [("2021-09-18", 6)]),
    ("国庆节", "2021-10-01", "2021-10-07", [("2021-09-26", 7), ("2021-10-09", 6)]),
    // 2022
    ("元旦", "2022-01-01", "2022-01-03", []),
    ("春节", "2022-01-31", "2022-02-06", [("2022-01-29", 6), ("2022-01-30", 7)]),
    ("清明节", "2022-04-03", "2022-04-05", [("2022-04-02", 6)]),
    ("劳动节", "2022-04-30", "2022-05-04", [("2022-04-24", 7), ("2022-05-07", 6)]),
    ("端午节", "2022-06-03", "2022-06-05", []),
    ("中秋节", "2022-09-10", "2022-09-12", []),
    ("国庆节", "2022-10-01", "2022-10-07", [("2022-10-08", 6), ("2022-10-09", 7)]),
    // 2023 (its 元旦 starts on 2022-12-31)
    ("元旦", "2022-12-31", "2023-01-02", []),
    ("春节", "2023-01-21", "2023-01-27", [("2023-01-28", 6), ("2023-01-29", 7)]),
    ("清明节", "2023-04-05", "2023-04-05", []),
    ("劳动节", "2023-04-29", "2023-05-03", [("2023-04-23", 7), ("2023-05-06", 6)]),
    ("端午节", "2023-06-22", "2023-06-24", [("2023-06-25", 7)]),
    ("中秋节、国庆节", "2023-09-29", "2023-10-06", [("2023-10-07", 6), ("2023-10-08", 7)]),
    // 2024
    ("元旦", "2024-01-01", "2024-01-01", []),
    ("春节", "2024-02-10", "2024-02-17", [("2024-02-04", 7), ("2024-02-18", 7)]),
    ("清明节", "2024-04-04", "2024-04-06", [("2024-04-07", 7)]),
    ("劳动节", "2024-05-01", "2024-05-05", [("2024-04-28", 7), ("2024-05-11", 6)]),
    ("端午节", "2024-06-10", "2024-06-10", []),
    ("中秋节", "2024-09-15", "2024-09-17", [("2024-09-14", 6)]),
    ("国庆节", "2024-10-01", "2024-10-07", [("2024-09-29", 7), ("2024-10-12", 6)]),
    // 2025
    ("元旦", "2025-01-01", "2025-01-01", []),
    ("春节", "2025-01-28", "2025-02-04", [("2025-01-26", 7), ("2025-02-08", 6)]),
    ("清明节", "2025-04-04", "2025-04-06", []),
    ("劳动节", "2025-05-01", "2025-05-05", [("2025-04-27", 7)]),
    ("端午节", "2025-05-31", "2025-06-02", []),
    ("国庆节、中秋节", "2025-10-01", "2025-10-08", [("2025-09-28", 7), ("2025-10-11", 6)]),
    // 2026
    ("元旦", "2026-01-01", "2026-01-03", [("2026-01-04", 7)]),
    ("春节", "2026-02-15", "2026-02-23", [("2026-02-14", 6), ("2026-02-28", 6)]),
    ("清明节", "2026-04-04", "2026-04-06", []),
    ("劳动节", "2026-05-01", "2026-05-05", [("2026-05-09", 6)]),
    ("端午节", "2026-06-19", "2026-06-21", []),
    ("中秋节", "2026-09-25", "2026-09-27", []),
    ("国庆节", "2026-10-01", "2026-10-07", [("2026-09-20", 7), ("2026-10-10", 6)]),
]

/// Working day by the rule, from the transcription above (not from the calendar under test).
private struct Reference {
    var rest: [Day: String] = [:]
    var work: Set<Day> = []

    init() {
        for n in notices {
            var day = d(n.first)
            while day <= d(n.last) { rest[day] = n.name; day = day.adding(days: 1) }
            for (w, _) in n.work { work.insert(d(w)) }
        }
    }

    func isWorkday(_ day: Day) -> Bool { work.contains(day) || (day.weekday <= 5 && rest[day] == nil) }
}

private let known = 2021...2026
private let header = "date,kind,holiday,year,notice"

@Suite struct WorkdayCalendarTests {
    let cal = WorkdayCalendar.bundled

    @Test func bundled_knows2021Through2026_withTheirNotices() {
        #expect(cal.knownYears == 2021...2026)
        #expect(cal.notices == [
            2021: "国办发明电〔2020〕27号", 2022: "国办发明电〔2021〕11号", 2023: "国办发明电〔2022〕16号",
            2024: "国办发明电〔2023〕7号", 2025: "国办发明电〔2024〕12号", 2026: "国办发明电〔2025〕7号",
        ])
        // Rest days 31 + 31 + 27 + 28 + 28 + 33 = 178; 调休上班日 7 + 7 + 7 + 8 + 5 + 6 = 40.
        #expect(cal.entries.filter { $0.kind == .holiday }.count == 178)
        #expect(cal.entries.filter { $0.kind == .workday }.count == 40)
        // 2022-12-31 is listed by the 2023 notice.
        #expect(cal.entries.first { $0.day == d("2022-12-31") }?.notice == "国办发明电〔2022〕16号")
        #expect(cal.entries.first { $0.day == d("2022-12-31") }?.noticeYear == 2023)
    }

    @Test func adjustedWorkingWeekends_areWorkingDays() throws {
        #expect(try cal.isWorkday(d("2024-02-04")))  // Sunday, 春节调休
        #expect(try cal.isWorkday(d("2024-02-18")))  // Sunday, 春节调休
        #expect(try cal.isWorkday(d("2026-02-14")))  // Saturday, 春节调休
        #expect(try cal.isWorkday(d("2026-02-28")))  // Saturday, 春节调休
        #expect(try cal.isWorkday(d("2026-01-04")))  // Sunday, 元旦调休
        #expect(cal.adjustedWorkday(d("2024-02-18")) == "春节")
        #expect(cal.holidayName(d("2024-02-18")) == nil)
    }

    @Test func everyAdjustedWorkday_isTheWeekendDayTheNoticePrints_andWorks() throws {
        var count = 0
        for n in notices {
            for (text, weekday) in n.work {
                let day = d(text)
                #expect(day.weekday == weekday, "\(text)")
                #expect(try cal.isWorkday(day), "\(text)")
                #expect(cal.adjustedWorkday(day) == n.name, "\(text)")
                count += 1
            }
        }
        #expect(count == 40)
    }

    @Test func everyNoticeRestDay_isARestDay_withItsName() throws {
        for n in notices {
            var day = d(n.first)
            while day <= d(n.last) {
                #expect(cal.holidayName(day) == n.name, "\(day)")
                if known.contains(day.year) { #expect(try !cal.isWorkday(day), "\(day)") }
                day = day.adding(days: 1)
            }
        }
    }

    @Test func longHolidays_2025SpringFestival_and2023MidAutumnNationalDay() throws {
        // 2025 春节 1/28 (除夕, Tuesday) – 2/4 (Tuesday): 8 rest days; 1/27 and 2/5 work.
        for offset in 0..<8 { #expect(try !cal.isWorkday(d("2025-01-28").adding(days: offset))) }
        #expect(try cal.isWorkday(d("2025-01-27")) && cal.isWorkday(d("2025-02-05")))
        #expect(cal.holidayName(d("2025-02-04")) == "春节")
        // 2023 中秋节、国庆节 9/29 (Friday) – 10/6 (Friday): 8 rest days; 10/7 Sat and 10/8 Sun work.
        for offset in 0..<8 { #expect(try !cal.isWorkday(d("2023-09-29").adding(days: offset))) }
        #expect(try cal.isWorkday(d("2023-10-07")) && cal.isWorkday(d("2023-10-08")))
        #expect(cal.holidayName(d("2023-10-01")) == "中秋节、国庆节")
        #expect(cal.holidayName(d("2025-10-08")) == "国庆节、中秋节")
        // From Thursday 9/28 through 10/8 only the 调休 days 10/7 (Sat) and 10/8 (Sun) work.
        #expect(try cal.workdays(after: d("2023-09-28"), through: d("2023-10-08")) == 2)
        #expect(try cal.adding(workdays: 1, to: d("2023-09-28")) == d("2023-10-07"))
    }

    @Test func newYearsEve2024_isAWorkingDay_restThereIsOnlyEncouraged() throws {
        // 国办发明电〔2023〕7号 only encourages rest on 除夕 (2024-02-09, Friday).
        #expect(try cal.isWorkday(d("2024-02-09")))
        #expect(cal.holidayName(d("2024-02-09")) == nil)
    }

    @Test func ordinaryDays_followTheWeek() throws {
        #expect(try cal.isWorkday(d("2024-02-05")))   // Monday
        #expect(try !cal.isWorkday(d("2024-02-03")))  // Saturday, not listed
        #expect(try !cal.isWorkday(d("2026-12-27")))  // Sunday
        #expect(try cal.isWorkday(d("2026-12-31")))   // Thursday
        #expect(try cal.isWorkday(d("2021-01-04")))   // Monday after 元旦
        #expect(cal.holidayName(d("2024-02-05")) == nil)
        #expect(cal.holidayName(d("2027-01-01")) == nil) // not loaded: no name, no guess
    }

    @Test func adding_acrossSpringFestival_skipsHolidayAndCountsWorkingSunday() throws {
        // 2024-02-09 (Friday, working) + 1: 2/10–2/17 rest, 2/18 is the 调休 Sunday.
        #expect(try cal.adding(workdays: 1, to: d("2024-02-09")) == d("2024-02-18"))
        // From Thursday 2/8: 2/9 (1), 2/18 (2), 2/19 Monday (3).
        #expect(try cal.adding(workdays: 2, to: d("2024-02-08")) == d("2024-02-18"))
        #expect(try cal.adding(workdays: 3, to: d("2024-02-08")) == d("2024-02-19"))
        // From a day inside the holiday: the next working day is the 调休 Sunday.
        #expect(try cal.adding(workdays: 1, to: d("2024-02-12")) == d("2024-02-18"))
        // 2025: Friday 1/24 + 1 → Saturday 1/25 rests, Sunday 1/26 is 调休 → 1/26;
        // Monday 1/27 + 1 → 1/28–2/4 rest → Wednesday 2/5.
        #expect(try cal.adding(workdays: 1, to: d("2025-01-24")) == d("2025-01-26"))
        #expect(try cal.adding(workdays: 1, to: d("2025-01-27")) == d("2025-02-05"))
    }

    @Test func adding_tenWorkingDays_overNationalDay2024() throws {
        // From Friday 2024-09-27: 9/29 Sun 调休 (1), 9/30 Mon (2), 10/1–10/7 rest,
        // 10/8 Tue (3), 10/9 (4), 10/10 (5), 10/11 (6), 10/12 Sat 调休 (7), 10/14 Mon (8),
        // 10/15 (9), 10/16 (10).
        #expect(try cal.adding(workdays: 10, to: d("2024-09-27")) == d("2024-10-16"))
        #expect(try cal.workdays(after: d("2024-09-27"), through: d("2024-10-16")) == 10)
    }

    @Test func adding_acrossTheYearBoundary_intoThe2023NewYear() throws {
        // Friday 2022-12-30 + 1: 12/31 (Sat, 元旦 of the 2023 notice), 1/1 (Sun), 1/2 (Mon) rest →
        // Tuesday 2023-01-03.
        #expect(try cal.adding(workdays: 1, to: d("2022-12-30")) == d("2023-01-03"))
        #expect(cal.holidayName(d("2022-12-31")) == "元旦")
    }

    @Test func counting_acrossTheYearBoundary_2024To2025() throws {
        // After Friday 2024-12-27 through Friday 2025-01-03: 12/28 Sat, 12/29 Sun no; 12/30 Mon,
        // 12/31 Tue yes; 1/1 (元旦) no; 1/2 Thu, 1/3 Fri yes → 4.
        #expect(try cal.workdays(after: d("2024-12-27"), through: d("2025-01-03")) == 4)
        #expect(try cal.adding(workdays: 4, to: d("2024-12-27")) == d("2025-01-03"))
        #expect(try cal.adding(workdays: 3, to: d("2024-12-27")) == d("2025-01-02"))
    }

    /// Working days in each year = Monday–Friday days − rest days on Monday–Friday + 调休上班日
    /// (worked out by hand from the notices).
    @Test(arguments: [
        // 2021: starts Friday, 365 days → 261 Mon–Fri. Rest on weekdays: 元旦 1/1; 春节 2/11, 12, 15,
        // 16, 17 (5); 清明 4/5; 劳动 5/3, 4, 5 (3); 端午 6/14; 中秋 9/20, 21 (2); 国庆 10/1, 4–7 (5)
        // = 18. 调休 7. 261 − 18 + 7 = 250.
        (2021, 250),
        // 2022: starts Saturday → 260. Rest on weekdays: 元旦 1/3; 春节 1/31–2/4 (5); 清明 4/4, 5 (2);
        // 劳动 5/2–5/4 (3); 端午 6/3; 中秋 9/12; 国庆 10/3–10/7 (5) = 18 (12/31 is a Saturday).
        // 调休 7. 260 − 18 + 7 = 249.
        (2022, 249),
        // 2023: starts Sunday → 260. Rest on weekdays: 1/2; 春节 1/23–1/27 (5); 4/5; 5/1–5/3 (3);
        // 端午 6/22, 23 (2); 9/29, 10/2–10/6 (6) = 18. 调休 7. 260 − 18 + 7 = 249.
        (2023, 249),
        // 2024: leap, starts Monday, 366 days → 262. Rest on weekdays: 1/1; 2/12–2/16 (5); 4/4, 5
        // (2); 5/1–5/3 (3); 6/10; 9/16, 17 (2); 10/1–10/4, 10/7 (5) = 19. 调休 8. 262 − 19 + 8 = 251.
        (2024, 251),
        // 2025: starts Wednesday → 261. Rest on weekdays: 1/1; 1/28–1/31, 2/3, 2/4 (6); 4/4;
        // 5/1, 5/2, 5/5 (3); 6/2; 10/1–10/3, 10/6–10/8 (6) = 18. 调休 5. 261 − 18 + 5 = 248.
        (2025, 248),
        // 2026: starts Thursday → 261. Rest on weekdays: 1/1, 1/2 (2); 2/16–2/20, 2/23 (6); 4/6;
        // 5/1, 5/4, 5/5 (3); 6/19; 9/25; 10/1, 10/2, 10/5–10/7 (5) = 19. 调休 6. 261 − 19 + 6 = 248.
        (2026, 248),
    ])
    func workingDaysInAYear_matchTheNotices(year: Int, count: Int) throws {
        let lastOfYearBefore = Day(year: year - 1, month: 12, day: 31)!
        let lastOfYear = Day(year: year, month: 12, day: 31)!
        #expect(try cal.workdays(after: lastOfYearBefore, through: lastOfYear) == count)
    }

    @Test func everyDay2021Through2026_agreesWithTheNoticesTranscribedHere() throws {
        let reference = Reference()
        var day = d("2021-01-01")
        var days = 0
        while day <= d("2026-12-31") {
            #expect(try cal.isWorkday(day) == reference.isWorkday(day), "\(day)")
            #expect(cal.holidayName(day) == reference.rest[day], "\(day)")
            day = day.adding(days: 1)
            days += 1
        }
        #expect(days == 365 * 6 + 1) // 2024 is the one leap year
    }

    @Test func addingAndCounting_agreeWithANaiveWalk() throws {
        let reference = Reference()
        // Start days spread over the six years (every 13th day), including rest days.
        var start = d("2020-12-31")
        while start < d("2026-10-01") { // + 45 stays in 2026: 2026-10-01 … 12-31 has 62 working days
            for n in [1, 2, 5, 10, 20, 45] {
                var walk = start, left = n
                while left > 0 { walk = walk.adding(days: 1); if reference.isWorkday(walk) { left -= 1 } }
                #expect(try cal.adding(workdays: n, to: start) == walk, "\(start) + \(n)")
                #expect(try cal.workdays(after: start, through: walk) == n, "\(start) → \(walk)")
            }
            start = start.adding(days: 13)
        }
    }

    @Test func addingZero_returnsTheDayItself() throws {
        #expect(try cal.adding(workdays: 0, to: d("2024-02-12")) == d("2024-02-12")) // a rest day
        #expect(try cal.adding(workdays: 0, to: d("2024-02-05")) == d("2024-02-05"))
        // Nothing is looked up, so even a day outside the known years is its own answer.
        #expect(try cal.adding(workdays: 0, to: d("2030-06-01")) == d("2030-06-01"))
    }

    @Test func counting_isZeroWhenBIsNotAfterA() throws {
        #expect(try cal.workdays(after: d("2024-02-05"), through: d("2024-02-05")) == 0)
        #expect(try cal.workdays(after: d("2024-02-06"), through: d("2024-02-05")) == 0)
        #expect(try cal.workdays(after: d("2030-01-10"), through: d("2019-01-01")) == 0)
        // One day after a: 1 when that day works, 0 when it rests.
        #expect(try cal.workdays(after: d("2024-02-04"), through: d("2024-02-05")) == 1)
        #expect(try cal.workdays(after: d("2024-02-09"), through: d("2024-02-10")) == 0)
    }

    @Test func theDayBeforeTheKnownYears_canBeAStartingPoint() throws {
        // Only the days after it are looked at: 2021-01-01..03 rest, Monday 1/4 works.
        #expect(try cal.adding(workdays: 1, to: d("2020-12-31")) == d("2021-01-04"))
        #expect(try cal.workdays(after: d("2020-12-31"), through: d("2021-01-04")) == 1)
    }

    @Test func daysOutsideTheKnownYears_areErrors_neverGuesses() {
        #expect(throws: WorkdayError.outsideKnownYears(d("2020-12-31"), known: 2021...2026)) {
            try cal.isWorkday(d("2020-12-31"))
        }
        #expect(throws: WorkdayError.outsideKnownYears(d("2027-01-01"), known: 2021...2026)) {
            try cal.isWorkday(d("2027-01-01"))
        }
        // adding from a day whose next day is not known
        #expect(throws: WorkdayError.outsideKnownYears(d("2020-12-31"), known: 2021...2026)) {
            try cal.adding(workdays: 1, to: d("2020-12-30"))
        }
        #expect(throws: WorkdayError.outsideKnownYears(d("2027-01-01"), known: 2021...2026)) {
            try cal.adding(workdays: 1, to: d("2026-12-31"))
        }
        // counting that starts too early or ends too late
        #expect(throws: WorkdayError.outsideKnownYears(d("2020-12-31"), known: 2021...2026)) {
            try cal.workdays(after: d("2020-12-30"), through: d("2021-01-04"))
        }
        #expect(throws: WorkdayError.outsideKnownYears(d("2027-01-04"), known: 2021...2026)) {
            try cal.workdays(after: d("2026-12-30"), through: d("2027-01-04"))
        }
    }

    @Test func adding_thatRunsPast2026_isAnError_namingTheFirstUnknownDay() throws {
        // Wednesday 2026-12-30 + 1 = Thursday 12/31, the last known day.
        #expect(try cal.adding(workdays: 1, to: d("2026-12-30")) == d("2026-12-31"))
        // + 2 would need 2027-01-01 or later: the 2027 notice is not loaded.
        #expect(throws: WorkdayError.outsideKnownYears(d("2027-01-01"), known: 2021...2026)) {
            try cal.adding(workdays: 2, to: d("2026-12-30"))
        }
        #expect(throws: WorkdayError.outsideKnownYears(d("2027-01-01"), known: 2021...2026)) {
            try cal.adding(workdays: 60, to: d("2026-11-20"))
        }
    }

    @Test func errors_sayWhatIsMissing() {
        #expect(WorkdayError.outsideKnownYears(d("2027-01-04"), known: 2021...2026).description
            == "2027-01-04 is outside the official calendar Jiuzhu knows (2021–2026): the State Council notice for 2027 is not loaded")
        #expect(WorkdayError.negativeCount(-1).description == "the number of working days must be 0 or more, found -1")
        #expect(throws: WorkdayError.negativeCount(-1)) { try cal.adding(workdays: -1, to: d("2024-02-05")) }
    }

    // MARK: - reading a table

    @Test func csv_ofOneYear_knowsOnlyThatYear() throws {
        let csv = """
        # comment
        date,kind,holiday,year,notice

        2024-02-10,holiday,春节,2024,N7
        2024-02-18,workday,春节,2024,N7
        """
        let small = try WorkdayCalendar(csv: csv)
        #expect(small.knownYears == 2024...2024)
        #expect(try small.isWorkday(d("2024-02-18")))
        #expect(try !small.isWorkday(d("2024-02-10")))
        #expect(try small.isWorkday(d("2024-02-12"))) // not listed in this small table: a Monday
        #expect(throws: WorkdayError.outsideKnownYears(d("2025-01-01"), known: 2024...2024)) {
            try small.isWorkday(d("2025-01-01"))
        }
    }

    @Test func csv_withWindowsLineEndingsAndBOM_parses() throws {
        let csv = "\u{FEFF}date,kind,holiday,year,notice\r\n2024-02-18,workday,春节,2024,N7\r\n"
        #expect(try WorkdayCalendar(csv: csv).adjustedWorkday(d("2024-02-18")) == "春节")
    }

    /// Each case: the table's lines, the line the error must name, and its message.
    @Test(arguments: [
        (["2024-02-10,holiday,春节,2024,N7"], 1, "expected the header date,kind,holiday,year,notice"),
        ([header, "2024-02-10,holiday,春节,2024"], 2, "expected 5 fields (date,kind,holiday,year,notice), found 4"),
        ([header, "2024-02-30,holiday,春节,2024,N7"], 2, "'2024-02-30' is not a real calendar date"),
        ([header, "2024-02-10,rest,春节,2024,N7"], 2, "kind 'rest' must be holiday or workday"),
        ([header, "2024-02-10,holiday,,2024,N7"], 2, "the holiday name is empty"),
        ([header, "2024-02-10,holiday,春节,24x,N7"], 2, "year '24x' is not a year"),
        ([header, "2024-02-10,holiday,春节,2026,N7"], 2, "2024-02-10 cannot be in the notice for 2026"),
        ([header, "2024-02-10,holiday,春节,2024,"], 2, "the notice number is empty"),
        // 2024-02-19 is a Monday: a 调休 working day must fall on a weekend.
        ([header, "# c", "2024-02-19,workday,春节,2024,N7"], 3,
         "2024-02-19 is a weekday: a 调休 working day (workday) must be a Saturday or Sunday"),
        ([header, "2024-02-10,holiday,春节,2024,N7", "2024-02-10,holiday,春节,2024,N7"], 3,
         "2024-02-10 is already listed on line 2"),
        ([header, "2024-02-10,holiday,春节,2024,N7", "2024-02-11,holiday,春节,2024,N8"], 3,
         "notice N8 differs from N7 given earlier for 2024"),
        ([header, "2022-01-01,holiday,元旦,2022,A", "2024-01-01,holiday,元旦,2024,B"], 3,
         "no rows for 2023 between 2022 and 2024: every year in the range needs its notice"),
        ([header, ""], 1, "no rows: the calendar needs at least one year's notice"),
        (["# only a comment", ""], 1, "no header line date,kind,holiday,year,notice"),
    ])
    func csv_errors_nameTheLine(lines: [String], line: Int, message: String) {
        #expect(throws: WorkdayTableError(line: line, message: message)) {
            try WorkdayCalendar(csv: lines.joined(separator: "\n"))
        }
    }

    @Test func tableError_description_namesTheFileAndLine() {
        #expect(WorkdayTableError(line: 7, message: "x").description == "workdays-cn.csv line 7: x")
    }
}
