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
