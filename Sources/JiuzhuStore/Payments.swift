import FluentKit
import Foundation
import JiuzhuCore
import SQLKit

/// An amount in force from a month on.
public struct DatedAmount: Sendable, Equatable, Codable {
    public let from: Month
    public let fen: Int64
    public let reason: String
    public init(from: Month, fen: Int64, reason: String) { self.from = from; self.fen = fen; self.reason = reason }
}

/// What a household is owed each month under one programme (待遇): to whom, into which account,
/// from which month Jiuzhu pays it, and the amounts in force by month.
public struct Entitlement: Sendable, Equatable, Codable {
    public let id: Int64
    public let householdID: String
    public let countyCode: String
    public let divisionCode: String
    public let programme: PaymentProgramme
    public let payee: String
    public let bankAccount: String?
    /// The first month paid, by the county's old system if before `owedFrom`.
    public let firstMonth: Month
    /// The first month Jiuzhu pays.
    public let owedFrom: Month
    /// The last month paid (after a stop), or nil.
    public let endMonth: Month?
    public let nextReview: Day?
    public let source: String
    /// Oldest first.
    public let amounts: [DatedAmount]

    public init(id: Int64, householdID: String, countyCode: String, divisionCode: String, programme: PaymentProgramme, payee: String,
                bankAccount: String?, firstMonth: Month, owedFrom: Month, endMonth: Month?, nextReview: Day?, source: String, amounts: [DatedAmount]) {
        self.id = id
        self.householdID = householdID
        self.countyCode = countyCode
        self.divisionCode = divisionCode
        self.programme = programme
        self.payee = payee
        self.bankAccount = bankAccount
        self.firstMonth = firstMonth
        self.owedFrom = owedFrom
        self.endMonth = endMonth
        self.nextReview = nextReview
        self.source = source
        self.amounts = amounts
    }

    /// Whether the benefit is paid for a month: Jiuzhu pays it then, it has not stopped, its amount is above 0.
    public func isPaid(in month: Month) -> Bool {
        owedFrom <= month && (endMonth.map { month <= $0 } ?? true) && amount(in: month) > 0
    }

    /// The amount owed for a month (0 before the first amount).
    public func amount(in month: Month) -> Int64 {
        amounts.last { $0.from <= month }?.fen ?? 0
    }

    enum CodingKeys: String, CodingKey {
        case id, householdID = "household_id", countyCode = "county_code", divisionCode = "division_code", programme, payee = "payee_id_number"
        case bankAccount = "bank_account", firstMonth = "first_month", owedFrom = "owed_from", endMonth = "end_month", nextReview = "next_review"
        case source, amounts
    }
}

/// A new entitlement to record.
public struct NewEntitlement: Sendable, Equatable {
    public let householdID: String
    public let countyCode: String
    public let divisionCode: String
    public let programme: PaymentProgramme
    public let payee: String
    public let bankAccount: String?
    public let firstMonth: Month
    public let owedFrom: Month
    public let nextReview: Day?
    public let source: String
    public let amount: DatedAmount

    public init(householdID: String, countyCode: String, divisionCode: String, programme: PaymentProgramme, payee: String, bankAccount: String?,
                firstMonth: Month, owedFrom: Month, nextReview: Day?, source: String, amount: DatedAmount) {
        self.householdID = householdID
        self.countyCode = countyCode
        self.divisionCode = divisionCode
        self.programme = programme
        self.payee = payee
        self.bankAccount = bankAccount
        self.firstMonth = firstMonth
        self.owedFrom = owedFrom
        self.nextReview = nextReview
        self.source = source
        self.amount = amount
    }
}

/// One payment of a roll (发放名册): the month of the roll, the month it pays for (earlier for
/// arrears and reissues), to whom and how much.
public struct PayrollLine: Sendable, Equatable, Codable {
    /// `regular` (the roll's own month), `arrears` (an earlier month not yet paid, or a raise
    /// back-dated), `reissue` (an earlier payment returned by the bank, paid again).
    /// Paid beside the benefit (never counted as paying it): `price_subsidy` (物价联动, the roll's
    /// month), `emergency_raise` (a standard raised for an emergency), `emergency_subsidy` (a bulk
    /// temporary living subsidy), `heating` (取暖救助, once a season, `for_month` the season's first
    /// month), `funeral` (a one-off funeral subsidy, `for_month` the month it was decided).
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case regular, arrears, reissue
        case priceSubsidy = "price_subsidy", emergencyRaise = "emergency_raise", emergencySubsidy = "emergency_subsidy", heating, funeral

