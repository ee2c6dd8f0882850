import Foundation

/// Households and their members, in file order: what Population CSV v1 carries.
public struct Population: Sendable, Equatable {
    public var households: [Household]
    public var members: [Member]

    public init(households: [Household] = [], members: [Member] = []) {
        self.households = households
        self.members = members
    }
}

/// One broken rule in a Population CSV file: where it is and what to fix.
/// A population read from files, with the line each record starts on.
public struct LocatedPopulation: Sendable, Equatable {
    public var population: Population
    /// The line in households.csv of each household, in order.
    public var householdLines: [Int]
    /// The line in members.csv of each member, in order.
    public var memberLines: [Int]
}

public struct PopulationCSVError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file name as given to the reader, e.g. `members.csv`.
    public let file: String
    /// The 1-based physical line where the record starts.
    public let line: Int
    /// The CSV column name, or nil for a problem with the whole record (or the whole household).
    public let column: String?
    /// The rule broken, in words (with the offending value where useful).
    public let rule: String

    public init(file: String, line: Int, column: String?, rule: String) {
        self.file = file
        self.line = line
        self.column = column
        self.rule = rule
    }

    /// `members.csv line 17, column id_number: check digit: …` or `households.csv line 4: …`.
    public var description: String {
        if let column { return "\(file) line \(line), column \(column): \(rule)" }
        return "\(file) line \(line): \(rule)"
    }
}

/// Every error found reading a Population CSV pair (up to the reader's limit).
public struct PopulationCSVErrors: Error, Equatable, Sendable, CustomStringConvertible {
    public let errors: [PopulationCSVError]
    /// True when reading stopped at the limit: there may be more errors after the last one.
    public let truncated: Bool

    public init(errors: [PopulationCSVError], truncated: Bool = false) {
        self.errors = errors
        self.truncated = truncated
    }

    public var description: String {
        var lines = errors.map(\.description)
        if truncated { lines.append("(stopped after \(errors.count) errors)") }
        return lines.joined(separator: "\n")
    }
}

/// Reading and writing Population CSV v1 (`docs` spec: population-csv.md): households.csv
/// and members.csv, UTF-8, RFC 4180 quoting, an exact header.
public enum PopulationCSV {
    public static let householdsColumns: [String] = [
        "household_id", "division_code", "hukou_type", "deposits_fen", "vehicles_value_fen",
        "disability_vehicle", "houses", "business_registered",
    ]
    public static let membersColumns: [String] = [
        "household_id", "id_number", "name", "relation", "disability_grade", "disability_kind",
        "serious_illness", "veteran_disability_grade", "martyr_family", "demobilized_veteran",
        "able_to_work", "has_capable_supporter", "care_level", "monthly_income_fen", "employment_income_fen",
    ]
    /// The exact first line of households.csv.
    public static let householdsHeader = householdsColumns.joined(separator: ",")
    /// The exact first line of members.csv.
    public static let membersHeader = membersColumns.joined(separator: ",")

    // MARK: Reading

    /// Reads and checks both files. Either every row is good and the population is returned
    /// (households and members in file order), or the errors are thrown: up to `maxErrors`,
    /// each naming file, line, column and rule.
    public static func read(households: Data, members: Data,
                            householdsFile: String = "households.csv", membersFile: String = "members.csv",
                            today: Day, divisions: Divisions = .bundled,
                            maxErrors: Int = 100) throws(PopulationCSVErrors) -> Population {
        try readLocated(households: households, members: members, householdsFile: householdsFile, membersFile: membersFile,
                        today: today, divisions: divisions, maxErrors: maxErrors).population
    }

    /// As ``read(households:members:householdsFile:membersFile:today:divisions:maxErrors:)``, with the
    /// line where each record starts, so that later checks (against the registry) can name it.
    public static func readLocated(households: Data, members: Data,
                            householdsFile: String = "households.csv", membersFile: String = "members.csv",
                            today: Day, divisions: Divisions = .bundled,
                            maxErrors: Int = 100) throws(PopulationCSVErrors) -> LocatedPopulation {
        var reader = Reader(householdsFile: householdsFile, membersFile: membersFile, today: today,
                            divisions: divisions, maxErrors: max(1, maxErrors))
        // Data.withUnsafeBytes rethrows untyped errors: carry ours out as a value.
        let stopped: PopulationCSVErrors? = households.withUnsafeBytes { raw in
            do throws(PopulationCSVErrors) { try reader.readHouseholds(raw.bindMemory(to: UInt8.self)) } catch { return error }
            return members.withUnsafeBytes { raw in
                do throws(PopulationCSVErrors) { try reader.readMembers(raw.bindMemory(to: UInt8.self)) } catch { return error }
                return nil
            }
        }
        if let stopped { throw stopped }
        try reader.checkHouseholds()
        if !reader.errors.isEmpty { throw PopulationCSVErrors(errors: reader.errors) }
        return LocatedPopulation(population: Population(households: reader.households, members: reader.members),
                                 householdLines: reader.householdLines, memberLines: reader.memberLines)
    }

