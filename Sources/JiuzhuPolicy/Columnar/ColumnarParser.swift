import Dispatch
import Foundation
import JiuzhuCore

extension ColumnarPopulation {
    /// Reads Population CSV v1 (both files) straight into columns, checking every rule of the
    /// format as ``PopulationCSV/read(households:members:householdsFile:membersFile:today:divisions:maxErrors:)`` does.
    ///
    /// The fast path splits each file at line boundaries and parses the pieces on all cores. It
    /// takes only files in the plain shape (no `"` byte, ASCII household ids, every field well
    /// formed); at the first thing it does not take — a quoted field, a blank line before the
    /// end, or any broken rule — the pair is read again by `PopulationCSV.readLocated`, which
    /// either throws the errors (the same file, line, column and rule as `read`) or returns the
    /// population, converted. So the result and the errors are those of the readable reader.
    public static func parse(households: Data, members: Data, today: Day, divisions: Divisions = .bundled,
                             householdsFile: String = "households.csv",
                             membersFile: String = "members.csv") throws(PopulationCSVErrors) -> ColumnarPopulation {
        if let fast = parseFast(households: households, members: members, today: today, divisions: divisions) { return fast }
        let located = try PopulationCSV.readLocated(households: households, members: members,
                                                    householdsFile: householdsFile, membersFile: membersFile,
                                                    today: today, divisions: divisions)
        return ColumnarPopulation(located.population)
    }
}

// MARK: - Fast path

extension ColumnarPopulation {
    /// The fast path alone: nil when it does not take the files (then ``parse(households:members:today:divisions:householdsFile:membersFile:)``
    /// reads them with `PopulationCSV.readLocated`).
    static func parseFast(households: Data, members: Data, today: Day, divisions: Divisions) -> ColumnarPopulation? {
        households.withUnsafeBytes { h in
            members.withUnsafeBytes { m in
                guard let hb = h.bindMemory(to: UInt8.self).baseAddress, let mb = m.bindMemory(to: UInt8.self).baseAddress else { return nil }
                return FastCSV(households: CBytes(base: hb, count: h.count), members: CBytes(base: mb, count: m.count),
                               today: today, divisions: divisions).run()
            }
        }
    }
}

/// A read-only byte buffer shared by the worker threads (the caller keeps it alive).
private struct CBytes: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    let count: Int
}

/// Results written by concurrent workers, one slot each.
final class ColumnarSlots<T>: @unchecked Sendable {
    let items: UnsafeMutableBufferPointer<T?>
    init(_ n: Int) {
        items = .allocate(capacity: n)
        items.initialize(repeating: nil)
    }
    deinit {
        _ = items.deinitialize()
        items.deallocate()
    }
}

private let LF: UInt8 = 10, CR: UInt8 = 13, COMMA: UInt8 = 44, QUOTE: UInt8 = 34

/// Whether a file holds a `"` byte (then the fast path does not read it).
private func containsQuote(_ b: CBytes) -> Bool {
    if b.count == 0 { return false }
    return memchr(b.base, Int32(QUOTE), b.count) != nil
}

/// The hash of a household id's bytes.
@inline(__always)
private func hashBytes(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
    var i = 0
    let raw = UnsafeRawPointer(p)
    while i + 8 <= n {
        let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 32
        i += 8
    }
    var tail: UInt64 = 0, shift: UInt64 = 0
    while i < n {
        tail |= UInt64(p[i]) << shift
        shift += 8
        i += 1
    }
    h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 29
    h = h &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 32
    return h
}

@inline(__always)
private func mix(_ k: UInt64) -> UInt64 {
    var z = k &* 0x9E37_79B9_7F4A_7C15
    z ^= z >> 31
    z = z &* 0xBF58_476D_1CE4_E5B9
    z ^= z >> 29
    return z
}

/// A name among a few, matched on its bytes (all names ≤ 16 bytes).
private struct NameTable: Sendable {
    let lo: [UInt64], hi: [UInt64], len: [Int]

    init(_ names: [String]) {
        var lo: [UInt64] = [], hi: [UInt64] = [], len: [Int] = []
        for n in names {
            let b = Array(n.utf8)
            precondition(b.count <= 16)
            var a: UInt64 = 0, c: UInt64 = 0
            for (i, x) in b.enumerated() {
                if i < 8 { a |= UInt64(x) << (8 * UInt64(i)) } else { c |= UInt64(x) << (8 * UInt64(i - 8)) }
            }
            lo.append(a); hi.append(c); len.append(b.count)
        }
        self.lo = lo; self.hi = hi; self.len = len
    }

    /// The index of the name spelled by `b[s..<e]`, or -1.
    @inline(__always)
    func match(_ b: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int {
        let n = e - s
        if n > 16 || n == 0 { return -1 }
        var a: UInt64 = 0, c: UInt64 = 0
        var i = 0
        while i < n {
            let x = UInt64(b[s + i])
            if i < 8 { a |= x << (8 * UInt64(i)) } else { c |= x << (8 * UInt64(i - 8)) }
            i += 1
        }
        return lo.withUnsafeBufferPointer { lo in
            hi.withUnsafeBufferPointer { hi in
                len.withUnsafeBufferPointer { len in
                    for k in 0..<lo.count where len[k] == n && lo[k] == a && hi[k] == c { return k }
                    return -1
                }
            }
        }
    }
}

/// A cursor over one piece of a file. Every reader returns nil (or false) for anything the
/// fast path does not take; the caller then gives up on the fast path.
private struct Cursor {
    let b: UnsafePointer<UInt8>
    var p: Int
    let end: Int

