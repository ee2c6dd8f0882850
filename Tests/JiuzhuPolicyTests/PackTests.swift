import JiuzhuCore
import JiuzhuPacks
@testable import JiuzhuPolicy
import Testing

@Suite struct RateTests {
    @Test func parsing_decimalsAndPercentages_exactly() throws {
        #expect(try Rate(parsing: "0.15") == Rate(units: 15, scale: 2))
        #expect(try Rate(parsing: "15%") == Rate(units: 15, scale: 2))
        #expect(try Rate(parsing: "1.3").description == "1.3")
        #expect(try Rate(parsing: "2.5%").percent == "2.5%")
        for bad in ["", "abc", "1.", ".5", "-1", "1.2.3", "5 %x"] {
            #expect(throws: RateError.self) { try Rate(parsing: bad) }
        }
    }

    @Test func products_roundAsTheRuleSays() throws {
        // 70000 × 15% = 10500 exactly; 50001 × 15% = 7500.15 → ceil 7501, floor 7500.
        #expect(try Rate(parsing: "15%").timesCeil(70000) == 10500)
        #expect(try Rate(parsing: "15%").timesCeil(50001) == 7501)
        #expect(try Rate(parsing: "15%").timesFloor(50001) == 7500)
        // 186000 × 30% = 55800.
        #expect(try Rate(parsing: "30%").timesFloor(186000) == 55800)
        // 1.5 × 100 bounds 150 but not 151 (exact comparison, no rounding).
        let r = try Rate(parsing: "1.5")
        #expect(r.bounds(150, timesOf: 100))
        #expect(!r.bounds(151, timesOf: 100))
    }
}

@Suite struct PackLoaderTests {
    static let good = """
    id: test
    name: 测试
    divisions: ["530428"]
    parameters:
      S_urban:
        description: 城市低保标准
        unit: fen
        citation: seed 003
        provisional: true
        values:
          2020-01-01: 70000
          2024-07-01: 75000
    """

    @Test func load_readsDatedValues_andLooksUpTheNewestOnOrBefore() throws {
        let pack = try PackLoader.load(yaml: Self.good, name: "test.yaml")
        #expect(pack.id == "test")
        #expect(pack.divisions == [try DivisionCode("530428")])
        let p = try #require(pack.parameters["S_urban"])
        #expect(p.provisional)
        // The day before and the day of the change.
        #expect(p.value(on: Day(year: 2024, month: 6, day: 30)!)?.value == .money(70000))
        #expect(p.value(on: Day(year: 2024, month: 7, day: 1)!)?.value == .money(75000))
        #expect(p.value(on: Day(year: 2019, month: 12, day: 31)!) == nil)
    }

    @Test(arguments: [
        ("unit: fen", "unit: yuan", "unknown unit 'yuan'"),
        ("2024-07-01: 75000", "2019-07-01: 75000", "dates must be in increasing order"),
        ("2024-07-01: 75000", "2024-13-01: 75000", "is not a date"),
        ("2024-07-01: 75000", "2024-07-01: 750.5", "not a whole number of fen"),
        ("    citation: seed 003\n", "", "citation is required"),
        ("provisional: true", "provisional: maybe", "provisional must be true or false"),
        ("name: 测试", "nmae: 测试", "unknown key 'nmae'"),
        ("divisions: [\"530428\"]", "divisions: [\"5304\"]", "is not a division code"),
    ])
    func load_badPack_namesPackParameterAndLine(find: String, replace: String, message: String) {
        let text = Self.good.replacingOccurrences(of: find, with: replace)
        do {
            _ = try PackLoader.load(yaml: text, name: "test.yaml")
            Issue.record("expected an error for \(replace)")
        } catch {
            #expect(error.description.contains(message), "\(error)")
            #expect(error.pack == "test" || error.pack == "test.yaml")
            #expect(error.line != nil || error.parameter != nil, "\(error)")
        }
    }

    @Test func bundledReferencePack_loads_andServesEveryMonthFrom2020() throws {
        let pack = try Packs.bundled.pack(id: "reference")
        #expect(pack.parameters.count >= 26)
        _ = try ReferenceParameters(pack: pack, month: Month(year: 2020, month: 1)!)
        #expect(throws: PolicyError.self) { try ReferenceParameters(pack: pack, month: Month(year: 2019, month: 12)!) }
        do {
            _ = try ReferenceParameters(pack: pack, month: Month(year: 2019, month: 12)!)
        } catch {
            #expect(error.description.contains("pack reference"))
            #expect(error.description.contains("no value on 2019-12-01"))
        }
    }

    @Test func missingParameter_isAnErrorNamingIt() throws {
        let pack = try Packs.bundled.pack(id: "reference")
        var ps = pack.parameters
        ps["W"] = nil
        let broken = PolicyPack(id: "broken", name: "x", divisions: [], parameters: ps)
        #expect(throws: PolicyError(pack: "broken", parameter: "W", "the reference rules need this parameter; the pack does not define it")) {
            try ReferenceParameters(pack: broken, month: Month(year: 2025, month: 7)!)
        }
    }

    @Test func packResolution_countyThenPrefectureThenProvince() throws {
        func pack(_ id: String, _ divisions: [String]) throws -> PolicyPack {
            PolicyPack(id: id, name: id, divisions: try divisions.map { try DivisionCode($0) }, parameters: [:])
        }
        let packs = Packs(try [pack("350800", ["350800"]), pack("350802", ["350802"]), pack("350000", ["350000"])])
        #expect(try packs.pack(for: DivisionCode("350802001")).id == "350802")   // county
        #expect(try packs.pack(for: DivisionCode("350821101")).id == "350800")   // prefecture
        #expect(try packs.pack(for: DivisionCode("350181")).id == "350000")      // province
        #expect(throws: PolicyError.self) { try packs.pack(for: DivisionCode("530428")) }
    }
}

@Suite struct LocalityPackTests {
    /// Every township of the five localities resolves to its locality's pack: a county's own, or for
    /// the districts and counties of 龙岩市 and 双鸭山市, the city's.
    @Test func everyTownshipOfTheFiveLocalities_resolvesToItsPack() throws {
        let expected = ["532625": "532625", "430321": "430321", "530428": "530428"]
        for t in Divisions.bundled.all where t.level == .township {
            let county = String(t.code.digits.prefix(6))
            let want = expected[county] ?? (county.hasPrefix("3508") ? "350800" : county.hasPrefix("2305") ? "230500" : "?")
            #expect(try Packs.bundled.pack(for: t.code).id == want, "\(t.name) \(t.code)")
        }
    }

    @Test func localityPacks_markTheirUnconfirmedStandardsProvisional() throws {
        for id in ["532625", "430321", "350800", "230500", "530428"] {
            let pack = try Packs.bundled.pack(id: id)
            for name in ["S_urban", "S_rural"] {
                #expect(pack.parameters[name]?.provisional == true, "\(id).\(name) is not a published figure in our sources")
            }
        }
    }
}

@Suite struct ValueKindTests {
    /// A pack built in code with a value of the wrong kind (a what-if gone wrong) is an error naming
    /// the parameter, never a crash.
    @Test func valueOfTheWrongKind_isAnError() throws {
        let pack = try Packs.bundled.pack(id: "reference")
        let broken = pack.overriding(["S_rural": .choice("lots")], from: Day(year: 2025, month: 1, day: 1)!)
        do {
            _ = try ReferenceParameters(pack: broken, month: Month(year: 2025, month: 7)!)
            Issue.record("expected an error")
        } catch {
            #expect(error.parameter == "S_rural")
            #expect(error.description.contains("is not a fen value"))
        }
    }
}