    // MARK: Writing

    /// Both files as bytes: the exact header, `\n` line ends, no BOM, a field quoted only
    /// when it holds a comma, a quote or a line break.
    public static func write(_ population: Population) -> (households: Data, members: Data) {
        var h: [UInt8] = []
        h.reserveCapacity(population.households.count * 64 + 160)
        appendHouseholdsHeader(to: &h)
        for household in population.households { appendHousehold(household, to: &h) }
        var m: [UInt8] = []
        m.reserveCapacity(population.members.count * 88 + 320)
        appendMembersHeader(to: &m)
        for member in population.members { appendMember(member, to: &m) }
        return (Data(h), Data(m))
    }

    /// Appends the households.csv header line (for streaming writers).
    public static func appendHouseholdsHeader(to out: inout [UInt8]) {
        out.append(contentsOf: householdsHeader.utf8)
        out.append(newline)
    }

    /// Appends the members.csv header line (for streaming writers).
    public static func appendMembersHeader(to out: inout [UInt8]) {
        out.append(contentsOf: membersHeader.utf8)
        out.append(newline)
    }

    /// Appends one households.csv row.
    public static func appendHousehold(_ h: Household, to out: inout [UInt8]) {
        appendText(h.householdID, to: &out)
        out.append(comma)
        appendText(h.divisionCode.digits, to: &out)
        out.append(comma)
        appendText(h.hukouType.rawValue, to: &out)
        out.append(comma)
        appendInt(h.deposits.fen, to: &out)
        out.append(comma)
        appendInt(h.vehiclesValue.fen, to: &out)
        out.append(comma)
        appendFlag(h.disabilityVehicle, to: &out)
        out.append(comma)
        appendInt(h.houses, to: &out)
        out.append(comma)
        appendFlag(h.businessRegistered, to: &out)
        out.append(newline)
    }

    /// Appends one members.csv row.
    public static func appendMember(_ m: Member, to out: inout [UInt8]) {
        appendText(m.householdID, to: &out)
        out.append(comma)
        appendText(m.idNumber.value, to: &out)
        out.append(comma)
        appendText(m.name, to: &out)
        out.append(comma)
        appendText(m.relation.rawValue, to: &out)
        out.append(comma)
        appendInt(Int64(m.disabilityGrade), to: &out)
        out.append(comma)
        appendText(m.disabilityKind.rawValue, to: &out)
        out.append(comma)
        appendFlag(m.seriousIllness, to: &out)
        out.append(comma)
        appendInt(Int64(m.veteranDisabilityGrade), to: &out)
        out.append(comma)
        appendFlag(m.martyrFamily, to: &out)
        out.append(comma)
        appendFlag(m.demobilizedVeteran, to: &out)
        out.append(comma)
        appendFlag(m.ableToWork, to: &out)
        out.append(comma)
        appendFlag(m.hasCapableSupporter, to: &out)
        out.append(comma)
        appendText(m.careLevel.rawValue, to: &out)
        out.append(comma)
        appendInt(m.monthlyIncome.fen, to: &out)
        out.append(comma)
        appendInt(m.employmentIncome.fen, to: &out)
        out.append(newline)
    }

    static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    @inline(__always)
    static func appendFlag(_ b: Bool, to out: inout [UInt8]) { out.append(b ? 49 : 48) }

