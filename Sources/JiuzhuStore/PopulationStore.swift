import FluentKit
import Foundation
import JiuzhuCore
import SQLKit

/// Bulk loading and unloading of the registry in Population CSV v1 shape.
///
/// An import is one transaction: every household and member is written, or none is.
/// It uses multi-row inserts through SQLKit, so the same code runs on SQLite and PostgreSQL.
public enum PopulationStore {
    /// Where each record came from, so that a clash with the registry names its line.
    public struct Origin: Sendable {
        public var householdsFile: String
        public var membersFile: String
        public var householdLines: [Int]
        public var memberLines: [Int]
        public var digests: [String: String]

        public init(householdsFile: String = "households.csv", membersFile: String = "members.csv",
                    householdLines: [Int] = [], memberLines: [Int] = [], digests: [String: String] = [:]) {
            self.householdsFile = householdsFile
            self.membersFile = membersFile
            self.householdLines = householdLines
            self.memberLines = memberLines
            self.digests = digests
        }
    }

    public struct Summary: Sendable, Equatable, Codable {
        public let households: Int
        public let members: Int
        public init(households: Int, members: Int) {
            self.households = households
            self.members = members
        }
    }

    /// A record in the file that clashes with the registry.
    public struct ImportConflict: Error, Sendable, Equatable, CustomStringConvertible {
        public let file: String
        public let line: Int?
        public let column: String
        public let rule: String
        public var description: String {
            "\(file)\(line.map { " line \($0)" } ?? ""), column \(column): \(rule)"
        }
    }

    static let householdColumns = ["household_id", "county_code", "division_code", "hukou_type", "deposits_fen",
                                   "vehicles_value_fen", "disability_vehicle", "houses", "business_registered",
                                   "created_at", "updated_at"]
    static let memberColumns = ["household_id", "county_code", "id_number", "name", "relation", "disability_grade",
                                "disability_kind", "serious_illness", "veteran_disability_grade", "martyr_family",
                                "demobilized_veteran", "able_to_work", "has_capable_supporter", "care_level",
                                "monthly_income_fen", "employment_income_fen", "created_at", "updated_at"]

    /// Rows per INSERT statement (well under SQLite's and PostgreSQL's bind limits).
    static let batchRows = 400

    /// Adds every household and member, or nothing. A household ID or ID number already in
    /// the registry is a conflict naming the line and the household that holds it.
    /// `progress` is called with the number of rows written so far.
    @discardableResult
    ///
    /// With `location` an SQLite file, the rows go through ``SQLiteBulkImport`` (prepared statements on
    /// a connection of its own); otherwise through multi-row INSERTs on `db`. Both write the same rows.
    public static func importPopulation(_ households: [Household], _ members: [Member], origin: Origin = Origin(),
                                        on db: any Database, location: DatabaseLocation? = nil, actor: AuditActor, now: Date = Date(),
                                        progress: (@Sendable (Int) -> Void)? = nil) async throws -> Summary {
        let detail = ImportDetail(households: households.count, members: members.count,
                                  files: [origin.householdsFile, origin.membersFile], digests: origin.digests)
        if case .sqlite(let path) = location {
            let auditDetail = String(decoding: try AuditLog.encoder.encode(detail), as: UTF8.self)
            try SQLiteBulkImport.run(path: path, households: households, members: members, origin: origin, actor: actor,
                                     now: now, auditDetail: auditDetail, progress: progress)
            return Summary(households: households.count, members: members.count)
        }
        let county = Dictionary(households.map { ($0.householdID, $0.countyCode.digits) }, uniquingKeysWith: { a, _ in a })
        try await AuditLog.transaction(on: db) { tx in
            let sql = tx as! any SQLDatabase
            if sql.dialect.name == "sqlite" {
                // This connection's page cache (default 2 MB) would spill to the file on every batch.
                try await sql.raw("PRAGMA cache_size = -262144").run()   // 256 MiB
                try await sql.raw("PRAGMA temp_store = MEMORY").run()     // statement journals in memory
            }
            try await checkFree(households, members, origin: origin, on: sql)
            var written = 0
            for chunk in stride(from: 0, to: households.count, by: batchRows) {
                let rows = households[chunk..<min(chunk + batchRows, households.count)].map { h -> [any Encodable & Sendable] in
                    [h.householdID, h.countyCode.digits, h.divisionCode.digits, h.hukouType.rawValue, h.deposits.fen,
                     h.vehiclesValue.fen, h.disabilityVehicle, h.houses, h.businessRegistered, now, now]
                }
                try await sql.execute(sql: BulkInsert(table: "households", columns: householdColumns, rows: rows)) { _ in }
                written += rows.count
                progress?(written)
            }
            for chunk in stride(from: 0, to: members.count, by: batchRows) {
                let rows = members[chunk..<min(chunk + batchRows, members.count)].map { m -> [any Encodable & Sendable] in
                    [m.householdID, county[m.householdID] ?? "", m.idNumber.value, m.name, m.relation.rawValue,
                     Int64(m.disabilityGrade), m.disabilityKind.rawValue, m.seriousIllness, Int64(m.veteranDisabilityGrade),
                     m.martyrFamily, m.demobilizedVeteran, m.ableToWork, m.hasCapableSupporter, m.careLevel.rawValue,
                     m.monthlyIncome.fen, m.employmentIncome.fen, now, now]
                }
                try await sql.execute(sql: BulkInsert(table: "members", columns: memberColumns, rows: rows)) { _ in }
                written += rows.count
                progress?(written)
            }
            let counties = Set(households.map(\.countyCode.digits)).sorted()
            try await AuditLog.record(on: tx, at: now, actor: actor, action: .import, entity: "population",
                                      key: origin.digests.values.sorted().joined(separator: ","), county: counties.joined(separator: ","),
                                      detail: detail)
        }
        return Summary(households: households.count, members: members.count)
    }

