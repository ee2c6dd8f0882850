/// A calendar month (the period every benefit is computed for), e.g. `2025-07`.
public struct Month: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    init(unchecked year: Int, _ month: Int) {
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM`.
    public init(parsing text: some StringProtocol) throws(MonthError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
              let y = Day.digits(bytes[0..<4]), let m = Day.digits(bytes[5..<7])
        else { throw MonthError.format(String(text)) }
        guard let month = Month(year: y, month: m) else { throw MonthError.noSuchMonth(String(text)) }
        self = month
    }

    /// The first day of the month: ages for a month are counted on this day.
    public var firstDay: Day { Day(year: year, month: month, day: 1)! }

    public var lastDay: Day { Day(year: year, month: month, day: Day.daysIn(year: year, month: month))! }

    /// The month `count` months later (earlier when negative).
    public func adding(months count: Int) -> Month {
        let index = year * 12 + (month - 1) + count
        return Month(unchecked: index / 12, index % 12 + 1)
    }

    /// Months from `self` to `other` (positive when `other` is later).
    public func months(to other: Month) -> Int {
        (other.year * 12 + other.month) - (year * 12 + month)
    }

    public static func < (a: Month, b: Month) -> Bool { (a.year, a.month) < (b.year, b.month) }

    public var description: String {
        let y = String(year), m = String(month)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + (m.count == 1 ? "0" + m : m)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try Month(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Why a text is not a month.
public enum MonthError: Error, Equatable, Sendable, CustomStringConvertible {
    case format(String)
    case noSuchMonth(String)

    public var description: String {
        switch self {
        case .format(let t): return "'\(t)' is not a month in the form YYYY-MM"
        case .noSuchMonth(let t): return "'\(t)' is not a real month (01–12)"
        }
    }
}