    /// Base-10 digits (a minus sign for a negative value, which the reader then rejects).
    static func appendInt(_ value: Int64, to out: inout [UInt8]) {
        var v = value.magnitude
        if value < 0 { out.append(UInt8(ascii: "-")) }
        if v < 10 { out.append(48 + UInt8(v)); return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf in
            var i = 20
            while v > 0 {
                i -= 1
                buf[i] = 48 + UInt8(v % 10)
                v /= 10
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<20]))
        }
    }

    /// A text field, quoted (with quotes doubled) only when it holds a comma, quote, CR or LF.
    static func appendText(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var needsQuotes = false
            for b in bytes where b == comma || b == quote || b == newline || b == carriageReturn {
                needsQuotes = true
                break
            }
            if !needsQuotes {
                out.append(contentsOf: bytes)
                return
            }
            out.append(quote)
            for b in bytes {
                out.append(b)
                if b == quote { out.append(quote) }
            }
            out.append(quote)
        }
    }
}

// MARK: - Scanner: RFC 4180 records over raw bytes

/// Bytes of quoted fields that held doubled quotes, unescaped; reset per record.
private final class Scratch {
    var pointer: UnsafeMutablePointer<UInt8>
    var capacity: Int
    var count = 0

    init() {
        capacity = 256
        pointer = .allocate(capacity: capacity)
    }

    deinit { pointer.deallocate() }

    func append(_ source: UnsafePointer<UInt8>, _ n: Int) {
        if count + n > capacity {
            var newCapacity = capacity * 2
            while newCapacity < count + n { newCapacity *= 2 }
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            p.update(from: pointer, count: count)
            pointer.deallocate()
            pointer = p
            capacity = newCapacity
        }
        (pointer + count).update(from: source, count: n)
        count += n
    }
}

private struct FieldRef {
    var start: Int
    var end: Int
    var inScratch: Bool
}

private struct Scanner {
    enum Step {
        /// A record: its fields are in `fields`, it starts on `recordLine`.
        case record
        /// An empty (or spaces-only) line.
        case blank
        case end
        /// A record that cannot be split into fields. `fatal`: nothing after it can be read.
        case bad(field: Int, rule: String, fatal: Bool)
    }

    let base: UnsafePointer<UInt8>
    let count: Int
    var pos = 0
    /// The physical line `pos` is on.
    var line = 1
    var recordLine = 1
    var fields: [FieldRef] = []
    let scratch = Scratch()

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        // An empty buffer may have no base address; then nothing is ever read from `base`.
        base = bytes.baseAddress ?? UnsafePointer(scratch.pointer)
        count = bytes.count
        fields.reserveCapacity(16)
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { pos = 3 }
    }

    /// The bytes of field `i` of the current record (valid until the next call to `next`).
    @inline(__always)
    func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let f = fields[i]
        let start = f.inScratch ? UnsafePointer(scratch.pointer) : base
        return UnsafeBufferPointer(start: start + f.start, count: f.end - f.start)
    }

    mutating func next() -> Step {
        guard pos < count else { return .end }
        fields.removeAll(keepingCapacity: true)
        scratch.count = 0
        recordLine = line

        // A blank line: nothing but spaces or tabs before the line end.
        var q = pos
        while q < count && (base[q] == 0x20 || base[q] == 0x09) { q += 1 }
        if q == count { pos = count; return .blank }
        if base[q] == Self.lf { pos = q + 1; line += 1; return .blank }
        if base[q] == Self.cr && q + 1 < count && base[q + 1] == Self.lf { pos = q + 2; line += 1; return .blank }

        while true {
            let index = fields.count
            if pos < count && base[pos] == Self.quote {
                pos += 1
                var segment = pos
                let start = pos
                var usesScratch = false
                var scratchStart = 0
                var end = 0
                while true {
                    while pos < count {
                        let c = base[pos]
                        if c == Self.quote { break }
                        if c == Self.lf { line += 1 }
                        pos += 1
                    }
                    if pos >= count {
                        return .bad(field: index, rule: "unterminated quoted field: the closing quote is missing", fatal: true)
                    }
                    if pos + 1 < count && base[pos + 1] == Self.quote {
                        // A doubled quote: keep one.
                        if !usesScratch { usesScratch = true; scratchStart = scratch.count }
                        scratch.append(base + segment, pos + 1 - segment)
                        pos += 2
                        segment = pos
                        continue
                    }
                    end = pos
                    pos += 1
                    break
                }
                if usesScratch {
                    scratch.append(base + segment, end - segment)
                    fields.append(FieldRef(start: scratchStart, end: scratch.count, inScratch: true))
                } else {
                    fields.append(FieldRef(start: start, end: end, inScratch: false))
                }
                if pos == count { return .record }
                let c = base[pos]
                if c == Self.comma { pos += 1; continue }
                if c == Self.lf { pos += 1; line += 1; return .record }
                if c == Self.cr && pos + 1 < count && base[pos + 1] == Self.lf { pos += 2; line += 1; return .record }
                skipLine()
                return .bad(field: index, rule: "text after the closing quote: a quoted field must end at a comma or the line end (write a quote inside a field as \"\")", fatal: false)
            } else {
                let start = pos
                while pos < count {
                    let c = base[pos]
                    if c == Self.comma || c == Self.lf || c == Self.cr || c == Self.quote { break }
                    pos += 1
                }
                fields.append(FieldRef(start: start, end: pos, inScratch: false))
                if pos == count { return .record }
                let c = base[pos]
                if c == Self.comma { pos += 1; continue }
                if c == Self.lf { pos += 1; line += 1; return .record }
                if c == Self.cr {
                    if pos + 1 < count && base[pos + 1] == Self.lf { pos += 2; line += 1; return .record }
                    skipLine()
                    return .bad(field: index, rule: "a carriage return that is not part of a \\r\\n line end (put line breaks inside a quoted field)", fatal: false)
                }
                skipLine()
                return .bad(field: index, rule: "a quote inside an unquoted field: quote the whole field and double the quote (\"\")", fatal: false)
            }
        }
    }

    /// After a broken record: continue at the next physical line.
    private mutating func skipLine() {
        while pos < count && base[pos] != Self.lf { pos += 1 }
        if pos < count { pos += 1; line += 1 }
    }

    static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
}

