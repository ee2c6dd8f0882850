import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
@testable import JiuzhuWeb
import Testing
import Vapor
import VaporTesting

extension PageSnapshotTests {
    static let countyContext = PageContext(username: "zhang", roleName: "县民政局经办人员", divisionName: "云南省玉溪市元江哈尼族彝族傣族自治县",
                                           csrf: "TOKEN", role: .countyOfficer)

    static let deathsImport = FeedPages.ImportRow(kind: "死亡信息", department: "公安", asOf: "2025年7月1日", fileName: "deaths-2025-07.csv",
                                                  encoding: "UTF-8", rows: "1,204", matched: "37", unknown: "1,167", flags: "37",
                                                  importedAt: "2025年7月15日 10:00", importedBy: "zhang", digest: "3f2a9c0d1e4b")

    @Test func feedHistory_afterAnImport() throws {
        var m = FeedPages.Model(context: Self.countyContext, rows: [
            Self.deathsImport,
            .init(kind: "工资收入", department: "人社", asOf: "2025年6月30日", fileName: "工资.xlsx", encoding: "Excel", rows: "52", matched: "3",
                  unknown: "49", flags: "2", importedAt: "2025年7月14日 16:20", importedBy: "zhang", digest: "a1b2c3d4e5f6"),
        ], mayImport: true, values: ["as_of": "2025-07-15", "encoding": ""])
        m.result = "已导入 deaths-2025-07.csv：死亡信息（公安，截至 2025年7月1日），共 1,204 行，匹配登记人员 37 行，未登记人员 1,167 行（留作线索），预警 37 条（高 37）。预警不会自动改变待遇，请在核对工作清单中逐户处理。"
        try assertSnapshot(FeedPages.render(m), "feeds")
    }

    @Test func feedHistory_aRefusedFile() throws {
        var m = FeedPages.Model(context: Self.countyContext, rows: [Self.deathsImport], mayImport: true,
                                values: ["department": "公安", "as_of": "2025-07-01", "encoding": "gbk"])
        m.refusal = "文件 deaths.csv 未导入（2 处问题），未作任何更改。请更正后重新导入："
        m.problems = [["第 2 行", "身份证号（id_number）", "check digit is 7, expected X"], ["第 3 行", "死亡日期（date_of_death）", "2025-13-01 is not a date (YYYY-MM-DD)"]]
        try assertSnapshot(FeedPages.render(m), "feeds-refused")
    }

    @Test func verificationWorklist() throws {
        let m = VerificationPage.Model(context: Self.countyContext, month: "2025-07", error: nil,
                                       summary: [["澧江街道", "1,204", "87", "1", "0", "1", "0", "0", "0", "1"],
                                                 ["因远镇", "2,311", "140", "2", "1", "0", "0", "1", "0", "2"]],
                                       totals: ["合计", "3,515", "227", "3", "1", "1", "0", "1", "0", "3"],
                                       kinds: [["死亡信息", "公安、卫健", "2", "1", "1,830", "12", "1,818", "高 1"],
                                               ["工资收入", "人社、税务", "1", "1", "5,000,000", "100,000", "4,900,000", "中 1"]], townships: [
            .init(code: "530428001", name: "澧江街道", items: [
                .init(householdID: "H2", outcome: "benefit_down", outcomeText: "待遇可能降低", now: "最低生活保障（整户） ¥900.00/月",
                      withFeeds: "最低生活保障（整户） ¥450.00/月", flags: ["死亡信息：王秀英已于 2025-06-20 死亡：三个月内复核，增发、减发或停发"]),
            ]),
            .init(code: "530428101", name: "因远镇", items: [
                .init(householdID: "H1", outcome: "likely_ineligible", outcomeText: "可能不再符合", now: "最低生活保障（整户） ¥1,035.00/月",
                      withFeeds: "不符合基本生活救助条件", flags: ["财政供养人员：李建国在县教育局财政供养：不符合低保条件", "工资收入：李建国的工资 ¥3,000.00/月 高于申报的月收入 ¥300.00"]),
                .init(householdID: "H7", outcome: "benefit_up", outcomeText: "待遇可能提高", now: "最低生活保障（整户） ¥600.00/月",
                      withFeeds: "最低生活保障（整户） ¥720.00/月", flags: ["残疾人证：王秀英持二级肢体残疾人证，登记为无残疾"]),
            ]),
        ])
        try assertSnapshot(VerificationPage.render(m), "verification")
    }

