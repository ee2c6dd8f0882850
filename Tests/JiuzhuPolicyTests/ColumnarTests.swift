import Foundation
import JiuzhuCore
@testable import JiuzhuPolicy
import Testing

/// The columnar path (parse + compiled evaluation) against the readable one (PopulationCSV.read +
/// ReferenceRules.evaluate), household by household.
@Suite struct ColumnarTests {
    static let today = Day(year: 2025, month: 7, day: 15)!

    static func referencePack() throws -> PolicyPack { try Packs.bundled.pack(id: "reference") }

    /// Every household's programme and benefit, by both paths, must agree.
    func expectAgreement(_ population: Population, pack: PolicyPack, month: Month,
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        let columns = ColumnarPopulation(population)
        let parameters = try ReferenceParameters(pack: pack, month: month)
        let result = try ColumnarEvaluator.evaluate(columns, parameters: parameters)
        var byHousehold: [String: [Member]] = [:]
        for m in population.members { byHousehold[m.householdID, default: []].append(m) }
        var mismatches = 0
        var expectedTotals = [Programme: (Int, Int64)]()
        for (i, h) in population.households.enumerated() {
            let e = try ReferenceRules.evaluate(h, members: byHousehold[h.householdID] ?? [], parameters: parameters, explain: false)
            let t = expectedTotals[e.programme] ?? (0, 0)
            expectedTotals[e.programme] = (t.0 + 1, t.1 + e.benefit.fen)
            if e.programme != result.programme(i) || e.benefit.fen != result.benefit[i] {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record("\(pack.id) \(month) household \(h.householdID): readable \(e.programme) \(e.benefit.fen), columnar \(result.programme(i)) \(result.benefit[i])",
                                 sourceLocation: sourceLocation)
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(population.households.count) households differ", sourceLocation: sourceLocation)
        let totals = result.totals()
        for p in Programme.allCases {
            let t = expectedTotals[p] ?? (0, 0)
            #expect(totals[p] == ProgrammeTotal(households: t.0, benefitFen: t.1), "\(p)", sourceLocation: sourceLocation)
        }
        #expect(totals.townships.reduce(0) { $0 + $1.households } == population.households.count, sourceLocation: sourceLocation)
        #expect(totals.totalBenefitFen == totals.townships.reduce(0) { $0 + $1.totalBenefitFen }, sourceLocation: sourceLocation)
    }

    static let months: [Month] = [
        Month(year: 2020, month: 1)!, Month(year: 2022, month: 2)!, Month(year: 2024, month: 3)!,
        Month(year: 2025, month: 7)!, Month(year: 2027, month: 12)!, Month(year: 2030, month: 1)!,
    ]

    @Test(arguments: [UInt64(1), 2, 7])
    func evaluation_agreesWithReferenceRules_onSyntheticPopulations(seed: UInt64) throws {
        let population = SyntheticPopulation(seed: seed, today: Self.today).generate(households: 1500)
        let pack = try Self.referencePack()
        for month in Self.months {
            try expectAgreement(population, pack: pack, month: month)
        }
    }

    /// Packs that change every parameter and switch the compiled tables are built from.
    static func alteredPacks() throws -> [PolicyPack] {
        let pack = try referencePack()
        let day = Day(year: 2020, month: 1, day: 1)!
        func with(_ changes: [String: ParameterValue], extra: [Parameter] = [], id: String) -> PolicyPack {
            let changed = pack.overriding(changes, from: day)
            var ps = changed.parameters
            for p in extra { ps[p.name] = p }
            return PolicyPack(id: id, name: id, divisions: [], parameters: ps)
        }
        let bands = Parameter(name: "dibao_bands", description: "分档", unit: .list, citation: "test", provisional: true,
                              values: [(from: day, value: .names(["10000:40000", "30000:25000", "50001:10000"]))])
        return [
            with(["S_rural": .money(61_234), "S_urban": .money(80_001)], id: "standards"),
            with(["uplift_categories": .names(["elderly", "severe_disability"])], id: "uplift"),
            with(["uplift_categories": .names([])], id: "no-uplift"),
            with(["vehicle_rule": .choice("none")], id: "vehicles"),
            with(["business_registration": .choice("ignored")], id: "business"),
            with(["dibao_payment": .choice("bands")], extra: [bands], id: "bands"),
            with(["dibao_payment": .choice("bands"), "dibao_rounding": .choice("fen")], extra: [bands], id: "bands-fen"),
            with(["dibao_rounding": .choice("fen"), "uplift_rate": .rate(Rate(units: 1234, scale: 4))], id: "fen"),
            with(["tekun_categories": .names(["elderly", "minor", "severe_disability", "serious_illness", "disabled_veteran"])], id: "tekun"),
            with(["elderly_age": .integer(65), "minor_age": .integer(16)], id: "ages"),
            with(["elderly_age": .integer(0), "minor_age": .integer(0)], id: "ages-zero"),
            with(["elderly_age": .integer(3000), "minor_age": .integer(3000)], id: "ages-huge"),
            with(["severe_disability_grades": .integers([1]), "severe_disability_grade3_kinds": .names(["multiple", "visual"])], id: "severe"),
            with(["uplift_veteran_grades": .integers([1, 2]), "single_inclusion_veteran_grades": .integers([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])], id: "veterans"),
            with(["single_inclusion_categories": .names(["elderly", "martyr_family", "demobilized_veteran", "minor"])], id: "inclusion"),
            with(["low_income_multiplier": .rate(Rate(units: 1333, scale: 3)), "average_benefit": .money(41_111)], id: "low-income"),
            with(["tekun_multiplier": .rate(Rate(units: 1_777, scale: 3)), "care_rate_full": .rate(Rate(units: 333, scale: 3)),
                  "W": .money(210_003), "employment_deduction_rate": .rate(Rate(units: 17, scale: 2))], id: "tekun-amounts"),
            with(["deposit_months": .integer(6), "max_houses": .integer(0)], id: "assets"),
        ]
    }

    @Test func evaluation_agreesWithReferenceRules_underAlteredPacks() throws {
        let population = SyntheticPopulation(seed: 3, today: Self.today).generate(households: 1200)
        let edges = Self.edgePopulation(seed: 11, households: 600)
        for pack in try Self.alteredPacks() {
            for month in [Month(year: 2020, month: 1)!, Month(year: 2025, month: 7)!, Month(year: 2030, month: 1)!] {
                try expectAgreement(population, pack: pack, month: month)
                try expectAgreement(edges, pack: pack, month: month)
            }
        }
    }

    @Test func evaluation_agreesWithReferenceRules_onEdgePopulations() throws {
        let pack = try Self.referencePack()
        for seed in UInt64(1)...4 {
            let edges = Self.edgePopulation(seed: seed, households: 1500)
            for month in Self.months + [Month(year: 2024, month: 2)!, Month(year: 2024, month: 3)!] {
                try expectAgreement(edges, pack: pack, month: month)
            }
            // The edges reach every outcome.
            let result = try ColumnarEvaluator.evaluate(ColumnarPopulation(edges),
                                                        parameters: ReferenceParameters(pack: pack, month: Month(year: 2025, month: 7)!))
            #expect(Set(result.programme).count == Programme.allCases.count)
        }
    }

    /// Households on the edges of the rules: members born on the first or second day of a month
    /// (around the elderly and minor ages for every month tested, 29 February included), deposits
    /// and vehicles exactly at the limits, incomes around S × n and the deduction cap.
    static func edgePopulation(seed: UInt64, households count: Int) -> Population {
        var rng = SplitMix(seed: seed)
        var population = Population()
        var serial = 0
        let codes = ["532625100", "430321", "350802001", "230502001"]
        let validCodes = codes.compactMap { try? DivisionCode($0) }.filter { Divisions.bundled.validatePlace($0) == nil }
        let places = validCodes.isEmpty ? [try! DivisionCode("532625")] : validCodes
        for i in 0..<count {
            let urban = rng.below(2) == 0
            let s: Int64 = urban ? 70_000 : 50_000
            let n = rng.below(10) < 5 ? 1 : 1 + rng.below(4)
            let hid = "E\(seed)-\(i)"
            var members: [Member] = []
            for k in 0..<n {
                // Birth: year so that the member is near 60, 65, 18, 16 or 0 in 2020–2030; day 1, 2 or 29.
                let pivot = [1960, 1965, 1955, 1970, 2002, 2007, 2012, 2014, 2020, 2025, 1930][rng.below(11)]
                var year = pivot + rng.below(11) - 5
                var month = 1 + rng.below(12)
                var day = [1, 1, 2, 2, 28, 29, 15][rng.below(7)]
                if Day(year: year, month: month, day: day) == nil { day = 28 }
                if Day(year: year, month: month, day: day)! > today { year = 2024; month = 2; day = 29 }
                serial += 1
                let id = makeID(Day(year: year, month: month, day: day)!, serial: serial)
                let grade = rng.below(4) == 0 ? rng.below(5) : 0
                let kinds = DisabilityKind.allCases.filter { $0 != .none }
                let kind: DisabilityKind = grade == 0 ? .none : kinds[rng.below(kinds.count)]
                let cap: Int64 = 55_800
                let income: Int64 = {
                    switch rng.below(6) {
                    case 0: return 0
                    case 1: return s - Int64(rng.below(3))
                    case 2: return s * Int64(n) / Int64(n) + Int64(rng.below(3)) - 1
                    case 3: return s * 3 / 2 + Int64(rng.below(3)) - 1
                    case 4: return cap + Int64(rng.below(3)) - 1
                    default: return Int64(rng.below(200_000))
                    }
                }()
                let employment: Int64 = rng.below(2) == 0 ? 0 : min(income, [cap - 1, cap, cap + 1, income][rng.below(4)])
                members.append(Member(householdID: hid, idNumber: id, name: "成员\(k)", relation: k == 0 ? .head : .child,
                                      disabilityGrade: grade, disabilityKind: kind, seriousIllness: rng.below(8) == 0,
                                      veteranDisabilityGrade: rng.below(6) == 0 ? rng.below(11) : 0,
                                      martyrFamily: rng.below(10) == 0, demobilizedVeteran: rng.below(10) == 0,
                                      ableToWork: rng.below(3) == 0, hasCapableSupporter: rng.below(3) == 0,
                                      careLevel: CareLevel.allCases[rng.below(3)],
                                      monthlyIncome: Money(fen: max(0, income)), employmentIncome: Money(fen: max(0, employment))))
            }
            let limit = 24 * s
            let deposits: Int64 = [0, limit * Int64(n), limit * Int64(n) + 1, limit * Int64(n) - 1, limit][rng.below(5)]
            let vehicles: Int64 = rng.below(2) == 0 ? 0 : [limit, limit + 1, limit - 1, 1][rng.below(4)]
            let h = Household(householdID: hid, divisionCode: places[rng.below(places.count)], hukouType: urban ? .urban : .rural,
                              deposits: Money(fen: deposits), vehiclesValue: Money(fen: vehicles),
                              disabilityVehicle: rng.below(2) == 0, houses: Int64(rng.below(3)), businessRegistered: rng.below(6) == 0)
            population.households.append(h)
            population.members.append(contentsOf: members)
        }
        return population
    }

    static func makeID(_ birth: Day, serial: Int) -> IDNumber {
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: w - s.count) + s }
        let first17 = "532625" + pad(birth.year, 4) + pad(birth.month, 2) + pad(birth.day, 2) + pad(serial % 1000, 3)
        // The serial's thousands go into the address code's last digits to keep ids unique.
        let address = "53" + pad((serial / 1000) % 10000, 4)
        let body = address + String(first17.dropFirst(6))
        let check = IDNumber.checkCharacter(Array(body.utf8))
        return try! IDNumber(validating: body + String(UnicodeScalar(check)), today: today)
    }

