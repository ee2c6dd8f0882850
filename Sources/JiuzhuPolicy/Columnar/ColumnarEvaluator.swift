import Dispatch
import Foundation
import JiuzhuCore

/// The reference rules (``ReferenceRules``) compiled to tables and run over a ``ColumnarPopulation``
/// on all cores. ``ReferenceRules`` stays the definition: this path must give the same programme
/// and benefit for every household (the tests compare them household by household).
public enum ColumnarEvaluator {
    /// Households per unit of parallel work.
    static let chunk = 16_384

    /// Evaluates every household under `parameters`. Throws, as ``ReferenceRules/evaluate(_:members:parameters:explain:)``
    /// does, for a household without members or whose net income does not fit 64 bits (the first such household).
    public static func evaluate(_ p: ColumnarPopulation, parameters: ReferenceParameters) throws(PolicyError) -> ColumnarResult {
        try evaluate(p, parameters: [parameters], packOfDivision: [Int](repeating: 0, count: p.divisionCodes.count))
    }

    /// Evaluates each household under its own pack's values: `packOfDivision[d]` is the index in
    /// `parameters` for the division `p.divisionCodes[d]`. Households are taken in runs that share a
    /// pack, each run with its pack's compiled tables.
    public static func evaluate(_ p: ColumnarPopulation, parameters: [ReferenceParameters],
                                packOfDivision: [Int]) throws(PolicyError) -> ColumnarResult {
        precondition(!parameters.isEmpty && packOfDivision.count == p.divisionCodes.count)
        let rules = parameters.map(CompiledRules.init)
        let n = p.householdCount
        var programme = [UInt8](repeating: 0, count: n)
        var benefit = [Int64](repeating: 0, count: n)
        let chunks = (n + chunk - 1) / chunk
        let failures = ColumnarSlots<Int>(max(1, chunks))
        let single = rules.count == 1
        programme.withUnsafeMutableBufferPointer { prog in
            benefit.withUnsafeMutableBufferPointer { ben in
                let out = Output(programme: prog, benefit: ben)
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let range = c * chunk ..< min(n, (c + 1) * chunk)
                    if single {
                        failures.items[c] = evaluate(p, range, rules[0], out)
                        return
                    }
                    var start = range.lowerBound
                    failures.items[c] = -1
                    while start < range.upperBound {
                        let pack = packOfDivision[Int(p.householdDivision[start])]
                        var end = start + 1
                        while end < range.upperBound && packOfDivision[Int(p.householdDivision[end])] == pack { end += 1 }
                        let failed = evaluate(p, start..<end, rules[pack], out)
                        if failed >= 0 { failures.items[c] = failed; return }
                        start = end
                    }
                }
            }
        }
        for c in 0..<chunks {
            if let i = failures.items[c], i >= 0 {
                let id = p.householdID(i)
                let pack = parameters[packOfDivision[Int(p.householdDivision[i])]].pack
                if p.memberCount(of: i) == 0 {
                    throw PolicyError(pack: pack, "household \(id) has no members (the population rules require at least one)")
                }
                throw PolicyError(pack: pack, "household \(id): income too large")
            }
        }
        return ColumnarResult(month: parameters[0].month, pack: parameters.map(\.pack).joined(separator: ","), programme: programme,
                              benefit: benefit, householdTownship: p.householdTownship, townships: p.townships)
    }

    struct Output: @unchecked Sendable {
        let programme: UnsafeMutableBufferPointer<UInt8>
        let benefit: UnsafeMutableBufferPointer<Int64>
    }

    /// Evaluates `range`; returns the first household that cannot be evaluated, or -1.
    static func evaluate(_ p: ColumnarPopulation, _ range: Range<Int>, _ r: CompiledRules, _ out: Output) -> Int {
        p.memberStart.withUnsafeBufferPointer { ms in
        p.hukou.withUnsafeBufferPointer { hukou in
        p.deposits.withUnsafeBufferPointer { deposits in
        p.vehiclesValue.withUnsafeBufferPointer { vehicles in
        p.disabilityVehicle.withUnsafeBufferPointer { dv in
        p.houses.withUnsafeBufferPointer { houses in
        p.businessRegistered.withUnsafeBufferPointer { business in
        p.birth.withUnsafeBufferPointer { birth in
        p.monthlyIncome.withUnsafeBufferPointer { income in
        p.employmentIncome.withUnsafeBufferPointer { employment in
        p.disabilityGrade.withUnsafeBufferPointer { grade in
        p.disabilityKind.withUnsafeBufferPointer { kind in
        p.veteranGrade.withUnsafeBufferPointer { veteran in
        p.careLevel.withUnsafeBufferPointer { care in
        p.memberFlags.withUnsafeBufferPointer { flags in
        r.gradeKind.withUnsafeBufferPointer { gradeKind in
        r.veteranBits.withUnsafeBufferPointer { veteranBits in
        r.tekunAmount.withUnsafeBufferPointer { tekunAmount in
        r.bandUpTo.withUnsafeBufferPointer { bandUpTo in
        r.bandPerPerson.withUnsafeBufferPointer { bandPerPerson in
            let prog = out.programme, ben = out.benefit
            let cap = r.cap, elderlyCut = r.elderlyCut, minorCut = r.minorCut
            let upliftMask = r.upliftMask, inclusionMask = r.inclusionMask, tekunMask = r.tekunMask
            for i in range {
                let start = Int(ms[i]), end = Int(ms[i + 1])
                let count = end - start
                if count == 0 { return i }
                let h = Int(hukou[i])
                let s = h == 0 ? r.sUrban : r.sRural
                let u = h == 0 ? r.uUrban : r.uRural
                let dmS = h == 0 ? r.depositLimitUrban : r.depositLimitRural

                var totalIncome: Int128 = 0, deductions: Int128 = 0
                var special = 0, inclusion = 0
                var firstCats: UInt16 = 0
                for j in start..<end {
                    totalIncome += Int128(income[j])
                    let d = min(employment[j], cap)
                    deductions += Int128(d > 0 ? d : 0)
                    let b = birth[j]
                    let f = flags[j]
                    var cats = gradeKind[Int(grade[j]) << 3 | Int(kind[j] & 7)] | veteranBits[Int(veteran[j])]
                    cats |= UInt16(f & 1) << 2 | UInt16(f & 6) << 4 // serious → bit 2; martyr, demobilised → bits 5, 6
                    cats |= (b <= elderlyCut ? 8 : 0) | (b > minorCut ? 16 : 0)
                    special &+= cats & upliftMask != 0 ? 1 : 0
                    inclusion &+= cats & inclusionMask != 0 ? 1 : 0
                    if j == start { firstCats = cats }
                }
                var netWide = totalIncome - deductions
                if netWide < 0 { netWide = 0 }
                if netWide > Int128(Int64.max) { return i }
                let net = Int64(netWide)
                let n = Int128(count)
                let sn = Int128(s) * n

                // Assets.
                let v = vehicles[i]
                let vehiclesOK = v == 0 || (r.vehicleWithinLimit && dv[i] != 0 && Int128(v) <= dmS)
                let assets = Int128(deposits[i]) <= dmS * n && vehiclesOK && houses[i] <= r.maxHouses
                    && !(r.businessFails && business[i] != 0)

                // 1. Tekun.
                if count == 1 && assets && net < s && flags[start] & 24 == 0 && firstCats & tekunMask != 0 {
                    prog[i] = 0
                    ben[i] = tekunAmount[h * 3 + Int(care[start])]
                    continue
                }
                // 2. Dibao.
                if assets && Int128(net) < sn {
                    let raw: Int64
                    if r.bands {
                        let perCapita = net / Int64(count)
                        var per: Int64 = 0
                        for k in 0..<bandUpTo.count where perCapita < bandUpTo[k] { per = bandPerPerson[k]; break }
                        raw = per * Int64(count) + u * Int64(special)
                    } else {
                        raw = Int64(sn - Int128(net)) + u * Int64(special)
                    }
                    prog[i] = 1
                    ben[i] = r.roundToYuan ? roundUpToYuan(raw) : raw
                    continue
                }
                // 3–4. Low income.
                if assets && Int128(net) * r.lowIncomeScale <= r.lowIncomeUnits * (sn < r.int64Max ? sn : r.int64Max) {
                    if inclusion > 0 {
                        let raw = (r.averageBenefit + u) * Int64(inclusion)
                        prog[i] = 2
                        ben[i] = r.roundToYuan ? roundUpToYuan(raw) : raw
                    } else {
                        prog[i] = 3
                        ben[i] = 0
                    }
                    continue
                }
                prog[i] = 4
                ben[i] = 0
            }
            return -1
        }}}}}}}}}}}}}}}}}}}}
    }

    @inline(__always)
    static func roundUpToYuan(_ fen: Int64) -> Int64 {
        let q = fen / 100, r = fen % 100
        return (r > 0 ? q + 1 : q) * 100
    }
}