        /// Whether the line pays the entitlement's own monthly amount.
        public var paysBenefit: Bool { self == .regular || self == .arrears || self == .reissue }
    }
    /// `pending` until the bank's answer; then `paid` or `returned`.
    public enum Status: String, Sendable, Codable { case pending, paid, returned }

    public let month: Month
    public let forMonth: Month
    public let kind: Kind
    public let entitlementID: Int64
    public let householdID: String
    public let countyCode: String
    public let divisionCode: String
    public let programme: PaymentProgramme
    public let payee: String
    public let payeeName: String
    public let bankAccount: String
    public let amountFen: Int64
    public var status: Status
    public var note: String

    public init(month: Month, forMonth: Month, kind: Kind, entitlementID: Int64, householdID: String, countyCode: String, divisionCode: String,
                programme: PaymentProgramme, payee: String, payeeName: String, bankAccount: String, amountFen: Int64,
                status: Status = .pending, note: String = "") {
        self.month = month
        self.forMonth = forMonth
        self.kind = kind
        self.entitlementID = entitlementID
        self.householdID = householdID
        self.countyCode = countyCode
        self.divisionCode = divisionCode
        self.programme = programme
        self.payee = payee
        self.payeeName = payeeName
        self.bankAccount = bankAccount
        self.amountFen = amountFen
        self.status = status
        self.note = note
    }

    /// The township (9 digits) of the household.
    public var township: String { String(divisionCode.prefix(9)) }

    enum CodingKeys: String, CodingKey {
        case month, forMonth = "for_month", kind, entitlementID = "entitlement_id", householdID = "household_id", countyCode = "county_code"
        case divisionCode = "division_code", programme, payee = "payee_id_number", payeeName = "payee_name", bankAccount = "bank_account"
        case amountFen = "amount_fen", status, note
    }
}

/// A county's roll for a month: `generated` (a draft, generated again freely), `confirmed`
/// (fixed: generating again changes nothing), `exported` (the bank file written).
public struct PayrollRun: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable { case generated, confirmed, exported }
    public let countyCode: String
    public let month: Month
    public let status: Status
    public let lines: Int
    public let totalFen: Int64
    public let generatedAt: Date
    public let generatedBy: String
    public let confirmedBy: String?
    public let exportedBy: String?

    enum CodingKeys: String, CodingKey {
        case countyCode = "county_code", month, status, lines, totalFen = "total_fen", generatedAt = "generated_at", generatedBy = "generated_by"
        case confirmedBy = "confirmed_by", exportedBy = "exported_by"
    }
}

/// What has been paid already for one entitlement and month, in other rolls.
public struct Coverage: Sendable, Equatable {
    /// Paid or pending (not returned), fen.
    public var fen: Int64 = 0
    /// Whether a payment for it was returned.
    public var returned = false
    public init(fen: Int64 = 0, returned: Bool = false) { self.fen = fen; self.returned = returned }
}

public enum PaymentError: Error, Equatable, CustomStringConvertible {
    case confirmed(county: String, month: Month, status: PayrollRun.Status)
    case noRoll(county: String, month: Month)
    case notConfirmed(county: String, month: Month)
    case notExported(county: String, month: Month)
    case noEntitlement(String)

    public var description: String {
        switch self {
        case .confirmed(let c, let m, let s): return "month: the roll of \(m) for \(c) is \(s.rawValue); it is not generated again (nothing changed)"
        case .noRoll(let c, let m): return "month: there is no roll of \(m) for \(c); generate it first"
        case .notConfirmed(let c, let m): return "month: the roll of \(m) for \(c) is not confirmed; confirm it before the bank file is written"
        case .notExported(let c, let m): return "month: the roll of \(m) for \(c) has not been sent to the bank (exported); nothing to record"
        case .noEntitlement(let what): return what
        }
    }
}

/// Entitlements and payment rolls, in one database. Every change is one transaction with its audit
/// record; a roll is unique per county and month, and each of its lines per entitlement, month paid
/// for and kind, so generating again never adds a line twice.
public struct PaymentStore: Sendable {
    public let db: any Database
    public let actor: AuditActor
    public let now: @Sendable () -> Date

    public init(db: any Database, actor: AuditActor, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.actor = actor
        self.now = now
    }

    var sql: any SQLDatabase { db as! any SQLDatabase }

    // MARK: Entitlements

    /// The entitlements of a county (all, or those of one household), with their amounts.
    public func entitlements(county: String, householdID: String? = nil) async throws -> [Entitlement] {
        try await Self.entitlements(on: sql, county: county, householdID: householdID)
    }