    struct SplitMix {
        var x: UInt64
        init(seed: UInt64) { x = seed &* 0x9E37_79B9_7F4A_7C15 }
        mutating func next() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    // MARK: Errors of evaluation

    @Test func evaluation_householdWithoutMembers_isTheSameErrorAsReferenceRules() throws {
        let pack = try Self.referencePack()
        let parameters = try ReferenceParameters(pack: pack, month: Month(year: 2025, month: 7)!)
        var population = SyntheticPopulation(seed: 5, today: Self.today).generate(households: 20)
        let lonely = Household(householdID: "LONELY", divisionCode: population.households[0].divisionCode, hukouType: .rural)
        population.households.insert(lonely, at: 7)
        #expect(throws: PolicyError(pack: "reference", "household LONELY has no members (the population rules require at least one)")) {
            _ = try ColumnarEvaluator.evaluate(ColumnarPopulation(population), parameters: parameters)
        }
        #expect(throws: PolicyError(pack: "reference", "household LONELY has no members (the population rules require at least one)")) {
            _ = try ReferenceRules.evaluate(lonely, members: [], parameters: parameters, explain: false)
        }
    }

    // MARK: What-if

    @Test func whatIf_comparesHouseholdByHousehold() throws {
        let pack = try Self.referencePack()
        let month = Month(year: 2025, month: 7)!
        let population = SyntheticPopulation(seed: 9, today: Self.today).generate(households: 2000)
        let columns = ColumnarPopulation(population)
        let before = try ColumnarEvaluator.evaluate(columns, parameters: ReferenceParameters(pack: pack, month: month))
        let raised = pack.overriding(["S_rural": .money(60_000)], from: month.firstDay)
        let after = try ColumnarEvaluator.evaluate(columns, parameters: ReferenceParameters(pack: raised, month: month))
        let c = before.compared(to: after)
        #expect(c.transitions.flatMap { $0 }.reduce(0, +) == 2000)
        #expect(c.benefitBeforeFen == before.totals().totalBenefitFen)
        #expect(c.benefitAfterFen == after.totals().totalBenefitFen)
        #expect(c.benefitChangeFen > 0)
        let expectedChanged = (0..<2000).filter { before.programme[$0] != after.programme[$0] || before.benefit[$0] != after.benefit[$0] }
        #expect(c.changed.map(Int.init) == expectedChanged)
        #expect(before.compared(to: before).changed.isEmpty)
    }

    // MARK: Parsing

    /// The columnar population read from files equals the conversion of what PopulationCSV.read returns.
    func expectSameColumns(_ a: ColumnarPopulation, _ b: ColumnarPopulation, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.householdCount == b.householdCount, sourceLocation: sourceLocation)
        #expect(a.memberCount == b.memberCount, sourceLocation: sourceLocation)
        guard a.householdCount == b.householdCount, a.memberCount == b.memberCount else { return }
        #expect(a.hukou == b.hukou && a.deposits == b.deposits && a.vehiclesValue == b.vehiclesValue
                    && a.disabilityVehicle == b.disabilityVehicle && a.houses == b.houses
                    && a.businessRegistered == b.businessRegistered && a.memberStart == b.memberStart,
                "household columns", sourceLocation: sourceLocation)
        #expect(a.idBytes == b.idBytes && a.idOffsets == b.idOffsets, "household ids", sourceLocation: sourceLocation)
        #expect((0..<a.householdCount).allSatisfy { a.divisionCode($0) == b.divisionCode($0) && a.township($0) == b.township($0) },
                "division codes", sourceLocation: sourceLocation)
        #expect(a.birth == b.birth && a.monthlyIncome == b.monthlyIncome && a.employmentIncome == b.employmentIncome,
                "member numbers", sourceLocation: sourceLocation)
        #expect(a.disabilityGrade == b.disabilityGrade && a.disabilityKind == b.disabilityKind && a.veteranGrade == b.veteranGrade
                    && a.careLevel == b.careLevel && a.memberFlags == b.memberFlags,
                "member codes", sourceLocation: sourceLocation)
    }

    /// Reads both ways; `fast`: whether the columnar fast path must take the files itself.
    func readBoth(_ h: [UInt8], _ m: [UInt8], fast: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let readable = try PopulationCSV.read(households: Data(h), members: Data(m), today: Self.today)
        let columns = try ColumnarPopulation.parse(households: Data(h), members: Data(m), today: Self.today)
        expectSameColumns(columns, ColumnarPopulation(readable), sourceLocation: sourceLocation)
        let direct = ColumnarPopulation.parseFast(households: Data(h), members: Data(m), today: Self.today, divisions: .bundled)
        #expect((direct != nil) == fast, "fast path taken: \(direct != nil)", sourceLocation: sourceLocation)
        if let direct { expectSameColumns(direct, columns, sourceLocation: sourceLocation) }
    }

    /// 5,000 households: over 64 KB, so both files are parsed in pieces on all cores.
    static let big: (households: [UInt8], members: [UInt8]) = SyntheticPopulation(seed: 4, today: today).generateCSV(households: 5_000)

    @Test func parse_agreesWithPopulationCSVRead_onSyntheticFiles() throws {
        try readBoth(Self.big.households, Self.big.members)
        let small = SyntheticPopulation(seed: 8, today: Self.today).generateCSV(households: 500)
        try readBoth(small.households, small.members)
    }

    @Test func parse_thenEvaluate_agreesWithTheReadablePath() throws {
        let pack = try Self.referencePack()
        let month = Month(year: 2025, month: 7)!
        let columns = try ColumnarPopulation.parse(households: Data(Self.big.households), members: Data(Self.big.members), today: Self.today)
        let result = try ColumnarEvaluator.evaluate(columns, parameters: ReferenceParameters(pack: pack, month: month))
        let population = try PopulationCSV.read(households: Data(Self.big.households), members: Data(Self.big.members), today: Self.today)
        var byHousehold: [String: [Member]] = [:]
        for m in population.members { byHousehold[m.householdID, default: []].append(m) }
        var mismatches = 0
        for (i, h) in population.households.enumerated() {
            let e = try ReferenceRules.evaluate(h, members: byHousehold[h.householdID]!, month: month, pack: pack, explain: false)
            if e.programme != result.programme(i) || e.benefit.fen != result.benefit[i] { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    static func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    static func bytes(_ lines: [String]) -> [UInt8] { Array(lines.joined(separator: "\n").utf8) }

    @Test func parse_membersInAnyOrder_CRLF_BOM_quotes_trailingBlankLines() throws {
        let (h, m) = Self.big
        var memberLines = Self.lines(m)
        if memberLines.last == "" { memberLines.removeLast() }
        // Reversed members (heads last, households interleaved when shuffled).
        let header = memberLines[0]
        var rows = Array(memberLines.dropFirst())
        var rng = SplitMix(seed: 3)
        for i in stride(from: rows.count - 1, to: 0, by: -1) { rows.swapAt(i, rng.below(i + 1)) }
        try readBoth(h, Self.bytes([header] + rows + [""]))
        // CRLF line ends and a BOM.
        let crlf = Array("\u{FEFF}".utf8) + Array(String(decoding: h, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
        try readBoth(crlf, m)
        // Trailing blank lines.
        try readBoth(h + Array("\n\n  \n".utf8), m + Array("\r\n\n".utf8))
        // A quoted name: read by the readable reader, same columns.
        var quoted = Self.lines(m)
        quoted[5] = quoted[5].split(separator: ",", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 2 ? "\"\($0.element), jr.\"" : String($0.element) }.joined(separator: ",")
        try readBoth(h, Self.bytes(quoted), fast: false)
    }

    @Test func parse_longAndNonASCIIHouseholdIDs() throws {
        let (h, m) = Self.big
        func renamed(_ b: [UInt8], _ prefix: String) -> [UInt8] {
            Array(String(decoding: b, as: UTF8.self).replacingOccurrences(of: "H0", with: prefix + "H0").utf8)
        }
        var memberLines = Self.lines(renamed(m, "A-LONG-IDENTIFIER/"))
        if memberLines.last == "" { memberLines.removeLast() }
        let header = memberLines.removeFirst()
        memberLines.reverse()
        try readBoth(renamed(h, "A-LONG-IDENTIFIER/"), Self.bytes([header] + memberLines))
        try readBoth(renamed(h, "户"), renamed(m, "户"), fast: false)
    }

    @Test func parse_headerOnlyFiles_giveAnEmptyPopulation() throws {
        let h = Array((PopulationCSV.householdsHeader + "\n").utf8), m = Array((PopulationCSV.membersHeader + "\n").utf8)
        let columns = try ColumnarPopulation.parse(households: Data(h), members: Data(m), today: Self.today)
        #expect(columns.householdCount == 0 && columns.memberCount == 0)
        let result = try ColumnarEvaluator.evaluate(columns, parameters: ReferenceParameters(pack: Self.referencePack(), month: Month(year: 2025, month: 7)!))
        #expect(result.totals().households == 0)
        expectSameErrors(h, m + Array(Self.lines(Self.big.members)[1].utf8), "a member without households")
        expectSameErrors([], m, "empty households file")
    }

    /// Breaks one row of a file; the columnar parse must refuse it with the same errors as PopulationCSV.read.
    func expectSameErrors(_ h: [UInt8], _ m: [UInt8], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        var readable: PopulationCSVErrors?
        do { _ = try PopulationCSV.read(households: Data(h), members: Data(m), today: Self.today) } catch { readable = error }
        var columnar: PopulationCSVErrors?
        do { _ = try ColumnarPopulation.parse(households: Data(h), members: Data(m), today: Self.today) } catch { columnar = error }
        #expect(readable != nil, "\(what): the readable reader should refuse it", sourceLocation: sourceLocation)
        #expect(columnar == readable, "\(what)", sourceLocation: sourceLocation)
    }

    @Test func parse_refusesABadRow_withTheSameFileLineAndColumn() throws {
        let (h, m) = Self.big
        let hLines = Self.lines(h), mLines = Self.lines(m)
        func field(_ line: String, _ i: Int, _ value: (String) -> String) -> String {
            var f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            f[i] = value(f[i])
            return f.joined(separator: ",")
        }
        func member(at row: Int, _ change: (String) -> String) -> [UInt8] {
            var l = mLines; l[row] = change(l[row]); return Self.bytes(l)
        }
        func household(at row: Int, _ change: (String) -> String) -> [UInt8] {
            var l = hLines; l[row] = change(l[row]); return Self.bytes(l)
        }
        let far = mLines.count * 3 / 4 // in the second piece
        // Check digit.
        let badCheck = member(at: far) { field($0, 1) { id in
            let last = id.last!
            return String(id.dropLast()) + (last == "0" ? "1" : "0")
        } }
        expectSameErrors(h, badCheck, "bad check digit")
        // Unknown household.
        expectSameErrors(h, member(at: 12) { field($0, 0) { _ in "NOPE" } }, "unknown household")
        // Missing column.
        expectSameErrors(h, member(at: far) { line in String(line[..<line.lastIndex(of: ",")!]) }, "missing column")
        expectSameErrors(household(at: hLines.count / 2) { line in String(line[..<line.lastIndex(of: ",")!]) }, m, "missing household column")
        // Duplicate id number (a copy of an earlier member's id, same household's check still fine).
        let firstID = mLines[1].split(separator: ",")[1]
        expectSameErrors(h, member(at: far) { field($0, 1) { _ in String(firstID) } }, "duplicate id")
        // Duplicate household id.
        let firstHousehold = hLines[1].split(separator: ",")[0]
        expectSameErrors(household(at: hLines.count - 3) { field($0, 0) { _ in String(firstHousehold) } }, m, "duplicate household id")
        // A second head; a household without a head.
        expectSameErrors(h, member(at: 2) { field($0, 3) { _ in "head" } }, "two heads")
        expectSameErrors(h, member(at: 1) { field($0, 3) { _ in "spouse" } }, "no head")
        // Field rules.
        expectSameErrors(h, member(at: far) { field($0, 4) { _ in "5" } }, "grade")
        expectSameErrors(h, member(at: far) { field($0, 5) { k in k == "none" ? "physical" : "none" } }, "kind")
        expectSameErrors(h, member(at: far) { field($0, 6) { _ in "2" } }, "flag")
        expectSameErrors(h, member(at: far) { field($0, 7) { _ in "11" } }, "veteran")
        expectSameErrors(h, member(at: far) { field($0, 12) { _ in "none" } }, "care")
        expectSameErrors(h, member(at: far) { field($0, 14) { _ in "99999999999" } }, "employment above income")
        expectSameErrors(h, member(at: far) { field($0, 13) { _ in "99999999999999999999" } }, "too large")
        expectSameErrors(h, member(at: far) { field($0, 2) { _ in " " } }, "blank name")
        expectSameErrors(h, member(at: far) { field($0, 1) { id in String(id.prefix(6)) + "20991231" + String(id.dropFirst(14)) } }, "future birth")
        expectSameErrors(household(at: 40) { field($0, 1) { _ in "999999" } }, m, "unknown county")
        expectSameErrors(household(at: 40) { field($0, 2) { _ in "city" } }, m, "hukou")
        expectSameErrors(household(at: 40) { field($0, 3) { _ in "-5" } }, m, "negative deposits")
        // A blank line in the middle; a header with a column missing.
        var blank = mLines; blank.insert("", at: far)
        expectSameErrors(h, Self.bytes(blank), "blank line")
        var header = mLines; header[0] = header[0].replacingOccurrences(of: ",care_level", with: "")
        expectSameErrors(h, Self.bytes(header), "header")
    }
}
