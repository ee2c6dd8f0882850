/// An amount of money in integer fen (1 yuan = 100 fen). No floating point, ever.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible, Codable,
    AdditiveArithmetic, ExpressibleByIntegerLiteral {
    public var fen: Int64

    public init(fen: Int64) { self.fen = fen }
    public init(integerLiteral fen: Int64) { self.fen = fen }
    public static func yuan(_ yuan: Int64) -> Money { Money(fen: yuan * 100) }
    public static let zero = Money(fen: 0)

    public static func + (a: Money, b: Money) -> Money { Money(fen: a.fen + b.fen) }
    public static func - (a: Money, b: Money) -> Money { Money(fen: a.fen - b.fen) }
    public static func * (a: Money, n: Int64) -> Money { Money(fen: a.fen * n) }
    public static func < (a: Money, b: Money) -> Bool { a.fen < b.fen }

    /// Adds, or returns nil on overflow (for sums of untrusted input).
    public func adding(_ other: Money) -> Money? {
        let (r, o) = fen.addingReportingOverflow(other.fen)
        return o ? nil : Money(fen: r)
    }

    /// Rounded up to the whole yuan: `ceil(fen / 100) * 100`.
    public var roundedUpToYuan: Money {
        let q = fen / 100, r = fen % 100
        return Money(fen: (r > 0 ? q + 1 : q) * 100)
    }

    /// Display in yuan with thousands separators: `¥1,234.50`, `-¥0.05`.
    public var description: String {
        let negative = fen < 0
        let magnitude = fen.magnitude
        let yuan = String(magnitude / 100)
        var grouped = ""
        for (i, c) in yuan.enumerated() {
            if i > 0 && (yuan.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        let cents = magnitude % 100
        return (negative ? "-¥" : "¥") + grouped + "." + (cents < 10 ? "0" : "") + String(cents)
    }

    /// Parses yuan text as a person types it: `1234.5`, `¥1,234.50`, `1234元`, `-12.30`.
    /// At most two decimals; separators only between groups of three digits.
    public init(yuanText text: String) throws(MoneyError) {
        var s = Substring(text.trimmingWhitespace())
        guard !s.isEmpty else { throw .empty }
        var negative = false
        if s.first == "-" { negative = true; s = s.dropFirst() }
        if s.first == "¥" || s.first == "￥" { s = s.dropFirst() }
        if s.last == "元" { s = s.dropLast() }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let intPart = parts.first, !intPart.isEmpty else { throw .format(text) }
        let groups = intPart.split(separator: ",", omittingEmptySubsequences: false)
        if groups.count > 1 {
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                throw .format(text)
            }
        }
        let digits = groups.joined()
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .format(text) }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= 2, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw fraction.count > 2 ? .tooManyDecimals(text) : .format(text)
        }
        if parts.count == 2 && fraction.isEmpty { throw .format(text) }
        while fraction.count < 2 { fraction.append("0") }
        guard let yuan = Int64(digits), let cents = Int64(fraction) else { throw .tooLarge(text) }
        let (scaled, o1) = yuan.multipliedReportingOverflow(by: 100)
        let (total, o2) = scaled.addingReportingOverflow(cents)
        guard !o1, !o2 else { throw .tooLarge(text) }
        self.fen = negative ? -total : total
    }

    public init(from decoder: any Decoder) throws {
        fen = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(fen)
    }
}

/// Why a text is not an amount of yuan.
public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case format(String)
    case tooManyDecimals(String)
    case tooLarge(String)

    public var description: String {
        switch self {
        case .empty: return "amount is empty"
        case .format(let t): return "'\(t)' is not an amount in yuan (e.g. 1234.50 or ¥1,234.50)"
        case .tooManyDecimals(let t): return "'\(t)' has more than two decimals (the smallest unit is the fen, 0.01 yuan)"
        case .tooLarge(let t): return "'\(t)' is too large"
        }
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }
}