    @Test func navigation_showsTheDataPages_onlyToRolesThatMaySeeThem() {
        func hrefs(_ role: Role?) -> [String] { Layout.navigation(for: role).map(\.href) }
        #expect(hrefs(.countyOfficer).contains("/feeds") && hrefs(.countyOfficer).contains("/verification"))
        #expect(hrefs(.countyAdmin).contains("/verification"))
        #expect(hrefs(.auditor).contains("/feeds") && !hrefs(.auditor).contains("/verification"))
        #expect(hrefs(.townshipOfficer).contains("/verification") && !hrefs(.townshipOfficer).contains("/feeds"))
        for role in [Role.villageAssistant, .socialWorker, .departmentLiaison] {
            #expect(!hrefs(role).contains("/feeds") && !hrefs(role).contains("/verification"), "\(role)")
        }
        #expect(hrefs(nil) == Layout.navigation.map(\.href))
    }
}

/// The feed pages through real requests: an import through the form, the history, the worklist, and who may do what.
@Suite struct FeedPagesTests {
    static let boundary = "JiuzhuTestBoundary7MA4YWxk"

    /// A multipart form as a browser sends it: text fields, then the file.
    static func multipart(_ fields: [(String, String)], file: (name: String, text: String)?) -> ByteBuffer {
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        if let file {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: text/csv\r\n\r\n\(file.text)\r\n"
        }
        return ByteBuffer(string: body + "--\(boundary)--\r\n")
    }

    static func headers(_ session: String) -> HTTPHeaders {
        ["Cookie": "jiuzhu_session=\(session); jiuzhu_csrf=T", "Content-Type": "multipart/form-data; boundary=\(boundary)", "Accept": "text/html"]
    }

    static let record = Fixtures.record()
    static var deaths: String { "id_number,name,date_of_death\n\(record.members[1].idNumber.value),王秀英,2025-06-20\n" }
    static func form(department: String = "公安", csrf: String = "T") -> [(String, String)] {
        [("csrf", csrf), ("department", department), ("as_of", "2025-07-01"), ("encoding", "")]
    }

    func importCount(_ app: Application) async throws -> Int {
        var n = -1
        try await app.testing().test(.GET, "/api/v1/feeds", headers: authHeaders) { res async throws in
            n = try res.decoded([FeedImportRecord].self).count
        }
        return n
    }

    @Test func aFeedImportedThroughTheForm_isInTheHistory_andItsHouseholdOnTheWorklist() async throws {
        try await withJiuzhuApp { app in
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(Self.record)) { #expect($0.status == .created) }
            let h = Self.headers(TestSession.token)
            try await app.testing().test(.GET, "/feeds", headers: h) { res async throws in
                #expect(res.status == .ok && res.body.string.contains("尚无导入记录") && res.body.string.contains("enctype=\"multipart/form-data\""))
                #expect(res.body.string.contains("href=\"/verification\""))
            }
            // A refused file: the line and column named, nothing applied.
            let valid = Self.record.members[1].idNumber.value
            let badID = "id_number,name,date_of_death\n\(valid.dropLast())\(valid.last == "0" ? "1" : "0"),王秀英,2025-06-20\n"
            try await app.testing().test(.POST, "/feeds", headers: h, body: Self.multipart(Self.form(), file: ("deaths.csv", badID))) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("未导入") && res.body.string.contains("第 2 行") && res.body.string.contains("身份证号（id_number）"))
                #expect(res.body.string.contains("value=\"公安\""))
            }
            // The wrong department, and a missing file: named in Chinese.
            try await app.testing().test(.POST, "/feeds", headers: h, body: Self.multipart(Self.form(department: "人社"), file: ("deaths.csv", Self.deaths))) { res async throws in
                #expect(res.status == .unprocessableEntity && res.body.string.contains("不报送死亡信息，应由公安、卫健报送"))
            }
            try await app.testing().test(.POST, "/feeds", headers: h, body: Self.multipart(Self.form(), file: ("", ""))) { res async throws in
                #expect(res.status == .unprocessableEntity && res.body.string.contains("请选择要导入的文件"))
            }
            // A forged form changes nothing.
            try await app.testing().test(.POST, "/feeds", headers: h, body: Self.multipart(Self.form(csrf: "forged"), file: ("deaths.csv", Self.deaths))) {
                #expect($0.status == .forbidden)
            }
            #expect(try await importCount(app) == 0)

