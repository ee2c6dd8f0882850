import Foundation
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import JiuzhuTestSupport
@testable import JiuzhuWeb
import Testing
import Vapor
import VaporTesting

@Suite struct HouseholdAPITests {
    @Test func post_thenGet_returnsTheHousehold_withLocation() async throws {
        try await withJiuzhuApp { app in
            let record = Fixtures.record("H-API-1")
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(record)) { res async throws in
                #expect(res.status == .created)
                #expect(res.headers.first(name: .location) == "/api/v1/households/H-API-1")
                #expect(try res.decoded(HouseholdRecord.self) == record)
            }
            try await app.testing().test(.GET, "/api/v1/households/H-API-1", headers: authHeaders) { res async throws in
                #expect(res.status == .ok)
                #expect(try res.decoded(HouseholdRecord.self) == record)
            }
        }
    }

    @Test func post_jsonUsesTheCSVColumnNames() async throws {
        try await withJiuzhuApp { app in
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(Fixtures.record())) { res async throws in
                let object = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any]
                #expect(object["household_id"] as? String == "H1")
                #expect(object["deposits_fen"] as? Int == 500000)
                let members = object["members"] as! [[String: Any]]
                #expect(members[0]["id_number"] as? String != nil)
                #expect(members[0]["monthly_income_fen"] as? Int == 30000)
            }
        }
    }

    @Test func post_badCheckDigit_is422_namingTheMemberField() async throws {
        try await withJiuzhuApp { app in
            var text = String(decoding: try JSONEncoder().encode(Fixtures.record()), as: UTF8.self)
            let good = Fixtures.record().members[1].idNumber.value
            var bad = Array(good)
            bad[17] = bad[17] == "0" ? "1" : "0"
            text = text.replacingOccurrences(of: good, with: String(bad))
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: jsonBody(text)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                let body = try res.decoded(ErrorBody.self)
                #expect(body.problems.first?.field == "members[1].id_number")
                #expect(body.problems.first?.rule.contains("check digit") == true)
            }
            try await app.testing().test(.GET, "/api/v1/households/H1", headers: authHeaders) { res in #expect(res.status == .notFound) }
        }
    }

    @Test func post_missingAndWrongTypedFields_are422_withTheFieldName() async throws {
        try await withJiuzhuApp { app in
            let cases: [(String, String, String)] = [
                (#"{"household_id":"H1","division_code":"530428","hukou_type":"rural","deposits_fen":0,"vehicles_value_fen":0,"disability_vehicle":false,"houses":0,"members":[]}"#, "business_registered", "is required"),
                (#"{"household_id":"H1","division_code":"530428","hukou_type":"rural","deposits_fen":"lots","vehicles_value_fen":0,"disability_vehicle":false,"houses":0,"business_registered":false,"members":[]}"#, "deposits_fen", "must be"),
                (#"{"household_id":"H1","division_code":"12345","hukou_type":"rural","deposits_fen":0,"vehicles_value_fen":0,"disability_vehicle":false,"houses":0,"business_registered":false,"members":[]}"#, "division_code", "6, 9 or 12 digits"),
                (#"{"household_id":"H1","division_code":"530428","hukou_type":"city","deposits_fen":0,"vehicles_value_fen":0,"disability_vehicle":false,"houses":0,"business_registered":false,"members":[]}"#, "hukou_type", "must be one of urban, rural, found 'city'"),
                (#"{"household_id":"H1","division_code":"530428","hukou_type":"rural","deposits_fen":0,"vehicles_value_fen":0,"disability_vehicle":false,"houses":0,"business_registered":false,"members":[]}"#, "members", "at least one member"),
            ]
            for (body, field, words) in cases {
                try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: jsonBody(body)) { res async throws in
                    #expect(res.status == .unprocessableEntity, "\(field)")
                    let e = try res.decoded(ErrorBody.self)
                    #expect(e.problems.contains { $0.field == field && $0.rule.contains(words) }, "\(field): \(e.problems)")
                }
            }
        }
    }

    @Test func post_notJSON_is400_notA500() async throws {
        try await withJiuzhuApp { app in
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: jsonBody("{not json")) { res async throws in
                #expect(res.status == .badRequest)
                #expect(try res.decoded(ErrorBody.self).error == "bad_request")
            }
        }
    }

    @Test func post_sameHouseholdTwice_is409() async throws {
        try await withJiuzhuApp { app in
            let body = try jsonBody(Fixtures.record())
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: body) { #expect($0.status == .created) }
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: body) { res async throws in
                #expect(res.status == .conflict)
                #expect(try res.decoded(ErrorBody.self).problems.first?.field == "household_id")
            }
        }
    }

    @Test func put_changesTheHousehold_andMemberEndpointsWork() async throws {
        try await withJiuzhuApp { app in
            var record = Fixtures.record()
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(record)) { #expect($0.status == .created) }
            record.household.hukouType = .urban
            try await app.testing().test(.PUT, "/api/v1/households/H1", headers: jsonHeaders, body: try jsonBody(record)) { res async throws in
                #expect(res.status == .ok)
                #expect(try res.decoded(HouseholdRecord.self).household.hukouType == .urban)
            }
            let childID = Fixtures.idNumber(born: "20150101", sequence: 33)
            let child = #"{"id_number":"\#(childID)","name":"李小红","relation":"child","disability_grade":0,"disability_kind":"none","serious_illness":false,"veteran_disability_grade":0,"martyr_family":false,"demobilized_veteran":false,"able_to_work":false,"has_capable_supporter":true,"care_level":"self","monthly_income_fen":0,"employment_income_fen":0}"#
            try await app.testing().test(.POST, "/api/v1/households/H1/members", headers: jsonHeaders, body: jsonBody(child)) { res async throws in
                #expect(res.status == .created)
                #expect(try res.decoded(HouseholdRecord.self).members.count == 3)
            }
            try await app.testing().test(.GET, "/api/v1/members/\(childID)", headers: authHeaders) { res async throws in
                #expect(res.status == .ok)
                #expect(try res.decoded(Member.self).householdID == "H1")
            }
            let ill = child.replacingOccurrences(of: #""serious_illness":false"#, with: #""serious_illness":true"#)
            try await app.testing().test(.PUT, "/api/v1/members/\(childID)", headers: jsonHeaders, body: jsonBody(ill)) { res async throws in
                #expect(res.status == .ok)
                #expect(try res.decoded(HouseholdRecord.self).members.first { $0.idNumber.value == childID }?.seriousIllness == true)
            }
        }
    }

    @Test func get_unknownHouseholdAndMember_are404() async throws {
        try await withJiuzhuApp { app in
            try await app.testing().test(.GET, "/api/v1/households/NOPE", headers: authHeaders) { res async throws in
                #expect(res.status == .notFound)
                #expect(try res.decoded(ErrorBody.self).error == "not_found")
            }
            try await app.testing().test(.GET, "/api/v1/members/11010519491231002X", headers: authHeaders) { #expect($0.status == .notFound) }
        }
    }

    @Test func search_byIDNumberNameAndDivision_withPaging() async throws {
        try await withJiuzhuApp { app in
            let record = Fixtures.record()
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(record)) { #expect($0.status == .created) }
            let head = record.members[0].idNumber.value
            for query in ["id_number=\(head)", "name=%E6%9D%8E%E5%BB%BA", "division=530428", "division=\(record.household.divisionCode)&page=1&per_page=5"] {
                try await app.testing().test(.GET, "/api/v1/households?\(query)", headers: authHeaders) { res async throws in
                    #expect(res.status == .ok, "\(query)")
                    let page = try res.decoded(RegistryPage.self)
                    #expect(page.items.map(\.household.householdID) == ["H1"], "\(query)")
                }
            }
            try await app.testing().test(.GET, "/api/v1/households?division=430321", headers: authHeaders) { res async throws in
                #expect(try res.decoded(RegistryPage.self).total == 0)
            }
            for (query, field) in [("division=12", "division"), ("page=0", "page"), ("per_page=1000", "per_page")] {
                try await app.testing().test(.GET, "/api/v1/households?\(query)", headers: authHeaders) { res async throws in
                    #expect(res.status == .unprocessableEntity, "\(query)")
                    #expect(try res.decoded(ErrorBody.self).problems.first?.field == field)
                }
            }
        }
    }
}

@Suite struct EvaluationAPITests {
    @Test func evaluation_explainsTheHousehold_forTheMonth() async throws {
        try await withJiuzhuApp { app in
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(Fixtures.record())) { #expect($0.status == .created) }
            try await app.testing().test(.GET, "/api/v1/households/H1/evaluation?month=2025-07&policy=reference", headers: authHeaders) { res async throws in
                #expect(res.status == .ok)
                let e = try res.decoded(Evaluation.self)
                // Rural couple aged 60+, net 30000: dibao 100000 − 30000 + 2 × 7500 = 85000.
                #expect(e.programme == .dibao)
                #expect(e.benefit == 85000)
                #expect(e.steps.contains { $0.key == "assets" && $0.passed == true })
            }
            for (query, field) in [("", "month"), ("?month=2025-13&policy=reference", "month"), ("?month=2019-12&policy=reference", "S_urban"),
                                   ("?month=2025-07&policy=nope", "policy")] {
                try await app.testing().test(.GET, "/api/v1/households/H1/evaluation\(query)", headers: authHeaders) { res async throws in
                    #expect(res.status == .unprocessableEntity, "\(query)")
                    #expect(try res.decoded(ErrorBody.self).problems.first?.field == field, "\(query)")
                }
            }
            try await app.testing().test(.GET, "/api/v1/households/NOPE/evaluation?month=2025-07&policy=reference", headers: authHeaders) { #expect($0.status == .notFound) }
            // Without a policy: the pack of the household's county (元江县 530428).
            try await app.testing().test(.GET, "/api/v1/households/H1/evaluation?month=2025-07", headers: authHeaders) { res async throws in
                #expect(res.status == .ok)
                #expect(try res.decoded(Evaluation.self).pack == "530428")
            }
        }
    }
}

@Suite struct AssessmentAPITests {
    @Test func assessment_returnsTheEvaluationAndReferrals() async throws {
        try await withJiuzhuApp { app in
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(Fixtures.record())) { #expect($0.status == .created) }
            try await app.testing().test(.GET, "/api/v1/households/H1/assessment?month=2025-07", headers: authHeaders) { res async throws in
                #expect(res.status == .ok)
                let a = try res.decoded(Assessment.self)
                #expect(a.evaluation.pack == "530428")
                #expect(a.referrals.contains { $0.programme == "medical" })
            }
            try await app.testing().test(.GET, "/api/v1/households/H1/assessment", headers: authHeaders) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try res.decoded(ErrorBody.self).problems.first?.field == "month")
            }
        }
    }
}

@Suite struct CircumstancesAPITests {
    /// The 元江 couple of the fixtures, the head with a basic pension and a 低保 history.
    static func body(head: IDNumber) -> String {
        """
        {"members":[{"id_number":"\(head.value)","incomes":[{"kind":"basic_pension","fen":30000}]}],
         "previous":{"programme":"dibao","benefit_fen":40000,"exit_months_paid":2,"rise_from_work":true}}
        """
    }

    @Test func put_thenAssessment_usesTheCircumstancesInForce() async throws {
        try await withJiuzhuApp { app in
            let record = Fixtures.record()
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(record)) { #expect($0.status == .created) }
            // Without circumstances the head's 30000 counts; with them it is a basic pension, not counted in 2025.
            var before: Int64 = 0
            try await app.testing().test(.GET, "/api/v1/households/H1/evaluation?month=2025-07", headers: authHeaders) { res async throws in
                before = try res.decoded(Evaluation.self).figures.netFen
            }
            #expect(before == 30000)
            try await app.testing().test(.PUT, "/api/v1/households/H1/circumstances?from=2025-07", headers: jsonHeaders,
                                         body: jsonBody(Self.body(head: record.members[0].idNumber))) { res async throws in
                #expect(res.status == .ok)
                #expect(try res.decoded(CircumstancesVersion.self).effectiveFrom == Month(year: 2025, month: 7)!)
            }
            try await app.testing().test(.GET, "/api/v1/households/H1/assessment?month=2025-07", headers: authHeaders) { res async throws in
                let a = try res.decoded(Assessment.self)
                #expect(a.evaluation.figures.netFen == 0)
                #expect(a.evaluation.steps.contains { $0.key == "income_items" && $0.detail.contains("不计入") })
                #expect(a.gradualExit != nil)
            }
            // The month before the version: the CSV facts again.
            try await app.testing().test(.GET, "/api/v1/households/H1/evaluation?month=2025-06", headers: authHeaders) { res async throws in
                #expect(try res.decoded(Evaluation.self).figures.netFen == 30000)
            }
            try await app.testing().test(.GET, "/api/v1/households/H1/circumstances", headers: authHeaders) { res async throws in
                #expect(try res.decoded([CircumstancesVersion].self).count == 1)
            }
        }
    }

    @Test func put_badBodies_are422_namingTheField_andChangeNothing() async throws {
        try await withJiuzhuApp { app in
            let record = Fixtures.record()
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(record)) { #expect($0.status == .created) }
            let head = record.members[0].idNumber.value
            let cases: [(String, String, String)] = [
                (#"{"members":[{"id_number":"\#(head)","incomes":[{"kind":"salary","fen":1}]}]}"#, "from=2025-07", "members[0].incomes[0].kind"),
                (#"{"members":[{"id_number":"\#(head)","rigid_costs":[{"kind":"medical","fen":-5}]}]}"#, "from=2025-07", "circumstances.members[0].rigid_costs[0].fen"),
                (#"{"members":[{"id_number":"\#(head)"}]}"#, "from=2025-13", "from"),
                (#"{"members":[{"id_number":"\#(head)"}]}"#, "", "from"),
            ]
            for (body, query, field) in cases {
                try await app.testing().test(.PUT, "/api/v1/households/H1/circumstances?\(query)", headers: jsonHeaders, body: jsonBody(body)) { res async throws in
                    #expect(res.status == .unprocessableEntity, "\(field)")
                    #expect(try res.decoded(ErrorBody.self).problems.first?.field == field)
                }
            }
            try await app.testing().test(.GET, "/api/v1/households/H1/circumstances", headers: authHeaders) { res async throws in
                #expect(try res.decoded([CircumstancesVersion].self).isEmpty)
            }
            try await app.testing().test(.PUT, "/api/v1/households/NOPE/circumstances?from=2025-07", headers: jsonHeaders,
                                         body: jsonBody(#"{"members":[]}"#)) { res in #expect(res.status == .notFound) }
        }
    }
}

@Suite struct DatedFactsAPITests {
    @Test func put_isDatedAndKinded_andTheHistoryShowsIt() async throws {
        try await withJiuzhuApp { app in
            var record = Fixtures.record()
            try await app.testing().test(.POST, "/api/v1/households", headers: jsonHeaders, body: try jsonBody(record)) { #expect($0.status == .created) }
            record.members[0].monthlyIncome = 45000
            try await app.testing().test(.PUT, "/api/v1/households/H1?kind=guess", headers: jsonHeaders, body: try jsonBody(record)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try res.decoded(ErrorBody.self).problems.first?.field == "kind")
            }
            try await app.testing().test(.PUT, "/api/v1/households/H1?effective=2025-08-01", headers: jsonHeaders, body: try jsonBody(record)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try res.decoded(ErrorBody.self).problems.first?.field == "effective")
            }
            try await app.testing().test(.PUT, "/api/v1/households/H1?effective=2025-07-01&kind=correction", headers: jsonHeaders, body: try jsonBody(record)) {
                #expect($0.status == .ok)
            }
            try await app.testing().test(.GET, "/api/v1/households/H1/history", headers: authHeaders) { res async throws in
                let h = try res.decoded([HouseholdVersion].self)
                #expect(h.map(\.kind) == [.registration, .correction])
                #expect(h.map(\.record.members[0].monthlyIncome.fen) == [30000, 45000])
            }
        }
    }
}
