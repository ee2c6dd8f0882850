import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
@testable import JiuzhuWeb
import Testing
import Vapor
import VaporTesting

/// The scripted walk of the casework issue, through the API: sign in, register a household, apply
/// for dibao, investigate, notice, decide, enrol — on SQLite and on PostgreSQL.
@Suite struct CaseAPITests {
    static let township = Divisions.bundled.townships(in: try! DivisionCode("530428"))[0].code

    struct Step {
        let app: Application
        let token: String
        var headers: HTTPHeaders { ["Authorization": "Bearer \(token)", "Content-Type": "application/json"] }

        /// Posts an action at the case's current version and returns the case after it (or the error body).
        @discardableResult
        func act(_ number: String, _ fields: String, expect status: HTTPStatus = .ok) async throws -> CaseView? {
            var version = 0
            try await app.testing().test(.GET, "/api/v1/cases/\(number)", headers: headers, afterResponse: { (res: TestingHTTPResponse) async throws in
                version = try res.decoded(CaseView.self).file.version
            })
            var out: CaseView?
            try await app.testing().test(.POST, "/api/v1/cases/\(number)/actions", headers: headers,
                                         body: ByteBuffer(string: #"{"version":\#(version),\#(fields)}"#), afterResponse: { (res: TestingHTTPResponse) async throws in
                #expect(res.status == status, "\(fields): \(res.body.string)")
                if res.status == .ok { out = try res.decoded(CaseView.self) }
            })
            return out
        }
    }