    /// Consumes a blank line (spaces or tabs, then a line end or the end of the piece).
    @inline(__always)
    mutating func blankLine() -> Bool {
        var q = p
        while q < end && (b[q] == 0x20 || b[q] == 0x09) { q += 1 }
        if q == end { p = end; return true }
        if b[q] == LF { p = q + 1; return true }
        if b[q] == CR && q + 1 < end && b[q + 1] == LF { p = q + 2; return true }
        return false
    }

    @inline(__always)
    mutating func comma() -> Bool {
        if p < end && b[p] == COMMA { p += 1; return true }
        return false
    }

    @inline(__always)
    mutating func lineEnd() -> Bool {
        if p == end { return true }
        if b[p] == LF { p += 1; return true }
        if b[p] == CR && p + 1 < end && b[p + 1] == LF { p += 2; return true }
        return false
    }

    /// Base-10 digits (at least one, leading zeros allowed) fitting Int64.
    @inline(__always)
    mutating func uint() -> Int64? {
        let s = p
        var v: UInt64 = 0
        while p < end {
            let d = b[p] &- 48
            if d > 9 { break }
            v = v &* 10 &+ UInt64(d)
            p += 1
        }
        let n = p - s
        if n == 0 { return nil }
        if n <= 18 { return Int64(v) }
        var w: Int64 = 0
        for k in s..<p {
            let (m, o1) = w.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(b[k] &- 48))
            if o1 || o2 { return nil }
            w = a
        }
        return w
    }

    /// `0` or `1`.
    @inline(__always)
    mutating func flag() -> UInt8? {
        if p < end {
            let d = b[p] &- 48
            if d <= 1 { p += 1; return d }
        }
        return nil
    }

    /// An ASCII field without separators: its end (the cursor stops before the comma).
    @inline(__always)
    mutating func asciiField() -> Int {
        while p < end {
            let c = b[p]
            if c == COMMA || c == LF || c == CR || c >= 0x80 { break }
            p += 1
        }
        return p
    }
}

/// The header line (after an optional BOM): the offset of the first data line, or nil.
private func headerEnd(_ b: CBytes, _ header: String) -> Int? {
    var p = 0
    if b.count >= 3 && b.base[0] == 0xEF && b.base[1] == 0xBB && b.base[2] == 0xBF { p = 3 }
    let h = Array(header.utf8)
    guard b.count - p >= h.count, memcmp(b.base + p, h, h.count) == 0 else { return nil }
    var c = Cursor(b: b.base, p: p + h.count, end: b.count)
    guard c.lineEnd() else { return nil }
    return c.p
}

/// Splits `start..<end` into `k` pieces at line starts.
private func pieces(_ b: CBytes, from start: Int, count k: Int) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var s = start
    for i in 1..<max(1, k) {
        var cut = start + (b.count - start) * i / k
        if cut <= s { continue }
        if let q = memchr(b.base + cut, Int32(LF), b.count - cut) {
            cut = b.base.distance(to: q.assumingMemoryBound(to: UInt8.self)) + 1
        } else {
            cut = b.count
        }
        if cut > s { out.append(s..<cut); s = cut }
    }
    out.append(s..<b.count)
    return out
}

private struct HouseholdPiece {
    var hukou: [UInt8] = [], deposits: [Int64] = [], vehicles: [Int64] = [], houses: [Int64] = []
    var disabilityVehicle: [UInt8] = [], business: [UInt8] = []
    var idBytes: [UInt8] = [], idEnds: [UInt32] = []
    var idHash: [UInt64] = []
    /// Per household: index into `divisionKeys` (distinct in this piece).
    var division: [UInt32] = []
    var divisionKeys: [UInt64] = []
    var blankSeen = false
    var records: Int { hukou.count }
}

/// Where member pieces write their rows: the final columns (members in file order) plus the
/// household index and id key of each row, for the checks.
private struct MemberColumns: @unchecked Sendable {
    let household: UnsafeMutablePointer<Int32>
    let birth: UnsafeMutablePointer<Int32>
    let income: UnsafeMutablePointer<Int64>, employment: UnsafeMutablePointer<Int64>
    let grade: UnsafeMutablePointer<UInt8>, kind: UnsafeMutablePointer<UInt8>, veteran: UnsafeMutablePointer<UInt8>
    let care: UnsafeMutablePointer<UInt8>, flags: UnsafeMutablePointer<UInt8>
    let idKey: UnsafeMutablePointer<UInt64>
}

/// What a member piece read: its rows (written at its offset) and whether it saw a blank line.
private struct MemberPiece: Sendable {
    var records = 0
    var blankSeen = false
}

/// Open-addressing tables of household ids, partitioned by the top bit of the hash.
private struct IDTables: @unchecked Sendable {
    /// Per partition: slots of three words — 0 when empty, else tag << 32 | index + 1 (the tag is
    /// 24 bits of the hash and the id's length, up to 255), then the id's first 16 bytes
    /// (zero-padded), so that ids of up to 16 bytes are matched without reading the id bytes.
    let slots: [UnsafeMutableBufferPointer<UInt64>]
    let masks: [Int]
    let shift: UInt64 // hash >> shift picks the partition