// MARK: - Field parsing

private enum IntProblem { case empty, notDigits, tooLarge }

/// Base-10 digits only (leading zeros allowed), fitting Int64.
@inline(__always)
private func parseInt64(_ b: UnsafeBufferPointer<UInt8>) -> Result<Int64, IntProblemBox> {
    if b.isEmpty { return .failure(IntProblemBox(.empty)) }
    var v: Int64 = 0
    for c in b {
        let d = c &- 48
        if d > 9 { return .failure(IntProblemBox(.notDigits)) }
        let (m, o1) = v.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.addingReportingOverflow(Int64(d))
        if o1 || o2 { return .failure(IntProblemBox(.tooLarge)) }
        v = s
    }
    return .success(v)
}

private struct IntProblemBox: Error {
    let problem: IntProblem
    init(_ p: IntProblem) { problem = p }
}

/// `0` or `1` exactly.
@inline(__always)
private func parseFlag(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
    guard b.count == 1 else { return nil }
    switch b[0] {
    case 48: return false
    case 49: return true
    default: return nil
    }
}

/// A case of a string enum spelled exactly as its raw value.
private struct EnumTable<T> {
    let entries: [([UInt8], T)]
    let names: String

    init(_ cases: [T], _ raw: (T) -> String) {
        entries = cases.map { (Array(raw($0).utf8), $0) }
        names = cases.map(raw).joined(separator: ", ")
    }

    @inline(__always)
    func match(_ b: UnsafeBufferPointer<UInt8>) -> T? {
        for (bytes, value) in entries where bytes.count == b.count {
            if bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0 }) { return value }
        }
        return nil
    }
}

/// The field as text for an error message: quoted, shortened when long.
private func shown(_ b: UnsafeBufferPointer<UInt8>) -> String {
    let s = String(decoding: b, as: UTF8.self)
    if s.count > 40 { return "'" + s.prefix(40) + "…'" }
    return "'" + s + "'"
}

/// The field as a String, or nil when it is not valid UTF-8.
@inline(__always)
private func text(_ b: UnsafeBufferPointer<UInt8>) -> String? {
    let s = String(decoding: b, as: UTF8.self)
    var ascii = true
    for c in b where c >= 0x80 { ascii = false; break }
    if ascii { return s }
    // Decoding repairs bad sequences with U+FFFD; then the bytes differ.
    return s.utf8.elementsEqual(b) ? s : nil
}

/// Line feeds + 1: an upper bound on the records, to reserve storage once.
private func lineCount(_ b: UnsafeBufferPointer<UInt8>) -> Int {
    var n = 1
    for c in b where c == 0x0A { n &+= 1 }
    return n
}

// MARK: - Reader

private struct Reader {
    let householdsFile: String
    let membersFile: String
    let today: Day
    let divisions: Divisions
    let maxErrors: Int