    @Test func theScriptedWalk_signInRegisterApplyInvestigateNoticeDecideEnrol() async throws {
        let clock = MovableClock()
        try await withJiuzhuApp(clock: clock) { app in
            let xzUser = UserAccount(username: "xz", role: .townshipOfficer, division: Self.township)
            let xjUser = UserAccount(username: "xj", role: .countyOfficer, division: try DivisionCode("530428"))
            var xz = Step(app: app, token: try await signIn(app, as: xzUser))
            var xj = Step(app: app, token: try await signIn(app, as: xjUser))
            let record = Fixtures.record("H1", township: Self.township.digits)
            try await app.testing().test(.POST, "/api/v1/households", headers: xz.headers, body: try jsonBody(record)) { #expect($0.status == .created) }
            let intake = #"{"household_id":"H1","programme":"dibao","applicant_id_number":"\#(record.members[0].idNumber.value)","consent_to_verification":true,"materials_provided":["application","id_documents","income_assets_statement","declaration"]}"#
            var number = ""
            try await app.testing().test(.POST, "/api/v1/cases", headers: xz.headers, body: ByteBuffer(string: intake)) { res async throws in
                #expect(res.status == .created)
                let v = try res.decoded(CaseView.self)
                number = v.file.number
                #expect(res.headers.first(name: .location) == "/api/v1/cases/\(number)")
                #expect(v.file.assessment.referrals.contains { $0.programme == "medical" })
                #expect(v.oneTimeNotice?.contains("残疾人证") == true)
                let object = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any]
                #expect(object["one_time_notice"] != nil && (object["file"] as! [String: Any])["received_on"] as? String == "2025-07-15")
            }
            try await xz.act(number, #""action":"decide","approve":true"#, expect: .forbidden)   // the county decides in 元江
            try await xj.act(number, #""action":"decide","approve":true"#, expect: .conflict)   // and not yet
            try await xz.act(number, #""action":"start_investigation""#)
            try await xz.act(number, #""action":"record_home_visit","on":"2025-07-15","investigators":["李明"]"#, expect: .unprocessableEntity)
            try await xz.act(number, #""action":"record_home_visit","on":"2025-07-15","investigators":["李明","张华"],"findings":"属实""#)
            try await xz.act(number, #""action":"record_check","department":"县人社局","finding":"无社保缴费记录""#)
            try await xz.act(number, #""action":"provide_materials","materials":["disability_certificate"]"#)
            try await xz.act(number, #""action":"propose","eligible":true,"reason":"人均收入低于低保标准""#)
            try await xz.act(number, #""action":"start_public_notice","from":"2025-07-08""#, expect: .unprocessableEntity)
            let noticed = try await xz.act(number, #""action":"start_public_notice","from":"2025-07-15""#)
            #expect(noticed?.file.state == .publicNotice)
            // Still 2025-07-15: the notice runs to 07-21, so it cannot close yet.
            try await xz.act(number, #""action":"close_public_notice""#, expect: .unprocessableEntity)
            clock.set(Day(year: 2025, month: 7, day: 22)!)
            // A week later yesterday's sessions (12 hours) have ended: sign in again.
            try await app.testing().test(.GET, "/api/v1/cases/\(number)", headers: xz.headers) { #expect($0.status == .unauthorized) }
            xz = Step(app: app, token: try await signIn(app, as: xzUser))
            xj = Step(app: app, token: try await signIn(app, as: xjUser))
            let closed = try await xz.act(number, #""action":"close_public_notice""#)
            #expect(closed?.file.state == .awaitingDecision)
            #expect(closed?.deadlines.contains { $0.deadline.key == "decision" && $0.status == "open" } == true)
            // In 元江 the county decides.
            try await xz.act(number, #""action":"decide","approve":true"#, expect: .forbidden)
            let enrolled = try await xj.act(number, #""action":"decide","approve":true,"reasons":"符合条件""#)
            #expect(enrolled?.file.state == .enrolled)
            #expect(enrolled?.file.decision?.benefitFrom == Month(year: 2025, month: 8)!)
            // The case page shows the file's records and what the decision rests on.
            try await app.testing().test(.GET, "/cases/\(number)", headers: ["Cookie": "jiuzhu_session=\(xz.token)"]) { res async throws in
                let html = res.body.string
                #expect(html.contains("入户调查") && html.contains("张华、李明") && html.contains("县人社局") && html.contains("无异议"))
                #expect(html.contains("审核确认：纳入") && html.contains("决定依据（作出决定时的测算）"))
            }
            // The printable public-notice sheet and decision letter.
            try await app.testing().test(.GET, "/cases/\(number)/public-notice", headers: ["Cookie": "jiuzhu_session=\(xz.token)"]) { res async throws in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("最低生活保障初审结果公示") && res.body.string.contains("李*国") && !res.body.string.contains("李建国"))
                #expect(res.body.string.contains("2025年7月15日 至 2025年7月21日（7 天）"))
            }
            try await app.testing().test(.GET, "/cases/\(number)/decision", headers: ["Cookie": "jiuzhu_session=\(xz.token)"]) { res async throws in
                #expect(res.body.string.contains("最低生活保障审核确认决定书") && res.body.string.contains("自 2025年8月 起按月发放"))
            }
            #expect(enrolled?.timeline.map(\.action) == ["receive", "start_investigation", "record_home_visit", "record_check", "provide_materials",
                                                        "propose", "start_public_notice", "close_public_notice", "decide"])
            try await xz.act(number, #""action":"fly""#, expect: .unprocessableEntity)
            // A stale version is a conflict that names both versions.
            try await app.testing().test(.POST, "/api/v1/cases/\(number)/actions", headers: xz.headers,
                                         body: ByteBuffer(string: #"{"version":1,"action":"record_objection","objection":"x"}"#)) { res async throws in
                #expect(res.status == .conflict)
                #expect(try res.decoded(ErrorBody.self).problems.first?.field == "version")
            }
            try await app.testing().test(.GET, "/api/v1/cases?state=enrolled", headers: xj.headers) { res async throws in
                #expect(try res.decoded([CaseSummary].self).map(\.number) == [number])
            }
            // Another township's officer: no such case.
            let other = Step(app: app, token: try await signIn(app, as: UserAccount(username: "xz2", role: .townshipOfficer,
                                                                                    division: Divisions.bundled.townships(in: try DivisionCode("530428"))[1].code)))
            try await app.testing().test(.GET, "/api/v1/cases/\(number)", headers: other.headers) { #expect($0.status == .notFound) }
            try await app.testing().test(.GET, "/api/v1/cases", headers: other.headers) { res async throws in
                #expect(try res.decoded([CaseSummary].self).isEmpty)
            }
        }
    }
}

@Suite struct ReferralAPITests {
    /// The window sends each specialised programme to its department; that department's liaison
    /// sees only its own, works it, and the outcome is back on the case.
    @Test func referralsGoToTheirDepartment_andTheOutcomeComesBackToTheCase() async throws {
        try await withJiuzhuApp { app in
            let township = Divisions.bundled.townships(in: try DivisionCode("530428"))[0].code
            let xz = try await signIn(app, as: UserAccount(username: "xz", role: .townshipOfficer, division: township))
            let yb = try await signIn(app, as: UserAccount(username: "yb", role: .departmentLiaison, division: try DivisionCode("530428"), department: "medical_security"))
            let jy = try await signIn(app, as: UserAccount(username: "jy", role: .departmentLiaison, division: try DivisionCode("530428"), department: "education"))
            func h(_ t: String) -> HTTPHeaders { ["Authorization": "Bearer \(t)", "Content-Type": "application/json"] }
            let record = Fixtures.record("H1", township: township.digits)
            try await app.testing().test(.POST, "/api/v1/households", headers: h(xz), body: try jsonBody(record)) { #expect($0.status == .created) }
            var number = ""
            let intake = #"{"household_id":"H1","programme":"dibao","applicant_id_number":"\#(record.members[0].idNumber.value)"}"#
            try await app.testing().test(.POST, "/api/v1/cases", headers: h(xz), body: ByteBuffer(string: intake)) { res async throws in
                let v = try res.decoded(CaseView.self)
                number = v.file.number
                #expect(v.referrals.map(\.department) == v.file.assessment.referrals.map { Department.receiving($0.programme).rawValue })
                #expect(v.referrals.allSatisfy { $0.state == "sent" && $0.dueOn == "2025-07-29" })   // + 10 working days
            }
            var medical: StoredReferral?
            try await app.testing().test(.GET, "/api/v1/referrals", headers: h(yb)) { res async throws in
                let list = try res.decoded([ReferralView].self)
                #expect(!list.isEmpty && list.allSatisfy { $0.referral.department == "medical_security" })
                #expect(list.allSatisfy { $0.status == "open" })
                medical = list.first?.referral
            }
            let m = try #require(medical)
            // The liaison does not read case files, and the education liaison sees no medical referral.
            try await app.testing().test(.GET, "/api/v1/cases/\(number)", headers: h(yb)) { #expect($0.status == .forbidden) }
            try await app.testing().test(.GET, "/api/v1/referrals", headers: h(jy)) { res async throws in
                #expect(try res.decoded([ReferralView].self).allSatisfy { $0.referral.department == "education" })
            }
            try await app.testing().test(.POST, "/api/v1/referrals/\(m.number)/actions", headers: h(jy),
                                         body: ByteBuffer(string: #"{"action":"accept","version":1}"#)) { #expect($0.status == .notFound) }
            try await app.testing().test(.POST, "/api/v1/referrals/\(m.number)/actions", headers: h(xz),
                                         body: ByteBuffer(string: #"{"action":"accept","version":1}"#)) { #expect($0.status == .forbidden) }
            try await app.testing().test(.POST, "/api/v1/referrals/\(m.number)/actions", headers: h(yb),
                                         body: ByteBuffer(string: #"{"action":"accept","version":1}"#)) { #expect($0.status == .ok) }
            try await app.testing().test(.POST, "/api/v1/referrals/\(m.number)/actions", headers: h(yb),
                                         body: ByteBuffer(string: #"{"action":"complete","version":2,"outcome":" "}"#)) { #expect($0.status == .unprocessableEntity) }
            try await app.testing().test(.POST, "/api/v1/referrals/\(m.number)/actions", headers: h(yb),
                                         body: ByteBuffer(string: #"{"action":"complete","version":2,"outcome":"已纳入医疗救助第二类对象，资助参保"}"#)) { res async throws in
                #expect(try res.decoded(StoredReferral.self).state == "done")
            }
            try await app.testing().test(.GET, "/api/v1/cases/\(number)", headers: h(xz)) { res async throws in
                let done = try res.decoded(CaseView.self).referrals.first { $0.number == m.number }
                #expect(done?.state == "done" && done?.outcome == "已纳入医疗救助第二类对象，资助参保")
            }
        }
    }
}

@Suite struct TemporaryAPITests {
    /// The emergency case of the scripted walk: received, paid first from the township's reserve, the file completed.
    @Test func anEmergency_isPaidFirst_throughTheAPI() async throws {
        try await withJiuzhuApp { app in
            let township = Divisions.bundled.townships(in: try DivisionCode("530428"))[0].code
            let xz = try await signIn(app, as: UserAccount(username: "xz", role: .townshipOfficer, division: township))
            let h: HTTPHeaders = ["Authorization": "Bearer \(xz)", "Content-Type": "application/json"]
            let record = Fixtures.record("H1", township: township.digits)
            try await app.testing().test(.POST, "/api/v1/households", headers: h, body: try jsonBody(record)) { #expect($0.status == .created) }
            let request = #"{"household_id":"H1","applicant_id_number":"\#(record.members[0].idNumber.value)","kind":"emergency","place_of_need":"\#(township.digits)","cause":"火灾","people":2,"need_fen":150000}"#
            var number = "", amount: Int64 = 0
            try await app.testing().test(.POST, "/api/v1/temporary-cases", headers: h, body: ByteBuffer(string: request)) { res async throws in
                #expect(res.status == .created, "\(res.body.string)")
                let v = try res.decoded(TemporaryCaseView.self)
                number = v.file.number
                amount = v.file.decision.amount.fen
                #expect(v.file.decision.reliefFirstHours == 48 && v.actions.contains("pay_relief"))
            }
            try await app.testing().test(.POST, "/api/v1/temporary-cases/\(number)/actions", headers: h,
                                         body: ByteBuffer(string: #"{"action":"pay_relief","version":1,"amount_fen":\#(amount + 1)}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try res.decoded(ErrorBody.self).problems.first?.field == "amount_fen")
            }
            try await app.testing().test(.POST, "/api/v1/temporary-cases/\(number)/actions", headers: h,
                                         body: ByteBuffer(string: #"{"action":"pay_relief","version":1,"amount_fen":\#(amount)}"#)) { res async throws in
                #expect(res.status == .ok)
                #expect(try res.decoded(TemporaryCaseView.self).file.state == .reliefPaid)
            }
            try await app.testing().test(.POST, "/api/v1/temporary-cases/\(number)/actions", headers: h,
                                         body: ByteBuffer(string: #"{"action":"complete_file","version":2,"on":"2025-07-15","investigators":["甲","乙"],"findings":"属实"}"#)) { res async throws in
                #expect(try res.decoded(TemporaryCaseView.self).file.state == .closed)
            }
            try await app.testing().test(.GET, "/api/v1/cases/\(number)", headers: h) { res async throws in
                #expect(res.status == .unprocessableEntity)   // a temporary case is read at /temporary-cases
            }
        }
    }
}

@Suite struct FeedAPITests {
    @Test func feedsFlagsAndTheWorklist_throughTheAPI() async throws {
        try await withJiuzhuApp { app in
            let record = Fixtures.record()
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(record)) { #expect($0.status == .created) }
            let xj = try await signIn(app, as: UserAccount(username: "xj", role: .countyOfficer, division: try DivisionCode("530428")))
            let h: HTTPHeaders = ["Authorization": "Bearer \(xj)", "Content-Type": "text/csv"]
            let csv = "id_number,employer,monthly_wage_fen\n\(record.members[0].idNumber.value),某公司,500000\n"
            try await app.testing().test(.POST, "/api/v1/feeds?department=%E4%BA%BA%E7%A4%BE&as_of=2025-07-01&file_name=w.csv", headers: h,
                                         body: ByteBuffer(string: csv)) { res async throws in
                #expect(res.status == .created)
                #expect(try res.decoded(FeedImportSummary.self).record.flags == 1)
            }
            try await app.testing().test(.POST, "/api/v1/feeds?department=%E4%BA%BA%E7%A4%BE&as_of=2025-07-01", headers: h, body: ByteBuffer(string: csv)) {
                #expect($0.status == .ok)
            }
            try await app.testing().test(.POST, "/api/v1/feeds?department=%E4%BA%BA%E7%A4%BE&as_of=2025-07-01", headers: h,
                                         body: ByteBuffer(string: "id_number,employer,monthly_wage_fen\n123,某公司,lots\n")) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try res.decoded(ErrorBody.self).problems.map(\.field) == ["line 2.id_number", "line 2.monthly_wage_fen"])
            }
            try await app.testing().test(.GET, "/api/v1/flags", headers: authHeaders) { res async throws in
                #expect(try res.decoded([StoredFlag].self).map(\.kind) == ["wages"])
            }
            try await app.testing().test(.GET, "/api/v1/verification?month=2025-07", headers: h) { res async throws in
                #expect(try res.decoded([ReevaluationItem].self).first?.outcome == "likely_ineligible")
            }
            // A township officer imports nothing.
            let xz = try await signIn(app, as: UserAccount(username: "xz", role: .townshipOfficer, division: Divisions.bundled.townships(in: try DivisionCode("530428"))[0].code))
            try await app.testing().test(.POST, "/api/v1/feeds?department=%E4%BA%BA%E7%A4%BE&as_of=2025-07-01", headers: ["Authorization": "Bearer \(xz)"],
                                         body: ByteBuffer(string: csv)) { #expect($0.status == .forbidden) }
        }
    }
}