            try await app.testing().test(.POST, "/feeds", headers: h, body: Self.multipart(Self.form(), file: ("deaths.csv", Self.deaths))) { res async throws in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("已导入 deaths.csv：死亡信息（公安，截至 2025年7月1日），共 1 行，匹配登记人员 1 行") && res.body.string.contains("高 1"))
            }
            try await app.testing().test(.POST, "/feeds", headers: h, body: Self.multipart(Self.form(), file: ("again.csv", Self.deaths))) { res async throws in
                #expect(res.status == .ok && res.body.string.contains("该文件此前已导入（deaths.csv"))
            }
            var digest = ""
            try await app.testing().test(.GET, "/api/v1/feeds", headers: authHeaders) { res async throws in
                let imports = try res.decoded([FeedImportRecord].self)
                #expect(imports.map(\.kind) == ["deaths"] && imports.first?.importedBy == "user:tester" && imports.first?.flags == 1)
                digest = imports.first?.digest ?? ""
            }
            try await app.testing().test(.GET, "/feeds", headers: h) { res async throws in
                #expect(res.body.string.contains("<td>死亡信息</td>") && res.body.string.contains("<td>deaths.csv</td>"))
                #expect(digest.count == 64 && res.body.string.contains("<code>\(digest.prefix(12))</code>") && !res.body.string.contains(digest))
            }

            // The month's verification counts every household; the worklist names the household under its township, with the outcome the API gives.
            try await app.testing().test(.GET, "/api/v1/verification/summary?month=2025-07", headers: authHeaders) { res async throws in
                let report = try res.decoded(MonthlyVerification.self)
                #expect(report.townships.reduce(0) { $0 + $1.households } == 1 && report.worklist.map(\.householdID) == ["H1"])
                #expect(report.kinds.map(\.kind) == ["deaths"])
            }
            var outcome = ""
            try await app.testing().test(.GET, "/api/v1/verification?month=2025-07", headers: authHeaders) { res async throws in
                let items = try res.decoded([ReevaluationItem].self)
                #expect(items.map(\.householdID) == ["H1"])
                outcome = items.first?.outcome ?? ""
            }
            let outcomeName = try #require(VerificationPage.outcomes.first { $0.key == outcome }?.name)
            let township = try #require(Divisions.bundled[Self.record.household.divisionCode]?.name)
            try await app.testing().test(.GET, "/verification?month=2025-07", headers: h) { res async throws in
                let page = res.body.string
                #expect(res.status == .ok && page.contains("核对工作清单 · 2025-07"))
                #expect(page.contains("href=\"/households/H1\"") && page.contains(township) && page.contains(outcomeName))
                #expect(page.contains("死亡信息：王秀英已于 2025-06-20 死亡"))
                #expect(page.contains("最低生活保障") && page.contains("/月"))
                #expect(page.contains("<td>死亡信息</td>") && page.contains("<td>公安、卫健</td>"))
            }
            // Without a month: the app clock's month.
            try await app.testing().test(.GET, "/verification", headers: h) { res async throws in
                #expect(res.body.string.contains("核对工作清单 · 2025-07"))
            }
        }
    }

    @Test func aTownshipOfficerOrAnAuditor_cannotImport_theOfficerReadsTheTownshipsWorklist() async throws {
        try await withJiuzhuApp { app in
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(Self.record)) { #expect($0.status == .created) }
            let township = try await signIn(app, as: UserAccount(username: "xz", role: .townshipOfficer, division: Self.record.household.divisionCode))
            let auditor = try await signIn(app, as: UserAccount(username: "sj", role: .auditor, division: try DivisionCode("530428")))
            for session in [township, auditor] {
                try await app.testing().test(.POST, "/feeds", headers: Self.headers(session), body: Self.multipart(Self.form(), file: ("deaths.csv", Self.deaths))) {
                    #expect($0.status == .forbidden)
                }
            }
            #expect(try await importCount(app) == 0)
            // The auditor does not read the worklist; the township officer reads their township's, not the county's feed history.
            try await app.testing().test(.GET, "/verification?month=2025-07", headers: Self.headers(auditor)) { #expect($0.status == .forbidden) }
            try await app.testing().test(.GET, "/verification?month=2025-07", headers: Self.headers(township)) { res async throws in
                #expect(res.status == .ok && res.body.string.contains("<td class=\"n\">1</td>"))   // one household in the township
            }
            try await app.testing().test(.GET, "/feeds", headers: Self.headers(township)) { #expect($0.status == .forbidden) }
            try await app.testing().test(.GET, "/", headers: Self.headers(township)) { res async throws in
                #expect(res.status == .ok && !res.body.string.contains("href=\"/feeds\"") && res.body.string.contains("href=\"/verification\""))
            }
            try await app.testing().test(.GET, "/feeds", headers: Self.headers(auditor)) { res async throws in
                #expect(res.status == .ok && res.body.string.contains("数据由县民政局经办人员导入") && !res.body.string.contains("<form method=\"post\" action=\"/feeds\""))
                #expect(res.body.string.contains("href=\"/feeds\"") && !res.body.string.contains("href=\"/verification\""))
            }
        }
    }
}