    var errors: [PopulationCSVError] = []
    var households: [Household] = []
    var members: [Member] = []
    /// Per household (file order): its line, members seen, the line of its head (0 = none yet).
    var householdLines: [Int] = []
    /// Per member (file order): the line where its record starts.
    var memberLines: [Int] = []
    var memberCounts: [Int32] = []
    var headLines: [Int] = []
    var householdIndex: [String: Int] = [:]
    var householdsHeaderOK = false
    var membersHeaderOK = false

    let hukouTable = EnumTable(HukouType.allCases, \.rawValue)
    let relationTable = EnumTable(Relation.allCases, \.rawValue)
    let kindTable = EnumTable(DisabilityKind.allCases, \.rawValue)
    let careTable = EnumTable(CareLevel.allCases, \.rawValue)

    init(householdsFile: String, membersFile: String, today: Day, divisions: Divisions, maxErrors: Int) {
        self.householdsFile = householdsFile
        self.membersFile = membersFile
        self.today = today
        self.divisions = divisions
        self.maxErrors = maxErrors
    }

    mutating func fail(_ file: String, _ line: Int, _ column: String?, _ rule: String) throws(PopulationCSVErrors) {
        errors.append(PopulationCSVError(file: file, line: line, column: column, rule: rule))
        if errors.count >= maxErrors { throw PopulationCSVErrors(errors: errors, truncated: true) }
    }

    /// Checks the header; false when the file's rows cannot be read.
    mutating func readHeader(_ scanner: inout Scanner, expected: [String], file: String) throws(PopulationCSVErrors) -> Bool {
        var blankLines: [Int] = []
        while true {
            switch scanner.next() {
            case .end:
                if blankLines.isEmpty {
                    try fail(file, 1, nil, "the file is empty: the first line must be the header \(expected.joined(separator: ","))")
                } else {
                    try fail(file, blankLines[0], nil, "the file has only blank lines: the first line must be the header \(expected.joined(separator: ","))")
                }
                return false
            case .blank:
                blankLines.append(scanner.recordLine)
            case .bad(_, let rule, _):
                try fail(file, scanner.recordLine, nil, "header: \(rule)")
                return false
            case .record:
                for line in blankLines {
                    try fail(file, line, nil, "blank line before the header: the first line must be the header")
                }
                let line = scanner.recordLine
                var names: [String] = []
                for i in 0..<scanner.fields.count {
                    names.append(String(decoding: scanner.bytes(i), as: UTF8.self))
                }
                if names == expected { return true }
                let known = Set(expected)
                var seen = Set<String>()
                var ok = true
                for name in names {
                    if !known.contains(name) {
                        try fail(file, line, nil, "header: unknown column '\(name)'")
                        ok = false
                    } else if !seen.insert(name).inserted {
                        try fail(file, line, name, "header: column \(name) appears twice")
                        ok = false
                    }
                }
                for name in expected where !seen.contains(name) {
                    try fail(file, line, name, "header: missing column \(name)")
                    ok = false
                }
                if ok, let i = names.indices.first(where: { names[$0] != expected[$0] }) {
                    try fail(file, line, expected[i],
                             "header: wrong column order: column \(i + 1) is \(names[i]), expected \(expected[i]) (the header must be exactly \(expected.joined(separator: ",")))")
                }
                return false
            }
        }
    }

    // MARK: households.csv

