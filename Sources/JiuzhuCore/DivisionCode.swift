/// An administrative division code of the Ministry of Civil Affairs system.
///
/// Six digits for a province, prefecture or county (GB/T 2260), nine for a township
/// (乡、镇、街道) and twelve for a village or community. A code is kept in its shortest form:
/// `532625000000` and `532625000` are the county `532625`; `532625100000` is the
/// township `532625100`.
public struct DivisionCode: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The canonical digits: 6, 9 or 12 characters.
    public let digits: String

    public enum Level: String, Sendable, Codable, Comparable, CaseIterable {
        case province, prefecture, county, township, village

        var rank: Int { Level.allCases.firstIndex(of: self)! }
        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }

        /// The Chinese name of the level, for staff.
        public var chineseName: String {
            switch self {
            case .province: return "省级"
            case .prefecture: return "地级"
            case .county: return "县级"
            case .township: return "乡级"
            case .village: return "村级"
            }
        }
    }

    /// Parses 6, 9 or 12 digits.
    public init(_ text: some StringProtocol) throws(DivisionCodeError) {
        let bytes = Array(text.utf8)
        guard [6, 9, 12].contains(bytes.count) else {
            // Count characters, not UTF-8 bytes: a full-width digit (３) is one character of three bytes.
            let count = text.count
            throw [6, 9, 12].contains(count) ? .characters : .length(count)
        }
        guard bytes.allSatisfy({ (48...57).contains($0) }) else { throw .characters }
        var canonical = bytes
        if canonical.count == 12 && canonical[9...].allSatisfy({ $0 == 48 }) { canonical.removeLast(3) }
        if canonical.count == 9 && canonical[6...].allSatisfy({ $0 == 48 }) { canonical.removeLast(3) }
        guard !canonical[0..<2].allSatisfy({ $0 == 48 }) else { throw .zeroProvince }
        // Digits 1–6 are the county part of every code, 9 and 12 digits included.
        if canonical[2..<4].allSatisfy({ $0 == 48 }) && !canonical[4..<6].allSatisfy({ $0 == 48 }) {
            throw .countyWithoutPrefecture
        }
        // A village lies in a township: digits 7–9 of a village code cannot be 000.
        if canonical.count == 12 && canonical[6..<9].allSatisfy({ $0 == 48 }) { throw .villageWithoutTownship }
        digits = String(decoding: canonical, as: UTF8.self)
    }

    public var level: Level {
        switch digits.utf8.count {
        case 12: return .village
        case 9: return .township
        default:
            if digits.hasSuffix("0000") { return .province }
            if digits.hasSuffix("00") { return .prefecture }
            return .county
        }
    }

    /// The six-digit county-level code this division lies in (for a province or prefecture, itself).
    public var countyCode: DivisionCode { DivisionCode(trusted: String(digits.prefix(6))) }

    /// The code padded with zeros to twelve digits, as the statistical tables write it.
    public var twelveDigits: String { digits + String(repeating: "0", count: 12 - digits.utf8.count) }

    /// The division directly above, or nil for a province.
    /// A county directly under a province (e.g. 省直辖县, `xx90xx`) goes to its province.
    public var parent: DivisionCode? {
        switch level {
        case .village: return DivisionCode(trusted: String(digits.prefix(9)))
        case .township: return DivisionCode(trusted: String(digits.prefix(6)))
        case .county:
            let pref = String(digits.prefix(4))
            return DivisionCode(trusted: pref.hasSuffix("90") ? String(digits.prefix(2)) + "0000" : pref + "00")
        case .prefecture: return DivisionCode(trusted: String(digits.prefix(2)) + "0000")
        case .province: return nil
        }
    }

    /// Self, then each parent up to the province.
    public var chain: [DivisionCode] {
        var out = [self]
        while let p = out.last?.parent { out.append(p) }
        return out
    }

    /// True when `other` is this division or lies inside it.
    public func contains(_ other: DivisionCode) -> Bool {
        other.chain.contains(self)
    }

    init(trusted digits: String) { self.digits = digits }

    public var description: String { digits }

    public static func < (a: DivisionCode, b: DivisionCode) -> Bool { a.twelveDigits < b.twelveDigits }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try DivisionCode(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(digits)
    }
}

public enum DivisionCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    case length(Int)
    case characters
    case zeroProvince
    case countyWithoutPrefecture
    case villageWithoutTownship

    public var description: String {
        switch self {
        case .length(let n): return "must be 6, 9 or 12 digits, found \(n) characters"
        case .characters: return "must contain digits only"
        case .zeroProvince: return "province part (digits 1–2) cannot be 00"
        case .countyWithoutPrefecture: return "a county code needs its prefecture digits (3–4), found 00"
        case .villageWithoutTownship: return "a village code needs its township digits (7–9), found 000"
        }
    }
}
