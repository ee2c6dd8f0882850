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
    static func line(_ household: String, _ township: String, _ programme: PaymentProgramme, _ kind: PayrollLine.Kind, _ fen: Int64,
                     forMonth: String = "2025-07") -> PayrollLine {
        PayrollLine(month: try! Month(parsing: "2025-07"), forMonth: try! Month(parsing: forMonth), kind: kind, entitlementID: 1, householdID: household,
                    countyCode: "530428", divisionCode: township, programme: programme, payee: "530428196001010112", payeeName: "李建国",
                    bankAccount: "6217001234567890", amountFen: fen)
    }

    @Test func payrollRoll_aDraftWithArrearsAndAPriceSubsidy_heldAndOverpaid() throws {
        let lines = [
            Self.line("H1", "530428101", .dibao, .regular, 60000), Self.line("H1", "530428101", .dibao, .arrears, 60000, forMonth: "2025-06"),
            Self.line("H1", "530428101", .dibao, .priceSubsidy, 4500), Self.line("H2", "530428101", .tekun, .regular, 95000),
            Self.line("H3", "530428001", .dibao, .regular, 123456),
        ]
        var m = PayrollPage.makeModel(Self.countyContext, month: try Month(parsing: "2025-07"), status: .generated, lines: lines, mayWork: true)
        m.result = "已生成 2025-07 发放名册（草稿）：共 5 笔，合计 ¥3,429.56。请核对后确认。"
        m.held = [["H4", "最低生活保障", "¥1,200.00"]]
        m.overpaid = [["H5", "特困人员救助供养", "2025-05", "¥950.00", "¥900.00"]]
        #expect(m.totals == ["合计", "¥950.00", "¥2,479.56", "¥3,429.56"])
        #expect(m.kinds.map(\.first) == ["当月待遇", "补发", "价格临时补贴"])
        try assertSnapshot(PayrollPage.render(m), "payroll")
    }

    @Test func payrollRoll_regularLinesOnly_haveNoTableByKind() throws {
        let m = PayrollPage.makeModel(Self.countyContext, month: try Month(parsing: "2025-07"), status: .confirmed,
                                      lines: [Self.line("H1", "530428101", .dibao, .regular, 60000)], mayWork: false)
        #expect(m.kinds.isEmpty && m.state == "已确认" && m.rows == [["因远镇", "¥600.00", "¥600.00"]])
    }

    @Test func navigation_showsThePayroll_toThoseWhoReadTheRolls() {
        func hrefs(_ role: Role) -> [String] { Layout.navigation(for: role).map(\.href) }
        for role in [Role.countyOfficer, .countyAdmin, .auditor] { #expect(hrefs(role).contains("/payroll"), "\(role)") }
        for role in [Role.townshipOfficer, .villageAssistant, .socialWorker, .departmentLiaison] { #expect(!hrefs(role).contains("/payroll"), "\(role)") }
    }
}

/// The roll through the page: generated, confirmed and downloaded by the county, read by its auditor.
@Suite struct PayrollPageTests {
    static func headers(_ session: String) -> HTTPHeaders {
        ["Cookie": "jiuzhu_session=\(session); jiuzhu_csrf=T", "Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"]
    }

    static func form(_ fields: String, csrf: String = "T") -> ByteBuffer { ByteBuffer(string: "csrf=\(csrf)&month=2025-07" + (fields.isEmpty ? "" : "&" + fields)) }

    @Test func theRollThroughThePage_generated_confirmed_downloaded_readByTheAuditor() async throws {
        try await withJiuzhuApp { app in
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(PayrollAPITests.record)) { #expect($0.status == .created) }
            var csvHeaders = authHeaders
            csvHeaders.contentType = HTTPMediaType(type: "text", subType: "csv")
            try await app.testing().test(.POST, "/api/v1/recipients?from=2025-07", headers: csvHeaders, body: ByteBuffer(string: PayrollAPITests.recipients)) {
                #expect($0.status == .created)
            }
            let h = Self.headers(TestSession.token)
            let township = try #require(Divisions.bundled[PayrollAPITests.record.household.divisionCode]?.name)
            try await app.testing().test(.GET, "/payroll", headers: h) { res async throws in
                let page = res.body.string
                #expect(res.status == .ok && page.contains("发放名册 · 2025-07") && page.contains("未生成") && page.contains("href=\"/payroll\""))
                #expect(page.contains("action=\"/payroll/generate\"") && !page.contains("action=\"/payroll/confirm\""))
            }
            try await app.testing().test(.GET, "/payroll?month=2025-13", headers: h) { res async throws in
                #expect(res.status == .ok && res.body.string.contains("月份“2025-13”应为 年-月") && res.body.string.contains("发放名册 · 2025-07"))
            }
            // A forged form changes nothing.
            try await app.testing().test(.POST, "/payroll/generate", headers: h, body: Self.form("", csrf: "forged")) { #expect($0.status == .forbidden) }
            try await app.testing().test(.GET, "/api/v1/payroll/530428/2025-07", headers: authHeaders) { #expect($0.status == .notFound) }

            try await app.testing().test(.POST, "/payroll/generate", headers: h, body: Self.form("")) { res async throws in
                let page = res.body.string
                #expect(res.status == .ok, "\(page)")
                #expect(page.contains("已生成 2025-07 发放名册（草稿）：共 1 笔，合计 ¥600.00"))
                #expect(page.contains("草稿") && page.contains("<td>\(township)</td>") && page.contains("<th class=\"n\">最低生活保障</th>"))
                #expect(page.contains("<td class=\"n\">¥600.00</td>"))
                #expect(page.contains("action=\"/payroll/confirm\"") && !page.contains("按发放类别"))
            }
            // The bank file waits for the confirmation: refused, with the reason.
            try await app.testing().test(.POST, "/payroll/export", headers: h, body: Self.form("format=csv")) { res async throws in
                #expect(res.status == .conflict && res.body.string.contains("尚未确认，确认后才能下载银行文件"))
            }
            try await app.testing().test(.POST, "/payroll/confirm", headers: h, body: Self.form("")) { res async throws in
                #expect(res.status == .ok && res.body.string.contains("已确认 2025-07 发放名册") && res.body.string.contains("action=\"/payroll/export\""))
            }
            try await app.testing().test(.POST, "/payroll/generate", headers: h, body: Self.form("")) { res async throws in
                #expect(res.status == .conflict && res.body.string.contains("已确认，不再重新生成；未作任何更改"))
            }
            var fromPage = "", fromAPI = ""
            try await app.testing().test(.POST, "/payroll/export", headers: h, body: Self.form("format=csv")) { res async throws in
                #expect(res.status == .ok && res.headers.first(name: .contentDisposition)?.contains("attachment; filename=\"payroll-530428-2025-07.csv\"") == true)
                fromPage = res.body.string
            }
            try await app.testing().test(.POST, "/payroll/export", headers: h, body: Self.form("format=xlsx")) { res async throws in
                #expect(res.status == .ok && Array(res.body.readableBytesView.prefix(2)) == [0x50, 0x4B])
            }
            try await app.testing().test(.POST, "/api/v1/payroll/530428/2025-07/export?format=csv", headers: authHeaders) { fromAPI = $0.body.string }
            #expect(fromPage == fromAPI && fromPage.contains("H1,李建国,"))
            try await app.testing().test(.GET, "/payroll?month=2025-07", headers: h) { #expect($0.body.string.contains("已导出")) }

            // The auditor reads the roll without forms; a township officer does not see it.
            let auditor = try await signIn(app, as: UserAccount(username: "sj", role: .auditor, division: try DivisionCode("530428")))
            try await app.testing().test(.GET, "/payroll?month=2025-07", headers: Self.headers(auditor)) { res async throws in
                let page = res.body.string
                #expect(res.status == .ok && page.contains("¥600.00") && page.contains("href=\"/payroll\""))
                #expect(!page.contains("action=\"/payroll/") && page.contains("名册由县民政局经办人员生成、确认和导出"))
            }
            try await app.testing().test(.POST, "/payroll/confirm", headers: Self.headers(auditor), body: Self.form("")) { #expect($0.status == .forbidden) }
            let officer = try await signIn(app, as: UserAccount(username: "xz", role: .townshipOfficer, division: PayrollAPITests.record.household.divisionCode))
            try await app.testing().test(.GET, "/payroll?month=2025-07", headers: Self.headers(officer)) { #expect($0.status == .forbidden) }
            try await app.testing().test(.GET, "/", headers: Self.headers(officer)) { #expect(!$0.body.string.contains("href=\"/payroll\"")) }
        }
    }
}
