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
        let fast: ColumnarPopulation? = households.withUnsafeBytes { h in
            members.withUnsafeBytes { m in
                guard let hb = h.bindMemory(to: UInt8.self).baseAddress, let mb = m.bindMemory(to: UInt8.self).baseAddress else { return nil }
                return FastCSV(households: CBytes(base: hb, count: h.count), members: CBytes(base: mb, count: m.count),
                               today: today, divisions: divisions).run()
            }
        }
        if let fast { return fast }
        let located = try PopulationCSV.readLocated(households: households, members: members,
                                                    householdsFile: householdsFile, membersFile: membersFile,
                                                    today: today, divisions: divisions)
        return ColumnarPopulation(located.population)
    }
}

// MARK: - Fast path

/// A read-only byte buffer shared by the worker threads (the caller keeps it alive).
struct CBytes: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    let count: Int
}

/// Results written by concurrent workers, one slot each.
final class Slots<T>: @unchecked Sendable {
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
func hashBytes(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
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
struct NameTable: Sendable {
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
struct Cursor {
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

struct HouseholdPiece {
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

struct MemberPiece {
    var household: [Int32] = []
    var birth: [Int32] = []
    var income: [Int64] = [], employment: [Int64] = []
    var grade: [UInt8] = [], kind: [UInt8] = [], veteran: [UInt8] = [], care: [UInt8] = [], flags: [UInt8] = []
    var idKey: [UInt64] = []
    var blankSeen = false
    var records: Int { household.count }
}

/// Open-addressing tables of household ids, partitioned by the top bit of the hash.
struct IDTables: @unchecked Sendable {
    /// Per partition: slots (0 empty, else tag << 32 | index + 1) and mask.
    let slots: [UnsafeMutableBufferPointer<UInt64>]
    let masks: [Int]
    let shift: UInt64 // hash >> shift picks the partition

    func deallocate() { for s in slots { s.deallocate() } }
}

/// Everything a worker needs to look household ids up (pointers into arrays kept alive by the caller).
struct HouseholdLookup: @unchecked Sendable {
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
        let tag = h >> 32
        var k = Int(truncatingIfNeeded: h) & mask
        while true {
            let v = slots[k]
            if v == 0 { return -1 }
            if v >> 32 == tag {
                let i = Int(v & 0xFFFF_FFFF) - 1
                if equal(i, p, n) { return i }
            }
            k = (k + 1) & mask
        }
    }
}

private func nextPowerOfTwo(_ n: Int) -> Int {
    var c = 16
    while c < n { c <<= 1 }
    return c
}

struct FastCSV {
    let households: CBytes
    let members: CBytes
    let today: Day
    let divisions: Divisions

    static let hukouTable = NameTable(HukouType.allCases.map(\.rawValue))
    static let relationTable = NameTable(Relation.allCases.map(\.rawValue))
    static let kindTable = NameTable(DisabilityKind.allCases.map(\.rawValue))
    static let careTable = NameTable(CareLevel.allCases.map(\.rawValue))

    var cores: Int { max(1, min(64, ProcessInfo.processInfo.activeProcessorCount)) }

    func pieceCount(_ bytes: Int) -> Int { bytes < 1 << 20 ? 1 : cores }

    /// The population, or nil when the fast path does not take the files.
    func run() -> ColumnarPopulation? {
        guard !containsQuote(households), !containsQuote(members),
              let hStart = headerEnd(households, PopulationCSV.householdsHeader),
              let mStart = headerEnd(members, PopulationCSV.membersHeader) else { return nil }

        // households.csv, in pieces.
        let hRanges = pieces(households, from: hStart, count: pieceCount(households.count - hStart))
        let hSlots = Slots<HouseholdPiece>(hRanges.count)
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
        guard n < Int(Int32.max) else { return nil }

        // Household id tables (unique ids), one partition per core.
        let partitions = n >= 1 << 16 && cores >= 2 ? 2 : 1
        let hashes = hPieces.flatMap(\.idHash)
        hPieces = []
        let tables = IDTables(slots: (0..<partitions).map { _ in
                                  let s = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: nextPowerOfTwo(2 * n / partitions + 16))
                                  s.initialize(repeating: 0)
                                  return s
                              },
                              masks: (0..<partitions).map { _ in nextPowerOfTwo(2 * n / partitions + 16) - 1 },
                              shift: partitions == 2 ? 63 : 0)
        defer { tables.deallocate() }
        let duplicate = Slots<Bool>(partitions)
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

        // members.csv, in pieces.
        let mRanges = pieces(members, from: mStart, count: pieceCount(members.count - mStart))
        let mSlots = Slots<MemberPiece>(mRanges.count)
        let mb = members
        let todayPacked = Int32(today.year * 10000 + today.month * 100 + today.day)
        pop.idBytes.withUnsafeBufferPointer { idBytes in
            pop.idOffsets.withUnsafeBufferPointer { idOffsets in
                let look = HouseholdLookup(idBytes: idBytes.baseAddress!, idOffsets: idOffsets.baseAddress!, count: n, tables: tables)
                DispatchQueue.concurrentPerform(iterations: mRanges.count) { i in
                    mSlots.items[i] = FastCSV.parseMembers(mb, mRanges[i], look, todayPacked: todayPacked)
                }
            }
        }
        var mPieces: [MemberPiece] = []
        for i in 0..<mRanges.count {
            guard let piece = mSlots.items[i] else { return nil }
            mPieces.append(piece)
        }
        for i in mPieces.indices where mPieces[i].blankSeen {
            for j in (i + 1)..<mPieces.count where mPieces[j].records > 0 { return nil }
        }
        guard mergeMembers(mPieces, into: &pop) else { return nil }
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
            let tag = h >> 32
            var k = Int(truncatingIfNeeded: h) & mask
            let s = Int(look.idOffsets[i]), n = Int(look.idOffsets[i + 1]) - s
            while true {
                let v = slots[k]
                if v == 0 {
                    slots[k] = tag << 32 | UInt64(i + 1)
                    break
                }
                if v >> 32 == tag && look.equal(Int(v & 0xFFFF_FFFF) - 1, look.idBytes + s, n) { return true }
                k = (k + 1) & mask
            }
        }
        return false
    }

    // MARK: members

    static func parseMembers(_ bytes: CBytes, _ range: Range<Int>, _ look: HouseholdLookup, todayPacked: Int32) -> MemberPiece? {
        var out = MemberPiece()
        let estimate = range.count / 80 + 16
        out.household.reserveCapacity(estimate)
        out.birth.reserveCapacity(estimate)
        out.income.reserveCapacity(estimate)
        out.employment.reserveCapacity(estimate)
        out.grade.reserveCapacity(estimate)
        out.kind.reserveCapacity(estimate)
        out.veteran.reserveCapacity(estimate)
        out.care.reserveCapacity(estimate)
        out.flags.reserveCapacity(estimate)
        out.idKey.reserveCapacity(estimate)
        let relationTable = Self.relationTable, kindTable = Self.kindTable, careTable = Self.careTable
        let weights: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
            (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        let b = bytes.base
        var c = Cursor(b: b, p: range.lowerBound, end: range.upperBound)
        var last = -1
        while c.p < c.end {
            if c.blankLine() { out.blankSeen = true; continue }
            if out.blankSeen { return nil }

            // household_id: a household of households.csv (the same or next one as the last member's first).
            let s0 = c.p
            let e0 = c.asciiField()
            let idLen = e0 - s0
            guard idLen > 0, c.comma() else { return nil }
            var h = -1
            if last >= 0 && look.equal(last, b + s0, idLen) {
                h = last
            } else if last + 1 < look.count && look.equal(last + 1, b + s0, idLen) {
                h = last + 1
            } else {
                h = look.find(b + s0, idLen)
                if h < 0 { return nil }
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

            out.household.append(Int32(h))
            out.birth.append(Int32(ordinal))
            out.income.append(income)
            out.employment.append(employment)
            out.grade.append(UInt8(grade))
            out.kind.append(UInt8(kind))
            out.veteran.append(UInt8(vet))
            out.care.append(UInt8(care))
            out.flags.append(ill | martyr << 1 | demob << 2 | able << 3 | supporter << 4 | (rel == 0 ? 32 : 0))
            out.idKey.append(key)
        }
        return out
    }

    /// Checks unique ids and one head per household, then groups the members by household.
    func mergeMembers(_ pieces: [MemberPiece], into pop: inout ColumnarPopulation) -> Bool {
        let n = pop.householdCount
        let total = pieces.reduce(0) { $0 + $1.records }
        guard total < Int(Int32.max) else { return false }
        let partitions = total >= 1 << 16 && cores >= 2 ? 2 : 1
        // Work items: one per id partition (unique ids), and one counting members and heads.
        let failed = Slots<Bool>(partitions + 1)
        let counts = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n + 1)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        let sortedSlot = Slots<Bool>(1)
        let countsShared = SharedBuffer(counts)
        withKeyPointers(pieces) { keys, households, flags in
            DispatchQueue.concurrentPerform(iterations: partitions + 1) { work in
                if work < partitions {
                    failed.items[work] = !FastCSV.uniqueKeys(keys, total: total, part: work, partitions: partitions)
                } else {
                    let counts = countsShared.buffer
                    var heads = [UInt8](repeating: 0, count: n)
                    var sorted = true
                    var previous: Int32 = -1
                    var bad = false
                    for (hs, fs) in zip(households, flags) {
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
                    }
                    if !bad { for i in 0..<n where heads[i] == 0 { bad = true; break } }
                    failed.items[work] = bad
                    sortedSlot.items[0] = sorted
                }
            }
        }
        for i in 0...partitions where failed.items[i] != false { return false }

        pop.memberStart = [Int32](repeating: 0, count: n + 1)
        pop.memberStart.withUnsafeMutableBufferPointer { ms in
            var acc: Int32 = 0
            for i in 0..<n { ms[i] = acc; acc += counts[i] }
            ms[n] = acc
        }
        if sortedSlot.items[0] == true {
            // Already grouped in household order: the pieces back to back.
            func cat<T>(_ kp: KeyPath<MemberPiece, [T]>) -> [T] {
                if pieces.count == 1 { return pieces[0][keyPath: kp] }
                var a: [T] = []
                a.reserveCapacity(total)
                for p in pieces { a.append(contentsOf: p[keyPath: kp]) }
                return a
            }
            pop.birth = cat(\.birth)
            pop.monthlyIncome = cat(\.income)
            pop.employmentIncome = cat(\.employment)
            pop.disabilityGrade = cat(\.grade)
            pop.disabilityKind = cat(\.kind)
            pop.veteranGrade = cat(\.veteran)
            pop.careLevel = cat(\.care)
            pop.memberFlags = cat(\.flags)
            return true
        }
        // Stable scatter into household order.
        var next = Array(pop.memberStart.dropLast())
        var position = [Int32](repeating: 0, count: total)
        var k = 0
        for p in pieces {
            for h in p.household {
                position[k] = next[Int(h)]
                next[Int(h)] += 1
                k += 1
            }
        }
        func scatter<T>(_ kp: KeyPath<MemberPiece, [T]>, _ zero: T) -> [T] {
            var a = [T](repeating: zero, count: total)
            a.withUnsafeMutableBufferPointer { a in
                var k = 0
                for p in pieces {
                    for v in p[keyPath: kp] { a[Int(position[k])] = v; k += 1 }
                }
            }
            return a
        }
        pop.birth = scatter(\.birth, 0)
        pop.monthlyIncome = scatter(\.income, 0)
        pop.employmentIncome = scatter(\.employment, 0)
        pop.disabilityGrade = scatter(\.grade, 0)
        pop.disabilityKind = scatter(\.kind, 0)
        pop.veteranGrade = scatter(\.veteran, 0)
        pop.careLevel = scatter(\.care, 0)
        pop.memberFlags = scatter(\.flags, 0)
        return true
    }

    /// Pointers to the pieces' id keys, household indices and flags (valid inside `body`).
    private func withKeyPointers(_ pieces: [MemberPiece],
                                 _ body: ([UnsafeBufferPointer<UInt64>], [UnsafeBufferPointer<Int32>], [UnsafeBufferPointer<UInt8>]) -> Void) {
        var keys: [UnsafeBufferPointer<UInt64>] = []
        var households: [UnsafeBufferPointer<Int32>] = []
        var flags: [UnsafeBufferPointer<UInt8>] = []
        func go(_ i: Int) {
            if i == pieces.count { body(keys, households, flags); return }
            pieces[i].idKey.withUnsafeBufferPointer { k in
                pieces[i].household.withUnsafeBufferPointer { h in
                    pieces[i].flags.withUnsafeBufferPointer { f in
                        keys.append(k); households.append(h); flags.append(f)
                        go(i + 1)
                    }
                }
            }
        }
        go(0)
    }

    /// True when the id keys of partition `part` are all different.
    static func uniqueKeys(_ keys: [UnsafeBufferPointer<UInt64>], total: Int, part: Int, partitions: Int) -> Bool {
        let capacity = nextPowerOfTwo(2 * total / partitions + 16)
        let mask = capacity - 1
        let set = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: capacity)
        set.initialize(repeating: 0)
        defer { set.deallocate() }
        for piece in keys {
            for key in piece {
                let h = mix(key)
                if partitions > 1 && Int(h >> 63) != part { continue }
                var k = Int(truncatingIfNeeded: h) & mask
                while true {
                    let v = set[k]
                    if v == 0 { set[k] = key; break }
                    if v == key { return false }
                    k = (k + 1) & mask
                }
            }
        }
        return true
    }
}

/// A mutable buffer shared by workers that write disjoint parts (or one worker).
struct SharedBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ b: UnsafeMutableBufferPointer<T>) { buffer = b }
}

/// A read-only pointer shared by workers.
struct SharedPointer<T>: @unchecked Sendable {
    let pointer: UnsafePointer<T>?
    init(_ p: UnsafePointer<T>?) { pointer = p }
}
