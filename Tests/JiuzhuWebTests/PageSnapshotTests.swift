import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import JiuzhuTestSupport
@testable import JiuzhuWeb
import Testing

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

    @Test func signIn() throws {
        try assertSnapshot(SignInPage.render(.init(username: "admin", error: "用户名或密码不正确。", csrf: "TOKEN")), "sign-in")
    }

    @Test func workbench() throws {
        var m = HomePage.makeModel([TownshipCount(code: "530428101", name: "因远镇", countyName: "元江哈尼族彝族傣族自治县", households: 1234, members: 4321)],
                                   context: Self.context)
        m.tasks = [HomePage.Task(number: "530428-2025-000001", household: "H1", programme: "最低生活保障", state: "调查核实中", due: "2025年7月18日",
                                 status: "due_soon", statusText: "即将到期")]
        try assertSnapshot(HomePage.render(m), "workbench")
    }

    @Test func householdSearch() throws {
        try assertSnapshot(HouseholdPages.renderSearch(.init(context: Self.context, query: "李", rows: [
            .init(id: "H1", head: "李建国", headID: "5304**********0117", members: 2, place: "云南省玉溪市元江哈尼族彝族傣族自治县因远镇"),
        ], total: 1)), "household-search")
    }

    @Test func householdFile() throws {
        let r = Fixtures.record("H1")
        let m = HouseholdPages.makeFile(Self.context, r, history: [], cases: [
            CaseSummary(number: "530428-2025-000001", householdID: "H1", programme: "dibao", state: "received", dueOn: "2025-07-18", version: 1)])
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
        try assertSnapshot(CasePages.renderCase(m), "case")
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
