import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
@testable import JiuzhuWeb
import Testing
import Vapor
import VaporTesting

@Suite struct SignInTests {
    func login(_ app: Application, _ username: String, _ password: String) async throws -> (HTTPStatus, ErrorBody?, String?) {
        var out: (HTTPStatus, ErrorBody?, String?) = (.ok, nil, nil)
        try await app.testing().test(.POST, "/api/v1/auth/login", headers: ["Content-Type": "application/json"],
                                     body: jsonBody(#"{"username":"\#(username)","password":"\#(password)"}"#), afterResponse: { (res: TestingHTTPResponse) async throws in
            out.0 = res.status
            if res.status == .ok {
                out.2 = (try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as? [String: Any])?["token"] as? String
            } else {
                out.1 = try res.decoded(ErrorBody.self)
            }
        })
        return out
    }

    @Test func login_me_logout_andTheTokenStopsWorking() async throws {
        try await withJiuzhuApp { app in
            let (status, _, token) = try await login(app, "tester", TestSession.password)
            #expect(status == .ok)
            let t = try #require(token)
            try await app.testing().test(.GET, "/api/v1/auth/me", headers: ["Authorization": "Bearer \(t)"]) { res async throws in
                #expect(res.status == .ok)
                let me = try res.decoded(AuthAPI.UserView.self)
                #expect(me.username == "tester" && me.role == "county_admin" && me.divisionCode == "530428")
                #expect(me.divisionName.contains("元江"))
            }
            try await app.testing().test(.POST, "/api/v1/auth/logout", headers: ["Authorization": "Bearer \(t)"]) { #expect($0.status == .noContent) }
            try await app.testing().test(.GET, "/api/v1/auth/me", headers: ["Authorization": "Bearer \(t)"]) { res async throws in
                #expect(res.status == .unauthorized)
                #expect(try res.decoded(ErrorBody.self).error == "unauthorized")
            }
        }
    }

    @Test func noToken_orAForgedOne_is401_onEveryAPIRoute() async throws {
        try await withJiuzhuApp { app in
            for (method, path) in [(HTTPMethod.GET, "/api/v1/households"), (.GET, "/api/v1/households/H1"), (.POST, "/api/v1/households"),
                                   (.GET, "/api/v1/users"), (.GET, "/api/v1/auth/me"), (.PUT, "/api/v1/households/H1/circumstances?from=2025-07")] {
                try await app.testing().test(method, path) { #expect($0.status == .unauthorized, "\(method) \(path)") }
                try await app.testing().test(method, path, headers: ["Authorization": "Bearer forged"]) { #expect($0.status == .unauthorized) }
            }
        }
    }

    /// Five wrong passwords in a row lock the account for 15 minutes, even against the right one;
    /// an unknown user gets the same answer as a wrong password.
    @Test func repeatedFailures_lockTheAccount() async throws {
        try await withJiuzhuApp { app in
            let unknown = try await login(app, "nobody", "whatever-it-is")
            let wrong = try await login(app, "tester", "wrong-password")
            #expect(unknown.0 == .unauthorized && wrong.0 == .unauthorized)
            #expect(unknown.1?.message == wrong.1?.message)
            for _ in 0..<4 { _ = try await login(app, "tester", "wrong-password") }
            let locked = try await login(app, "tester", TestSession.password)
            #expect(locked.0 == .tooManyRequests)
            #expect(locked.1?.error == "locked")
            let events = try await AuditLog.events(on: app.db, entity: "user", key: "tester")
            #expect(events.filter { $0.action == "sign_in_failed" }.count == 5)
        }
    }
}

/// Roles × endpoints: what each role may do, and that nobody sees outside their division.
@Suite struct AccessMatrixTests {
    static let townships = Divisions.bundled.townships(in: try! DivisionCode("530428"))
    static var a: DivisionCode { townships[0].code }
    static var b: DivisionCode { townships[1].code }

    enum Expect: Equatable { case ok, notFound, forbidden, invalid }

    static let roles: [(UserAccount, read: Bool, write: Bool, seesB: Bool)] = [
        (UserAccount(username: "u-county-officer", role: .countyOfficer, division: try! DivisionCode("530428")), true, true, true),
        (UserAccount(username: "u-auditor", role: .auditor, division: try! DivisionCode("530428")), true, false, true),
        (UserAccount(username: "u-liaison", role: .departmentLiaison, division: try! DivisionCode("530428"), department: "medical_security"), false, false, false),
        (UserAccount(username: "u-township", role: .townshipOfficer, division: a), true, true, false),
        (UserAccount(username: "u-social", role: .socialWorker, division: a), true, false, false),
        (UserAccount(username: "u-other-county", role: .countyOfficer, division: try! DivisionCode("430321")), true, true, false),
    ]

    @Test func everyRole_onEveryEndpoint_seesOnlyItsDivision_andDoesOnlyWhatItsRoleAllows() async throws {
        try await withJiuzhuApp { app in
            let headB = Fixtures.idNumber(born: "19700101", sequence: 31)
            for record in [Fixtures.record("HA", township: Self.a.digits),
                           Fixtures.record("HB", township: Self.b.digits, headID: headB, spouseID: Fixtures.idNumber(born: "19710101", sequence: 42))] {
                try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(record)) { #expect($0.status == .created) }
            }
            var caseOf: [String: String] = [:]
            for (hid, head) in [("HA", Fixtures.record("HA").members[0].idNumber.value), ("HB", headB)] {
                let intake = #"{"household_id":"\#(hid)","programme":"dibao","applicant_id_number":"\#(head)"}"#
                try await app.testing().test(.POST, "/api/v1/cases", headers: jsonHeaders, body: ByteBuffer(string: intake)) { res async throws in
                    #expect(res.status == .created)
                    caseOf[hid] = try res.decoded(CaseView.self).file.number
                }
            }
            // A department feed imported by 元江's administrator: its history is 元江's alone.
            let deaths = "id_number,name,date_of_death\n\(Fixtures.record("HA").members[1].idNumber.value),王秀英,2025-06-20\n"
            try await app.testing().test(.POST, "/api/v1/feeds?department=%E5%85%AC%E5%AE%89&as_of=2025-07-01&file_name=deaths.csv",
                                         headers: ["Authorization": "Bearer \(TestSession.token)", "Content-Type": "text/csv"],
                                         body: ByteBuffer(string: deaths)) { #expect($0.status == .created) }
            // A monitoring push about both heads, each warning sent to the county and dispatched to its township.
            let push = "id_number,disability_grade,disability_kind\n\(Fixtures.record("HA").members[0].idNumber.value),1,physical\n\(headB),1,physical\n"
            try await app.testing().test(.POST, "/api/v1/monitoring/pushes?department=%E6%AE%8B%E8%81%94&received_on=2025-07-10",
                                         headers: ["Authorization": "Bearer \(TestSession.token)", "Content-Type": "text/csv"],
                                         body: ByteBuffer(string: push)) { #expect($0.status == .created) }
            for id in [1, 2] {
                for step in ["send", "dispatch"] {
                    try await app.testing().test(.POST, "/api/v1/monitoring/warnings/\(id)/\(step)", headers: jsonHeaders,
                                                 body: ByteBuffer(string: #"{"on":"2025-07-11"}"#)) { #expect($0.status == .ok) }
                }
            }
            for (user, read, write, seesB) in Self.roles {
                let token = try await signIn(app, as: user)
                let h: HTTPHeaders = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
                func check(_ method: HTTPMethod, _ path: String, body: String? = nil, _ expected: HTTPStatus) async throws {
                    try await app.testing().test(method, path, headers: h, body: body.map { ByteBuffer(string: $0) }) { res in
                        #expect(res.status == expected, "\(user.username): \(method) \(path) → \(res.status), expected \(expected)")
                    }
                }
                let readA: HTTPStatus = read ? (user.jurisdiction.contains(Self.a) ? .ok : .notFound) : .forbidden
                let readB: HTTPStatus = read ? (seesB ? .ok : .notFound) : .forbidden
                try await check(.GET, "/api/v1/households/HA", readA)
                try await check(.GET, "/api/v1/households/HB", readB)
                try await check(.GET, "/api/v1/households/HB/assessment?month=2025-07", readB)
                try await check(.GET, "/api/v1/households/HB/circumstances", readB)
                try await check(.GET, "/api/v1/members/\(headB)", readB)
                // Changing HB: refused by role first, then unseen outside the division.
                let writeB: HTTPStatus = !write ? .forbidden : seesB ? .ok : .notFound
                try await check(.PUT, "/api/v1/households/HB/circumstances?from=2025-07", body: #"{"recent_death":false}"#, writeB)
                // Lists and counts show nothing outside the division.
                try await app.testing().test(.GET, "/api/v1/households?per_page=50", headers: h) { res async throws in
                    if !read { #expect(res.status == .forbidden); return }
                    let ids = try res.decoded(RegistryPage.self).items.map(\.household.householdID)
                    let expected = ["HA", "HB"].filter { $0 == "HA" ? user.jurisdiction.contains(Self.a) : seesB }
                    #expect(ids == expected, "\(user.username) lists \(ids)")
                    #expect(try res.decoded(RegistryPage.self).items.allSatisfy { $0.headIDNumber.contains("**********") })
                }
                try await check(.GET, "/api/v1/users", .forbidden)
                // Department data: the feed history for the county's officers and auditors, the worklist for its officers only.
                let readsFeeds = user.role == .countyOfficer || user.role == .auditor
                try await app.testing().test(.GET, "/api/v1/feeds", headers: h) { res async throws in
                    if !readsFeeds { #expect(res.status == .forbidden, "\(user.username): GET /api/v1/feeds → \(res.status)"); return }
                    let kinds = try res.decoded([FeedImportRecord].self).map(\.kind)
                    #expect(kinds == (user.jurisdiction.contains(Self.a) ? ["deaths"] : []), "\(user.username) lists \(kinds)")
                }
                try await check(.GET, "/feeds", readsFeeds ? .ok : .forbidden)
                let readsVerification = user.role == .countyOfficer || user.role == .townshipOfficer
                try await check(.GET, "/api/v1/verification?month=2025-07", readsVerification ? .ok : .forbidden)
                try await app.testing().test(.GET, "/api/v1/verification/summary?month=2025-07", headers: h) { res async throws in
                    if !readsVerification { #expect(res.status == .forbidden, "\(user.username): summary → \(res.status)"); return }
                    let households = try res.decoded(MonthlyVerification.self).townships.reduce(0) { $0 + $1.households }
                    #expect(households == (user.jurisdiction.contains(Self.a) ? 1 : 0) + (user.jurisdiction.contains(Self.b) ? 1 : 0), "\(user.username) counts \(households)")
                }
                try await check(.GET, "/verification?month=2025-07", readsVerification ? .ok : .forbidden)
                // The roll (发放名册): the county's officers and its auditor read their county's; making it needs the form's token.
                let readsPayments = user.role == .countyOfficer || user.role == .auditor
                try await check(.GET, "/payroll?month=2025-07", readsPayments ? .ok : .forbidden)
                try await check(.POST, "/payroll/generate", body: #"{"month":"2025-07"}"#, .forbidden)
                // Warnings: the county's civil-affairs officers and auditor see the county's, a township those dispatched to it;
                // only the county routes them (a step out of order, 409, shows the role passed).
                let readsWarnings = [.countyOfficer, .auditor, .townshipOfficer].contains(user.role)
                try await app.testing().test(.GET, "/api/v1/monitoring/warnings", headers: h) { res async throws in
                    if !readsWarnings { #expect(res.status == .forbidden, "\(user.username): warnings → \(res.status)"); return }
                    let ids = try res.decoded([MonitoringWarning].self).map(\.id)
                    let expected = [Int64(1), 2].filter { $0 == 1 ? user.jurisdiction.contains(Self.a) : seesB }
                    #expect(ids == expected, "\(user.username) lists warnings \(ids)")
                }
                try await check(.GET, "/api/v1/monitoring/warnings/2", !readsWarnings ? .forbidden : seesB ? .ok : .notFound)
                try await check(.POST, "/api/v1/monitoring/warnings/2/send", body: "{}",
                                user.role != .countyOfficer ? .forbidden : seesB ? .conflict : .notFound)
                try await check(.GET, "/monitoring", readsWarnings ? .ok : .forbidden)
                try await check(.GET, "/hotline", readsWarnings ? .ok : .forbidden)
                // Case files: like households' files; a liaison works referrals, not cases.
                try await check(.GET, "/api/v1/cases/\(caseOf["HB"]!)", readB)
                try await check(.POST, "/api/v1/cases/\(caseOf["HB"]!)/actions", body: #"{"version":1,"action":"start_investigation"}"#,
                                !read ? .forbidden : !seesB ? .notFound : write && user.role != .villageAssistant ? .ok : .forbidden)
                try await app.testing().test(.GET, "/api/v1/cases", headers: h) { res async throws in
                    if !read { #expect(res.status == .forbidden); return }
                    let numbers = try res.decoded([CaseSummary].self).map(\.number)
                    let expected = ["HA", "HB"].filter { $0 == "HA" ? user.jurisdiction.contains(Self.a) : seesB }.map { caseOf[$0]! }
                    #expect(numbers.sorted() == expected.sorted(), "\(user.username) lists \(numbers)")
                }
            }
        }
    }

    @Test func anAdministrator_managesUsersOnlyInTheirDivision() async throws {
        try await withJiuzhuApp { app in
            let inside = #"{"username":"zhang.san","role":"township_officer","division_code":"\#(Self.a.digits)","password":"a-long-password"}"#
            try await app.testing().test(.POST, "/api/v1/users", headers: jsonHeaders, body: jsonBody(inside)) { res async throws in
                #expect(res.status == .created)
                #expect(try res.decoded(AuthAPI.UserView.self).roleName == "乡镇民政干部")
            }
            try await app.testing().test(.POST, "/api/v1/users", headers: jsonHeaders, body: jsonBody(inside)) { #expect($0.status == .conflict) }
            let outside = #"{"username":"li.si","role":"county_officer","division_code":"430321","password":"a-long-password"}"#
            try await app.testing().test(.POST, "/api/v1/users", headers: jsonHeaders, body: jsonBody(outside)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try res.decoded(ErrorBody.self).problems.map(\.field) == ["division_code"])
            }
            let bad = #"{"username":"wang wu","role":"county_officer","division_code":"\#(Self.a.digits)","password":"short"}"#
            try await app.testing().test(.POST, "/api/v1/users", headers: jsonHeaders, body: jsonBody(bad)) { res async throws in
                #expect(try res.decoded(ErrorBody.self).problems.map(\.field) == ["username", "division_code", "password"])
            }
            // Disabling a user ends their sessions at once.
            let token = try await signIn(app, as: UserAccount(username: "zhang.san", role: .townshipOfficer, division: Self.a), password: "a-long-password")
            let disable = #"{"username":"zhang.san","role":"township_officer","division_code":"\#(Self.a.digits)","active":false}"#
            try await app.testing().test(.PUT, "/api/v1/users/zhang.san", headers: jsonHeaders, body: jsonBody(disable)) { #expect($0.status == .ok) }
            try await app.testing().test(.GET, "/api/v1/auth/me", headers: ["Authorization": "Bearer \(token)"]) { #expect($0.status == .unauthorized) }
            try await app.testing().test(.GET, "/api/v1/users", headers: authHeaders) { res async throws in
                #expect(try res.decoded([AuthAPI.UserView].self).map(\.username) == ["tester", "zhang.san"])
            }
        }
    }
}