    mutating func readHouseholds(_ bytes: UnsafeBufferPointer<UInt8>) throws(PopulationCSVErrors) {
        let file = householdsFile
        var scanner = Scanner(bytes)
        guard try readHeader(&scanner, expected: PopulationCSV.householdsColumns, file: file) else { return }
        householdsHeaderOK = true
        let estimate = lineCount(bytes)
        households.reserveCapacity(estimate)
        householdLines.reserveCapacity(estimate)
        householdIndex.reserveCapacity(estimate)
        var divisionCache: [UInt64: DivisionCode] = [:]
        var blankLines: [Int] = []
        let columns = PopulationCSV.householdsColumns
        let defaultCode = DivisionCode(trusted: "110000")

        while let line = try nextRecord(&scanner, columns, file: file, blankLines: &blankLines) {
            var bad: UInt32 = 0 // bit i: column i already has an error
            let firstError = errors.count
            defer { sortByColumn(from: firstError, columns) }

            guard let id = text(scanner.bytes(0)) else {
                try fail(file, line, columns[0], "is not valid UTF-8")
                continue
            }

            // division_code: digits are cached by value (a few thousand distinct places).
            var code = defaultCode
            let codeBytes = scanner.bytes(1)
            var key: UInt64 = UInt64(codeBytes.count) << 56
            var allDigits = codeBytes.count <= 12
            if allDigits {
                var v: UInt64 = 0
                for c in codeBytes {
                    let d = c &- 48
                    if d > 9 { allDigits = false; break }
                    v = v * 10 + UInt64(d)
                }
                key |= v
            }
            if allDigits, let cached = divisionCache[key] {
                code = cached
            } else {
                do {
                    code = try DivisionCode(String(decoding: codeBytes, as: UTF8.self))
                    if allDigits { divisionCache[key] = code }
                } catch {
                    try fail(file, line, columns[1], "\(error.description) (\(shown(codeBytes)))")
                    bad |= 1 << 1
                }
            }

            var hukou = HukouType.rural
            if let h = hukouTable.match(scanner.bytes(2)) { hukou = h } else {
                try fail(file, line, columns[2], "must be one of \(hukouTable.names), found \(shown(scanner.bytes(2)))")
                bad |= 1 << 2
            }
            let deposits = try int(scanner, 3, line, file, columns, &bad)
            let vehicles = try int(scanner, 4, line, file, columns, &bad)
            let disabilityVehicle = try flag(scanner, 5, line, file, columns, &bad)
            let houses = try int(scanner, 6, line, file, columns, &bad)
            let business = try flag(scanner, 7, line, file, columns, &bad)
            let household = Household(householdID: id, divisionCode: code, hukouType: hukou,
                                      deposits: Money(fen: deposits), vehiclesValue: Money(fen: vehicles),
                                      disabilityVehicle: disabilityVehicle, houses: houses, businessRegistered: business)
            for p in household.problems(divisions: divisions) {
                if let col = columns.firstIndex(of: p.field), bad & (1 << UInt32(col)) != 0 { continue }
                try fail(file, line, p.field, p.rule)
            }
            if let other = householdIndex[id] {
                try fail(file, line, columns[0], "household_id \(id) is listed twice (also line \(householdLines[other]))")
                continue
            }
            householdIndex[id] = households.count
            households.append(household)
            householdLines.append(line)
        }
        memberCounts = Array(repeating: 0, count: households.count)
        headLines = Array(repeating: 0, count: households.count)
    }

    /// A record's errors in column order (the record's own errors come first).
    mutating func sortByColumn(from start: Int, _ columns: [String]) {
        guard errors.count - start > 1 else { return }
        let order = { (e: PopulationCSVError) -> Int in e.column.flatMap { columns.firstIndex(of: $0) } ?? -1 }
        let sorted = errors[start...].enumerated().sorted { (order($0.element), $0.offset) < (order($1.element), $1.offset) }
        errors.replaceSubrange(start..., with: sorted.map(\.element))
    }

    mutating func flushBlankLines(_ lines: inout [Int], file: String) throws(PopulationCSVErrors) {
        guard !lines.isEmpty else { return }
        for line in lines {
            try fail(file, line, nil, "blank line: blank lines are allowed only at the end of the file")
        }
        lines.removeAll()
    }

    /// An integer column; 0 (and an error) when it cannot be read.
    @inline(__always)
    mutating func int(_ scanner: borrowing Scanner, _ col: Int, _ line: Int, _ file: String, _ columns: [String],
                      _ bad: inout UInt32) throws(PopulationCSVErrors) -> Int64 {
        let b = scanner.bytes(col)
        switch parseInt64(b) {
        case .success(let v): return v
        case .failure(let p):
            try fail(file, line, columns[col], intRule(p.problem, b))
            bad |= 1 << UInt32(col)
            return 0
        }
    }

    /// A `0`/`1` column; false (and an error) when it is anything else.
    @inline(__always)
    mutating func flag(_ scanner: borrowing Scanner, _ col: Int, _ line: Int, _ file: String, _ columns: [String],
                       _ bad: inout UInt32) throws(PopulationCSVErrors) -> Bool {
        let b = scanner.bytes(col)
        if let f = parseFlag(b) { return f }
        try fail(file, line, columns[col], "must be 0 or 1, found \(shown(b))")
        bad |= 1 << UInt32(col)
        return false
    }

