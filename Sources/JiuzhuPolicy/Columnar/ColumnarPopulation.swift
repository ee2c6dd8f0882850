import Foundation
import JiuzhuCore

/// A population as columns: one array per fact the reference rules read, households in file
/// order, each household's members contiguous (in the order of members.csv) in the member
/// arrays. Built straight from Population CSV v1 bytes by ``parse(households:members:today:divisions:householdsFile:membersFile:)``
/// or from a ``Population``; evaluated by ``ColumnarEvaluator``.
///
/// Codes: `hukou` 0 urban, 1 rural (``HukouType/allCases`` order); `disabilityKind` and
/// `careLevel` index ``DisabilityKind/allCases`` and ``CareLevel/allCases``; `memberFlags` is
/// the bit set ``MemberFlag``.
public struct ColumnarPopulation: Sendable {
    // MARK: Households (index 0..<householdCount, file order)

    public internal(set) var hukou: [UInt8] = []
    public internal(set) var deposits: [Int64] = []
    public internal(set) var vehiclesValue: [Int64] = []
    /// 0 or 1.
    public internal(set) var disabilityVehicle: [UInt8] = []
    public internal(set) var houses: [Int64] = []
    /// 0 or 1.
    public internal(set) var businessRegistered: [UInt8] = []
    /// `householdCount + 1` entries: household `i`'s members are `memberStart[i] ..< memberStart[i + 1]`.
    public internal(set) var memberStart: [Int32] = [0]
    /// Per household: index into ``divisionCodes``.
    public internal(set) var householdDivision: [UInt32] = []
    /// The distinct division codes (canonical), in order of first appearance.
    public internal(set) var divisionCodes: [DivisionCode] = []
    /// Per household: index into ``townships``.
    public internal(set) var householdTownship: [UInt32] = []
    /// Township keys: the first 9 digits of the division code (a 6-digit county code stands for itself).
    public internal(set) var townships: [String] = []
    /// All household ids' UTF-8 bytes back to back; household `i`'s are `idBytes[idOffsets[i] ..< idOffsets[i + 1]]`.
    public internal(set) var idBytes: [UInt8] = []
    public internal(set) var idOffsets: [UInt32] = [0]

    // MARK: Members (grouped by household)

    /// Birth date (ID characters 7–14) as ``Day/ordinal``.
    public internal(set) var birth: [Int32] = []
    public internal(set) var monthlyIncome: [Int64] = []
    public internal(set) var employmentIncome: [Int64] = []
    public internal(set) var disabilityGrade: [UInt8] = []
    public internal(set) var disabilityKind: [UInt8] = []
    public internal(set) var veteranGrade: [UInt8] = []
    public internal(set) var careLevel: [UInt8] = []
    /// ``MemberFlag`` bits.
    public internal(set) var memberFlags: [UInt8] = []

    /// Bits of ``memberFlags``.
    public enum MemberFlag {
        public static let seriousIllness: UInt8 = 1
        public static let martyrFamily: UInt8 = 2
        public static let demobilizedVeteran: UInt8 = 4
        public static let ableToWork: UInt8 = 8
        public static let hasCapableSupporter: UInt8 = 16
        /// Relation `head` (not read by the rules).
        public static let head: UInt8 = 32
    }

    init() {}

    public var householdCount: Int { hukou.count }
    public var memberCount: Int { birth.count }

    /// Members of household `i`: a range into the member arrays.
    @inline(__always)
    public func members(of i: Int) -> Range<Int> { Int(memberStart[i]) ..< Int(memberStart[i + 1]) }

    public func memberCount(of i: Int) -> Int { Int(memberStart[i + 1] - memberStart[i]) }

    public func householdID(_ i: Int) -> String {
        String(decoding: idBytes[Int(idOffsets[i]) ..< Int(idOffsets[i + 1])], as: UTF8.self)
    }

    public func divisionCode(_ i: Int) -> DivisionCode { divisionCodes[Int(householdDivision[i])] }

    public func township(_ i: Int) -> String { townships[Int(householdTownship[i])] }

    public func hukouType(_ i: Int) -> HukouType { hukou[i] == 0 ? .urban : .rural }

    /// Household `i` as the readable path sees it.
    public func household(_ i: Int) -> Household {
        Household(householdID: householdID(i), divisionCode: divisionCode(i), hukouType: hukouType(i),
                  deposits: Money(fen: deposits[i]), vehiclesValue: Money(fen: vehiclesValue[i]),
                  disabilityVehicle: disabilityVehicle[i] != 0, houses: houses[i], businessRegistered: businessRegistered[i] != 0)
    }

    /// The township key of a canonical division code.
    static func townshipKey(_ code: DivisionCode) -> String {
        String(code.digits.prefix(9))
    }

