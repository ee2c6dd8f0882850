import Foundation
import Testing
import JiuzhuCore

private func code(_ text: String) -> DivisionCode {
    do { return try DivisionCode(text) } catch { fatalError("bad test code \(text): \(error)") }
}

/// Expected values are read from Resources/divisions.csv and DIVISIONS-SOURCE.md (MCA table as of
/// 2025-12-31): 266 rows, 4 provinces, 5 prefectures, 18 counties, 239 townships.
@Suite struct DivisionsTests {
    let table = Divisions.bundled

    @Test func bundled_hasTheDocumentedRows() {
        #expect(table.all.count == 266)
        #expect(table.all.filter { $0.level == .province }.count == 4)
        #expect(table.all.filter { $0.level == .prefecture }.count == 5)
        #expect(table.counties().count == 18)
        #expect(table.all.filter { $0.level == .township }.count == 239)
        #expect(table.all == table.all.sorted { $0.code < $1.code })
    }

    @Test func lookUp_byCode() throws {
        let yuanjiang = try #require(table[code("530428")])
        #expect(yuanjiang.name == "元江哈尼族彝族傣族自治县")
        #expect(yuanjiang.level == .county)
        #expect(yuanjiang.parent == code("530400"))
        #expect(table[code("530428000000")]?.name == "元江哈尼族彝族傣族自治县")
        #expect(table[code("530428101")]?.name == "因远镇")
        #expect(table[code("350802100")]?.name == "红坊镇")
        #expect(table[code("110105")] == nil)
    }

    @Test func yuanjiangCounty_hasItsTenTownships() {
        let names = table.townships(in: code("530428")).map(\.name)
        #expect(names == ["澧江街道", "红河街道", "甘庄街道", "因远镇", "曼来镇",
                          "羊街乡", "那诺乡", "洼垤乡", "咪哩乡", "龙潭乡"])
        #expect(table.children(of: code("530428")).count == 10)
    }

    @Test func lookUp_byName() {
        #expect(table.named("因远镇").map(\.code) == [code("530428101")])
        // Names repeat across counties: 万安镇 is in 新罗区 and in 武平县.
        #expect(table.named("万安镇").map(\.code) == [code("350802104"), code("350824110")])
        #expect(table.named("新桥镇").count == 2)
        #expect(table.named("因远").isEmpty)
        #expect(table.search("因远").map(\.name) == ["因远镇"])
        #expect(table.named("马关县").first?.code == code("532625"))
    }

    @Test func children_andTownships_ofLongyan() {
        // 龙岩市 is complete: 新罗区, 永定区, 长汀县, 上杭县, 武平县, 连城县, 漳平市.
        #expect(table.children(of: code("350800")).map(\.name)
            == ["新罗区", "永定区", "长汀县", "上杭县", "武平县", "连城县", "漳平市"])
        #expect(table.townships(in: code("350802")).count == 20) // 新罗区: 10 街道 + 10 镇
        #expect(table.townships(in: code("532625")).count == 13) // 马关县
    }

    @Test func fullName_runsFromTheProvinceDown() {
        #expect(table.fullName(code("530428101")) == "云南省 玉溪市 元江哈尼族彝族傣族自治县 因远镇")
        #expect(table.fullName(code("350802100")) == "福建省 龙岩市 新罗区 红坊镇")
        // Village codes are not in the table: the name stops at the township.
        #expect(table.fullName(code("350802100201")) == "福建省 龙岩市 新罗区 红坊镇")
    }

    @Test func validatePlace_acceptsKnownPlaces() {
        #expect(table.validatePlace(code("530428")) == nil)
        #expect(table.validatePlace(code("530428101")) == nil)
        #expect(table.validatePlace(code("530428101203")) == nil) // any village under a known township
    }

    @Test func validatePlace_rejectsUnknownCountiesAndTownships() {
        #expect(table.validatePlace(code("110105")) == "county 110105 is not in the division table (MCA 2025-12-31)")
        #expect(table.validatePlace(code("530428999"))
            == "township 530428999 is not in the division table of 元江哈尼族彝族傣族自治县 (MCA codes, 2025-12-31)")
        #expect(table.validatePlace(code("530428999001"))
            == "township 530428999 is not in the division table of 元江哈尼族彝族傣族自治县 (MCA codes, 2025-12-31)")
        // A prefecture is not a place for a household: its "county" is not a county row.
        #expect(table.validatePlace(code("530400")) != nil)
    }

    @Test func csv_parsesRows_andReportsTheRealLineOfAnError() throws {
        let good = """
        code,name,level,parent_code
        530000000000,云南省,province,
        530400000000,玉溪市,prefecture,530000000000
        """
        let parsed = try Divisions(csv: good)
        #expect(parsed.all.map(\.name) == ["云南省", "玉溪市"])
        #expect(parsed[code("530400")]?.parent == code("530000"))

        // Line 4 is bad; the blank line 3 still counts.
        let bad = "code,name,level,parent_code\n530000000000,云南省,province,\n\n530400000000,玉溪市,city,530000000000\n"
        let error = #expect(throws: DivisionTableError.self) { try Divisions(csv: bad) }
        #expect(error?.line == 4)
        #expect(error?.message == "expected code,name,level,parent_code")
        let badCode = "code,name,level,parent_code\n53000000000x,云南省,province,\n"
        let codeError = #expect(throws: DivisionTableError.self) { try Divisions(csv: badCode) }
        #expect(codeError?.description == "divisions.csv line 2: must contain digits only")
    }
}
