import FluentKit
import Foundation
import JiuzhuCore
import SQLKit

/// One entry of a township's reserve fund (临时救助备用金): a top-up from the county, or a payout
/// of relief paid first (先行救助) on a case.
public struct ReserveEntry: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case topUp = "top_up", payout }
    public let on: Day
    public let kind: Kind
    public let amountFen: Int64
    public let caseNumber: String?
    public let note: String
    public let recordedBy: String

    enum CodingKeys: String, CodingKey { case on, kind, amountFen = "amount_fen", caseNumber = "case_number", note, recordedBy = "recorded_by" }
}

/// A township's fund for a year, reconciled: the year's allocation (the pack's), top-ups, payouts
/// and the balance, which never falls below zero.
public struct ReserveStatement: Sendable, Equatable, Codable {
    public let township: String
    public let year: Int
    public let allocationFen: Int64
    public let entries: [ReserveEntry]
    public var topUpsFen: Int64 { entries.filter { $0.kind == .topUp }.reduce(0) { $0 + $1.amountFen } }
    public var payoutsFen: Int64 { entries.filter { $0.kind == .payout }.reduce(0) { $0 + $1.amountFen } }
    public var balanceFen: Int64 { allocationFen + topUpsFen - payoutsFen }

    enum CodingKeys: String, CodingKey { case township, year, allocationFen = "allocation_fen", entries, topUpsFen = "top_ups_fen", payoutsFen = "payouts_fen", balanceFen = "balance_fen" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(township, forKey: .township); try c.encode(year, forKey: .year); try c.encode(allocationFen, forKey: .allocationFen)
        try c.encode(entries, forKey: .entries); try c.encode(topUpsFen, forKey: .topUpsFen); try c.encode(payoutsFen, forKey: .payoutsFen)
        try c.encode(balanceFen, forKey: .balanceFen)
    }

    public init(township: String, year: Int, allocationFen: Int64, entries: [ReserveEntry]) {
        self.township = township; self.year = year; self.allocationFen = allocationFen; self.entries = entries
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(township: try c.decode(String.self, forKey: .township), year: try c.decode(Int.self, forKey: .year),
                  allocationFen: try c.decode(Int64.self, forKey: .allocationFen), entries: try c.decode([ReserveEntry].self, forKey: .entries))
    }
}

public enum ReserveError: Error, Equatable, CustomStringConvertible {
    case insufficient(township: String, balanceFen: Int64, askedFen: Int64)
    public var description: String {
        switch self {
        case .insufficient(let t, let b, let a):
            return "amount_fen: the reserve fund of \(t) has \(Money(fen: b)) left, asked \(Money(fen: a)); top it up first (nothing changed)"
        }
    }
}

/// The townships' reserve funds: every entry in a transaction with its audit record; a payout is
/// checked against the balance inside the transaction that records it, so two payouts at once
/// cannot overdraw the fund.
public enum ReserveFund {
    /// A township's entries of a year, oldest first.
    public static func entries(on db: any Database, township: String, year: Int) async throws -> [ReserveEntry] {
        let sql = db as! any SQLDatabase
        return try await sql.select().columns("entry_on", "kind", "amount_fen", "case_number", "note", "recorded_by").from("reserve_ledger")
            .where("township", .equal, township).where("year", .equal, Int64(year)).orderBy("id").all().map { r in
                ReserveEntry(on: try Day(parsing: try r.decode(column: "entry_on", as: String.self)),
                             kind: ReserveEntry.Kind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .payout,
                             amountFen: try r.decode(column: "amount_fen", as: Int64.self), caseNumber: try r.decode(column: "case_number", as: String?.self),
                             note: try r.decode(column: "note", as: String.self), recordedBy: try r.decode(column: "recorded_by", as: String.self))
            }
    }

    /// Records an entry inside the caller's transaction (a payout with its case's step); a payout
    /// beyond the balance (the year's allocation + top-ups − payouts) is refused.
    public static func record(_ kind: ReserveEntry.Kind, township: String, on day: Day, amountFen: Int64, allocationFen: Int64, caseNumber: String?,
                              note: String, tx: any Database, at: Date, actor: AuditActor) async throws {
        guard amountFen > 0 else { throw StoreError.invalid([FieldProblem(field: "amount_fen", rule: "must be above 0")]) }
        if kind == .payout {
            let statement = ReserveStatement(township: township, year: day.year, allocationFen: allocationFen,
                                             entries: try await entries(on: tx, township: township, year: day.year))
            guard statement.balanceFen >= amountFen else {
                throw ReserveError.insufficient(township: township, balanceFen: statement.balanceFen, askedFen: amountFen)
            }
        }
        let sql = tx as! any SQLDatabase
        try await sql.insert(into: "reserve_ledger").columns("id", "township", "county_code", "year", "entry_on", "kind", "amount_fen", "case_number", "note",
                                                            "recorded_by", "recorded_at")
            .values(SQLBind(try await PaymentStore.nextID(sql, "reserve_ledger")), SQLBind(township), SQLBind(String(township.prefix(6))), SQLBind(Int64(day.year)),
                    SQLBind(day.description), SQLBind(kind.rawValue), SQLBind(amountFen), SQLBind(caseNumber), SQLBind(note), SQLBind(actor.name), SQLBind(at)).run()
        try await AuditLog.record(on: tx, at: at, actor: actor, action: .create, entity: "reserve", key: "\(township) \(day.year)", county: String(township.prefix(6)),
                                  detail: ["kind": kind.rawValue, "amount_fen": String(amountFen), "case": caseNumber ?? "", "note": note])
    }

    /// A top-up from the county, in its own transaction.
    public static func topUp(on db: any Database, township: String, day: Day, amountFen: Int64, note: String, at: Date, actor: AuditActor) async throws {
        try await AuditLog.transaction(on: db) { tx in
            try await record(.topUp, township: township, on: day, amountFen: amountFen, allocationFen: 0, caseNumber: nil, note: note, tx: tx, at: at, actor: actor)
        }
    }
}