    func deallocate() { for s in slots { s.deallocate() } }
}

/// Everything a worker needs to look household ids up (pointers into arrays kept alive by the caller).
private struct HouseholdLookup: @unchecked Sendable {
    let idBytes: UnsafePointer<UInt8>
    let idOffsets: UnsafePointer<UInt32>
    let count: Int
    let tables: IDTables

    @inline(__always)
    func equal(_ i: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let s = Int(idOffsets[i]), e = Int(idOffsets[i + 1])
        return e - s == n && memcmp(idBytes + s, p, n) == 0
    }

    @inline(__always)
    func find(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        let h = hashBytes(p, n)
        let part = Int(truncatingIfNeeded: h >> tables.shift) & (tables.slots.count - 1)
        let slots = tables.slots[part], mask = tables.masks[part]
        let tag = idTag(h, n)
        let (w0, w1) = prefixWords(p, n)
        var k = Int(truncatingIfNeeded: h) & mask
        while true {
            let v = slots[3 * k]
            if v == 0 { return -1 }
            if v >> 32 == tag && slots[3 * k + 1] == w0 && slots[3 * k + 2] == w1 {
                let i = Int(v & 0xFFFF_FFFF) - 1
                if n <= 16 || equal(i, p, n) { return i }
            }
            k = (k + 1) & mask
        }
    }
}

/// 24 bits of the hash and the length (up to 255).
@inline(__always)
private func idTag(_ h: UInt64, _ n: Int) -> UInt64 { (h >> 32) & 0xFFFF_FF00 | UInt64(min(n, 255)) }

/// The first 16 bytes of an id, zero-padded, as two words.
@inline(__always)
private func prefixWords(_ p: UnsafePointer<UInt8>, _ n: Int) -> (UInt64, UInt64) {
    var w0: UInt64 = 0, w1: UInt64 = 0
    let m = min(n, 16)
    var i = 0
    while i < m {
        let x = UInt64(p[i])
        if i < 8 { w0 |= x << (8 * UInt64(i)) } else { w1 |= x << (8 * UInt64(i - 8)) }
        i += 1
    }
    return (w0, w1)
}

private func nextPowerOfTwo(_ n: Int) -> Int {
    var c = 16
    while c < n { c <<= 1 }
    return c
}

private struct FastCSV {
    let households: CBytes
    let members: CBytes
    let today: Day
    let divisions: Divisions

    static let hukouTable = NameTable(HukouType.allCases.map(\.rawValue))
    static let relationTable = NameTable(Relation.allCases.map(\.rawValue))
    static let kindTable = NameTable(DisabilityKind.allCases.map(\.rawValue))
    static let careTable = NameTable(CareLevel.allCases.map(\.rawValue))

    var cores: Int { max(1, min(64, ProcessInfo.processInfo.activeProcessorCount)) }

    func pieceCount(_ bytes: Int) -> Int { bytes < 64 << 10 ? 1 : cores }

    /// The population, or nil when the fast path does not take the files.
    func run() -> ColumnarPopulation? {
        guard !containsQuote(households), !containsQuote(members),
              let hStart = headerEnd(households, PopulationCSV.householdsHeader),
              let mStart = headerEnd(members, PopulationCSV.membersHeader) else { return nil }

        // households.csv, in pieces.
        let hRanges = pieces(households, from: hStart, count: pieceCount(households.count - hStart))
        let hSlots = ColumnarSlots<HouseholdPiece>(hRanges.count)
        let hb = households
        DispatchQueue.concurrentPerform(iterations: hRanges.count) { i in
            hSlots.items[i] = FastCSV.parseHouseholds(hb, hRanges[i])
        }
        var hPieces: [HouseholdPiece] = []
        for i in 0..<hRanges.count {
            guard let piece = hSlots.items[i] else { return nil }
            hPieces.append(piece)
        }
        guard var pop = mergeHouseholds(&hPieces) else { return nil }
        let n = pop.householdCount
        guard n > 0, n < Int(Int32.max) else { return nil } // no households: the readable reader says what is wrong

        // Household id tables (unique ids), one partition per core.
        let partitions = n >= 1024 && cores >= 2 ? 2 : 1
        let hashes = hPieces.flatMap(\.idHash)
        hPieces = []
        let tables = IDTables(slots: (0..<partitions).map { _ in
                                  let s = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 3 * nextPowerOfTwo(2 * n / partitions + 16))
                                  s.initialize(repeating: 0)
                                  return s
                              },
                              masks: (0..<partitions).map { _ in nextPowerOfTwo(2 * n / partitions + 16) - 1 },
                              shift: partitions == 2 ? 63 : 0)
        defer { tables.deallocate() }
        let duplicate = ColumnarSlots<Bool>(partitions)
        pop.idBytes.withUnsafeBufferPointer { idBytes in
            pop.idOffsets.withUnsafeBufferPointer { idOffsets in
                hashes.withUnsafeBufferPointer { hashes in
                    let look = HouseholdLookup(idBytes: idBytes.baseAddress!, idOffsets: idOffsets.baseAddress!, count: n, tables: tables)
                    let hs = SharedPointer(hashes.baseAddress)
                    DispatchQueue.concurrentPerform(iterations: partitions) { part in
                        duplicate.items[part] = FastCSV.insertHouseholds(look, hs.pointer, part: part)
                    }
                }
            }
        }
        for i in 0..<partitions where duplicate.items[i] != false { return nil }