    struct ImportDetail: Encodable {
        let households: Int
        let members: Int
        let files: [String]
        let digests: [String: String]
    }

    /// Looks up, in chunks, any household ID or ID number of the file already in the registry,
    /// and reports the first one in file order.
    static func checkFree(_ households: [Household], _ members: [Member], origin: Origin, on sql: any SQLDatabase) async throws {
        let chunk = 500
        for start in stride(from: 0, to: households.count, by: chunk) {
            let slice = households[start..<min(start + chunk, households.count)]
            let found = Set(try await sql.select().column("household_id").from("households")
                .where("household_id", .in, slice.map(\.householdID)).all()
                .map { try $0.decode(column: "household_id", as: String.self) })
            if let i = slice.firstIndex(where: { found.contains($0.householdID) }) {
                throw ImportConflict(file: origin.householdsFile, line: origin.householdLines[safe: i], column: "household_id",
                                     rule: "household \(households[i].householdID) is already registered")
            }
        }
        for start in stride(from: 0, to: members.count, by: chunk) {
            let slice = members[start..<min(start + chunk, members.count)]
            var holders: [String: String] = [:]
            for row in try await sql.select().column("id_number").column("household_id").from("members")
                .where("id_number", .in, slice.map(\.idNumber.value)).all() {
                holders[try row.decode(column: "id_number", as: String.self)] = try row.decode(column: "household_id", as: String.self)
            }
            if let i = slice.firstIndex(where: { holders[$0.idNumber.value] != nil }) {
                let m = members[i]
                throw ImportConflict(file: origin.membersFile, line: origin.memberLines[safe: i], column: "id_number",
                                     rule: "\(m.idNumber) of household \(m.householdID) is already registered in household \(holders[m.idNumber.value]!)")
            }
        }
    }

    /// Every household and member within `scope`, in registration order.
    public static func exportPopulation(scope: Jurisdiction = .everywhere, on db: any Database, actor: AuditActor,
                                        now: Date = Date()) async throws -> (households: [Household], members: [Member]) {
        let sql = db as! any SQLDatabase
        let hrows = try await sql.select().columns(householdSelect.map { SQLColumn($0) })
            .from("households").where(scope.condition()).orderBy("id").all()
        let households = try hrows.map(household(from:))
        let mq = sql.select().columns(memberSelect.map { SQLColumn($0, table: "members") })
            .from("members")
            .join("households", on: SQLColumn("household_id", table: "members"), .equal, SQLColumn("household_id", table: "households"))
            .where(scope.condition())
            .orderBy(SQLColumn("id", table: "members"))
        let members = try await mq.all().map(member(from:))
        let (key, county, detail) = (scope.description, scope.division?.countyCode.digits ?? "",
                                     ["households": households.count, "members": members.count])
        try await AuditLog.transaction(on: db) { tx in
            try await AuditLog.record(on: tx, at: now, actor: actor, action: .export, entity: "population", key: key,
                                      county: county, detail: detail)
        }
        return (households, members)
    }
}

