import FluentKit
import Foundation
import JiuzhuCore
import SQLKit

/// Funeral assistance (殡葬救助) on the death of a member of a 低保 or 特困 household: the basic
/// funeral services waived, or a one-off subsidy paid by the roll of `payMonth` into the account of
/// the household's entitlement. Once per person.
public struct FuneralAssistance: Sendable, Equatable, Codable {
    public enum Choice: String, Sendable, Codable, CaseIterable { case waiver, subsidy }
    public let householdID: String
    public let deceased: String
    public let entitlementID: Int64
    public let choice: Choice
    public let amountFen: Int64
    public let payMonth: Month
    public let notice: String

    public init(householdID: String, deceased: String, entitlementID: Int64, choice: Choice, amountFen: Int64, payMonth: Month, notice: String) {
        self.householdID = householdID; self.deceased = deceased; self.entitlementID = entitlementID; self.choice = choice
        self.amountFen = amountFen; self.payMonth = payMonth; self.notice = notice
    }

    enum CodingKeys: String, CodingKey {
        case householdID = "household_id", deceased = "deceased_id_number", entitlementID = "entitlement_id", choice, amountFen = "amount_fen"
        case payMonth = "pay_month", notice
    }
}

extension PaymentStore {
    /// Records funeral assistance (one transaction, audited); the same person twice is refused.
    public func record(_ f: FuneralAssistance, county: String) async throws {
        let (actor, at) = (actor, now())
        try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            if try await sql.select().column("id").from("funeral_assistance").where("deceased_id_number", .equal, f.deceased).first() != nil {
                throw StoreError.conflict(FieldProblem(field: "deceased_id_number", rule: "funeral assistance for this person is already recorded"))
            }
            try await sql.insert(into: "funeral_assistance").columns("id", "county_code", "household_id", "deceased_id_number", "entitlement_id", "choice",
                                                                    "amount_fen", "pay_month", "notice", "recorded_by", "recorded_at")
                .values(SQLBind(try await Self.nextID(sql, "funeral_assistance")), SQLBind(county), SQLBind(f.householdID), SQLBind(f.deceased),
                        SQLBind(f.entitlementID), SQLBind(f.choice.rawValue), SQLBind(f.amountFen), SQLBind(f.payMonth.description), SQLBind(f.notice),
                        SQLBind(actor.name), SQLBind(at)).run()
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .create, entity: "funeral", key: f.householdID, county: county,
                                      detail: ["choice": f.choice.rawValue, "amount_fen": String(f.amountFen), "pay_month": f.payMonth.description])
        }
    }

    /// The funeral subsidies of a county (those paid by a roll).
    public func funeralSubsidies(county: String) async throws -> [FuneralAssistance] {
        try await sql.select().columns("*").from("funeral_assistance").where("county_code", .equal, county)
            .where("choice", .equal, FuneralAssistance.Choice.subsidy.rawValue).orderBy("id").all().map { r in
                FuneralAssistance(householdID: try r.decode(column: "household_id", as: String.self), deceased: try r.decode(column: "deceased_id_number", as: String.self),
                                  entitlementID: try r.decode(column: "entitlement_id", as: Int64.self), choice: .subsidy,
                                  amountFen: try r.decode(column: "amount_fen", as: Int64.self),
                                  payMonth: try Month(parsing: try r.decode(column: "pay_month", as: String.self)), notice: try r.decode(column: "notice", as: String.self))
            }
    }
}
