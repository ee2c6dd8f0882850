import JiuzhuCore

/// An exact decimal (a rate, share or multiple) as written in a pack: `0.15`, `15%`, `1.5`.
/// Never a binary float: the value is `units / 10^scale`, and products with money are done in
/// 128-bit integers and rounded only as the rule says.
public struct Rate: Hashable, Sendable, CustomStringConvertible {
    public let units: Int64
    public let scale: Int

    public init(units: Int64, scale: Int) {
        self.units = units
        self.scale = scale
    }

    /// Parses a decimal (`1.3`, `0.05`, `2`) or a percentage (`15%`, `2.5%`).
    public init(parsing text: String) throws(RateError) {
        var t = Substring(text.trimmingCharacters(in: .whitespaces))
        var extraScale = 0
        if t.hasSuffix("%") { t = t.dropLast(); extraScale = 2 }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard !t.isEmpty, parts.count <= 2, let whole = parts.first, !whole.isEmpty,
              whole.allSatisfy({ $0.isASCII && $0.isNumber }),
              parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy({ $0.isASCII && $0.isNumber }))
        else { throw .format(text) }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        let scale = fraction.count + extraScale
        guard scale <= 12, let units = Int64(String(whole) + fraction) else { throw .tooPrecise(text) }
        self.init(units: units, scale: scale)
    }

    static func pow10(_ k: Int) -> Int128 {
        var r: Int128 = 1
        for _ in 0..<k { r *= 10 }
        return r
    }

    /// `amount × self`, rounded up to the fen.
    public func timesCeil(_ amount: Money) -> Money {
        let p = Int128(amount.fen) * Int128(units), d = Rate.pow10(scale)
        let q = p / d, r = p % d
        return Money(fen: Int64(r > 0 ? q + 1 : q))
    }

    /// `amount × self`, rounded down to the fen.
    public func timesFloor(_ amount: Money) -> Money {
        let p = Int128(amount.fen) * Int128(units), d = Rate.pow10(scale)
        let q = p / d, r = p % d
        return Money(fen: Int64(r < 0 ? q - 1 : q))
    }

    /// Exactly whether `amount ≤ self × base`, with no rounding.
    public func bounds(_ amount: Money, timesOf base: Money) -> Bool {
        Int128(amount.fen) * Rate.pow10(scale) <= Int128(units) * Int128(base.fen)
    }

    /// `12.5%` style for percentages (scale ≥ 2), else the plain decimal.
    public var description: String {
        let d = String(units)
        guard scale > 0 else { return d }
        let padded = String(repeating: "0", count: max(0, scale + 1 - d.count)) + d
        var whole = String(padded.dropLast(scale)), frac = String(padded.suffix(scale))
        while frac.hasSuffix("0") { frac.removeLast() }
        if whole.isEmpty { whole = "0" }
        return frac.isEmpty ? whole : whole + "." + frac
    }

    /// As a percentage: `15%`, `2.5%`.
    public var percent: String {
        Rate(units: units, scale: max(0, scale - 2)).description + "%"
    }
}

public enum RateError: Error, Equatable, CustomStringConvertible {
    case format(String)
    case tooPrecise(String)
    public var description: String {
        switch self {
        case .format(let t): return "'\(t)' is not a decimal or a percentage (e.g. 1.5, 0.15 or 15%)"
        case .tooPrecise(let t): return "'\(t)' has too many digits"
        }
    }
}
