import JiuzhuCore
@testable import JiuzhuPolicy
import Testing

@Suite struct TemporaryAssistanceTests {
    let july = Month(year: 2025, month: 7)!
    let township = try! DivisionCode("530428100")

    func decide(_ kind: TemporaryAssistanceRequest.Kind, _ hukou: HukouType, people: Int, need: Int64, income: Int64 = 0,
                place: String = "530428101", grants: Int = 0, sameCause: Bool = false, pack: String = "reference") throws -> TemporaryAssistanceDecision {
        try TemporaryAssistance.decide(
            TemporaryAssistanceRequest(kind: kind, month: july, receivedAt: township, placeOfNeed: try DivisionCode(place), hukou: hukou,
                                       people: people, need: Money(fen: need), perCapitaIncome: Money(fen: income),
                                       grantsThisYear: grants, sameCauseThisYear: sameCause),
            pack: try Packs.bundled.pack(id: pack))
    }

    @Test func emergency_withinTheTownshipLimit_townshipPaysFirstWithin48Hours() throws {
        // Rural, 2 people: township limit 2 × 50000 × 2 = 200000 ≥ 150000 → township; cap 6 × 50000 × 2 = 600000.
        let d = try decide(.emergency, .rural, people: 2, need: 150000)
        #expect(d.eligible && d.approver == .township && d.amount == 150000)
        #expect(d.reliefFirstHours == 48)
        #expect(!d.staged)
    }

    @Test func emergency_aboveTheTownshipLimit_countyApproves_inStages() throws {
        // Urban, 1 person: township limit 2 × 70000 = 140000 < 300000 ≤ cap 6 × 70000 = 420000 → county.
        let d = try decide(.emergency, .urban, people: 1, need: 300000)
        #expect(d.approver == .county && d.amount == 300000 && d.staged)
    }

    @Test func aboveTheCap_goesToTheCommittee_caseByCase() throws {
        // Rural, 1 person: cap 6 × 50000 = 300000 < 400000 → 一事一议, the assessed need stands.
        let d = try decide(.emergency, .rural, people: 1, need: 400000)
        #expect(d.approver == .committee && d.amount == 400000)
        #expect(d.steps.last { $0.key == "amount" }?.detail.contains("一事一议") == true)
    }

    @Test func expenditure_needsIncomeBelowTheReference_andHasNoReliefFirst() throws {
        // Income reference 250000 fen per person per month: 260000 fails, 249999 passes.
        let refused = try decide(.expenditure, .rural, people: 3, need: 250000, income: 260000)
        #expect(!refused.eligible)
        #expect(refused.steps.last?.key == "income")
        let granted = try decide(.expenditure, .rural, people: 3, need: 250000, income: 249999)
        // Township limit 2 × 50000 × 3 = 300000 ≥ 250000.
        #expect(granted.eligible && granted.approver == .township && granted.reliefFirstHours == nil)
    }

    @Test func outsideTheCountyWhereTheEmergencyHappened_isRedirected() throws {
        let d = try decide(.emergency, .rural, people: 1, need: 10000, place: "532625100")
        #expect(!d.eligible)
        #expect(d.steps.first?.passed == false)
        #expect(d.steps.first?.detail.contains("急难发生地") == true)
    }

    @Test func sameCause_orTooManyGrants_isRefused() throws {
        #expect(try !decide(.emergency, .rural, people: 1, need: 10000, sameCause: true).eligible)
        #expect(try !decide(.emergency, .rural, people: 1, need: 10000, grants: 2).eligible)
        #expect(try decide(.emergency, .rural, people: 1, need: 10000, grants: 1).eligible)
    }

    @Test func everyLocalityPack_canDecide_andMaguanPaysWithin48Hours() throws {
        for id in ["532625", "430321", "350800", "230500", "530428"] {
            let d = try decide(.emergency, .rural, people: 1, need: 10000, pack: id)
            #expect(d.eligible, "\(id)")
        }
        #expect(try decide(.emergency, .rural, people: 1, need: 10000, pack: "532625").reliefFirstHours == 48)
    }

    @Test func badRequest_isAnErrorNotANumber() throws {
        #expect(throws: PolicyError.self) { try decide(.emergency, .rural, people: 0, need: 10000) }
        #expect(throws: PolicyError.self) { try decide(.emergency, .rural, people: 1, need: -1) }
    }
}