extension PopulationStore {
    /// The columns ``household(from:)`` reads.
    static let householdSelect = ["household_id", "division_code", "hukou_type", "deposits_fen", "vehicles_value_fen", "disability_vehicle",
                                  "houses", "business_registered"]
    /// The columns ``member(from:)`` reads.
    static let memberSelect = ["household_id", "id_number", "name", "relation", "disability_grade", "disability_kind", "serious_illness",
                               "veteran_disability_grade", "martyr_family", "demobilized_veteran", "able_to_work", "has_capable_supporter",
                               "care_level", "monthly_income_fen", "employment_income_fen"]

    /// A household from a row of ``householdSelect`` (read straight from SQL: many times faster than a model).
    static func household(from r: any SQLRow) throws -> Household {
        let code = try r.decode(column: "division_code", as: String.self)
        let hukou = try r.decode(column: "hukou_type", as: String.self)
        guard let division = try? DivisionCode(code) else { throw StoreError.corrupt("households.division_code", code) }
        guard let h = HukouType(rawValue: hukou) else { throw StoreError.corrupt("households.hukou_type", hukou) }
        return Household(
            householdID: try r.decode(column: "household_id", as: String.self), divisionCode: division, hukouType: h,
            deposits: Money(fen: try r.decode(column: "deposits_fen", as: Int64.self)),
            vehiclesValue: Money(fen: try r.decode(column: "vehicles_value_fen", as: Int64.self)),
            disabilityVehicle: try r.decode(column: "disability_vehicle", as: Bool.self),
            houses: try r.decode(column: "houses", as: Int64.self),
            businessRegistered: try r.decode(column: "business_registered", as: Bool.self))
    }

    /// A member from a row of ``memberSelect``.
    static func member(from r: any SQLRow) throws -> Member {
        let idText = try r.decode(column: "id_number", as: String.self)
        guard let id = try? IDNumber(validating: idText, today: Day(year: 9999, month: 12, day: 31)!) else { throw StoreError.corrupt("members.id_number", idText) }
        func e<E: RawRepresentable>(_ c: String, _: E.Type) throws -> E where E.RawValue == String {
            let t = try r.decode(column: c, as: String.self)
            guard let v = E(rawValue: t) else { throw StoreError.corrupt("members.\(c)", t) }
            return v
        }
        return Member(
            householdID: try r.decode(column: "household_id", as: String.self), idNumber: id,
            name: try r.decode(column: "name", as: String.self), relation: try e("relation", Relation.self),
            disabilityGrade: Int(try r.decode(column: "disability_grade", as: Int64.self)),
            disabilityKind: try e("disability_kind", DisabilityKind.self),
            seriousIllness: try r.decode(column: "serious_illness", as: Bool.self),
            veteranDisabilityGrade: Int(try r.decode(column: "veteran_disability_grade", as: Int64.self)),
            martyrFamily: try r.decode(column: "martyr_family", as: Bool.self),
            demobilizedVeteran: try r.decode(column: "demobilized_veteran", as: Bool.self),
            ableToWork: try r.decode(column: "able_to_work", as: Bool.self),
            hasCapableSupporter: try r.decode(column: "has_capable_supporter", as: Bool.self),
            careLevel: try e("care_level", CareLevel.self),
            monthlyIncome: Money(fen: try r.decode(column: "monthly_income_fen", as: Int64.self)),
            employmentIncome: Money(fen: try r.decode(column: "employment_income_fen", as: Int64.self)))
    }
}

/// `INSERT INTO table (columns) VALUES (…), (…), …` with every value bound, in the database's own
/// placeholder syntax.
struct BulkInsert: SQLExpression {
    let table: String
    let columns: [String]
    let rows: [[any Encodable & Sendable]]

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("INSERT INTO ")
        SQLIdentifier(table).serialize(to: &serializer)
        serializer.write(" (")
        for (i, c) in columns.enumerated() {
            if i > 0 { serializer.write(", ") }
            SQLIdentifier(c).serialize(to: &serializer)
        }
        serializer.write(") VALUES ")
        for (r, row) in rows.enumerated() {
            serializer.write(r == 0 ? "(" : ", (")
            for (i, v) in row.enumerated() {
                if i > 0 { serializer.write(", ") }
                serializer.write(bind: v)
            }
            serializer.write(")")
        }
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