        // members.csv, in pieces, each writing its rows straight into the final columns at an
        // offset given by the lines before it.
        let mRanges = pieces(members, from: mStart, count: pieceCount(members.count - mStart))
        let lineSlots = ColumnarSlots<Int>(mRanges.count)
        let mb = members
        DispatchQueue.concurrentPerform(iterations: mRanges.count) { i in
            lineSlots.items[i] = lineCount(mb, mRanges[i])
        }
        var offsets: [Int] = [], capacities: [Int] = [], capacity = 0
        for i in 0..<mRanges.count {
            offsets.append(capacity)
            capacities.append(lineSlots.items[i]!)
            capacity += lineSlots.items[i]!
        }
        guard capacity < Int(Int32.max) else { return nil }
        let pieceOffsets = offsets, pieceCapacities = capacities
        var household = [Int32](repeating: 0, count: capacity)
        var idKey = [UInt64](repeating: 0, count: capacity)
        pop.birth = [Int32](repeating: 0, count: capacity)
        pop.monthlyIncome = [Int64](repeating: 0, count: capacity)
        pop.employmentIncome = [Int64](repeating: 0, count: capacity)
        pop.disabilityGrade = [UInt8](repeating: 0, count: capacity)
        pop.disabilityKind = [UInt8](repeating: 0, count: capacity)
        pop.veteranGrade = [UInt8](repeating: 0, count: capacity)
        pop.careLevel = [UInt8](repeating: 0, count: capacity)
        pop.memberFlags = [UInt8](repeating: 0, count: capacity)
        let mSlots = ColumnarSlots<MemberPiece>(mRanges.count)
        let todayPacked = Int32(today.year * 10000 + today.month * 100 + today.day)
        let idBytesShared = pop.idBytes, idOffsetsShared = pop.idOffsets // the same storage, not a copy
        household.withUnsafeMutableBufferPointer { household in
        idKey.withUnsafeMutableBufferPointer { idKey in
        pop.birth.withUnsafeMutableBufferPointer { birth in
        pop.monthlyIncome.withUnsafeMutableBufferPointer { income in
        pop.employmentIncome.withUnsafeMutableBufferPointer { employment in
        pop.disabilityGrade.withUnsafeMutableBufferPointer { grade in
        pop.disabilityKind.withUnsafeMutableBufferPointer { kind in
        pop.veteranGrade.withUnsafeMutableBufferPointer { veteran in
        pop.careLevel.withUnsafeMutableBufferPointer { care in
        pop.memberFlags.withUnsafeMutableBufferPointer { flags in
        idBytesShared.withUnsafeBufferPointer { idBytes in
        idOffsetsShared.withUnsafeBufferPointer { idOffsets in
            guard let h0 = household.baseAddress, let k0 = idKey.baseAddress, let b0 = birth.baseAddress,
                  let i0 = income.baseAddress, let e0 = employment.baseAddress, let g0 = grade.baseAddress,
                  let d0 = kind.baseAddress, let v0 = veteran.baseAddress, let c0 = care.baseAddress,
                  let f0 = flags.baseAddress, let ib = idBytes.baseAddress, let io = idOffsets.baseAddress else { return }
            let cols = MemberColumns(household: h0, birth: b0, income: i0, employment: e0, grade: g0, kind: d0,
                                     veteran: v0, care: c0, flags: f0, idKey: k0)
            let look = HouseholdLookup(idBytes: ib, idOffsets: io, count: n, tables: tables)
            DispatchQueue.concurrentPerform(iterations: mRanges.count) { i in
                mSlots.items[i] = FastCSV.parseMembers(mb, mRanges[i], look, todayPacked: todayPacked,
                                                       into: cols, at: pieceOffsets[i], capacity: pieceCapacities[i])
            }
        }}}}}}}}}}}}
        var mPieces: [MemberPiece] = []
        for i in 0..<mRanges.count {
            guard let piece = mSlots.items[i] else { return nil }
            mPieces.append(piece)
        }
        for i in mPieces.indices where mPieces[i].blankSeen {
            for j in (i + 1)..<mPieces.count where mPieces[j].records > 0 { return nil }
        }
        // Close the gaps blank lines left (only trailing blank lines get this far).
        var total = 0
        for i in mPieces.indices {
            let r = mPieces[i].records
            if offsets[i] != total && r > 0 {
                let from = offsets[i], to = total
                func move<T>(_ a: inout [T]) { for k in 0..<r { a[to + k] = a[from + k] } }
                move(&household); move(&idKey)
                move(&pop.birth); move(&pop.monthlyIncome); move(&pop.employmentIncome); move(&pop.disabilityGrade)
                move(&pop.disabilityKind); move(&pop.veteranGrade); move(&pop.careLevel); move(&pop.memberFlags)
            }
            total += r
        }
        if total < capacity {
            let extra = capacity - total
            household.removeLast(extra); idKey.removeLast(extra)
            pop.birth.removeLast(extra); pop.monthlyIncome.removeLast(extra); pop.employmentIncome.removeLast(extra)
            pop.disabilityGrade.removeLast(extra); pop.disabilityKind.removeLast(extra); pop.veteranGrade.removeLast(extra)
            pop.careLevel.removeLast(extra); pop.memberFlags.removeLast(extra)
        }
        guard mergeMembers(household: household, idKey: idKey, into: &pop) else { return nil }
        return pop
    }

    // MARK: households

    static func parseHouseholds(_ bytes: CBytes, _ range: Range<Int>) -> HouseholdPiece? {
        var out = HouseholdPiece()
        let estimate = range.count / 48 + 16
        out.hukou.reserveCapacity(estimate)
        out.deposits.reserveCapacity(estimate)
        out.vehicles.reserveCapacity(estimate)
        out.houses.reserveCapacity(estimate)
        out.disabilityVehicle.reserveCapacity(estimate)
        out.business.reserveCapacity(estimate)
        out.idBytes.reserveCapacity(estimate * 10)
        out.idEnds.reserveCapacity(estimate)
        out.idHash.reserveCapacity(estimate)
        out.division.reserveCapacity(estimate)
        var keyIndex: [UInt64: UInt32] = [:]
        let hukouTable = Self.hukouTable
        let b = bytes.base
        var c = Cursor(b: b, p: range.lowerBound, end: range.upperBound)
        var lastKey: UInt64 = .max, lastIndex: UInt32 = 0
        while c.p < c.end {
            if c.blankLine() { out.blankSeen = true; continue }
            if out.blankSeen { return nil }
            // household_id: ASCII, 1–64 bytes.
            let s0 = c.p
            let e0 = c.asciiField()
            guard e0 > s0, e0 - s0 <= 64, c.comma() else { return nil }
            // division_code: 6, 9 or 12 digits; checked against the table when merging.
            let s1 = c.p
            var v: UInt64 = 0
            while c.p < c.end {
                let d = b[c.p] &- 48
                if d > 9 { break }
                v = v &* 10 &+ UInt64(d)
                c.p += 1
            }
            let len = c.p - s1
            guard len == 6 || len == 9 || len == 12, c.comma() else { return nil }
            let key = UInt64(len) << 56 | v
            let slot: UInt32
            if key == lastKey { slot = lastIndex } else {
                if let known = keyIndex[key] { slot = known } else {
                    slot = UInt32(out.divisionKeys.count)
                    keyIndex[key] = slot
                    out.divisionKeys.append(key)
                }
                lastKey = key; lastIndex = slot
            }
            let s2 = c.p
            let e2 = c.asciiField()
            let hk = hukouTable.match(b, s2, e2)
            guard hk >= 0, c.comma(),
                  let deposits = c.uint(), c.comma(),
                  let vehicles = c.uint(), c.comma(),
                  let dv = c.flag(), c.comma(),
                  let houses = c.uint(), c.comma(),
                  let business = c.flag(), c.lineEnd() else { return nil }
            out.idBytes.append(contentsOf: UnsafeBufferPointer(start: b + s0, count: e0 - s0))
            out.idEnds.append(UInt32(out.idBytes.count))
            out.idHash.append(hashBytes(b + s0, e0 - s0))
            out.division.append(slot)
            out.hukou.append(UInt8(hk))
            out.deposits.append(deposits)
            out.vehicles.append(vehicles)
            out.disabilityVehicle.append(dv)
            out.houses.append(houses)
            out.business.append(business)
        }
        return out
    }

    /// The pieces in order as one population (households only), with the division codes checked.
    func mergeHouseholds(_ pieces: inout [HouseholdPiece]) -> ColumnarPopulation? {
        for i in pieces.indices where pieces[i].blankSeen {
            for j in (i + 1)..<pieces.count where pieces[j].records > 0 { return nil }
        }
        var pop = ColumnarPopulation()
        let n = pieces.reduce(0) { $0 + $1.records }
        pop.reserveHouseholds(n)
        var globalKey: [UInt64: UInt32] = [:]
        var townshipIndex: [String: UInt32] = [:]
        var divisionTownship: [UInt32] = []
        for piece in pieces {
            // Division codes: each distinct one checked once, as the reader checks it.
            var remap: [UInt32] = []
            for key in piece.divisionKeys {
                if let g = globalKey[key] { remap.append(g); continue }
                let len = Int(key >> 56)
                let digits = String(key & ((1 << 56) - 1))
                let text = String(repeating: "0", count: max(0, len - digits.count)) + digits
                guard let code = try? DivisionCode(text), divisions.validatePlace(code) == nil else { return nil }
                let g = UInt32(pop.divisionCodes.count)
                globalKey[key] = g
                pop.divisionCodes.append(code)
                let t = ColumnarPopulation.townshipKey(code)
                if let known = townshipIndex[t] { divisionTownship.append(known) } else {
                    let ti = UInt32(pop.townships.count)
                    townshipIndex[t] = ti
                    pop.townships.append(t)
                    divisionTownship.append(ti)
                }
                remap.append(g)
            }
            for d in piece.division {
                let g = remap[Int(d)]
                pop.householdDivision.append(g)
                pop.householdTownship.append(divisionTownship[Int(g)])
            }
            let base = UInt32(pop.idBytes.count)
            guard UInt64(base) + UInt64(piece.idBytes.count) < UInt64(UInt32.max) else { return nil }
            pop.idBytes.append(contentsOf: piece.idBytes)
            for e in piece.idEnds { pop.idOffsets.append(base + e) }
            pop.hukou.append(contentsOf: piece.hukou)
            pop.deposits.append(contentsOf: piece.deposits)
            pop.vehiclesValue.append(contentsOf: piece.vehicles)
            pop.disabilityVehicle.append(contentsOf: piece.disabilityVehicle)
            pop.houses.append(contentsOf: piece.houses)
            pop.businessRegistered.append(contentsOf: piece.business)
        }
        return pop
    }

    /// Inserts the households of one partition; true when an id is listed twice.
    static func insertHouseholds(_ look: HouseholdLookup, _ hashes: UnsafePointer<UInt64>?, part: Int) -> Bool {
        guard let hashes else { return false }
        let tables = look.tables
        let slots = tables.slots[part], mask = tables.masks[part]
        let partitions = tables.slots.count
        for i in 0..<look.count {
            let h = hashes[i]
            if Int(truncatingIfNeeded: h >> tables.shift) & (partitions - 1) != part { continue }
            var k = Int(truncatingIfNeeded: h) & mask
            let s = Int(look.idOffsets[i]), n = Int(look.idOffsets[i + 1]) - s
            let tag = idTag(h, n)
            let (w0, w1) = prefixWords(look.idBytes + s, n)
            while true {
                let v = slots[3 * k]
                if v == 0 {
                    slots[3 * k] = tag << 32 | UInt64(i + 1)
                    slots[3 * k + 1] = w0
                    slots[3 * k + 2] = w1
                    break
                }
                if v >> 32 == tag && look.equal(Int(v & 0xFFFF_FFFF) - 1, look.idBytes + s, n) { return true }
                k = (k + 1) & mask
            }
        }
        return false
    }

    // MARK: members

    static func parseMembers(_ bytes: CBytes, _ range: Range<Int>, _ look: HouseholdLookup, todayPacked: Int32,
                             into cols: MemberColumns, at offset: Int, capacity: Int) -> MemberPiece? {
        var out = MemberPiece()
        var k = offset
        let limit = offset + capacity
        let relationTable = Self.relationTable, kindTable = Self.kindTable, careTable = Self.careTable
        let weights: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
            (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        let b = bytes.base
        var c = Cursor(b: b, p: range.lowerBound, end: range.upperBound)
        var last = -1
        var nearby = true
        while c.p < c.end {
            if c.blankLine() { out.blankSeen = true; continue }
            if out.blankSeen { return nil }

            // household_id: a household of households.csv (the same or next one as the last member's first).
            let s0 = c.p
            let e0 = c.asciiField()
            let idLen = e0 - s0
            guard idLen > 0, c.comma() else { return nil }
            // Members usually come grouped in household order: try the last member's household
            // and the next one first, unless that failed for the last member (shuffled files).
            var h = -1
            if nearby && last >= 0 && look.equal(last, b + s0, idLen) {
                h = last
            } else if nearby && last + 1 < look.count && look.equal(last + 1, b + s0, idLen) {
                h = last + 1
            } else {
                h = look.find(b + s0, idLen)
                if h < 0 { return nil }
                nearby = h == last || h == last + 1
            }
            last = h

            // id_number: 17 digits, the check character, a real birth date not after today.
            let p = c.p
            guard c.end - p > 18, b[p + 18] == COMMA else { return nil }
            var key: UInt64 = 0
            var sum = 0
            withUnsafeBytes(of: weights) { w in
                let wp = w.baseAddress!.assumingMemoryBound(to: Int.self)
                for i in 0..<17 {
                    let d = b[p + i] &- 48
                    if d > 9 { sum = -1_000_000; break }
                    key = key &* 10 &+ UInt64(d)
                    sum &+= wp[i] &* Int(d)
                }
            }
            guard sum >= 0 else { return nil }
            var checkChar = b[p + 17]
            if checkChar == UInt8(ascii: "x") { checkChar = UInt8(ascii: "X") }
            let r = sum % 11
            let expected: UInt8 = r == 0 ? 49 : r == 1 ? 48 : r == 2 ? 88 : UInt8(48 + 12 - r)
            guard checkChar == expected else { return nil }
            let y = Int(b[p + 6] &- 48) * 1000 + Int(b[p + 7] &- 48) * 100 + Int(b[p + 8] &- 48) * 10 + Int(b[p + 9] &- 48)
            let mo = Int(b[p + 10] &- 48) * 10 + Int(b[p + 11] &- 48)
            let d = Int(b[p + 12] &- 48) * 10 + Int(b[p + 13] &- 48)
            guard y >= 1, mo >= 1, mo <= 12, d >= 1, d <= Day.daysIn(year: y, month: mo),
                  Int32(y * 10000 + mo * 100 + d) <= todayPacked else { return nil }
            c.p = p + 19

            // name: valid UTF-8, not blank.
            var nonBlank = false
            while c.p < c.end {
                let x = b[c.p]
                if x < 0x80 {
                    if x == COMMA { break }
                    if x == LF || x == CR { return nil }
                    if x > 0x20 && x < 0x7F { nonBlank = true }
                    c.p += 1
                    continue
                }
                // A multi-byte sequence, checked as UTF-8.
                if x >= 0xE4 && x <= 0xE9 { nonBlank = true } // CJK: never white space
                let need: Int
                var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
                if x >= 0xC2 && x <= 0xDF { need = 1 } else if x >= 0xE0 && x <= 0xEF {
                    need = 2
                    if x == 0xE0 { lo = 0xA0 } else if x == 0xED { hi = 0x9F }
                } else if x >= 0xF0 && x <= 0xF4 {
                    need = 3
                    if x == 0xF0 { lo = 0x90 } else if x == 0xF4 { hi = 0x8F }
                } else { return nil }
                guard c.end - c.p > need else { return nil }
                let x1 = b[c.p + 1]
                guard x1 >= lo && x1 <= hi else { return nil }
                for k in 2..<(need + 1) where b[c.p + k] & 0xC0 != 0x80 { return nil }
                c.p += need + 1
            }
            guard nonBlank, c.comma() else { return nil }

            let s3 = c.p
            let rel = relationTable.match(b, s3, c.asciiField())
            guard rel >= 0, c.comma(), let grade = c.uint(), grade <= 4, c.comma() else { return nil }
            let s5 = c.p
            let kind = kindTable.match(b, s5, c.asciiField())
            guard kind >= 0, (grade == 0) == (kind == 0), c.comma(),
                  let ill = c.flag(), c.comma(),
                  let vet = c.uint(), vet <= 10, c.comma(),
                  let martyr = c.flag(), c.comma(),
                  let demob = c.flag(), c.comma(),
                  let able = c.flag(), c.comma(),
                  let supporter = c.flag(), c.comma() else { return nil }
            let s12 = c.p
            let care = careTable.match(b, s12, c.asciiField())
            guard care >= 0, c.comma(),
                  let income = c.uint(), c.comma(),
                  let employment = c.uint(), employment <= income, c.lineEnd() else { return nil }

            // Day ordinal (Howard Hinnant's days_from_civil), as Day.ordinal.
            let yy = mo <= 2 ? y - 1 : y
            let era = yy / 400
            let yoe = yy - era * 400
            let mp = (mo + 9) % 12
            let doy = (153 * mp + 2) / 5 + d - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            let ordinal = era * 146_097 + doe - 719_468

            guard k < limit else { return nil }
            cols.household[k] = Int32(h)
            cols.birth[k] = Int32(ordinal)
            cols.income[k] = income
            cols.employment[k] = employment
            cols.grade[k] = UInt8(grade)
            cols.kind[k] = UInt8(kind)
            cols.veteran[k] = UInt8(vet)
            cols.care[k] = UInt8(care)
            cols.flags[k] = ill | martyr << 1 | demob << 2 | able << 3 | supporter << 4 | (rel == 0 ? 32 : 0)
            cols.idKey[k] = key
            k += 1
        }
        out.records = k - offset
        return out
    }

    /// Checks unique ids and one head per household, then groups the members (in file order in
    /// `pop`) by household.
    func mergeMembers(household: [Int32], idKey: [UInt64], into pop: inout ColumnarPopulation) -> Bool {
        let n = pop.householdCount
        let total = household.count
        // Work items: one counting members and heads, the others the histogram of unique-id buckets.
        let workers = total >= 1024 ? cores : 1
        let buckets = FastCSV.idBuckets
        var histogram = [Int](repeating: 0, count: workers * buckets)
        let failed = ColumnarSlots<Bool>(1)
        var counts = [Int32](repeating: 0, count: n)
        let sortedSlot = ColumnarSlots<Bool>(1)
        let flagsShared = pop.memberFlags
        var unique = true
        counts.withUnsafeMutableBufferPointer { countsBuffer in
        histogram.withUnsafeMutableBufferPointer { histogram in
        household.withUnsafeBufferPointer { hs in
        idKey.withUnsafeBufferPointer { keys in
        flagsShared.withUnsafeBufferPointer { fs in
            let views = PieceViews(keys: keys, households: hs, flags: fs, counts: countsBuffer, histogram: histogram)
            DispatchQueue.concurrentPerform(iterations: workers + 1) { work in
                if work < workers {
                    FastCSV.histogram(views, worker: work, workers: workers)
                } else {
                    let counts = views.counts, hs = views.households, fs = views.flags
                    var heads = [UInt8](repeating: 0, count: n)
                    var sorted = true
                    var previous: Int32 = -1
                    var bad = false
                    for j in 0..<hs.count {
                        let h = hs[j]
                        if h < previous { sorted = false }
                        previous = h
                        counts[Int(h)] &+= 1
                        if fs[j] & 32 != 0 {
                            if heads[Int(h)] != 0 { bad = true }
                            heads[Int(h)] = 1
                        }
                    }
                    if !bad { for i in 0..<n where heads[i] == 0 { bad = true; break } }
                    failed.items[0] = bad
                    sortedSlot.items[0] = sorted
                }
            }
            if failed.items[0] == false {
                unique = FastCSV.allDifferent(views, workers: workers)
            }
        }}}}}
        guard failed.items[0] == false, unique else { return false }

        pop.memberStart = [Int32](repeating: 0, count: n + 1)
        pop.memberStart.withUnsafeMutableBufferPointer { ms in
            var acc: Int32 = 0
            for i in 0..<n { ms[i] = acc; acc += counts[i] }
            ms[n] = acc
        }
        if sortedSlot.items[0] == true { return true } // already grouped in household order

        // Stable scatter into household order.
        var next = Array(pop.memberStart.dropLast())
        var position = [Int32](repeating: 0, count: total)
        for k in 0..<total {
            let h = Int(household[k])
            position[k] = next[h]
            next[h] += 1
        }
        func scatter<T>(_ a: inout [T], _ zero: T) {
            var out = [T](repeating: zero, count: total)
            out.withUnsafeMutableBufferPointer { o in
                for k in 0..<total { o[Int(position[k])] = a[k] }
            }
            a = out
        }
        scatter(&pop.birth, 0)
        scatter(&pop.monthlyIncome, 0)
        scatter(&pop.employmentIncome, 0)
        scatter(&pop.disabilityGrade, 0)
        scatter(&pop.disabilityKind, 0)
        scatter(&pop.veteranGrade, 0)
        scatter(&pop.careLevel, 0)
        scatter(&pop.memberFlags, 0)
        return true
    }

    /// Unique ids are checked by buckets (the top bits of a hash of the key) small enough for the cache.
    static let idBuckets = 4096

    @inline(__always)
    static func bucket(_ key: UInt64) -> Int { Int(truncatingIfNeeded: mix(key) >> 52) }

    /// Counts the keys of worker `worker`'s slice per bucket.
    static func histogram(_ v: PieceViews, worker: Int, workers: Int) {
        let total = v.keys.count, buckets = idBuckets
        let h = v.histogram.baseAddress! + worker * buckets
        for j in (total * worker / workers) ..< (total * (worker + 1) / workers) { h[bucket(v.keys[j])] += 1 }
    }

    /// True when all keys differ: the keys are scattered into their buckets, then each bucket is
    /// checked with a small hash set.
    static func allDifferent(_ v: PieceViews, workers: Int) -> Bool {
        let total = v.keys.count, buckets = idBuckets
        // Start of each (worker, bucket) run: bucket-major, then worker.
        var start = [Int](repeating: 0, count: workers * buckets)
        var bucketStart = [Int](repeating: 0, count: buckets + 1)
        var acc = 0
        for b in 0..<buckets {
            bucketStart[b] = acc
            for w in 0..<workers {
                start[w * buckets + b] = acc
                acc += v.histogram[w * buckets + b]
            }
        }
        bucketStart[buckets] = acc
        let sorted = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: max(1, total))
        defer { sorted.deallocate() }
        let out = SharedMutable(sorted.baseAddress!)
        start.withUnsafeMutableBufferPointer { start in
            let starts = SharedMutable(start.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let s = starts.pointer + w * buckets
                for j in (total * w / workers) ..< (total * (w + 1) / workers) {
                    let key = v.keys[j]
                    let b = bucket(key)
                    out.pointer[s[b]] = key
                    s[b] += 1
                }
            }
        }
        let groups = 64
        let duplicate = ColumnarSlots<Bool>(groups)
        bucketStart.withUnsafeBufferPointer { bs in
            let bounds = SharedPointer(bs.baseAddress)
            DispatchQueue.concurrentPerform(iterations: groups) { g in
                let bs = bounds.pointer!
                var largest = 0
                for b in (buckets * g / groups) ..< (buckets * (g + 1) / groups) { largest = max(largest, bs[b + 1] - bs[b]) }
                let capacity = nextPowerOfTwo(2 * largest + 16)
                let set = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: capacity)
                defer { set.deallocate() }
                var found = false
                buckets: for b in (buckets * g / groups) ..< (buckets * (g + 1) / groups) {
                    let count = bs[b + 1] - bs[b]
                    if count < 2 { continue }
                    let size = nextPowerOfTwo(2 * count + 16), mask = size - 1
                    set.baseAddress!.update(repeating: 0, count: size)
                    for j in bs[b] ..< bs[b + 1] {
                        let key = out.pointer[j]
                        var k = Int(truncatingIfNeeded: key &* 0x9E37_79B9_7F4A_7C15 >> 20) & mask
                        while true {
                            let x = set[k]
                            if x == 0 { set[k] = key; break }
                            if x == key { found = true; break buckets }
                            k = (k + 1) & mask
                        }
                    }
                }
                duplicate.items[g] = found
            }
        }
        for g in 0..<groups where duplicate.items[g] != false { return false }
        return true
    }
}