    static func entitlements(on sql: any SQLDatabase, county: String, householdID: String? = nil) async throws -> [Entitlement] {
        var q = sql.select().columns("id", "household_id", "county_code", "division_code", "programme", "payee_id_number", "bank_account",
                                     "first_month", "owed_from", "end_month", "next_review", "source")
            .from("entitlements").where("county_code", .equal, county)
        if let householdID { q = q.where("household_id", .equal, householdID) }
        let rows = try await q.orderBy("id").all()
        var amounts: [Int64: [DatedAmount]] = [:]
        var aq = sql.select().columns(SQLColumn("entitlement_id", table: "a"), SQLColumn("from_month", table: "a"), SQLColumn("amount_fen", table: "a"),
                                      SQLColumn("reason", table: "a"))
            .from(SQLAlias(SQLIdentifier("entitlement_amounts"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("entitlements"), as: SQLIdentifier("e")), on: SQLColumn("id", table: "e"), .equal, SQLColumn("entitlement_id", table: "a"))
            .where(SQLColumn("county_code", table: "e"), .equal, SQLBind(county))
        if let householdID { aq = aq.where(SQLColumn("household_id", table: "e"), .equal, SQLBind(householdID)) }
        for r in try await aq.orderBy(SQLColumn("from_month", table: "a")).all() {
            amounts[try r.decode(column: "entitlement_id", as: Int64.self), default: []].append(DatedAmount(
                from: try Month(parsing: try r.decode(column: "from_month", as: String.self)), fen: try r.decode(column: "amount_fen", as: Int64.self),
                reason: try r.decode(column: "reason", as: String.self)))
        }
        return try rows.map { r in
            let id = try r.decode(column: "id", as: Int64.self)
            let programme = try r.decode(column: "programme", as: String.self)
            guard let p = PaymentProgramme(rawValue: programme) else { throw StoreError.corrupt("entitlements.programme", programme) }
            return Entitlement(
                id: id, householdID: try r.decode(column: "household_id", as: String.self), countyCode: try r.decode(column: "county_code", as: String.self),
                divisionCode: try r.decode(column: "division_code", as: String.self), programme: p,
                payee: try r.decode(column: "payee_id_number", as: String.self), bankAccount: try r.decode(column: "bank_account", as: String?.self),
                firstMonth: try Month(parsing: try r.decode(column: "first_month", as: String.self)),
                owedFrom: try Month(parsing: try r.decode(column: "owed_from", as: String.self)),
                endMonth: try r.decode(column: "end_month", as: String?.self).map { try Month(parsing: $0) },
                nextReview: try r.decode(column: "next_review", as: String?.self).map { try Day(parsing: $0) },
                source: try r.decode(column: "source", as: String.self), amounts: amounts[id] ?? [])
        }
    }

    /// Records entitlements with their first amounts (and, for a migration, the import's
    /// provenance) in one transaction with one audit record. A file already imported in the scope
    /// (same digest) changes nothing: the earlier import is returned.
    public func record(_ new: [NewEntitlement], importDigest: String? = nil, scope: String = "", fileName: String = "", owedFrom: Month? = nil,
                       county: String) async throws -> (recorded: Int, repeated: Bool) {
        let (actor, at) = (actor, now())
        return try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            if let importDigest {
                let earlier = try await sql.select().column("lines").from("recipient_imports").where("digest", .equal, importDigest)
                    .where("scope", .equal, scope).first()
                if let earlier { return (Int(try earlier.decode(column: "lines", as: Int64.self)), true) }
                try await sql.insert(into: "recipient_imports").columns("digest", "scope", "file_name", "lines", "owed_from", "imported_at", "imported_by")
                    .values(SQLBind(importDigest), SQLBind(scope), SQLBind(fileName), SQLBind(Int64(new.count)), SQLBind(owedFrom?.description ?? ""),
                            SQLBind(at), SQLBind(actor.name)).run()
            }
            try await Self.insert(new, on: sql, at: at)
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .create, entity: "entitlements", key: importDigest.map { "import:" + $0.prefix(12) } ?? "*",
                                      county: county, detail: ["entitlements": String(new.count), "file": fileName, "owed_from": owedFrom?.description ?? ""])
            return (new.count, false)
        }
    }

    /// Inserts entitlements with their first amounts (inside the caller's transaction).
    static func insert(_ new: [NewEntitlement], on sql: any SQLDatabase, at: Date) async throws {
        for chunk in stride(from: 0, to: new.count, by: 1000) {
            let part = new[chunk..<min(chunk + 1000, new.count)]
            let first = try await Self.nextID(sql, "entitlements")
            let rows: [[any Encodable & Sendable]] = part.enumerated().map { i, e in
                [first + Int64(i), e.householdID, e.countyCode, e.divisionCode, e.programme.rawValue, e.payee, e.bankAccount, e.firstMonth.description,
                 e.owedFrom.description, e.nextReview?.description, e.source, at]
            }
            try await sql.execute(sql: BulkInsert(table: "entitlements", columns: ["id", "household_id", "county_code", "division_code", "programme",
                                                                                   "payee_id_number", "bank_account", "first_month", "owed_from",
                                                                                   "next_review", "source", "created_at"], rows: rows)) { _ in }
            let firstAmount = try await Self.nextID(sql, "entitlement_amounts")
            let amounts: [[any Encodable & Sendable]] = part.enumerated().map { i, e in
                [firstAmount + Int64(i), first + Int64(i), e.amount.from.description, e.amount.fen, e.amount.reason, at]
            }
            try await sql.execute(sql: BulkInsert(table: "entitlement_amounts", columns: ["id", "entitlement_id", "from_month", "amount_fen", "reason", "recorded_at"],
                                                  rows: amounts)) { _ in }
        }
    }

    /// Records the entitlement a case's enrolment starts, inside the case's own transaction.
    public static func enrol(_ new: NewEntitlement, on tx: any Database, at: Date, actor: AuditActor) async throws {
        try await insert([new], on: tx as! any SQLDatabase, at: at)
        try await AuditLog.record(on: tx, at: at, actor: actor, action: .create, entity: "entitlement", key: new.source, county: new.countyCode,
                                  detail: ["household": new.householdID, "programme": new.programme.rawValue, "from": new.owedFrom.description,
                                           "amount_fen": String(new.amount.fen)])
    }

    /// The next free id of a table (inside the transaction that inserts, which holds the writers'
    /// lock, so no one else takes it). Every insert into these tables gives its id this way.
    static func nextID(_ sql: any SQLDatabase, _ table: String) async throws -> Int64 {
        let row = try await sql.raw("SELECT COALESCE(MAX(id), 0) + 1 AS next FROM \(ident: table)").first()
        return try row?.decode(column: "next", as: Int64.self) ?? 1
    }

    /// An amount in force from a month on (an officer's decision: a review, a change of
    /// circumstance); a month already paid is settled by the next roll (arrears, or reported overpaid).
    public func changeAmount(entitlementID: Int64, from month: Month, fen: Int64, reason: String) async throws {
        guard fen >= 0 else { throw StoreError.invalid([FieldProblem(field: "amount_fen", rule: "must be 0 or more")]) }
        let (actor, at) = (actor, now())
        try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            guard let row = try await sql.select().columns("county_code", "household_id").from("entitlements").where("id", .equal, entitlementID).first() else {
                throw PaymentError.noEntitlement("entitlement: \(entitlementID) does not exist")
            }
            try await sql.delete(from: "entitlement_amounts").where("entitlement_id", .equal, entitlementID).where("from_month", .equal, month.description).run()
            try await sql.insert(into: "entitlement_amounts").columns("id", "entitlement_id", "from_month", "amount_fen", "reason", "recorded_at")
                .values(SQLBind(try await Self.nextID(sql, "entitlement_amounts")), SQLBind(entitlementID), SQLBind(month.description), SQLBind(fen),
                        SQLBind(reason), SQLBind(at)).run()
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .update, entity: "entitlement", key: String(entitlementID),
                                      county: try row.decode(column: "county_code", as: String.self),
                                      detail: ["from": month.description, "amount_fen": String(fen), "reason": reason])
        }
    }

    /// Stops an entitlement after its last month paid (an exit, the end of gradual exit, a death).
    public func stop(entitlementID: Int64, lastMonth: Month, reason: String) async throws {
        let (actor, at) = (actor, now())
        try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            guard let row = try await sql.select().columns("county_code").from("entitlements").where("id", .equal, entitlementID).first() else {
                throw PaymentError.noEntitlement("entitlement: \(entitlementID) does not exist")
            }
            try await sql.update("entitlements").set("end_month", to: lastMonth.description).where("id", .equal, entitlementID).run()
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .update, entity: "entitlement", key: String(entitlementID),
                                      county: try row.decode(column: "county_code", as: String.self), detail: ["last_month": lastMonth.description, "reason": reason])
        }
    }

    /// Records a review (定期复核) of an entitlement in one transaction: its outcome and notice, the
    /// next review, an amount from a month, a last month paid.
    public func recordReview(entitlementID: Int64, on day: Day, outcome: String, notice: String, nextReview: Day?,
                             amount: DatedAmount?, lastMonth: Month?) async throws {
        let (actor, at) = (actor, now())
        try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            guard let row = try await sql.select().columns("county_code", "end_month").from("entitlements").where("id", .equal, entitlementID).first() else {
                throw PaymentError.noEntitlement("entitlement: \(entitlementID) does not exist")
            }
            if let ended = try row.decode(column: "end_month", as: String?.self) {
                throw PaymentError.noEntitlement("entitlement: \(entitlementID) stopped after \(ended); it is not reviewed")
            }
            try await sql.update("entitlements").set("next_review", to: nextReview?.description).set("end_month", to: lastMonth?.description)
                .where("id", .equal, entitlementID).run()
            if let amount {
                try await sql.delete(from: "entitlement_amounts").where("entitlement_id", .equal, entitlementID).where("from_month", .equal, amount.from.description).run()
                try await sql.insert(into: "entitlement_amounts").columns("id", "entitlement_id", "from_month", "amount_fen", "reason", "recorded_at")
                    .values(SQLBind(try await Self.nextID(sql, "entitlement_amounts")), SQLBind(entitlementID), SQLBind(amount.from.description),
                            SQLBind(amount.fen), SQLBind(amount.reason), SQLBind(at)).run()
            }
            try await sql.insert(into: "entitlement_reviews").columns("id", "entitlement_id", "reviewed_on", "outcome", "notice", "recorded_by", "recorded_at")
                .values(SQLBind(try await Self.nextID(sql, "entitlement_reviews")), SQLBind(entitlementID), SQLBind(day.description), SQLBind(outcome),
                        SQLBind(notice), SQLBind(actor.name), SQLBind(at)).run()
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .update, entity: "entitlement", key: String(entitlementID),
                                      county: try row.decode(column: "county_code", as: String.self),
                                      detail: ["review": outcome, "on": day.description, "next_review": nextReview?.description ?? "",
                                               "amount_fen": amount.map { String($0.fen) } ?? "", "last_month": lastMonth?.description ?? ""])
        }
    }

    /// What the rolls paid of an entitlement's benefit for each month from `from` (returned payments not counted).
    public func paidBenefit(entitlementID: Int64, from: Month) async throws -> [Month: Int64] {
        var out: [Month: Int64] = [:]
        for r in try await sql.select().columns("for_month", "amount_fen", "kind", "status").from("payroll_lines")
            .where("entitlement_id", .equal, entitlementID).where("for_month", .greaterThanOrEqual, from.description).all() {
            guard PayrollLine.Kind(rawValue: try r.decode(column: "kind", as: String.self))?.paysBenefit == true,
                  try r.decode(column: "status", as: String.self) != PayrollLine.Status.returned.rawValue else { continue }
            out[try Month(parsing: try r.decode(column: "for_month", as: String.self)), default: 0] += try r.decode(column: "amount_fen", as: Int64.self)
        }
        return out
    }

    /// The reviews of an entitlement, oldest first: day, outcome and the notice given.
    public func reviews(entitlementID: Int64) async throws -> [(on: Day, outcome: String, notice: String)] {
        try await sql.select().columns("reviewed_on", "outcome", "notice").from("entitlement_reviews").where("entitlement_id", .equal, entitlementID)
            .orderBy("id").all().map { r in
                (try Day(parsing: try r.decode(column: "reviewed_on", as: String.self)), try r.decode(column: "outcome", as: String.self),
                 try r.decode(column: "notice", as: String.self))
            }
    }

    /// The lines of an earlier import of the same file in the scope, if any.
    public func earlierImport(digest: String, scope: String) async throws -> (lines: Int, owedFrom: Month)? {
        guard let r = try await sql.select().columns("lines", "owed_from").from("recipient_imports").where("digest", .equal, digest)
            .where("scope", .equal, scope).first() else { return nil }
        return (Int(try r.decode(column: "lines", as: Int64.self)), try Month(parsing: try r.decode(column: "owed_from", as: String.self)))
    }

    /// Changes the account an entitlement pays into (a closed account, a new card).
    public func setAccount(county: String, householdID: String, programme: PaymentProgramme, account: String) async throws -> Int {
        guard (10...30).contains(account.utf8.count), account.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw StoreError.invalid([FieldProblem(field: "account", rule: "must be 10 to 30 digits")])
        }
        let (actor, at) = (actor, now())
        return try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            let ids = try await sql.select().column("id").from("entitlements").where("county_code", .equal, county).where("household_id", .equal, householdID)
                .where("programme", .equal, programme.rawValue).all().map { try $0.decode(column: "id", as: Int64.self) }
            guard !ids.isEmpty else { throw PaymentError.noEntitlement("household: \(householdID) has no \(programme.rawValue) entitlement in \(county)") }
            try await sql.update("entitlements").set("bank_account", to: account).where("id", .in, ids).run()
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .update, entity: "entitlement", key: "\(householdID) \(programme.rawValue)",
                                      county: county, detail: ["bank_account": String(account.suffix(4))])
            return ids.count
        }
    }

    /// The names of the county's payees by ID number (for the roll).
    public func payeeNames(county: String) async throws -> [String: String] {
        var out: [String: String] = [:]
        let q = sql.select().columns(SQLColumn("id_number", table: "m"), SQLColumn("name", table: "m"))
            .from(SQLAlias(SQLIdentifier("members"), as: SQLIdentifier("m")))
            .join(SQLAlias(SQLIdentifier("entitlements"), as: SQLIdentifier("e")), on: SQLColumn("payee_id_number", table: "e"), .equal, SQLColumn("id_number", table: "m"))
            .where(SQLColumn("county_code", table: "e"), .equal, SQLBind(county))
        for r in try await q.all() {
            out[try r.decode(column: "id_number", as: String.self)] = try r.decode(column: "name", as: String.self)
        }
        return out
    }

    /// Each household's number of members and hukou in a county (who a price subsidy covers).
    public func householdFacts(county: String) async throws -> [String: (members: Int, hukou: HukouType)] {
        var out: [String: (members: Int, hukou: HukouType)] = [:]
        let q = sql.select().column(SQLColumn("household_id", table: "h")).column(SQLColumn("hukou_type", table: "h"))
            .column(SQLFunction("COUNT", args: SQLColumn("id", table: "m")), as: "n")
            .from(SQLAlias(SQLIdentifier("households"), as: SQLIdentifier("h")))
            .join(SQLAlias(SQLIdentifier("members"), as: SQLIdentifier("m")), on: SQLColumn("household_id", table: "m"), .equal, SQLColumn("household_id", table: "h"))
            .where(SQLColumn("county_code", table: "h"), .equal, SQLBind(county))
            .groupBy(SQLColumn("household_id", table: "h")).groupBy(SQLColumn("hukou_type", table: "h"))
        for r in try await q.all() {
            out[try r.decode(column: "household_id", as: String.self)] = (Int(try r.decode(column: "n", as: Int64.self)),
                                                                          HukouType(rawValue: try r.decode(column: "hukou_type", as: String.self)) ?? .rural)
        }
        return out
    }

    /// Records a month's price indices for a county (the year-on-year rises, as published); a
    /// month recorded again replaces its figures.
    public func recordPriceIndices(county: String, month: Month, cpi: String, foodCpi: String) async throws {
        let (actor, at) = (actor, now())
        try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            try await sql.delete(from: "price_indices").where("county_code", .equal, county).where("month", .equal, month.description).run()
            try await sql.insert(into: "price_indices").columns("id", "county_code", "month", "cpi_rise", "food_cpi_rise", "recorded_by", "recorded_at")
                .values(SQLBind(try await Self.nextID(sql, "price_indices")), SQLBind(county), SQLBind(month.description), SQLBind(cpi), SQLBind(foodCpi),
                        SQLBind(actor.name), SQLBind(at)).run()
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .update, entity: "price_indices", key: "\(county) \(month)", county: county,
                                      detail: ["cpi": cpi, "food_cpi": foodCpi])
        }
    }

    /// A month's recorded price indices for a county (CPI rise, food-CPI rise), if any.
    public func priceIndices(county: String, month: Month) async throws -> (cpi: String, foodCpi: String)? {
        guard let r = try await sql.select().columns("cpi_rise", "food_cpi_rise").from("price_indices").where("county_code", .equal, county)
            .where("month", .equal, month.description).first() else { return nil }
        return (try r.decode(column: "cpi_rise", as: String.self), try r.decode(column: "food_cpi_rise", as: String.self))
    }

    // MARK: Rolls

    /// The roll of a county and month, if generated.
    public func run(county: String, month: Month) async throws -> PayrollRun? {
        try await Self.run(on: sql, county: county, month: month)
    }

    static func run(on sql: any SQLDatabase, county: String, month: Month) async throws -> PayrollRun? {
        guard let r = try await sql.select().columns("*").from("payroll_runs").where("county_code", .equal, county)
            .where("month", .equal, month.description).first() else { return nil }
        let status = try r.decode(column: "status", as: String.self)
        return PayrollRun(countyCode: county, month: month, status: PayrollRun.Status(rawValue: status) ?? .generated,
                          lines: Int(try r.decode(column: "lines", as: Int64.self)), totalFen: try r.decode(column: "total_fen", as: Int64.self),
                          generatedAt: try r.decode(column: "generated_at", as: Date.self), generatedBy: try r.decode(column: "generated_by", as: String.self),
                          confirmedBy: try r.decode(column: "confirmed_by", as: String?.self), exportedBy: try r.decode(column: "exported_by", as: String?.self))
    }

    /// Generates (or generates again) a county's roll for a month in one transaction: `compute`
    /// gets the county's entitlements and what other rolls already paid for each entitlement and
    /// month, and returns the lines; they replace a draft's lines. A confirmed roll is refused.
    public func generate(county: String, month: Month,
                         compute: @escaping @Sendable ([Entitlement], [Int64: [Month: Coverage]], Set<PaidExtra>) async throws -> [PayrollLine]) async throws -> PayrollRun {
        let (actor, at) = (actor, now())
        return try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            var runID: Int64?
            if let r = try await sql.select().columns("id", "status").from("payroll_runs").where("county_code", .equal, county)
                .where("month", .equal, month.description).first() {
                let status = PayrollRun.Status(rawValue: try r.decode(column: "status", as: String.self)) ?? .generated
                guard status == .generated else { throw PaymentError.confirmed(county: county, month: month, status: status) }
                runID = try r.decode(column: "id", as: Int64.self)
                try await sql.delete(from: "payroll_lines").where("run_id", .equal, runID!).run()
            }
            let entitlements = try await Self.entitlements(on: sql, county: county)
            var coverage: [Int64: [Month: Coverage]] = [:]
            var extras: Set<PaidExtra> = []
            // What other rolls paid: of the benefit itself, and beside it (not returned).
            for r in try await sql.select().columns("entitlement_id", "for_month", "amount_fen", "status", "kind").from("payroll_lines")
                .where("county_code", .equal, county).all() {
                let id = try r.decode(column: "entitlement_id", as: Int64.self)
                let m = try Month(parsing: try r.decode(column: "for_month", as: String.self))
                let kind = PayrollLine.Kind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .regular
                if !kind.paysBenefit {
                    if try r.decode(column: "status", as: String.self) != PayrollLine.Status.returned.rawValue {
                        extras.insert(PaidExtra(entitlementID: id, kind: kind, forMonth: m))
                    }
                    continue
                }
                var c = coverage[id, default: [:]][m, default: Coverage()]
                if try r.decode(column: "status", as: String.self) == PayrollLine.Status.returned.rawValue { c.returned = true } else {
                    c.fen += try r.decode(column: "amount_fen", as: Int64.self)
                }
                coverage[id, default: [:]][m] = c
            }
            let lines = try await compute(entitlements, coverage, extras)
            let total = lines.reduce(Int64(0)) { $0 + $1.amountFen }
            if let id = runID {
                try await sql.update("payroll_runs").set("lines", to: Int64(lines.count)).set("total_fen", to: total).set("generated_at", to: at)
                    .set("generated_by", to: actor.name).where("id", .equal, id).run()
            } else {
                let id = try await Self.nextID(sql, "payroll_runs")
                try await sql.insert(into: "payroll_runs").columns("id", "county_code", "month", "status", "lines", "total_fen", "generated_at", "generated_by")
                    .values(SQLBind(id), SQLBind(county), SQLBind(month.description), SQLBind(PayrollRun.Status.generated.rawValue), SQLBind(Int64(lines.count)),
                            SQLBind(total), SQLBind(at), SQLBind(actor.name)).run()
                runID = id
            }
            for chunk in stride(from: 0, to: lines.count, by: 1000) {
                let rows: [[any Encodable & Sendable]] = lines[chunk..<min(chunk + 1000, lines.count)].map { l in
                    [runID!, l.month.description, l.forMonth.description, l.kind.rawValue, l.entitlementID, l.householdID, l.countyCode, l.divisionCode,
                     l.programme.rawValue, l.payee, l.payeeName, l.bankAccount, l.amountFen, l.status.rawValue, l.note]
                }
                try await sql.execute(sql: BulkInsert(table: "payroll_lines", columns: Self.lineColumns, rows: rows)) { _ in }
            }
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .create, entity: "payroll", key: "\(county) \(month)", county: county,
                                      detail: ["lines": String(lines.count), "total_fen": String(total)])
            return try await Self.run(on: sql, county: county, month: month)!
        }
    }

    static let lineColumns = ["run_id", "month", "for_month", "kind", "entitlement_id", "household_id", "county_code", "division_code", "programme",
                              "payee_id_number", "payee_name", "bank_account", "amount_fen", "status", "note"]

    /// The lines of a roll, in the bank file's order: township, household, programme, payee, month paid for, kind.
    public func lines(county: String, month: Month) async throws -> [PayrollLine] {
        try await Self.lines(on: sql, county: county, month: month)
    }

    static func lines(on sql: any SQLDatabase, county: String, month: Month) async throws -> [PayrollLine] {
        let rows = try await sql.select().columns(lineColumns.dropFirst().map { SQLColumn($0) }).from("payroll_lines")
            .where("county_code", .equal, county).where("month", .equal, month.description)
            .orderBy("division_code").orderBy("household_id").orderBy("programme").orderBy("payee_id_number").orderBy("for_month").orderBy("kind").all()
        return try rows.map { r in
            let programme = try r.decode(column: "programme", as: String.self)
            guard let p = PaymentProgramme(rawValue: programme) else { throw StoreError.corrupt("payroll_lines.programme", programme) }
            return PayrollLine(
                month: month, forMonth: try Month(parsing: try r.decode(column: "for_month", as: String.self)),
                kind: PayrollLine.Kind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .regular,
                entitlementID: try r.decode(column: "entitlement_id", as: Int64.self), householdID: try r.decode(column: "household_id", as: String.self),
                countyCode: county, divisionCode: try r.decode(column: "division_code", as: String.self), programme: p,
                payee: try r.decode(column: "payee_id_number", as: String.self), payeeName: try r.decode(column: "payee_name", as: String.self),
                bankAccount: try r.decode(column: "bank_account", as: String.self), amountFen: try r.decode(column: "amount_fen", as: Int64.self),
                status: PayrollLine.Status(rawValue: try r.decode(column: "status", as: String.self)) ?? .pending, note: try r.decode(column: "note", as: String.self))
        }
    }

    /// Moves a roll on: generated → confirmed (`to: .confirmed`), confirmed → exported (`to: .exported`).
    /// Asking for the state it is already in changes nothing.
    @discardableResult
    public func advance(county: String, month: Month, to status: PayrollRun.Status) async throws -> PayrollRun {
        let (actor, at) = (actor, now())
        return try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            guard let run = try await Self.run(on: sql, county: county, month: month) else { throw PaymentError.noRoll(county: county, month: month) }
            if run.status == status || (status == .confirmed && run.status == .exported) { return run }
            switch status {
            case .confirmed:
                try await sql.update("payroll_runs").set("status", to: status.rawValue).set("confirmed_at", to: at).set("confirmed_by", to: actor.name)
                    .where("county_code", .equal, county).where("month", .equal, month.description).run()
            case .exported:
                guard run.status == .confirmed else { throw PaymentError.notConfirmed(county: county, month: month) }
                try await sql.update("payroll_runs").set("status", to: status.rawValue).set("exported_at", to: at).set("exported_by", to: actor.name)
                    .where("county_code", .equal, county).where("month", .equal, month.description).run()
            case .generated:
                return run
            }
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .update, entity: "payroll", key: "\(county) \(month)", county: county,
                                      detail: ["status": status.rawValue])
            return try await Self.run(on: sql, county: county, month: month)!
        }
    }

    /// Records the bank's answer for an exported roll: the `returned` lines (each named by its
    /// household, payee, account, programme, month paid for and amount) with their reasons, and
    /// every other pending line as paid. A line the roll does not hold refuses the whole answer.
    public func recordBankAnswer(county: String, month: Month, returned: [(key: PayrollLineKey, reason: String, line: Int)]) async throws -> (paid: Int, returned: Int) {
        let (actor, at) = (actor, now())
        return try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            guard let run = try await Self.run(on: sql, county: county, month: month) else { throw PaymentError.noRoll(county: county, month: month) }
            guard run.status == .exported else { throw PaymentError.notExported(county: county, month: month) }
            let lines = try await Self.lines(on: sql, county: county, month: month)
            var byKey: [PayrollLineKey: [PayrollLine]] = [:]
            for l in lines where l.status == .pending { byKey[PayrollLineKey(l), default: []].append(l) }
            var problems: [FieldProblem] = []
            var chosen: [(PayrollLine, String)] = []
            for r in returned {
                guard var list = byKey[r.key], !list.isEmpty else {
                    problems.append(FieldProblem(field: "line \(r.line)", rule: "the roll of \(month) has no pending payment of \(Money(fen: r.key.amountFen)) to account \(r.key.bankAccount) for \(r.key.householdID) (\(r.key.programme.rawValue), \(r.key.forMonth))"))
                    continue
                }
                chosen.append((list.removeFirst(), r.reason))
                byKey[r.key] = list
            }
            if !problems.isEmpty { throw StoreError.invalid(problems) }
            for (l, reason) in chosen {
                try await sql.update("payroll_lines").set("status", to: PayrollLine.Status.returned.rawValue).set("note", to: reason)
                    .where("county_code", .equal, county).where("month", .equal, month.description).where("entitlement_id", .equal, l.entitlementID)
                    .where("for_month", .equal, l.forMonth.description).where("kind", .equal, l.kind.rawValue).run()
            }
            let pending = lines.filter { $0.status == .pending }.count
            try await sql.update("payroll_lines").set("status", to: PayrollLine.Status.paid.rawValue).where("county_code", .equal, county)
                .where("month", .equal, month.description).where("status", .equal, PayrollLine.Status.pending.rawValue).run()
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .update, entity: "payroll", key: "\(county) \(month)", county: county,
                                      detail: ["paid": String(pending - chosen.count), "returned": String(chosen.count)])
            return (pending - chosen.count, chosen.count)
        }
    }
}

/// A payment beside the benefit already made by another roll.
public struct PaidExtra: Hashable, Sendable {
    public let entitlementID: Int64
    public let kind: PayrollLine.Kind
    public let forMonth: Month
    public init(entitlementID: Int64, kind: PayrollLine.Kind, forMonth: Month) { self.entitlementID = entitlementID; self.kind = kind; self.forMonth = forMonth }
}

/// What names a payment in the bank's answer.
public struct PayrollLineKey: Hashable, Sendable {
    public let householdID: String
    public let payee: String
    public let bankAccount: String
    public let programme: PaymentProgramme
    public let forMonth: Month
    public let amountFen: Int64

    public init(householdID: String, payee: String, bankAccount: String, programme: PaymentProgramme, forMonth: Month, amountFen: Int64) {
        self.householdID = householdID
        self.payee = payee
        self.bankAccount = bankAccount
        self.programme = programme
        self.forMonth = forMonth
        self.amountFen = amountFen
    }

    public init(_ l: PayrollLine) {
        self.init(householdID: l.householdID, payee: l.payee, bankAccount: l.bankAccount, programme: l.programme, forMonth: l.forMonth, amountFen: l.amountFen)
    }
}