/// ``ReferenceParameters`` as tables for the columnar loop.
///
/// Member categories are bits: 0 severe disability, 1 disabled veteran (uplift grades),
/// 2 serious illness, 3 elderly, 4 minor, 5 martyr family, 6 demobilised veteran,
/// 7 disabled veteran (single-inclusion grades).
struct CompiledRules: Sendable {
    var sUrban: Int64, sRural: Int64
    var uUrban: Int64, uRural: Int64
    /// deposit_months × S: the vehicle limit, and per member the deposit limit.
    var depositLimitUrban: Int128, depositLimitRural: Int128
    var cap: Int64
    var maxHouses: Int64
    var vehicleWithinLimit: Bool
    var businessFails: Bool
    /// Born on or before ⇒ elderly; born after ⇒ minor (day ordinals).
    var elderlyCut: Int32, minorCut: Int32
    /// Disability bits by `grade << 3 | kind` (grades 0–255): severe (bit 0), work disability (bit 8).
    var gradeKind: [UInt16]
    /// Disabled-veteran bits (1 and 7) by grade (0–255).
    var veteranBits: [UInt16]
    var upliftMask: UInt16, inclusionMask: UInt16, tekunMask: UInt16
    /// Tekun benefit by `hukou * 3 + care`.
    var tekunAmount: [Int64]
    var bands: Bool
    var bandUpTo: [Int64], bandPerPerson: [Int64]
    var roundToYuan: Bool
    var averageBenefit: Int64
    var lowIncomeUnits: Int128, lowIncomeScale: Int128
    let int64Max = Int128(Int64.max)