    func intRule(_ p: IntProblem, _ b: UnsafeBufferPointer<UInt8>) -> String {
        switch p {
        case .empty: return "must be a whole number (digits 0–9), found an empty field"
        case .notDigits: return "must be a whole number: digits 0–9 only, no sign, separators or decimals, found \(shown(b))"
        case .tooLarge: return "is too large: must fit a signed 64-bit integer, found \(shown(b))"
        }
    }

    // MARK: members.csv

    mutating func readMembers(_ bytes: UnsafeBufferPointer<UInt8>) throws(PopulationCSVErrors) {
        let file = membersFile
        var scanner = Scanner(bytes)
        guard try readHeader(&scanner, expected: PopulationCSV.membersColumns, file: file) else { return }
        membersHeaderOK = true
        let estimate = lineCount(bytes)
        members.reserveCapacity(estimate)
        var idLines: [UInt64: Int] = [:]
        idLines.reserveCapacity(estimate)
        var blankLines: [Int] = []
        let columns = PopulationCSV.membersColumns
        let weights = IDNumber.weights
        let checkCharacters = IDNumber.checkCharacters
        let placeholderID = IDNumber(unchecked: "", birthDate: today, sex: .male)
        let today = self.today

        while let line = try nextRecord(&scanner, columns, file: file, blankLines: &blankLines) {
            var bad: UInt32 = 0
            let firstError = errors.count
            defer { sortByColumn(from: firstError, columns) }

            // household_id: must be a household of households.csv.
            var householdID = ""
            var hIndex = -1
            if let id = text(scanner.bytes(0)) {
                if let i = householdIndex[id] {
                    hIndex = i
                    householdID = households[i].householdID
                } else {
                    householdID = id
                    if householdsHeaderOK {
                        try fail(file, line, columns[0], "household \(id) is not in \(householdsFile)")
                    }
                    bad |= 1
                }
            } else {
                try fail(file, line, columns[0], "is not valid UTF-8")
                bad |= 1
            }

            // id_number: a fast check of the usual valid case; anything else goes through
            // IDNumber(validating:), which names the rule.
            var idNumber = placeholderID
            var idKey: UInt64 = 0
            var idOK = false
            let idBytes = scanner.bytes(1)
            fast: if idBytes.count == 18 {
                var sum = 0
                var k: UInt64 = 0
                for i in 0..<17 {
                    let d = idBytes[i] &- 48
                    if d > 9 { break fast }
                    k = k &* 10 &+ UInt64(d)
                    sum &+= weights[i] &* Int(d)
                }
                var last = idBytes[17]
                if last == UInt8(ascii: "x") { last = UInt8(ascii: "X") }
                guard checkCharacters[sum % 11] == last else { break fast }
                let y = Int(idBytes[6] - 48) * 1000 + Int(idBytes[7] - 48) * 100 + Int(idBytes[8] - 48) * 10 + Int(idBytes[9] - 48)
                let m = Int(idBytes[10] - 48) * 10 + Int(idBytes[11] - 48)
                let d = Int(idBytes[12] - 48) * 10 + Int(idBytes[13] - 48)
                guard let birth = Day(year: y, month: m, day: d), birth <= today else { break fast }
                let value: String
                if idBytes[17] == UInt8(ascii: "x") {
                    value = String(decoding: idBytes[0..<17], as: UTF8.self) + "X"
                } else {
                    value = String(decoding: idBytes, as: UTF8.self)
                }
                idNumber = IDNumber(unchecked: value, birthDate: birth, sex: (idBytes[16] - 48) % 2 == 1 ? .male : .female)
                idKey = k
                idOK = true
            }
            if !idOK {
                do {
                    idNumber = try IDNumber(validating: String(decoding: idBytes, as: UTF8.self), today: today)
                    idKey = idNumber.value.utf8.prefix(17).reduce(0) { $0 &* 10 &+ UInt64($1 &- 48) }
                    idOK = true
                } catch {
                    try fail(file, line, columns[1], error.description)
                    bad |= 1 << 1
                }
            }

            var name = ""
            if let n = text(scanner.bytes(2)) { name = n } else {
                try fail(file, line, columns[2], "is not valid UTF-8")
                bad |= 1 << 2
            }

            var relation = Relation.other
            if let r = relationTable.match(scanner.bytes(3)) { relation = r } else {
                try fail(file, line, columns[3], "must be one of \(relationTable.names), found \(shown(scanner.bytes(3)))")
                bad |= 1 << 3
            }
            var kind = DisabilityKind.none
            if let k = kindTable.match(scanner.bytes(5)) { kind = k } else {
                try fail(file, line, columns[5], "must be one of \(kindTable.names), found \(shown(scanner.bytes(5)))")
                bad |= 1 << 5
            }
            var care = CareLevel.`self`
            if let c = careTable.match(scanner.bytes(12)) { care = c } else {
                try fail(file, line, columns[12], "must be one of \(careTable.names), found \(shown(scanner.bytes(12)))")
                bad |= 1 << 12
            }

            let grade = try int(scanner, 4, line, file, columns, &bad)
            let illness = try flag(scanner, 6, line, file, columns, &bad)
            let veteran = try int(scanner, 7, line, file, columns, &bad)
            let martyr = try flag(scanner, 8, line, file, columns, &bad)
            let demobilized = try flag(scanner, 9, line, file, columns, &bad)
            let able = try flag(scanner, 10, line, file, columns, &bad)
            let supporter = try flag(scanner, 11, line, file, columns, &bad)
            let income = try int(scanner, 13, line, file, columns, &bad)
            let employment = try int(scanner, 14, line, file, columns, &bad)

            let member = Member(householdID: householdID, idNumber: idNumber, name: name, relation: relation,
                                disabilityGrade: Int(clamping: grade), disabilityKind: kind,
                                seriousIllness: illness, veteranDisabilityGrade: Int(clamping: veteran),
                                martyrFamily: martyr, demobilizedVeteran: demobilized,
                                ableToWork: able, hasCapableSupporter: supporter,
                                careLevel: care, monthlyIncome: Money(fen: income), employmentIncome: Money(fen: employment))
            for p in member.problems() {
                guard let col = columns.firstIndex(of: p.field) else {
                    try fail(file, line, p.field, p.rule)
                    continue
                }
                // A rule linking two fields is moot when either could not be read.
                if bad & (1 << UInt32(col)) != 0 { continue }
                if col == 5 && bad & (1 << 4) != 0 { continue }
                if col == 14 && bad & (1 << 13) != 0 { continue }
                try fail(file, line, p.field, p.rule)
            }

            if idOK {
                if let other = idLines[idKey] {
                    try fail(file, line, columns[1], "\(idNumber.value) is listed twice (also line \(other))")
                } else {
                    idLines[idKey] = line
                }
            }
            if hIndex >= 0 {
                memberCounts[hIndex] += 1
                if relation == .head && bad & (1 << 3) == 0 {
                    if headLines[hIndex] != 0 {
                        try fail(file, line, columns[3],
                                 "household \(householdID) already has a head (line \(headLines[hIndex])): exactly one head per household")
                    } else {
                        headLines[hIndex] = line
                    }
                }
            }
            members.append(member)
            memberLines.append(line)
        }
    }

