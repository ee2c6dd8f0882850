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

@Suite struct PayrollAPITests {
    static let record = Fixtures.record("H1")
    static var head: String { record.members[0].idNumber.value }
    static var recipients: String {
        "household_id,programme,payee_id_number,monthly_amount_fen,first_month,next_review,bank_account\nH1,dibao,\(head),60000,2024-01,2025-07-01,6217001234567890\n"
    }

    @Test func theRollThroughTheAPI_migrated_generated_confirmed_exported_answered() async throws {
        try await withJiuzhuApp { app in
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(Self.record)) { #expect($0.status == .created) }
            var csvHeaders = authHeaders
            csvHeaders.contentType = HTTPMediaType(type: "text", subType: "csv")
            try await app.testing().test(.POST, "/api/v1/recipients?from=2025-07", headers: csvHeaders, body: ByteBuffer(string: Self.recipients)) { res async throws in
                #expect(res.status == .created, "\(res.body.string)")
                #expect(try res.decoded(RecipientImportSummary.self).lines == 1)
            }
            try await app.testing().test(.POST, "/api/v1/recipients?from=2025-07", headers: csvHeaders, body: ByteBuffer(string: Self.recipients)) { res async throws in
                #expect(res.status == .ok)
                #expect(try res.decoded(RecipientImportSummary.self).repeated)
            }
            let bad = Self.recipients.replacingOccurrences(of: "H1,dibao", with: "H9,dibao")
            try await app.testing().test(.POST, "/api/v1/recipients?from=2025-07", headers: csvHeaders, body: ByteBuffer(string: bad)) { res async throws in
                #expect(res.status == .unprocessableEntity && res.body.string.contains("line 2.household_id"))
            }
            let roll = "/api/v1/payroll/530428/2025-07"
            try await app.testing().test(.POST, roll + "/generate", headers: authHeaders) { res async throws in
                #expect(res.status == .ok, "\(res.body.string)")
                #expect(res.body.string.contains("\"total_fen\":60000"))
            }
            try await app.testing().test(.POST, roll + "/export", headers: authHeaders) { #expect($0.status == .conflict) }
            try await app.testing().test(.POST, roll + "/confirm", headers: authHeaders) { #expect($0.status == .ok) }
            try await app.testing().test(.POST, roll + "/generate", headers: authHeaders) { #expect($0.status == .conflict) }
            try await app.testing().test(.POST, roll + "/export?format=csv", headers: authHeaders) { res async throws in
                #expect(res.status == .ok && res.body.string == "household_id,payee_name,payee_id_number,bank_account,programme,month,amount_fen\nH1,李建国,\(Self.head),6217001234567890,dibao,2025-07,60000\n")
                #expect(res.headers.first(name: .contentDisposition)?.contains("payroll-530428-2025-07.csv") == true)
            }
            try await app.testing().test(.POST, roll + "/export?format=xlsx", headers: authHeaders) { res async throws in
                #expect(res.status == .ok && Array(res.body.readableBytesView.prefix(2)) == [0x50, 0x4B])
            }
            try await app.testing().test(.POST, roll + "/answer", headers: csvHeaders) { res async throws in
                #expect(res.status == .ok && res.body.string.contains(#""paid":1"#) && res.body.string.contains(#""returned":0"#))
            }
            try await app.testing().test(.GET, roll + "?lines=true", headers: authHeaders) { res async throws in
                #expect(res.status == .ok && res.body.string.contains("\"status\":\"paid\"") && res.body.string.contains("\"status\":\"exported\""))
            }
            // Bad input and other counties.
            try await app.testing().test(.GET, "/api/v1/payroll/530428/2025-13", headers: authHeaders) { #expect($0.status == .unprocessableEntity) }
            try await app.testing().test(.POST, "/api/v1/payroll/430321/2025-07/generate", headers: authHeaders) { #expect($0.status == .forbidden) }
            try await app.testing().test(.POST, roll.replacingOccurrences(of: "07", with: "08") + "/price-index", headers: jsonHeaders,
                                         body: ByteBuffer(string: #"{"cpi":"150%","food_cpi":"1%"}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity && res.body.string.contains("out of range"))
            }
            // Reviews: due (the next review was 2025-07-01), then decided with its notice.
            try await app.testing().test(.GET, "/api/v1/reviews?county=530428&by=2025-07-15", headers: authHeaders) { res async throws in
                #expect(try res.decoded([ReviewTask].self).map(\.householdID) == ["H1"])
            }
            try await app.testing().test(.POST, "/api/v1/reviews", headers: jsonHeaders,
                                         body: ByteBuffer(string: #"{"county":"530428","household_id":"H1","programme":"dibao","outcome":"stop","reason":"家庭收入超过标准","on":"2025-07-15"}"#)) { res async throws in
                #expect(res.status == .ok, "\(res.body.string)")
                #expect(try res.decoded(ReviewResult.self).notice.contains("自 2025-08 起停发"))
            }
            // The auditor reads rolls and makes none; a township officer sees the reviews, not the rolls.
            let auditor = try await signIn(app, as: UserAccount(username: "sj", role: .auditor, division: try DivisionCode("530428")))
            let township = try await signIn(app, as: UserAccount(username: "xz", role: .townshipOfficer, division: Self.record.household.divisionCode))
            try await app.testing().test(.GET, roll, headers: ["Authorization": "Bearer \(auditor)"]) { #expect($0.status == .ok) }
            try await app.testing().test(.POST, roll + "/generate", headers: ["Authorization": "Bearer \(auditor)"]) { #expect($0.status == .forbidden) }
            try await app.testing().test(.GET, roll, headers: ["Authorization": "Bearer \(township)"]) { #expect($0.status == .forbidden) }
            try await app.testing().test(.GET, "/api/v1/reviews?county=530428&by=2026-12-31", headers: ["Authorization": "Bearer \(township)"]) { #expect($0.status == .ok) }
            // An emergency in the household's township, and funeral assistance; bad divisions and a second record refused.
            let tw = Self.record.household.divisionCode.digits
            try await app.testing().test(.POST, "/api/v1/emergencies", headers: jsonHeaders,
                                         body: ByteBuffer(string: #"{"name":"洪涝","divisions":["\#(tw)"],"from":"2025-08","to":"2025-09","raise":"10%","subsidy_per_person_fen":20000,"subsidy_month":"2025-08"}"#)) { res async throws in
                #expect(res.status == .created, "\(res.body.string)")
            }
            try await app.testing().test(.POST, "/api/v1/emergencies", headers: jsonHeaders,
                                         body: ByteBuffer(string: #"{"name":"洪涝","divisions":["430321001"],"from":"2025-08","to":"2025-07"}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity && res.body.string.contains("divisions") && res.body.string.contains("\"to\""))
            }
            try await app.testing().test(.GET, "/api/v1/emergencies", headers: authHeaders) { res async throws in
                #expect(try res.decoded([Emergency].self).map(\.name) == ["洪涝"])
            }
            let funeral = #"{"household_id":"H1","deceased_id_number":"\#(Self.record.members[1].idNumber.value)","choice":"subsidy","amount_fen":150000,"on":"2025-07-20"}"#
            try await app.testing().test(.POST, "/api/v1/funerals", headers: jsonHeaders, body: ByteBuffer(string: funeral)) { res async throws in
                #expect(res.status == .created && res.body.string.contains("一次性丧葬补贴 ¥1,500.00"), "\(res.body.string)")
            }
            try await app.testing().test(.POST, "/api/v1/funerals", headers: jsonHeaders, body: ByteBuffer(string: funeral)) { #expect($0.status == .conflict) }
            // The township's reserve fund: topped up by the county, read by the township.
            let t = Self.record.household.divisionCode.digits
            try await app.testing().test(.POST, "/api/v1/reserve/\(t)/top-ups", headers: jsonHeaders, body: ByteBuffer(string: #"{"amount_fen":50000,"note":"县局追加"}"#)) { res async throws in
                #expect(res.status == .ok && res.body.string.contains("\"top_ups_fen\":50000"))
            }
            try await app.testing().test(.POST, "/api/v1/reserve/\(t)/top-ups", headers: ["Authorization": "Bearer \(township)", "Content-Type": "application/json"],
                                         body: ByteBuffer(string: #"{"amount_fen":50000}"#)) { #expect($0.status == .forbidden) }
            try await app.testing().test(.GET, "/api/v1/reserve/\(t)?year=2025", headers: ["Authorization": "Bearer \(township)"]) { res async throws in
                let s = try res.decoded(ReserveStatement.self)
                #expect(s.topUpsFen == 50000 && s.balanceFen == s.allocationFen + 50000)
            }
            let elsewhere = Divisions.bundled.townships(in: try DivisionCode("530428")).map(\.code.digits).first { $0 != t }!
            try await app.testing().test(.GET, "/api/v1/reserve/\(elsewhere)", headers: ["Authorization": "Bearer \(township)"]) { #expect($0.status == .notFound) }
        }
    }

    /// The demo county starts with its caseload: a roll generated on the first day has a line for
    /// every household the rules pay 低保 or 特困, at the rules' amount.
    @Test func theDemoCounty_startsWithItsCaseload() async throws {
        try await withJiuzhuApp(demo: true) { app in
            let month = Day(Fixtures.now).monthOfYear
            let store = FeedStore(db: app.db, actor: .system, now: { Fixtures.now })
            var expected: [String: Int64] = [:]
            for r in try await store.records(try await store.householdIDs(), purpose: "test") {
                let e = try ReferenceRules.evaluate(r.household, members: r.members, month: month, pack: try PackChoice.byDivision(.bundled).pack(for: r.household), explain: false)
                if (e.programme == .dibao || e.programme == .tekun) && e.benefit.fen > 0 { expected[r.household.householdID] = e.benefit.fen }
            }
            #expect(expected.count > 10)
            try await app.testing().test(.POST, "/api/v1/payroll/530428/\(month)/generate", headers: authHeaders) { res async throws in
                #expect(res.status == .ok, "\(res.body.string)")
            }
            try await app.testing().test(.GET, "/api/v1/payroll/530428/\(month)?lines=true", headers: authHeaders) { res async throws in
                let lines = try res.decoded(PayrollAPI.RollView.self).lines ?? []
                #expect(Dictionary(uniqueKeysWithValues: lines.map { ($0.householdID, $0.amountFen) }) == expected)
            }
        }
    }
}