    init(_ p: ReferenceParameters) {
        sUrban = p.sUrban.fen
        sRural = p.sRural.fen
        uUrban = p.upliftRate.timesCeil(p.sUrban).fen
        uRural = p.upliftRate.timesCeil(p.sRural).fen
        depositLimitUrban = Int128(p.depositMonths) * Int128(p.sUrban.fen)
        depositLimitRural = Int128(p.depositMonths) * Int128(p.sRural.fen)
        cap = p.employmentDeductionRate.timesFloor(p.w).fen
        maxHouses = p.maxHouses
        vehicleWithinLimit = p.vehicleRule == .disabilityVehicleWithinLimit
        businessFails = p.businessRegistrationFailsAssets

        // Age cut-offs on the first day of the month: age ≥ X ⇔ born on or before the first day
        // of the same month X years earlier (a year is completed on the birthday).
        func bornBy(_ years: Int64) -> Int32? { // nil: everyone (X ≤ 0); Int32.min: no one
            if years <= 0 { return nil }
            let (y, o) = Int64(p.month.year).subtractingReportingOverflow(years)
            if o || y < 1 { return Int32.min }
            return Int32(Day(year: Int(y), month: p.month.month, day: 1)!.ordinal)
        }
        elderlyCut = bornBy(p.elderlyAge) ?? Int32.max
        minorCut = bornBy(p.minorAge) ?? Int32.max // X ≤ 0: no one is under X

        let kinds = DisabilityKind.allCases
        gradeKind = [UInt16](repeating: 0, count: 256 * 8)
        for g in 0..<256 {
            for (k, kind) in kinds.enumerated() {
                let severe = p.severeGrades.contains(g) || (g == 3 && p.severeGrade3Kinds.contains(kind))
                let work = p.workDisabilityGrades[kind]?.contains(g) ?? false
                gradeKind[g << 3 | k] = (severe ? 1 : 0) | (work ? 256 : 0)
            }
        }
        veteranBits = (0..<256).map { g in
            (p.upliftVeteranGrades.contains(g) ? 2 : 0) | (p.singleInclusionVeteranGrades.contains(g) ? 128 : 0)
        }
        func mask(_ set: Set<MemberCategory>, veteranBit: UInt16) -> UInt16 {
            var m: UInt16 = 0
            for c in set {
                switch c {
                case .severeDisability: m |= 1
                case .disabledVeteran: m |= veteranBit
                case .seriousIllness: m |= 4
                case .elderly: m |= 8
                case .minor: m |= 16
                case .martyrFamily: m |= 32
                case .demobilizedVeteran: m |= 64
                case .workDisability: m |= 256
                case .mdrTuberculosis, .entitledGroup: break // facts beyond Population CSV v1: never set by a CSV row
                }
            }
            return m
        }
        upliftMask = mask(p.upliftCategories, veteranBit: 2)
        inclusionMask = mask(p.singleInclusionCategories, veteranBit: 128)
        tekunMask = mask(p.tekunCategories, veteranBit: 0) // tekun looks at the categories without veterans

        var tekun: [Int64] = []
        for s in [p.sUrban, p.sRural] {
            let basic = p.tekunMultiplier.timesCeil(s).fen
            for care in CareLevel.allCases {
                tekun.append(basic &+ p.careRates[care]!.timesCeil(p.w).fen)
            }
        }
        tekunAmount = tekun
        switch p.payment {
        case .gap:
            bands = false
            bandUpTo = []
            bandPerPerson = []
        case .bands(let list):
            bands = true
            bandUpTo = list.map(\.upTo.fen)
            bandPerPerson = list.map(\.perPerson.fen)
        }
        roundToYuan = p.roundToYuan
        averageBenefit = p.averageBenefit.fen
        lowIncomeUnits = Int128(p.lowIncomeMultiplier.units)
        lowIncomeScale = Rate.pow10(p.lowIncomeMultiplier.scale)
    }
}

