import JiuzhuCore
import JiuzhuPacks
@testable import JiuzhuPolicy
import Testing
import Yams

/// The hand-worked cases of the other programmes in each pack's case file:
/// `price_subsidy_cases` and `temporary_assistance_cases`.
struct ProgrammeCase: CustomTestStringConvertible, Sendable {
    let pack: String
    let name: String
    let fields: [String: String]
    let expect: [String: String]
    var testDescription: String { "\(pack): \(name)" }

    static func load(_ list: String) -> [ProgrammeCase] {
        BundledPacks.ids.flatMap { pack -> [ProgrammeCase] in
            guard let text = BundledPacks.cases(pack), let root = (try? Yams.compose(yaml: text))??.mapping,
                  let items = root[list]?.sequence else { return [] }
            return items.compactMap { node in
                guard let m = node.mapping, let name = m["name"]?.scalar?.string else { return nil }
                var fields: [String: String] = [:]
                for (k, v) in m { if let key = k.scalar?.string, let value = v.scalar?.string { fields[key] = value } }
                for (k, v) in m["request"]?.mapping ?? [:] { if let key = k.scalar?.string, let value = v.scalar?.string { fields[key] = value } }
                var expect: [String: String] = [:]
                for (k, v) in m["expect"]?.mapping ?? [:] { if let key = k.scalar?.string, let value = v.scalar?.string { expect[key] = value } }
                return ProgrammeCase(pack: pack, name: name, fields: fields, expect: expect)
            }
        }
    }
}

@Suite struct ProgrammeCaseTests {
    static let price = ProgrammeCase.load("price_subsidy_cases")
    static let temporary = ProgrammeCase.load("temporary_assistance_cases")

    @Test func everyLocalityPack_hasCasesForThePriceSubsidyAndTemporaryAssistance() {
        for id in BundledPacks.ids where id != "reference" {
            #expect(Self.price.filter { $0.pack == id }.count >= 2, "\(id)")
            #expect(Self.temporary.filter { $0.pack == id }.count >= 3, "\(id)")
        }
    }

    @Test(arguments: price)
    func priceSubsidy_matchesTheHandWorkedCase(_ c: ProgrammeCase) throws {
        let indices = PriceIndices(month: try Month(parsing: c.fields["index_month"]!), cpiRise: try Rate(parsing: c.fields["cpi"]!),
                                   foodCpiRise: try Rate(parsing: c.fields["food_cpi"]!))
        let d = try PriceLinkage.decide(indices, pack: try Packs.bundled.pack(id: c.pack))
        #expect(String(d.triggered) == c.expect["triggered"])
        if let index = c.expect["index"] { #expect(d.index == index) }
        #expect(String(d.perPersonUrbanFen) == c.expect["per_person_urban_fen"])
        #expect(String(d.perPersonRuralFen) == c.expect["per_person_rural_fen"])
    }

    @Test(arguments: temporary)
    func temporaryAssistance_matchesTheHandWorkedCase(_ c: ProgrammeCase) throws {
        let f = c.fields
        let request = TemporaryAssistanceRequest(
            kind: TemporaryAssistanceRequest.Kind(rawValue: f["kind"]!)!, month: try Month(parsing: f["month"]!),
            receivedAt: try DivisionCode(f["received_at"]!), placeOfNeed: try DivisionCode(f["place_of_need"]!),
            hukou: HukouType(rawValue: f["hukou"]!)!, people: Int(f["people"]!)!, need: Money(fen: Int64(f["need_fen"]!)!),
            perCapitaIncome: Money(fen: Int64(f["per_capita_income_fen"] ?? "0")!),
            grantsThisYear: Int(f["grants_this_year"] ?? "0")!, sameCauseThisYear: f["same_cause_this_year"] == "true")
        let d = try TemporaryAssistance.decide(request, pack: try Packs.bundled.pack(id: c.pack))
        #expect(String(d.eligible) == c.expect["eligible"])
        #expect(d.approver?.rawValue == c.expect["approver"])
        #expect(String(d.amount.fen) == c.expect["amount_fen"])
        #expect(d.reliefFirstHours.map(String.init) == c.expect["relief_first_hours"])
    }
}
