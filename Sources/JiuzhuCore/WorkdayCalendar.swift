import Foundation

/// China's official working-day calendar: the public holidays (放假日) and the adjusted working
/// weekend days (调休上班日) that the State Council General Office publishes for each year in
/// 国务院办公厅关于X年部分节假日安排的通知.
///
/// A day is a **working day** when it is a listed 调休上班日, or a Monday–Friday that is not a
/// listed holiday. Days the notices only *encourage* employers to give off (2024-02-09, 除夕)
/// are working days.
///
/// The calendar knows only the years whose notice is loaded (``knownYears``). Any day outside
/// them that a computation has to look at is a ``WorkdayError/outsideKnownYears(_:known:)``,
/// never a guess: the next year's 调休 cannot be derived from weekdays or the lunar calendar.
///
/// Deadlines are computed in bulk, so both ``adding(workdays:to:)`` and
/// ``workdays(after:through:)`` are O(1): the calendar precomputes, for every day of the known
/// years, the number of working days before it and the list of working days in order.
public struct WorkdayCalendar: Sendable {
    /// What the notice says about a listed day.
    public enum Kind: String, Sendable, Codable {
        /// 放假日: an official rest day (including weekdays given off by 调休).
        case holiday
        /// 调休上班日: a Saturday or Sunday that is a working day.
        case workday
    }

    /// One row of the table: one day as a notice lists it.
    public struct Entry: Hashable, Sendable {
        public let day: Day
        public let kind: Kind
        /// The festival as the notice names it, e.g. 春节, or 中秋节、国庆节 for a merged period.
        /// For a 调休上班日, the festival whose 调休 it belongs to.
        public let holiday: String
        /// The year whose notice lists the day (2022-12-31 is in the 2023 notice).
        public let noticeYear: Int
        /// The notice number, e.g. 国办发明电〔2023〕7号.
        public let notice: String
    }

    /// Every listed day, in date order.
    public let entries: [Entry]
    /// The notice number for each known year.
    public let notices: [Int: String]
    /// The years whose State Council notice is loaded; every day in them can be answered.
    public let knownYears: ClosedRange<Int>

    private let firstOrdinal: Int
    private let lastOrdinal: Int
    /// `workdaysBefore[i]`: working days among the first `i` days of the known years
    /// (`firstOrdinal ..< firstOrdinal + i`); one element longer than the number of days.
    private let workdaysBefore: [Int32]
    /// The working days of the known years in order, as offsets from `firstOrdinal`.
    private let workdayOffsets: [Int32]
    private let byDay: [Day: Entry]