// MARK: - Results

/// Per household (population order): the programme (index in ``Programme/allCases``) and the monthly benefit in fen.
public struct ColumnarResult: Sendable {
    public let month: Month
    public let pack: String
    public let programme: [UInt8]
    public let benefit: [Int64]
    /// Per household: index into ``townships`` (shared with the population).
    public let householdTownship: [UInt32]
    public let townships: [String]

    public var count: Int { programme.count }

    public func programme(_ i: Int) -> Programme { Programme.allCases[Int(programme[i])] }

    /// Households and benefit per programme and in all, and the same per township.
    public func totals() -> ColumnarTotals {
        let k = Programme.allCases.count
        var households = [Int](repeating: 0, count: townships.count * k)
        var sums = [Int64](repeating: 0, count: townships.count * k)
        programme.withUnsafeBufferPointer { prog in
            benefit.withUnsafeBufferPointer { ben in
                householdTownship.withUnsafeBufferPointer { town in
                    households.withUnsafeMutableBufferPointer { hh in
                        sums.withUnsafeMutableBufferPointer { sm in
                            for i in 0..<prog.count {
                                let slot = Int(town[i]) * k + Int(prog[i])
                                hh[slot] += 1
                                sm[slot] += ben[i]
                            }
                        }
                    }
                }
            }
        }
        var all = [ProgrammeTotal](repeating: ProgrammeTotal(households: 0, benefitFen: 0), count: k)
        var byTownship: [TownshipTotals] = []
        for t in townships.indices {
            var row: [ProgrammeTotal] = []
            for q in 0..<k {
                let total = ProgrammeTotal(households: households[t * k + q], benefitFen: sums[t * k + q])
                row.append(total)
                all[q].households += total.households
                all[q].benefitFen += total.benefitFen
            }
            let n = row.reduce(0) { $0 + $1.households }
            if n > 0 {
                byTownship.append(TownshipTotals(township: townships[t], households: n, programmes: row,
                                                 totalBenefitFen: row.reduce(0) { $0 + $1.benefitFen }))
            }
        }
        byTownship.sort { $0.township < $1.township }
        return ColumnarTotals(month: month, households: count, programmes: all,
                              totalBenefitFen: all.reduce(0) { $0 + $1.benefitFen }, townships: byTownship)
    }

