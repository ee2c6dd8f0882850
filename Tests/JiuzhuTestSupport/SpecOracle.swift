import JiuzhuCore

/// shared/spec/reference-rules.md with the `reference` values, written out a second time,
/// literally and independently of JiuzhuPolicy (no packs, no rates: integer arithmetic with
/// the numbers of the spec's table). Tests compare the pack-driven evaluator against it.
public enum SpecOracle {
    public struct Result: Equatable, CustomStringConvertible {
        public let programme: String
        public let benefitFen: Int64
        public let netFen: Int64
        public var description: String { "\(programme) \(benefitFen) (net \(netFen))" }
    }

    /// ceil(x / 100) * 100 for x ≥ 0.
    static func roundUpToYuan(_ x: Int64) -> Int64 { (x + 99) / 100 * 100 }

    public static func evaluate(_ h: Household, _ ms: [Member], month: Month) -> Result? {
        guard month >= Month(year: 2020, month: 1)! else { return nil }
        let s: Int64 = h.hukouType == .urban ? 70000 : 50000
        let w: Int64 = 186000
        let n = Int64(ms.count)
        let first = month.firstDay
        func age(_ m: Member) -> Int {
            let b = m.idNumber.birthDate
            if b > first { return 0 }
            var a = first.year - b.year
            if (first.month, first.day) < (b.month, b.day) { a -= 1 }
            return a
        }
        let cap = w * 30 / 100                        // floor(186000 × 30%) = 55800
        var net: Int64 = 0
        for m in ms { net += m.monthlyIncome.fen - min(m.employmentIncome.fen, cap) }
        net = max(0, net)
        func severe(_ m: Member) -> Bool {
            m.disabilityGrade == 1 || m.disabilityGrade == 2
                || (m.disabilityGrade == 3 && (m.disabilityKind == .intellectual || m.disabilityKind == .mental))
        }
        func special(_ m: Member) -> Bool {
            severe(m) || (1...4).contains(m.veteranDisabilityGrade) || m.seriousIllness || age(m) >= 60 || age(m) < 18
                || m.martyrFamily || m.demobilizedVeteran
        }
        func inclusion(_ m: Member) -> Bool { severe(m) || m.seriousIllness || (1...6).contains(m.veteranDisabilityGrade) }
        let u = (s * 15 + 99) / 100                   // ceil(S × 15%)
        let assets = h.deposits.fen <= 24 * s * n
            && (h.vehiclesValue.fen == 0 || (h.disabilityVehicle && h.vehiclesValue.fen <= 24 * s))
            && h.houses <= 1 && !h.businessRegistered
        if n == 1, let m = ms.first, !m.ableToWork, !m.hasCapableSupporter,
           age(m) >= 60 || age(m) < 18 || severe(m), net < s, assets {
            let basic = (s * 13 + 9) / 10             // ceil(S × 1.3)
            let rate: Int64 = m.careLevel == .self ? 5 : m.careLevel == .semi ? 20 : 40
            let care = (w * rate + 99) / 100          // ceil(W × rate)
            return Result(programme: "tekun", benefitFen: basic + care, netFen: net)
        }
        if net < s * n && assets {
            let specials = Int64(ms.filter(special).count)
            return Result(programme: "dibao", benefitFen: roundUpToYuan(s * n - net + u * specials), netFen: net)
        }
        if 2 * net <= 3 * s * n && assets {
            let k = Int64(ms.filter(inclusion).count)
            if k > 0 { return Result(programme: "dibao_single", benefitFen: roundUpToYuan(k * (35000 + u)), netFen: net) }
            return Result(programme: "low_income", benefitFen: 0, netFen: net)
        }
        return Result(programme: "none", benefitFen: 0, netFen: net)
    }
}
