import Foundation
import Testing
import JiuzhuCore

private func code(_ text: String) -> DivisionCode {
    do { return try DivisionCode(text) } catch { fatalError("bad test code \(text): \(error)") }
}

@Suite struct DivisionCodeTests {
    @Test(arguments: [
        ("532625000000", "532625"), // 马关县 written with 12 digits
        ("532625000", "532625"),
        ("532625", "532625"),
        ("532625100000", "532625100"), // 马白镇
        ("532625100", "532625100"),
        ("530428101203", "530428101203"), // a village-level code keeps all 12
        ("350000000000", "350000"),
    ])
    func init_keepsTheShortestForm(text: String, canonical: String) throws {
        #expect(try DivisionCode(text).digits == canonical)
        #expect(try DivisionCode(text) == DivisionCode(canonical))
    }

    @Test func levels_followTheDigits() {
        #expect(code("350000").level == .province)      // 福建省
        #expect(code("350800").level == .prefecture)    // 龙岩市
        #expect(code("350802").level == .county)        // 新罗区
        #expect(code("350802100").level == .township)   // 红坊镇
        #expect(code("350802100201").level == .village)
        #expect(code("350802100000").level == .township)
        #expect(DivisionCode.Level.province < .prefecture && .township < .village)
        #expect(DivisionCode.Level.township.chineseName == "乡级")
    }

    @Test func parentChain_ofATownshipOfXinluoDistrict_reachesFujian() {
        // 红坊镇 350802100 → 新罗区 350802 → 龙岩市 350800 → 福建省 350000.
        let hongfang = code("350802100")
        #expect(hongfang.parent == code("350802"))
        #expect(code("350802").parent == code("350800"))
        #expect(code("350800").parent == code("350000"))
        #expect(code("350000").parent == nil)
        #expect(hongfang.chain == [code("350802100"), code("350802"), code("350800"), code("350000")])
        #expect(code("350802100201").chain.first?.parent == hongfang)
        #expect(hongfang.countyCode == code("350802"))
    }

    @Test func parent_ofACountyDirectlyUnderTheProvince_isTheProvince() {
        // 济源市 419001: 省直辖县级行政区划 (digits 3–4 are 90).
        #expect(code("419001").parent == code("410000"))
    }

    @Test func contains_followsTheChain() {
        #expect(code("350800").contains(code("350802100")))
        #expect(code("350802").contains(code("350802")))
        #expect(!code("350803").contains(code("350802100")))
        #expect(!code("350802100").contains(code("350802")))
    }

    @Test func twelveDigits_padsWithZeros_andOrdersByIt() {
        #expect(code("350802100").twelveDigits == "350802100000")
        #expect(code("350800").twelveDigits == "350800000000")
        #expect(code("350802") < code("350802100"))
        #expect(code("350802100") < code("350803"))
    }

    @Test(arguments: [("", 0), ("35080", 5), ("3508021", 7), ("3508021000", 10), ("3508021000001", 13)])
    func rejects_wrongLength(text: String, count: Int) {
        #expect(throws: DivisionCodeError.length(count)) { try DivisionCode(text) }
    }

    @Test func rejects_badInput_withMessages() {
        #expect(throws: DivisionCodeError.characters) { try DivisionCode("35080a") }
        #expect(throws: DivisionCodeError.characters) { try DivisionCode("３５０８０２") } // 18 bytes, full-width
        #expect(throws: DivisionCodeError.characters) { try DivisionCode("35 802") }
        #expect(throws: DivisionCodeError.zeroProvince) { try DivisionCode("000000") }
        #expect(throws: DivisionCodeError.zeroProvince) { try DivisionCode("001234000") }
        #expect(throws: DivisionCodeError.countyWithoutPrefecture) { try DivisionCode("530028") }
        // The county part (digits 1–6) of a township code is checked too.
        #expect(throws: DivisionCodeError.countyWithoutPrefecture) { try DivisionCode("530028101") }
        #expect(throws: DivisionCodeError.countyWithoutPrefecture) { try DivisionCode("530028101000") }
        // A village code must lie in a township: digits 7–9 cannot be 000.
        #expect(throws: DivisionCodeError.villageWithoutTownship) { try DivisionCode("532625000123") }
        #expect(DivisionCodeError.villageWithoutTownship.description == "a village code needs its township digits (7–9), found 000")
        #expect(DivisionCodeError.length(5).description == "must be 6, 9 or 12 digits, found 5 characters")
        #expect(DivisionCodeError.characters.description == "must contain digits only")
        #expect(DivisionCodeError.zeroProvince.description == "province part (digits 1–2) cannot be 00")
        #expect(DivisionCodeError.countyWithoutPrefecture.description
            == "a county code needs its prefecture digits (3–4), found 00")
    }

    @Test func codable_isTheCanonicalDigits() throws {
        let data = try JSONEncoder().encode([code("532625100000")])
        #expect(String(decoding: data, as: UTF8.self) == #"["532625100"]"#)
        #expect(try JSONDecoder().decode([DivisionCode].self, from: data) == [code("532625100")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([DivisionCode].self, from: Data(#"["5326"]"#.utf8)) }
    }
}