    /// Household by household, `self` (before) against `after` (the same population under other parameters).
    public func compared(to after: ColumnarResult) -> ColumnarComparison {
        precondition(after.count == count, "comparing results of different populations")
        let k = Programme.allCases.count
        var transitions = [Int](repeating: 0, count: k * k)
        var changed: [Int32] = []
        var increased = 0, decreased = 0
        var before: Int64 = 0, afterSum: Int64 = 0
        programme.withUnsafeBufferPointer { p0 in
            after.programme.withUnsafeBufferPointer { p1 in
                benefit.withUnsafeBufferPointer { b0 in
                    after.benefit.withUnsafeBufferPointer { b1 in
                        for i in 0..<p0.count {
                            let a = p0[i], b = p1[i], x = b0[i], y = b1[i]
                            transitions[Int(a) * k + Int(b)] += 1
                            before += x
                            afterSum += y
                            if a != b || x != y { changed.append(Int32(i)) }
                            if y > x { increased += 1 } else if y < x { decreased += 1 }
                        }
                    }
                }
            }
        }
        return ColumnarComparison(transitions: (0..<k).map { Array(transitions[$0 * k ..< ($0 + 1) * k]) },
                                  changed: changed, increased: increased, decreased: decreased,
                                  benefitBeforeFen: before, benefitAfterFen: afterSum)
    }
}

public struct ProgrammeTotal: Sendable, Equatable, Codable {
    public var households: Int
    public var benefitFen: Int64
}

/// Totals of a run: per programme (``Programme/allCases`` order), in all, and per township.
public struct ColumnarTotals: Sendable, Equatable {
    public let month: Month
    public let households: Int
    public let programmes: [ProgrammeTotal]
    public let totalBenefitFen: Int64
    /// Townships with at least one household, by code.
    public let townships: [TownshipTotals]

    public subscript(_ p: Programme) -> ProgrammeTotal { programmes[Programme.allCases.firstIndex(of: p)!] }
}

public struct TownshipTotals: Sendable, Equatable {
    /// The first 9 digits of the division code (6 for a household placed at county level).
    public let township: String
    public let households: Int
    /// Per programme, ``Programme/allCases`` order.
    public let programmes: [ProgrammeTotal]
    public let totalBenefitFen: Int64
}

/// A what-if: the same households under two sets of parameters.
public struct ColumnarComparison: Sendable, Equatable {
    /// `transitions[before][after]`: households moving between programmes (``Programme/allCases`` order).
    public let transitions: [[Int]]
    /// Households whose programme or benefit differs, in population order.
    public let changed: [Int32]
    /// Households whose benefit went up, or down.
    public let increased: Int
    public let decreased: Int
    public let benefitBeforeFen: Int64
    public let benefitAfterFen: Int64

    public var benefitChangeFen: Int64 { benefitAfterFen - benefitBeforeFen }
}
