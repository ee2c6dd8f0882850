import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
@testable import JiuzhuWeb
import Testing
import Vapor
import VaporTesting

/// Monitoring through real requests: a push received by the county, the chain stepped by the county
/// and the township, least privilege by place, the report as JSON, spreadsheet and page.
@Suite struct MonitoringAPITests {
    @Test func aPush_travelsDownTheChain_andEachLevelSeesOnlyItsOwn() async throws {
        let clock = MovableClock(Day(year: 2025, month: 7, day: 15)!)
        try await withJiuzhuApp(clock: clock) { app in
            try await Registry(db: app.db, actor: .system, now: { Fixtures.now }).create(Fixtures.record("H1"))
            let townships = Divisions.bundled.townships(in: try DivisionCode("530428")).map(\.code)
            let head = Fixtures.idNumber(born: "19600101", sequence: 11)
            let csv = "id_number,disability_grade,disability_kind\n\(head),1,physical\n"
            try await app.testing().test(.POST, "/api/v1/monitoring/pushes?department=%E6%AE%8B%E8%81%94&type=monthly&received_on=2025-07-01&file_name=cl.csv",
                                         headers: authHeaders, body: ByteBuffer(string: csv)) { res async throws in
                #expect(res.status == .created, "\(res.body.string)")
                let s = try res.decoded(PushSummary.self)
                #expect(s.push.warnings == 1 && s.warningsByGroup == ["disability": 1])
            }
            // A header with an unknown column: 422, the line and the column named.
            try await app.testing().test(.POST, "/api/v1/monitoring/pushes?department=%E6%AE%8B%E8%81%94", headers: authHeaders,
                                         body: ByteBuffer(string: "id_number,disability_grade,disability_kind,note\n")) { res async throws in
                #expect(res.status == .unprocessableEntity && res.body.string.contains("note"), "\(res.body.string)")
            }
            let mine = try await signIn(app, as: UserAccount(username: "xz1", role: .townshipOfficer, division: townships[0]))
            let other = try await signIn(app, as: UserAccount(username: "xz2", role: .townshipOfficer, division: townships[1]))
            func list(_ token: String) async throws -> [MonitoringWarning] {
                var out: [MonitoringWarning] = []
                try await app.testing().test(.GET, "/api/v1/monitoring/warnings", headers: ["Authorization": "Bearer \(token)"]) { out = try $0.decoded([MonitoringWarning].self) }
                return out
            }
            #expect(try await list(TestSession.token).count == 1)
            #expect(try await list(mine).isEmpty)   // not yet dispatched to the township
            // The township cannot visit before dispatch, nor route.
            try await app.testing().test(.POST, "/api/v1/monitoring/warnings/1/visit", headers: ["Authorization": "Bearer \(mine)", "Content-Type": "application/json"],
                                         body: ByteBuffer(string: #"{"visitor":"王","findings":"x"}"#)) { #expect($0.status == .notFound) }
            try await app.testing().test(.POST, "/api/v1/monitoring/warnings/1/send", headers: ["Authorization": "Bearer \(mine)", "Content-Type": "application/json"],
                                         body: ByteBuffer(string: "{}")) { #expect($0.status == .forbidden) }
            try await app.testing().test(.POST, "/api/v1/monitoring/warnings/1/dispatch", headers: jsonHeaders, body: ByteBuffer(string: #"{"on":"2025-07-02"}"#)) { res async throws in
                #expect(res.status == .conflict && res.body.string.contains("after the city sends it"), "\(res.body.string)")
            }
            try await app.testing().test(.POST, "/api/v1/monitoring/warnings/1/send", headers: jsonHeaders, body: ByteBuffer(string: #"{"on":"2025-07-02"}"#)) { #expect($0.status == .ok) }
            try await app.testing().test(.POST, "/api/v1/monitoring/warnings/1/dispatch", headers: jsonHeaders, body: ByteBuffer(string: #"{"on":"2025-07-03"}"#)) { res async throws in
                let w = try res.decoded(MonitoringWarning.self)
                let due = try WorkdayCalendar.bundled.adding(workdays: 10, to: Day(year: 2025, month: 7, day: 3)!)
                #expect(w.townshipCode == townships[0].digits && w.visitDue == due)
            }
            #expect(try await list(mine).map(\.id) == [1])
            #expect(try await list(other).isEmpty)
            try await app.testing().test(.POST, "/api/v1/monitoring/warnings/1/visit", headers: ["Authorization": "Bearer \(mine)", "Content-Type": "application/json"],
                                         body: ByteBuffer(string: #"{"on":"2025-07-10","visitor":"王干部","findings":"一级肢体残疾，无人照料"}"#)) { #expect($0.status == .ok) }
            try await app.testing().test(.POST, "/api/v1/monitoring/warnings/1/classify", headers: ["Authorization": "Bearer \(mine)", "Content-Type": "application/json"],
                                         body: ByteBuffer(string: #"{"on":"2025-07-11","outcome":"referral","programme":"disability_care"}"#)) { res async throws in
                #expect(res.status == .ok, "\(res.body.string)")
                let w = try res.decoded(MonitoringWarning.self)
                #expect(w.state == .closed && w.outcome == "referral" && w.outcomeRef?.hasPrefix("530428-2025-") == true)
            }
            try await app.testing().test(.GET, "/api/v1/monitoring/report?month=2025-07", headers: authHeaders) { res async throws in
                let r = try res.decoded(MonitoringReport.self)
                #expect(r.warningsOpened == 1 && r.outcomes == ["referral": 1] && r.steps[2].onTime == 1 && r.steps[2].onTimeRate == "100.0%")
            }
            try await app.testing().test(.GET, "/api/v1/monitoring/annual?year=2025&format=xlsx", headers: authHeaders) { res async throws in
                #expect(res.status == .ok && res.headers.contentType?.subType.contains("spreadsheetml") == true)
                #expect(Data(buffer: res.body).starts(with: [0x50, 0x4B]))
            }
            try await app.testing().test(.GET, "/api/v1/monitoring/annual?year=2025", headers: authHeaders) { res async throws in
                let r = try res.decoded(AnnualWorkReport.self)
                #expect(r.dueOn.description == "2026-01-15" && r.months.count == 12 && r.months[6].warningsOpened == 1 && r.total.warningsOpened == 1)
            }
        }
    }
}

/// The /monitoring and /hotline pages through real requests: a step refused with its reason and
/// then taken through the form; a call received and closed through the form.
@Suite struct MonitoringPagesTests {
    static func headers(_ session: String) -> HTTPHeaders {
        ["Cookie": "jiuzhu_session=\(session); jiuzhu_csrf=T", "Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"]
    }

    static func form(_ fields: [(String, String)]) -> ByteBuffer {
        ByteBuffer(string: fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
    }

    @Test func theMonitoringAndHotlinePages_takeStepsThroughTheirForms() async throws {
        let clock = MovableClock(Day(year: 2025, month: 7, day: 15)!)
        try await withJiuzhuApp(clock: clock) { app in
            try await Registry(db: app.db, actor: .system, now: { Fixtures.now }).create(Fixtures.record("H1"))
            let head = Fixtures.idNumber(born: "19600101", sequence: 11)
            _ = try await Monitoring(db: app.db, actor: .system, now: { clock.now })
                .push(from: .data(Data("id_number,disability_grade,disability_kind\n\(head),3,mental\n".utf8)), department: "残联", type: .monthly,
                      receivedOn: Day(year: 2025, month: 7, day: 15)!, fileName: "cl.csv")
            let session = TestSession.token
            try await app.testing().test(.GET, "/monitoring", headers: Self.headers(session)) { res async throws in
                let page = res.body.string
                #expect(res.status == .ok && page.contains("2025年7月监测报告") && page.contains("重度残疾人、三级精神智力残疾人"))
                #expect(page.contains("反馈至县 2025-07-18"))
            }
            try await app.testing().test(.POST, "/monitoring", headers: Self.headers(session),
                                         body: Self.form([("csrf", "T"), ("id", "1"), ("step", "visit"), ("on", "2025-07-15")])) { res async throws in
                #expect(res.status == .unprocessableEntity && res.body.string.contains("a home visit comes after dispatch to the township"))
            }
            try await app.testing().test(.POST, "/monitoring", headers: Self.headers(session),
                                         body: Self.form([("csrf", "T"), ("id", "1"), ("step", "send"), ("on", "2025-07-15")])) { res async throws in
                #expect(res.status == .ok && res.body.string.contains("预警 1：已反馈至县，下一环节 分发至乡镇 期限 2025-07-18"), "\(res.body.string.suffix(2000))")
            }
            let township = Divisions.bundled.townships(in: try DivisionCode("530428"))[0].code.digits
            var number = ""
            try await app.testing().test(.POST, "/hotline", headers: Self.headers(session),
                                         body: Self.form([("csrf", "T"), ("action", "receive"), ("kind", "help"), ("caller", "王某"), ("description", "家中失火"),
                                                          ("routed_to", township)])) { res async throws in
                let page = res.body.string
                #expect(res.status == .ok && page.contains("已受理工单 12349-530428-2025-00001（求助）") && page.contains("期限 2025-07-18"))
                number = "12349-530428-2025-00001"
            }
            try await app.testing().test(.POST, "/hotline", headers: Self.headers(session),
                                         body: Self.form([("csrf", "T"), ("action", "close"), ("number", number), ("resolution", "")])) { res async throws in
                #expect(res.status == .unprocessableEntity && res.body.string.contains("resolution"))
            }
            try await app.testing().test(.POST, "/hotline", headers: Self.headers(session),
                                         body: Self.form([("csrf", "T"), ("action", "close"), ("number", number), ("resolution", "已转介临时救助")])) { res async throws in
                #expect(res.status == .ok && res.body.string.contains("工单 \(number) 已办结（按时）"))
                #expect(res.body.string.contains("到期 1 件，按时办结 1 件") && res.body.string.contains("按期办结率 100.0%"))   // due in July, closed on time
            }
        }
    }
}
