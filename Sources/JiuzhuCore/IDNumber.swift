/// A resident identity number (公民身份号码), GB 11643-1999.
///
/// Eighteen characters: a six-digit address code, the birth date `YYYYMMDD`, a three-digit
/// sequence code (odd for men, even for women) and an ISO 7064 MOD 11-2 check character
/// (`0`–`9` or `X`). A lower-case `x` is accepted and stored as `X`.
public struct IDNumber: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The number as lists and logs show it: the first four and last four characters
    /// (5304**********123X), enough to tell people apart, not enough to use.
    public var masked: String { String(value.prefix(4)) + String(repeating: "*", count: 10) + String(value.suffix(4)) }

    /// The normalised 18 characters.
    public let value: String
    /// Characters 7–14.
    public let birthDate: Day
    public let sex: Sex

    public enum Sex: String, Sendable, Codable {
        case male, female
    }

    /// Weights of positions 1–17: 2^(18−i) mod 11.
    static let weights: [Int] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// The check character for each remainder of the weighted sum mod 11.
    static let checkCharacters: [UInt8] = Array("10X98765432".utf8)

    /// Validates `text` as an ID number whose birth date is not after `today`.
    public init(validating text: some StringProtocol, today: Day) throws(IDNumberError) {
        var bytes = Array(text.utf8)
        if bytes.count != 18 || bytes.contains(where: { $0 >= 0x80 }) {
            // Count characters, not UTF-8 bytes: a full-width digit (１) or Ｘ is one character
            // of three bytes, and is a bad character, not a wrong length.
            let characters = Array(text)
            guard characters.count == 18 else {
                throw .length(characters.count)
            }
            // 18 characters, not all one-byte: report the first that is not a digit (X in 18th place).
            let bad = characters.indices.first { i in
                let c = characters[i]
                return c.utf8.count != 1 || !(c.isWholeNumber || (i == 17 && (c == "X" || c == "x")))
            }!
            throw .character(position: bad + 1)
        }
        for i in 0..<17 where !(48...57).contains(bytes[i]) {
            throw .character(position: i + 1)
        }
        if bytes[17] == UInt8(ascii: "x") { bytes[17] = UInt8(ascii: "X") }
        guard (48...57).contains(bytes[17]) || bytes[17] == UInt8(ascii: "X") else {
            throw .character(position: 18)
        }
        let y = Day.digits(bytes[6..<10])!, m = Day.digits(bytes[10..<12])!, d = Day.digits(bytes[12..<14])!
        let dateText = String(decoding: bytes[6..<14], as: UTF8.self)
        guard let birth = Day(year: y, month: m, day: d) else {
            throw .birthDate(dateText)
        }
        guard birth <= today else {
            throw .birthDateInFuture(dateText)
        }
        let expected = IDNumber.checkCharacter(bytes[0..<17])
        guard expected == bytes[17] else {
            throw .checkCharacter(expected: Character(UnicodeScalar(expected)), found: Character(UnicodeScalar(bytes[17])))
        }
        self.value = String(decoding: bytes, as: UTF8.self)
        self.birthDate = birth
        self.sex = (bytes[16] - 48) % 2 == 1 ? .male : .female
    }

    /// The first 17 digits as one number: a key that tells ID numbers apart (the 18th character
    /// follows from them), for indexes of millions.
    public var key: UInt64 {
        var text = value
        return text.withUTF8 { Self.key($0) }
    }

    /// The key of an ID number's text (its first 17 characters, which must be digits).
    public static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var k: UInt64 = 0
        for i in 0..<min(17, bytes.count) { k = k &* 10 &+ UInt64(bytes[i] &- 48) }
        return k
    }

    /// An ID number already checked by the caller (bulk readers and generators in this module).
    init(unchecked value: String, birthDate: Day, sex: Sex) {
        self.value = value
        self.birthDate = birthDate
        self.sex = sex
    }

    /// The MOD 11-2 check character for the first 17 digits (ASCII bytes).
    public static func checkCharacter<C: Collection>(_ first17: C) -> UInt8 where C.Element == UInt8 {
        var sum = 0
        for (w, b) in zip(weights, first17) { sum += w * Int(b - 48) }
        return checkCharacters[sum % 11]
    }

    /// Age in completed years on `day`: a year is completed on the birthday itself.
    /// Someone born on 29 February completes a year on 1 March in common years.
    /// A person not yet born on `day` is 0.
    public func age(on day: Day) -> Int {
        IDNumber.age(born: birthDate, on: day)
    }

    public static func age(born: Day, on day: Day) -> Int {
        guard born <= day else { return 0 }
        var years = day.year - born.year
        if (day.month, day.day) < (born.month, born.day) { years -= 1 }
        return years
    }

    /// The county-level address code (characters 1–6) at the time of issue.
    public var addressCode: String { String(value.prefix(6)) }

    public var description: String { value }

    public static func < (a: IDNumber, b: IDNumber) -> Bool { a.value < b.value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        // Decoding trusts the date bound of the far future; validation against today is the caller's.
        do { self = try IDNumber(validating: text, today: Day(year: 9999, month: 12, day: 31)!) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}

/// Why a text is not a valid ID number. Each case says what to fix.
public enum IDNumberError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not 18 characters long (the count found).
    case length(Int)
    /// A character that is not a digit (or `X` in the last place), 1-based.
    case character(position: Int)
    /// Characters 7–14 are not a real calendar date.
    case birthDate(String)
    /// Characters 7–14 are a date after today.
    case birthDateInFuture(String)
    /// The 18th character does not match the MOD 11-2 check of the first 17.
    case checkCharacter(expected: Character, found: Character)

    public var description: String {
        switch self {
        case .length(let n):
            return "length: must be 18 characters, found \(n)"
        case .character(let p):
            return p == 18
                ? "characters: character 18 must be a digit or X"
                : "characters: character \(p) must be a digit"
        case .birthDate(let t):
            return "date: birth date \(t) (characters 7–14) is not a real calendar date"
        case .birthDateInFuture(let t):
            return "date: birth date \(t) (characters 7–14) is in the future"
        case .checkCharacter(let e, let f):
            return "check digit: character 18 is \(f), the MOD 11-2 check of the first 17 gives \(e)"
        }
    }
}
