import FluentKit
import Foundation
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore

extension ReserveStatement {
    /// A township's fund for a year: the pack's yearly allocation (`ts_township_reserve_fen`) and the ledger.
    public static func load(on db: any Database, township division: DivisionCode, pack: PolicyPack, year: Int) async throws -> ReserveStatement {
        let (allocation, _) = try PackReader(pack: pack, needs: "the reserve fund needs").money("ts_township_reserve_fen", on: Day(year: year, month: 1, day: 1)!)
        let township = String(division.digits.prefix(9))
        return ReserveStatement(township: township, year: year, allocationFen: allocation.fen,
                                entries: try await ReserveFund.entries(on: db, township: township, year: year))
    }
}

extension Payroll {
    /// A township code this user may manage the fund of (a known township within the division).
    func township(_ code: String) throws -> DivisionCode {
        guard let t = try? DivisionCode(code), t.digits.count == 9, Divisions.bundled[t] != nil else {
            throw StoreError.invalid([FieldProblem(field: "township", rule: "must be a known township code of 9 digits, found '\(code)'")])
        }
        if let d = scope.division, !t.digits.hasPrefix(d.countyCode.digits) { throw StoreError.forbidden("township \(code) is outside your county") }
        return t
    }

    /// A township's reserve fund for a year: allocation, top-ups, payouts (each with its case), balance.
    public func reserveStatement(township code: String, year: Int) async throws -> ReserveStatement {
        let t = try township(code)
        return try await ReserveStatement.load(on: db, township: t, pack: try PackChoice.byDivision(packs).pack(forDivision: t), year: year)
    }

    /// A top-up of a township's fund by the county.
    public func topUpReserve(township code: String, amountFen: Int64, on day: Day, note: String) async throws -> ReserveStatement {
        let t = try township(code)
        try await ReserveFund.topUp(on: db, township: t.digits, day: day, amountFen: amountFen, note: note, at: now(), actor: actor)
        return try await reserveStatement(township: code, year: day.year)
    }
}
