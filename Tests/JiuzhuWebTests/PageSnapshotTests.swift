import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import JiuzhuTestSupport
@testable import JiuzhuWeb
import Testing
import Vapor
import VaporTesting

/// Every page rendered from a mock view model, compared with its recorded HTML in Snapshots/.
/// A missing snapshot is written and the test fails once; set JIUZHU_RECORD_SNAPSHOTS=1 to rewrite all.
@Suite struct PageSnapshotTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    static let context = PageContext(username: "xz", roleName: "乡镇民政干部", divisionName: "云南省玉溪市元江哈尼族彝族傣族自治县因远镇", csrf: "TOKEN")

    func assertSnapshot(_ html: String, _ name: String) throws {
        let file = Self.dir.appendingPathComponent("\(name).html")
        let record = ProcessInfo.processInfo.environment["JIUZHU_RECORD_SNAPSHOTS"] == "1"
        if record || !FileManager.default.fileExists(atPath: file.path) {
            try FileManager.default.createDirectory(at: Self.dir, withIntermediateDirectories: true)
            try html.write(to: file, atomically: true, encoding: .utf8)
            if !record { Issue.record("snapshot \(name) recorded: check it and run again") }
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(html == expected, "\(name) differs from Snapshots/\(name).html")
        // Every page is Chinese, and every form carries the token.
        #expect(html.contains("<html lang=\"zh\""))
        let forms = html.components(separatedBy: "<form method=\"post\"").count - 1
        let tokens = html.components(separatedBy: "name=\"csrf\"").count - 1
        #expect(tokens >= forms, "\(name): a post form without its token")
    }

    static let hotlineJSON = #"{"month":"2025-10","due":5,"closed_on_time":4,"closed_late":1,"open":0,"not_yet_due":0,"on_time_rate":"80.0%","by_kind":{"help":3,"enquiry":2}}"#

    @Test func monitoring() throws {
        let json = #"""
        {"from":"2025-10-01","through":"2025-10-31","warnings_opened":38,"by_group":{"medical_burden":36,"disability":2},"by_source":{"medical_costs":36,"disability":2},
         "pushes":[{"id":1,"kind":"medical_costs","department":"医保","push_type":"monthly","received_on":"2025-10-09","file_name":"yb-2025-10.csv","digest":"ab12",
                    "rows":1200,"signalled":40,"warnings":38,"already_open":2,"below_threshold":1160,"outside":0,"imported_by":"user:xj"}],
         "steps":[{"step":"send_to_county","due":38,"on_time":37,"late":1,"open":0,"not_yet_due":0},{"step":"dispatch","due":30,"on_time":30,"late":0,"open":0,"not_yet_due":0},
                  {"step":"visit","due":12,"on_time":10,"late":0,"open":1,"not_yet_due":1}],
         "townships":[{"code":"530428100","name":"澧江街道","visits":{"step":"visit","due":12,"on_time":10,"late":0,"open":1,"not_yet_due":1},"watch":3}],
         "outcomes":{"watch":3,"dibao":2},"watch_ledger":3,"repeat_visits":1,"escalations":1,"hotline":\#(Self.hotlineJSON)}
        """#
        let report = try JSONDecoder().decode(MonitoringReport.self, from: Data(json.utf8))
        let rows = [["7", "—", "530428196001010112", "已分发至乡镇", "入户核实 2025-10-28", "重病医疗费用个人负担较重", "2025年医疗费用个人负担¥45,000.00，达到¥40,000.00（依据：龙政办〔2021〕65号 附件《龙岩市社会救助监测预警机制》一、二）"]]
        let tickets = [["12349-530428-2025-00003", "求助", "530428100", "2025-10-13（逾期）", "已升级 2025-10-14", "家中失火"]]
        let m = MonitoringPages.Model(context: Self.context, month: Month(year: 2025, month: 10)!, report: report, warnings: rows, overdue: 1, tickets: tickets,
                                      mayRoute: false, mayVisit: true, result: "预警 6：已入户核实")
        try assertSnapshot(MonitoringPages.render(m), "monitoring")
    }

    @Test func hotline() throws {
        let report = try JSONDecoder().decode(HotlineReport.self, from: Data(Self.hotlineJSON.utf8))
        let rows = [["12349-530428-2025-00003", "求助", "2025-10-09", "530428100", "2025-10-13", "逾期未办结", "已升级至县 2025-10-14", "家中失火", ""],
                    ["12349-530428-2025-00004", "咨询", "2025-10-10", "县民政局", "2025-10-11", "已办结 2025-10-11", "", "临时救助怎么申请", "已电话答复"]]
        let m = HotlinePages.Model(context: Self.context, report: report, rows: rows, townships: [("530428100", "澧江街道")], mayReceive: true,
                                   refusal: "未办理：description：must say what the call is about")
        try assertSnapshot(HotlinePages.render(m), "hotline")
    }

    @Test func signIn() throws {
        try assertSnapshot(SignInPage.render(.init(username: "admin", error: "用户名或密码不正确。", csrf: "TOKEN")), "sign-in")
    }

    @Test func workbench() throws {
        var m = HomePage.makeModel([TownshipCount(code: "530428101", name: "因远镇", countyName: "元江哈尼族彝族傣族自治县", households: 1234, members: 4321)],
                                   context: Self.context)
        m.tasks = [HomePage.Task(number: "530428-2025-000001", household: "H1", programme: "最低生活保障", state: "调查核实中", due: "2025年7月18日",
                                 status: "due_soon", statusText: "即将到期")]
        m.recent = [["2025年7月16日", "xz", "启动调查", "530428-2025-000001"]]
        try assertSnapshot(HomePage.render(m), "workbench")
    }

    @Test func householdSearch() throws {
        try assertSnapshot(HouseholdPages.renderSearch(.init(context: Self.context, query: "李", rows: [
            .init(id: "H1", head: "李建国", headID: "5304**********0117", members: 2, place: "云南省玉溪市元江哈尼族彝族傣族自治县因远镇"),
        ], total: 1)), "household-search")
    }

    @Test func householdFile() throws {
        let r = Fixtures.record("H1")
        var m = HouseholdPages.makeFile(Self.context, r, history: [], cases: [
            CaseSummary(number: "530428-2025-000001", householdID: "H1", programme: "dibao", state: "received", dueOn: "2025-07-18", version: 1)])
        m.thisMonth = "2025-07 按登记信息测算：最低生活保障（整户），每月 ¥1,035.00"
        m.flags = [["高", "王秀英已于 2025-06-20 死亡：三个月内复核，增发、减发或停发", "第 2 行：date_of_death=2025-06-20，name=王秀英"]]
        try assertSnapshot(HouseholdPages.renderFile(m), "household-file")
    }

    @Test func householdRegistration_withFieldErrors() throws {
        try assertSnapshot(HouseholdPages.renderNew(.init(context: Self.context, values: ["household_id": "H9", "division_code": "5304", "m0_name": "张三",
                                                                                         "m0_id_number": "123", "m0_relation": "head"],
                                                          errors: ["division_code": "区划代码应为6、9或12位数字", "m0_id_number": "身份证号有误：length"],
                                                          message: "请更正标记的项目。")), "household-new")
    }

    @Test func intake() throws {
        try assertSnapshot(CasePages.renderIntake(.init(context: Self.context, householdID: "H1",
                                                        members: [["530428196001010117", "李建国（户主）"], ["530428196203020224", "王秀英（配偶）"]],
                                                        values: ["programme": "dibao", "material_application": "on"], error: nil)), "intake")
    }

    @Test func casePage() throws {
        let m = CasePages.CaseModel(
            context: Self.context, number: "530428-2025-000001", version: 3, household: "H1", programme: "最低生活保障", state: "调查核实中",
            receivedOn: "2025年7月15日", receivedBy: "xz", assessmentText: "结论：最低生活保障（整户），每月 ¥1,000.00",
            notice: "一次性告知书：尚需补齐以下材料：1. 残疾人证", deadlines: [["启动家庭经济状况调查", "2025年7月18日", "met", "按时完成", "民发〔2021〕57号 第十五条"]],
            referrals: [["医疗救助（低保对象）", "县医疗保障局", "2025-07-29", "已转办", ""]],
            timeline: [["2025年7月15日", "xz", "受理", "已受理"], ["2025年7月16日", "xz", "启动调查", "调查核实中"]],
            actions: ["record_home_visit", "record_check", "provide_materials", "propose", "withdraw"], missing: [("disability_certificate", "残疾人证")], error: nil)
        var withRecords = m
        withRecords.records = [["入户调查", "2025年7月16日", "调查人员：李明、张华；家中无劳动力"], ["信息核对", "县公安局", "户籍人口一致"]]
        try assertSnapshot(CasePages.renderCase(withRecords), "case")
    }

    @Test func caseList() throws {
        try assertSnapshot(CasePages.renderList(Self.context, rows: [["530428-2025-000001", "H1", "最低生活保障", "已受理", "2025-07-18"]], state: nil), "case-list")
    }

    @Test func printableNotice() throws {
        try assertSnapshot(CasePages.renderNotice(.init(bureau: "元江哈尼族彝族傣族自治县民政局", applicant: "5304**********0117", number: "530428-2025-000001",
                                                        text: "一次性告知书：尚需补齐以下材料：1. 残疾人证", date: "2025年7月15日")), "notice")
    }

    @Test func errorPage() throws {
        try assertSnapshot(ErrorPage.render(status: .notFound, body: ErrorBody(error: "not_found", message: "household H9 not found", problems: [])), "error")
    }
}

extension PageSnapshotTests {
    @Test func policyPack() throws {
        let pack = try Packs.bundled.pack(id: "530428")
        var m = PolicyPages.makePack(Self.context, pack, today: Day(year: 2025, month: 7, day: 15)!)
        m = PolicyPages.PackModel(context: m.context, id: m.id, name: m.name, rows: Array(m.rows.prefix(3)))
        try assertSnapshot(PolicyPages.renderPack(m), "policy-pack")
    }

    @Test func whatIfWithChart() throws {
        let m = PolicyPages.WhatIfModel(context: Self.context, pack: "530428", month: "2025-07", changes: ["S_rural=60000"], error: nil, households: 2000,
                                        byProgramme: [["最低生活保障（整户）", "12", "0", "¥3,456.00"]], byTownship: [["因远镇", "3", "0", "¥800.00"]],
                                        chart: SVGChart.bars(title: "各乡镇每月支出变化（元）", items: [("因远镇", 80000, "¥800.00"), ("曼来镇", -20000, "-¥200.00")]),
                                        total: "¥600.00")
        try assertSnapshot(PolicyPages.renderWhatIf(m), "policy-whatif")
    }

    @Test func statistics() throws {
        let m = StatisticsPages.Model(context: Self.context, month: "2025-07", rows: [["因远镇", "1", "¥900.00", "10", "¥5,000.00", "2", "¥1,000.00", "30"]],
                                      totals: ["合计", "1", "¥900.00", "10", "¥5,000.00", "2", "¥1,000.00", "30"],
                                      byProgramme: [("特困人员救助供养", 1), ("最低生活保障（整户）", 10)], cases: [("已受理", 2)],
                                      deadlines: (met: 3, late: 1, open: 2, overdue: 1))
        try assertSnapshot(StatisticsPages.render(m), "statistics")
    }

    @Test func adminUsers() throws {
        var m = AdminPages.Model(context: Self.context, users: [["admin", "县级系统管理员", "云南省玉溪市元江哈尼族彝族傣族自治县", "", "启用"]],
                                 values: ["username": "li si", "role": "township_officer"], errors: ["username": "不符合规则：must be 1–64 letters"],
                                 message: "请更正标记的项目。")
        m.divisions = [["530428101", "因远镇"]]
        try assertSnapshot(AdminPages.render(m), "admin-users")
    }
}

@Suite struct ExportTests {
    @Test func crc32_isTheStandardOne() {
        #expect(Zip.crc32(Data("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func xlsx_isAZipWithTheSheetAndChineseIntact() {
        let data = XLSX.workbook(sheet: "统计", rows: [[.text("乡镇"), .text("户数")], [.text("因远镇"), .number(12)]])
        #expect(data.prefix(2) == Data("PK".utf8))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("[Content_Types].xml") && text.contains("xl/worksheets/sheet1.xml"))
        #expect(text.contains("<t>因远镇</t>") && text.contains("<v>12</v>"))
        // The end-of-central-directory record names five entries.
        let end = data.suffix(22)
        #expect(end.prefix(4) == Data([0x50, 0x4b, 0x05, 0x06]) && end[end.startIndex + 10] == 5)
    }
}

@Suite struct WorkspacePagesTests {
    @Test func policyStatisticsAndAdmin_forTheSignedInUser() async throws {
        try await withJiuzhuApp(demo: true) { app in
            let cookie: HTTPHeaders = ["Cookie": "jiuzhu_session=\(TestSession.token)"]
            try await app.testing().test(.GET, "/policy/530428", headers: cookie) { res async throws in
                #expect(res.status == .ok && res.body.string.contains("待核定") && res.body.string.contains("S_rural"))
            }
            try await app.testing().test(.GET, "/policy/530428/whatif?month=2025-07&set=S_rural=60000", headers: cookie) { res async throws in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("<svg") && res.body.string.contains("各乡镇每月支出变化"))
                #expect(res.body.string.contains("本辖区 2,000 户"))
            }
            try await app.testing().test(.GET, "/policy/530428/whatif?month=2025-07&set=S_rural=lots", headers: cookie) { res async throws in
                #expect(res.body.string.contains("参数调整有误"))
            }
            try await app.testing().test(.GET, "/statistics?month=2025-07", headers: cookie) { res async throws in
                #expect(res.status == .ok && res.body.string.contains("<svg") && res.body.string.contains("合计"))
            }
            try await app.testing().test(.GET, "/statistics.csv?month=2025-07", headers: cookie) { res async throws in
                #expect(res.headers.contentType?.subType == "csv")
                let lines = res.body.string.split(separator: "\r\n")
                #expect(lines.first?.contains("dibao_fen") == true && lines.count >= 9)
            }
            try await app.testing().test(.GET, "/statistics.xlsx?month=2025-07", headers: cookie) { res async throws in
                #expect(Data(buffer: res.body).prefix(2) == Data("PK".utf8))
            }
            try await app.testing().test(.GET, "/admin/users", headers: cookie) { res async throws in
                #expect(res.status == .ok && res.body.string.contains("tester"))
            }
            let township = try await signIn(app, as: UserAccount(username: "xz", role: .townshipOfficer,
                                                                  division: Divisions.bundled.townships(in: try DivisionCode("530428"))[0].code))
            try await app.testing().test(.GET, "/admin/users", headers: ["Cookie": "jiuzhu_session=\(township)", "Accept": "text/html"]) {
                #expect($0.status == .forbidden)
            }
            // A form post without its token changes nothing.
            try await app.testing().test(.POST, "/admin/users", headers: ["Cookie": "jiuzhu_session=\(TestSession.token)", "Content-Type": "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "username=new.user&role=auditor&division_code=530428&password=a-long-password")) {
                #expect($0.status == .forbidden)
            }
        }
    }
}

extension PageSnapshotTests {
    @Test func householdEdit() throws {
        try assertSnapshot(HouseholdPages.renderNew(HouseholdPages.editModel(Self.context, Fixtures.record("H1"), today: Day(year: 2025, month: 7, day: 15)!)),
                           "household-edit")
    }
}

@Suite struct HouseholdEditPageTests {
    /// A dated change through the page keeps every fact the form does not show, and is in the history.
    @Test func editingKeepsTheHiddenFacts_andIsDated() async throws {
        try await withJiuzhuApp { app in
            var record = Fixtures.record()   // the spouse has a grade-2 physical disability
            record.members[0].veteranDisabilityGrade = 5   // which the form does not show
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(record)) { #expect($0.status == .created) }
            var fields = ["csrf": "T", "rows": "3", "division_code": record.household.divisionCode.digits, "hukou_type": "rural", "deposits": "5000",
                          "houses": "1", "effective": "2025-07-01", "kind": "correction"]
            for (i, m) in record.members.enumerated() {
                fields["m\(i)_name"] = m.name
                fields["m\(i)_id_number"] = m.idNumber.value
                fields["m\(i)_relation"] = m.relation.rawValue
                fields["m\(i)_income"] = i == 0 ? "450" : "0"
                fields["m\(i)_disability_kind"] = m.disabilityKind.rawValue
                fields["m\(i)_disability_grade"] = String(m.disabilityGrade)
            }
            func post(_ f: [String: String]) -> ByteBuffer {
                ByteBuffer(string: f.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
            }
            let h: HTTPHeaders = ["Cookie": "jiuzhu_session=\(TestSession.token); jiuzhu_csrf=T", "Content-Type": "application/x-www-form-urlencoded"]
            var bad = fields
            bad["effective"] = "someday"
            try await app.testing().test(.POST, "/households/H1/edit", headers: h, body: post(bad)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("请填写生效日期") && res.body.string.contains("value=\"450\""))
            }
            try await app.testing().test(.POST, "/households/H1/edit", headers: h, body: post(fields)) { #expect($0.status == .seeOther) }
            try await app.testing().test(.GET, "/api/v1/households/H1", headers: authHeaders) { res async throws in
                let now = try res.decoded(HouseholdRecord.self)
                #expect(now.members[0].monthlyIncome == 45000)
                #expect(now.members[1].disabilityGrade == 2 && now.members[1].disabilityKind == .physical)
                #expect(now.members[0].veteranDisabilityGrade == 5)
            }
            try await app.testing().test(.GET, "/api/v1/households/H1/history", headers: authHeaders) { res async throws in
                #expect(try res.decoded([HouseholdVersion].self).map(\.kind) == [.registration, .correction])
            }
        }
    }
}

extension PageSnapshotTests {
    @Test func printableDocuments() throws {
        try assertSnapshot(CasePages.renderDocument(.init(title: "最低生活保障不予确认通知书", bureau: "元江哈尼族彝族傣族自治县民政局",
                                                          paragraphs: ["李建国：", "理由：家庭人均收入高于低保标准。", "如对本决定不服，可以依法申请行政复议。"],
                                                          date: "2025年10月10日")), "refusal-letter")
    }

    @Test func publicNoticeNames_areMasked() {
        #expect(CasePages.maskedName("李建国") == "李*国")
        #expect(CasePages.maskedName("王芳") == "王*")
        #expect(CasePages.maskedName("欧阳小明") == "欧**明")
    }
}

extension PageSnapshotTests {
    @Test func referralsForALiaison() throws {
        let m = ReferralPages.Model(context: Self.context, rows: [
            .init(number: "530428-2025-000001-01", caseNumber: "530428-2025-000001", title: "医疗救助（低保对象）", department: "县医疗保障局",
                  reason: "低保家庭成员属医疗救助第二类对象（李建国、王秀英）", due: "2025-07-29", status: "open", statusText: "未到期", state: "待受理",
                  outcome: "", version: 1),
        ], works: true, error: nil)
        try assertSnapshot(ReferralPages.render(m), "referrals")
    }
}

@Suite struct ReferralPageTests {
    @Test func aLiaisonCompletesAReferralOnThePage() async throws {
        try await withJiuzhuApp { app in
            let record = Fixtures.record()
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(record)) { #expect($0.status == .created) }
            let intake = #"{"household_id":"H1","programme":"dibao","applicant_id_number":"\#(record.members[0].idNumber.value)"}"#
            try await app.testing().test(.POST, "/api/v1/cases", headers: jsonHeaders, body: ByteBuffer(string: intake)) { #expect($0.status == .created) }
            let yb = try await signIn(app, as: UserAccount(username: "yb", role: .departmentLiaison, division: try DivisionCode("530428"), department: "medical_security"))
            let h: HTTPHeaders = ["Cookie": "jiuzhu_session=\(yb); jiuzhu_csrf=T", "Content-Type": "application/x-www-form-urlencoded"]
            var number = ""
            try await app.testing().test(.GET, "/referrals", headers: h) { res async throws in
                #expect(res.status == .ok && res.body.string.contains("医疗救助") && !res.body.string.contains("教育救助"))
                number = res.body.string.components(separatedBy: "action=\"/referrals/").dropFirst().first?.components(separatedBy: "/act").first ?? ""
            }
            try await app.testing().test(.POST, "/referrals/\(number)/act", headers: h, body: ByteBuffer(string: "csrf=T&action=complete&version=1&text=")) { res async throws in
                #expect(res.status == .unprocessableEntity && res.body.string.contains("error"))
            }
            try await app.testing().test(.POST, "/referrals/\(number)/act", headers: h,
                                         body: ByteBuffer(string: "csrf=T&action=complete&version=1&text=%E5%B7%B2%E8%B5%84%E5%8A%A9%E5%8F%82%E4%BF%9D")) {
                #expect($0.status == .seeOther)
            }
            try await app.testing().test(.GET, "/referrals", headers: h) { res async throws in
                #expect(res.body.string.contains("已资助参保") && res.body.string.contains("已办结"))
            }
        }
    }
}

@Suite struct CircumstancesPageTests {
    static let record = Fixtures.record()
    static var rich: Circumstances {
        let head = record.members[0].idNumber, spouse = record.members[1].idNumber
        return Circumstances(members: [
            MemberCircumstances(idNumber: head, incomes: [IncomeItem(.wage, fen: 120000), IncomeItem(.basicPension, fen: 15050)],
                                rigidCosts: [RigidCost(.medical, fen: 30000)], conditions: [.mdrTuberculosis],
                                supporters: [Supporter(name: "", age: 72, status: [.dibao], incomeBelowReference: true, assetsWithinLowIncomeRule: true)],
                                selfCareUnable: [.bathing, .dressing]),
            MemberCircumstances(idNumber: spouse, residence: .religiousApart, yearsApart: 4, school: .none, supporters: []),
        ], previous: PreviousBenefit(programme: "dibao", benefitFen: 52000, exitMonthsPaid: 2, riseFromWork: true),
           disaster: DisasterDamage(house: .damaged, displacedPeople: 2), recentDeath: true)
    }

    /// What the form shows of a set of circumstances reads back as the same circumstances.
    @Test func theFormRoundTrips() throws {
        let v = CircumstancesPage.values(Self.rich, members: Self.record.members, from: Month(year: 2025, month: 7)!)
        var f = v
        f["m0_assessed"] = "on"
        guard case .success(let (month, back)) = CircumstancesPage.parse(f, members: Self.record.members) else { Issue.record("did not parse"); return }
        #expect(month == Month(year: 2025, month: 7)!)
        #expect(back == Self.rich)
        var bad = v
        bad["m0_income_wage"] = "lots"
        guard case .failure(let e) = CircumstancesPage.parse(bad, members: Self.record.members) else { Issue.record("expected an error"); return }
        #expect(e.message.contains("lots"))
    }

    @Test func snapshot() throws {
        let m = CircumstancesPage.Model(context: PageSnapshotTests.context, householdID: "H1", members: CircumstancesPage.names(Self.record),
                                        versions: [["2025-07", "user:xz", "2025年7月15日"]],
                                        values: CircumstancesPage.values(Self.rich, members: Self.record.members, from: Month(year: 2025, month: 7)!), error: nil)
        try PageSnapshotTests().assertSnapshot(CircumstancesPage.render(m), "circumstances")
    }

    @Test func savingThroughThePage_changesTheEvaluation() async throws {
        try await withJiuzhuApp { app in
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(Self.record)) { #expect($0.status == .created) }
            let h: HTTPHeaders = ["Cookie": "jiuzhu_session=\(TestSession.token); jiuzhu_csrf=T", "Content-Type": "application/x-www-form-urlencoded"]
            // The head's 300 yuan is a basic pension: not counted in 2025.
            try await app.testing().test(.POST, "/households/H1/circumstances", headers: h,
                                         body: ByteBuffer(string: "csrf=T&from=2025-07&m0_income_basic_pension=300")) { #expect($0.status == .seeOther) }
            try await app.testing().test(.GET, "/api/v1/households/H1/evaluation?month=2025-07", headers: authHeaders) { res async throws in
                #expect(try res.decoded(Evaluation.self).figures.netFen == 0)
            }
            try await app.testing().test(.POST, "/households/H1/circumstances", headers: h,
                                         body: ByteBuffer(string: "csrf=T&from=July&m0_income_basic_pension=300")) { res async throws in
                #expect(res.status == .unprocessableEntity && res.body.string.contains("请填写起始月份"))
            }
        }
    }
}

extension PageSnapshotTests {
    @Test func policyList() throws {
        try assertSnapshot(PolicyPages.renderList(.init(context: Self.context, packs: [["530428", "元江县社会救助政策参数", "530428"]])), "policy-list")
    }
}

@Suite struct FlagsOnTheHouseholdPageTests {
    @Test func aFlagAndItsEvidence_showOnTheHouseholdPage() async throws {
        try await withJiuzhuApp { app in
            let record = Fixtures.record()
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(record)) { #expect($0.status == .created) }
            _ = try await Verification(db: app.db, actor: .system, now: { Fixtures.now })
                .importFeed(Data("id_number,name,date_of_death\n\(record.members[1].idNumber.value),王秀英,2025-06-20\n".utf8), department: "公安",
                            asOf: Day(year: 2025, month: 7, day: 1)!, fileName: "deaths.csv")
            try await app.testing().test(.GET, "/households/H1", headers: ["Cookie": "jiuzhu_session=\(TestSession.token)"]) { res async throws in
                #expect(res.body.string.contains("核对预警") && res.body.string.contains("已于 2025-06-20 死亡") && res.body.string.contains("第 2 行"))
            }
        }
    }
}