    /// Converts a population as ``PopulationCSV/read(households:members:householdsFile:membersFile:today:divisions:maxErrors:)``
    /// returns it. Members are grouped under their household (matched by id, as the reader
    /// matches them), in their order; a member whose household is not in the population is left out.
    public init(_ population: Population) {
        self.init()
        let hs = population.households
        var index: [String: Int] = [:]
        index.reserveCapacity(hs.count)
        var divisionIndex: [DivisionCode: UInt32] = [:]
        var townshipIndex: [String: UInt32] = [:]
        reserveHouseholds(hs.count)
        for (i, h) in hs.enumerated() {
            if index[h.householdID] == nil { index[h.householdID] = i }
            hukou.append(h.hukouType == .urban ? 0 : 1)
            deposits.append(h.deposits.fen)
            vehiclesValue.append(h.vehiclesValue.fen)
            disabilityVehicle.append(h.disabilityVehicle ? 1 : 0)
            houses.append(h.houses)
            businessRegistered.append(h.businessRegistered ? 1 : 0)
            idBytes.append(contentsOf: h.householdID.utf8)
            idOffsets.append(UInt32(idBytes.count))
            let d: UInt32
            if let known = divisionIndex[h.divisionCode] { d = known } else {
                d = UInt32(divisionCodes.count)
                divisionIndex[h.divisionCode] = d
                divisionCodes.append(h.divisionCode)
            }
            householdDivision.append(d)
            let key = Self.townshipKey(h.divisionCode)
            let t: UInt32
            if let known = townshipIndex[key] { t = known } else {
                t = UInt32(townships.count)
                townshipIndex[key] = t
                townships.append(key)
            }
            householdTownship.append(t)
        }
        // Group members: count, prefix sums, stable scatter.
        var owner = [Int](repeating: -1, count: population.members.count)
        var counts = [Int32](repeating: 0, count: hs.count)
        for (j, m) in population.members.enumerated() {
            if let i = index[m.householdID] { owner[j] = i; counts[i] += 1 }
        }
        memberStart = [0]
        memberStart.reserveCapacity(hs.count + 1)
        for c in counts { memberStart.append(memberStart.last! + c) }
        let total = Int(memberStart.last!)
        birth = [Int32](repeating: 0, count: total)
        monthlyIncome = [Int64](repeating: 0, count: total)
        employmentIncome = [Int64](repeating: 0, count: total)
        disabilityGrade = [UInt8](repeating: 0, count: total)
        disabilityKind = [UInt8](repeating: 0, count: total)
        veteranGrade = [UInt8](repeating: 0, count: total)
        careLevel = [UInt8](repeating: 0, count: total)
        memberFlags = [UInt8](repeating: 0, count: total)
        var next = Array(memberStart.dropLast())
        let kinds = DisabilityKind.allCases, cares = CareLevel.allCases
        for (j, m) in population.members.enumerated() where owner[j] >= 0 {
            let k = Int(next[owner[j]])
            next[owner[j]] += 1
            birth[k] = Int32(m.idNumber.birthDate.ordinal)
            monthlyIncome[k] = m.monthlyIncome.fen
            employmentIncome[k] = m.employmentIncome.fen
            // Out-of-range grades (never from a file that was read) saturate: 255 matches no grade set of 0–10.
            disabilityGrade[k] = UInt8(clamping: m.disabilityGrade < 0 ? 255 : m.disabilityGrade)
            disabilityKind[k] = UInt8(kinds.firstIndex(of: m.disabilityKind)!)
            veteranGrade[k] = UInt8(clamping: m.veteranDisabilityGrade < 0 ? 255 : m.veteranDisabilityGrade)
            careLevel[k] = UInt8(cares.firstIndex(of: m.careLevel)!)
            var f: UInt8 = 0
            if m.seriousIllness { f |= MemberFlag.seriousIllness }
            if m.martyrFamily { f |= MemberFlag.martyrFamily }
            if m.demobilizedVeteran { f |= MemberFlag.demobilizedVeteran }
            if m.ableToWork { f |= MemberFlag.ableToWork }
            if m.hasCapableSupporter { f |= MemberFlag.hasCapableSupporter }
            if m.relation == .head { f |= MemberFlag.head }
            memberFlags[k] = f
        }
    }

    mutating func reserveHouseholds(_ n: Int) {
        hukou.reserveCapacity(n)
        deposits.reserveCapacity(n)
        vehiclesValue.reserveCapacity(n)
        disabilityVehicle.reserveCapacity(n)
        houses.reserveCapacity(n)
        businessRegistered.reserveCapacity(n)
        householdDivision.reserveCapacity(n)
        householdTownship.reserveCapacity(n)
        idOffsets.reserveCapacity(n + 1)
    }
}