/// A read-only pointer shared by workers.
private struct SharedPointer<T>: @unchecked Sendable {
    let pointer: UnsafePointer<T>?
    init(_ p: UnsafePointer<T>?) { pointer = p }
}

/// The members' id keys, household indices and flags, read by concurrent workers, and the
/// member counts one of them writes.
private struct PieceViews: @unchecked Sendable {
    let keys: UnsafeBufferPointer<UInt64>
    let households: UnsafeBufferPointer<Int32>
    let flags: UnsafeBufferPointer<UInt8>
    let counts: UnsafeMutableBufferPointer<Int32>
    /// Per worker, per id bucket: keys counted.
    let histogram: UnsafeMutableBufferPointer<Int>
}

/// A mutable pointer shared by workers that write disjoint parts.
private struct SharedMutable<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ p: UnsafeMutablePointer<T>) { pointer = p }
}

/// Lines in `range`: line feeds, plus one when the range does not end with one.
private func lineCount(_ b: CBytes, _ range: Range<Int>) -> Int {
    var n = 0
    var p = range.lowerBound
    while p < range.upperBound, let q = memchr(b.base + p, Int32(LF), range.upperBound - p) {
        n += 1
        p = b.base.distance(to: q.assumingMemoryBound(to: UInt8.self)) + 1
    }
    if range.upperBound > range.lowerBound && b.base[range.upperBound - 1] != LF { n += 1 }
    return n
}
