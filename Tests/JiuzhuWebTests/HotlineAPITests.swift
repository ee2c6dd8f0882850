import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuStore
import JiuzhuTestSupport
@testable import JiuzhuWeb
import Testing
import Vapor
import VaporTesting

@Suite struct HotlineAPITests {
    @Test func aCall_isReceived_routed_closedByItsTownship_andCounted() async throws {
        try await withJiuzhuApp { app in
            let townships = Divisions.bundled.townships(in: try DivisionCode("530428")).map(\.code)
            var number = ""
            try await app.testing().test(.POST, "/api/v1/hotline", headers: jsonHeaders,
                                         body: ByteBuffer(string: #"{"kind":"complaint","caller":"王某","description":"低保金未到账","routed_to":"\#(townships[0].digits)","on":"2025-07-01"}"#)) { res async throws in
                #expect(res.status == .created, "\(res.body.string)")
                let t = try res.decoded(HotlineTicket.self)
                let due = try WorkdayCalendar.bundled.adding(workdays: 5, to: Day(year: 2025, month: 7, day: 1)!)
                #expect(t.number == "12349-530428-2025-00001" && t.dueOn == due)
                number = t.number
            }
            try await app.testing().test(.POST, "/api/v1/hotline", headers: jsonHeaders,
                                         body: ByteBuffer(string: #"{"kind":"rumour","caller":"王某","description":"x","routed_to":"县民政局"}"#)) { #expect($0.status == .unprocessableEntity) }
            let mine = try await signIn(app, as: UserAccount(username: "xz1", role: .townshipOfficer, division: townships[0]))
            let other = try await signIn(app, as: UserAccount(username: "xz2", role: .townshipOfficer, division: townships[1]))
            try await app.testing().test(.GET, "/api/v1/hotline", headers: ["Authorization": "Bearer \(other)"]) { res async throws in
                #expect(try res.decoded([HotlineTicket].self).isEmpty)
            }
            try await app.testing().test(.POST, "/api/v1/hotline/\(number)/close", headers: ["Authorization": "Bearer \(other)", "Content-Type": "application/json"],
                                         body: ByteBuffer(string: #"{"resolution":"已答复"}"#)) { #expect($0.status == .forbidden) }
            try await app.testing().test(.POST, "/api/v1/hotline/\(number)/close", headers: ["Authorization": "Bearer \(mine)", "Content-Type": "application/json"],
                                         body: ByteBuffer(string: #"{"resolution":"已核实补发","on":"2025-07-03"}"#)) { res async throws in
                #expect(res.status == .ok)
                #expect(try res.decoded(HotlineTicket.self).closedOnTime)
            }
            try await app.testing().test(.GET, "/api/v1/hotline/report?month=2025-07", headers: authHeaders) { res async throws in
                let r = try res.decoded(HotlineReport.self)
                #expect(r.due == 1 && r.closedOnTime == 1 && r.onTimeRate == "100.0%")
            }
        }
    }
}