    /// The calendar shipped with Jiuzhu (`Resources/workdays-cn.csv`, 2021–2026), loaded once.
    public static let bundled: WorkdayCalendar = {
        guard let url = Bundle.module.url(forResource: "workdays-cn", withExtension: "csv", subdirectory: "Resources") else {
            fatalError("workdays-cn.csv is missing from the JiuzhuCore bundle: the package is broken")
        }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            fatalError("cannot read the bundled workdays-cn.csv: \(error)")
        }
        do { return try WorkdayCalendar(csv: text) } catch {
            fatalError("bundled workdays-cn.csv is invalid: \(error)")
        }
    }()

    /// Parses the table: a header `date,kind,holiday,year,notice`, then one row per listed day.
    /// Lines starting with `#` and blank lines are ignored.
    ///
    /// Rules checked (an error names the line): each field well formed; `kind` is `holiday` or
    /// `workday`; a `workday` falls on a Saturday or Sunday; no day is listed twice; a row lies
    /// in its notice's year or next to it; one notice number per year; the years form an
    /// unbroken range.
    public init(csv: String) throws(WorkdayTableError) {
        var entries: [Entry] = []
        var lineOfDay: [Day: Int] = [:]
        var notices: [Int: String] = [:]
        var firstLineOfYear: [Int: Int] = [:]
        var sawHeader = false
        let header = "date,kind,holiday,year,notice"

        // Split on every newline character: "\r\n" is one Character in Swift, and a newline.
        for (index, raw) in csv.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let lineNumber = index + 1
            var line = raw
            if line.last == "\r" { line = line.dropLast() }
            if index == 0 && line.first == "\u{FEFF}" { line = line.dropFirst() }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard sawHeader else {
                guard trimmed == header else {
                    throw WorkdayTableError(line: lineNumber, message: "expected the header \(header)")
                }
                sawHeader = true
                continue
            }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 5 else {
                throw WorkdayTableError(line: lineNumber, message: "expected 5 fields (\(header)), found \(fields.count)")
            }
            let day: Day
            do { day = try Day(parsing: fields[0]) } catch {
                throw WorkdayTableError(line: lineNumber, message: error.description)
            }
            guard let kind = Kind(rawValue: fields[1]) else {
                throw WorkdayTableError(line: lineNumber, message: "kind '\(fields[1])' must be holiday or workday")
            }
            let name = fields[2]
            guard !name.isEmpty else {
                throw WorkdayTableError(line: lineNumber, message: "the holiday name is empty")
            }
            guard let year = Int(fields[3]), (1...9999).contains(year) else {
                throw WorkdayTableError(line: lineNumber, message: "year '\(fields[3])' is not a year")
            }
            guard abs(day.year - year) <= 1 else {
                throw WorkdayTableError(line: lineNumber, message: "\(day) cannot be in the notice for \(year)")
            }
            let notice = fields[4]
            guard !notice.isEmpty else {
                throw WorkdayTableError(line: lineNumber, message: "the notice number is empty")
            }
            if let known = notices[year], known != notice {
                throw WorkdayTableError(line: lineNumber, message: "notice \(notice) differs from \(known) given earlier for \(year)")
            }
            if kind == .workday && !day.isWeekend {
                throw WorkdayTableError(line: lineNumber, message: "\(day) is a weekday: a 调休 working day (workday) must be a Saturday or Sunday")
            }
            if let earlier = lineOfDay[day] {
                throw WorkdayTableError(line: lineNumber, message: "\(day) is already listed on line \(earlier)")
            }
            lineOfDay[day] = lineNumber
            notices[year] = notice
            if firstLineOfYear[year] == nil { firstLineOfYear[year] = lineNumber }
            entries.append(Entry(day: day, kind: kind, holiday: name, noticeYear: year, notice: notice))
        }
        guard sawHeader else {
            throw WorkdayTableError(line: 1, message: "no header line \(header)")
        }
        guard let low = notices.keys.min(), let high = notices.keys.max() else {
            throw WorkdayTableError(line: 1, message: "no rows: the calendar needs at least one year's notice")
        }
        for year in low...high where notices[year] == nil {
            throw WorkdayTableError(line: firstLineOfYear[year + 1] ?? 1,
                                    message: "no rows for \(year) between \(low) and \(high): every year in the range needs its notice")
        }

        let first = Day(year: low, month: 1, day: 1)!.ordinal
        let last = Day(year: high, month: 12, day: 31)!.ordinal
        entries.sort { $0.day < $1.day }
        let byDay = Dictionary(uniqueKeysWithValues: entries.map { ($0.day, $0) })

        var before: [Int32] = [0]
        before.reserveCapacity(last - first + 2)
        var offsets: [Int32] = []
        offsets.reserveCapacity((last - first + 1) * 5 / 7 + 16)
        var count: Int32 = 0
        for ordinal in first...last {
            let day = Day(ordinal: ordinal)
            let working: Bool
            switch byDay[day]?.kind {
            case .workday?: working = true
            case .holiday?: working = false
            case nil: working = !day.isWeekend
            }
            if working {
                offsets.append(Int32(ordinal - first))
                count += 1
            }
            before.append(count)
        }

        self.entries = entries
        self.notices = notices
        self.knownYears = low...high
        self.firstOrdinal = first
        self.lastOrdinal = last
        self.workdaysBefore = before
        self.workdayOffsets = offsets
        self.byDay = byDay
    }

    /// Whether `day` is a working day.
    /// - Throws: ``WorkdayError/outsideKnownYears(_:known:)`` when `day` is not in ``knownYears``.
    public func isWorkday(_ day: Day) throws(WorkdayError) -> Bool {
        let o = day.ordinal
        guard o >= firstOrdinal, o <= lastOrdinal else { throw outside(o) }
        let i = o - firstOrdinal
        return workdaysBefore[i + 1] != workdaysBefore[i]
    }

    /// The `n`th working day after `day`: the day itself never counts, whether or not it is a
    /// working day. `n = 0` returns `day` unchanged (nothing is looked up).
    ///
    /// `day` itself may lie just before the known years (2020-12-31 + 1 working day is
    /// 2021-01-04), since only the days after it are looked at.
    /// - Throws: ``WorkdayError/negativeCount(_:)`` when `n < 0`;
    ///   ``WorkdayError/outsideKnownYears(_:known:)`` naming the first day outside the known
    ///   years that the count would have to cross.
    public func adding(workdays n: Int, to day: Day) throws(WorkdayError) -> Day {
        guard n >= 0 else { throw .negativeCount(n) }
        if n == 0 { return day }
        let start = day.ordinal + 1 // the first day that can count
        guard start >= firstOrdinal, start <= lastOrdinal else { throw outside(start) }
        let index = Int(workdaysBefore[start - firstOrdinal]) + n - 1
        guard index < workdayOffsets.count else { throw outside(lastOrdinal + 1) }
        return Day(ordinal: firstOrdinal + Int(workdayOffsets[index]))
    }

    /// The working days after `a` up to and including `b`; 0 when `b <= a` (nothing is looked
    /// up then). `a` itself never counts, so it may be the day before the known years begin.
    /// - Throws: ``WorkdayError/outsideKnownYears(_:known:)`` when a day from `a + 1` through `b`
    ///   is outside the known years: it names `a + 1` when the range starts too early, else `b`.
    public func workdays(after a: Day, through b: Day) throws(WorkdayError) -> Int {
        let low = a.ordinal + 1, high = b.ordinal
        guard high >= low else { return 0 }
        guard low >= firstOrdinal else { throw outside(low) }
        guard high <= lastOrdinal else { throw outside(high) }
        return Int(workdaysBefore[high - firstOrdinal + 1] - workdaysBefore[low - firstOrdinal])
    }

    /// The holiday `day` is an official rest day of, as the notice names it (e.g. 春节, or
    /// 中秋节、国庆节 in 2023); nil for any other day, including the 调休上班日 and days outside
    /// the known years.
    public func holidayName(_ day: Day) -> String? {
        guard let e = byDay[day], e.kind == .holiday else { return nil }
        return e.holiday
    }

    /// For a 调休上班日 (a Saturday or Sunday made a working day), the holiday it is worked
    /// for (e.g. 2024-02-18 → 春节); nil for any other day.
    public func adjustedWorkday(_ day: Day) -> String? {
        guard let e = byDay[day], e.kind == .workday else { return nil }
        return e.holiday
    }

    private func outside(_ ordinal: Int) -> WorkdayError {
        .outsideKnownYears(Day(ordinal: ordinal), known: knownYears)
    }
}

/// Why a working-day question has no answer.
public enum WorkdayError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The computation needs a day in a year whose State Council notice is not loaded.
    case outsideKnownYears(Day, known: ClosedRange<Int>)
    /// A negative number of working days was asked for.
    case negativeCount(Int)

    public var description: String {
        switch self {
        case .outsideKnownYears(let day, let known):
            return "\(day) is outside the official calendar Jiuzhu knows (\(known.lowerBound)–\(known.upperBound)): "
                + "the State Council notice for \(day.year) is not loaded"
        case .negativeCount(let n):
            return "the number of working days must be 0 or more, found \(n)"
        }
    }
}

/// A line of the working-day table that cannot be read.
public struct WorkdayTableError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based line number in the file, counting comment and blank lines.
    public let line: Int
    public let message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "workdays-cn.csv line \(line): \(message)" }
}
