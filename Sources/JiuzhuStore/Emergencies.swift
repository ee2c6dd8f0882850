import FluentKit
import Foundation
import JiuzhuCore
import SQLKit

/// A public emergency declared for divisions and a period (突发公共事件): the 低保 and 特困
/// standards raised there by a rate for its months, and a bulk temporary living subsidy per person
/// in one month (seed 003; 中办发〔2020〕18号 第十三项).
public struct Emergency: Sendable, Equatable, Codable {
    public let id: Int64
    public let countyCode: String
    public let name: String
    /// Division codes (county, township or village) the emergency covers.
    public let divisions: [String]
    public let from: Month
    public let to: Month
    /// The raise of the standards, as a rate ("10%"; "0%" for none).
    public let raise: String
    public let subsidyPerPersonFen: Int64
    public let subsidyMonth: Month?

    public init(id: Int64, countyCode: String, name: String, divisions: [String], from: Month, to: Month, raise: String, subsidyPerPersonFen: Int64,
                subsidyMonth: Month?) {
        self.id = id; self.countyCode = countyCode; self.name = name; self.divisions = divisions; self.from = from; self.to = to
        self.raise = raise; self.subsidyPerPersonFen = subsidyPerPersonFen; self.subsidyMonth = subsidyMonth
    }

    /// Whether a household's division lies in it.
    public func covers(division: String) -> Bool { divisions.contains { division.hasPrefix($0) } }

    enum CodingKeys: String, CodingKey {
        case id, countyCode = "county_code", name, divisions, from, to, raise, subsidyPerPersonFen = "subsidy_per_person_fen", subsidyMonth = "subsidy_month"
    }
}

extension PaymentStore {
    /// Declares an emergency (one transaction with its audit record).
    public func declare(_ e: Emergency) async throws -> Emergency {
        let (actor, at) = (actor, now())
        return try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            let id = try await Self.nextID(sql, "emergencies")
            try await sql.insert(into: "emergencies").columns("id", "county_code", "name", "divisions", "from_month", "to_month", "raise",
                                                             "subsidy_per_person_fen", "subsidy_month", "declared_by", "declared_at")
                .values(SQLBind(id), SQLBind(e.countyCode), SQLBind(e.name), SQLBind(e.divisions.joined(separator: ",")), SQLBind(e.from.description),
                        SQLBind(e.to.description), SQLBind(e.raise), SQLBind(e.subsidyPerPersonFen), SQLBind(e.subsidyMonth?.description),
                        SQLBind(actor.name), SQLBind(at)).run()
            let declared = Emergency(id: id, countyCode: e.countyCode, name: e.name, divisions: e.divisions, from: e.from, to: e.to, raise: e.raise,
                                     subsidyPerPersonFen: e.subsidyPerPersonFen, subsidyMonth: e.subsidyMonth)
            try await AuditLog.record(on: tx, at: at, actor: actor, action: .create, entity: "emergency", key: String(id), county: e.countyCode, detail: declared)
            return declared
        }
    }

    /// The emergencies declared in a county, oldest first.
    public func emergencies(county: String) async throws -> [Emergency] {
        try await sql.select().columns("*").from("emergencies").where("county_code", .equal, county).orderBy("id").all().map { r in
            Emergency(id: try r.decode(column: "id", as: Int64.self), countyCode: county, name: try r.decode(column: "name", as: String.self),
                      divisions: try r.decode(column: "divisions", as: String.self).split(separator: ",").map(String.init),
                      from: try Month(parsing: try r.decode(column: "from_month", as: String.self)),
                      to: try Month(parsing: try r.decode(column: "to_month", as: String.self)), raise: try r.decode(column: "raise", as: String.self),
                      subsidyPerPersonFen: try r.decode(column: "subsidy_per_person_fen", as: Int64.self),
                      subsidyMonth: try r.decode(column: "subsidy_month", as: String?.self).map { try Month(parsing: $0) })
        }
    }
}