    /// Advances to the next record with the right number of fields, reporting malformed records and
    /// blank lines (an error unless only blank lines follow) on the way. Returns the line the record
    /// starts on, or nil at the end of the file or after an error that stops reading.
    mutating func nextRecord(_ scanner: inout Scanner, _ columns: [String], file: String,
                             blankLines: inout [Int]) throws(PopulationCSVErrors) -> Int? {
        while true {
            switch scanner.next() {
            case .end: return nil
            case .blank: blankLines.append(scanner.recordLine); continue
            case .bad(let field, let rule, let fatal):
                try flushBlankLines(&blankLines, file: file)
                try fail(file, scanner.recordLine, field < columns.count ? columns[field] : nil, rule)
                if fatal { return nil }
                continue
            case .record: break
            }
            try flushBlankLines(&blankLines, file: file)
            let line = scanner.recordLine
            guard scanner.fields.count == columns.count else {
                try fail(file, line, nil, "expected \(columns.count) fields, found \(scanner.fields.count)")
                continue
            }
            return line
        }
    }

    /// Whole-household rules, reported on the household's line in households.csv.
    mutating func checkHouseholds() throws(PopulationCSVErrors) {
        guard householdsHeaderOK, membersHeaderOK else { return }
        for i in households.indices {
            if memberCounts[i] == 0 {
                try fail(householdsFile, householdLines[i], nil,
                         "household \(households[i].householdID) has no members in \(membersFile)")
            } else if headLines[i] == 0 {
                try fail(householdsFile, householdLines[i], nil,
                         "household \(households[i].householdID) has no member with relation head in \(membersFile): exactly one head per household")
            }
        }
    }
}
