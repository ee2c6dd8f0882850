import Foundation
import JiuzhuCore
// The SQLite library that SQLiteNIO vendors (symbols prefixed `sqlite_nio_`). Used only here,
// for bulk loading; sqlite-nio is pinned to an exact version in Package.swift for this reason.
import VaporCSQLite

/// The SQLite fast path of ``PopulationStore/importPopulation``: one connection of its own to
/// the database file, one `BEGIN IMMEDIATE … COMMIT` transaction, and one prepared single-row
/// INSERT per table, reused for every row with values bound directly. It writes exactly the rows
/// (and the audit record) the portable path writes, and a clash with the registry is reported
/// the same way, naming the line; on any failure the transaction is rolled back whole.
enum SQLiteBulkImport {
    static func run(path: String, households: [Household], members: [Member], origin: PopulationStore.Origin,
                    actor: AuditActor, now: Date, auditDetail: String, progress: (@Sendable (Int) -> Void)?) throws {
        let db = try Connection(path: path)
        try db.exec("PRAGMA busy_timeout = 10000")
        try db.exec("PRAGMA foreign_keys = ON")
        try db.exec("PRAGMA cache_size = -262144")   // 256 MiB page cache for this connection
        try db.exec("PRAGMA temp_store = MEMORY")
        try db.exec("BEGIN IMMEDIATE")
        do {
            try insertAll(db, households: households, members: members, origin: origin, actor: actor, now: now,
                          auditDetail: auditDetail, progress: progress)
            try db.exec("COMMIT")
        } catch {
            try? db.exec("ROLLBACK")
            throw error
        }
    }

    private static func insertAll(_ db: Connection, households: [Household], members: [Member], origin: PopulationStore.Origin,
                                  actor: AuditActor, now: Date, auditDetail: String, progress: (@Sendable (Int) -> Void)?) throws {
        let stamp = now.timeIntervalSince1970
        var county: [String: String] = [:]
        county.reserveCapacity(households.count)
        let h = try db.prepare(insertSQL("households", PopulationStore.householdColumns))
        for (i, x) in households.enumerated() {
            let c = x.countyCode.digits
            county[x.householdID] = c
            h.text(1, x.householdID); h.text(2, c); h.text(3, x.divisionCode.digits); h.text(4, x.hukouType.rawValue)
            h.int(5, x.deposits.fen); h.int(6, x.vehiclesValue.fen); h.bool(7, x.disabilityVehicle); h.int(8, x.houses)
            h.bool(9, x.businessRegistered); h.double(10, stamp); h.double(11, stamp)
            let rc = h.step()
            if rc != SQLITE_DONE {
                if isUnique(rc) {
                    throw PopulationStore.ImportConflict(file: origin.householdsFile, line: origin.householdLines[safe: i],
                                                         column: "household_id", rule: "household \(x.householdID) is already registered")
                }
                throw db.error(rc, "inserting household \(x.householdID)")
            }
            if i % 20_000 == 19_999 { progress?(i + 1) }
        }
        let m = try db.prepare(insertSQL("members", PopulationStore.memberColumns))
        let holder = try db.prepare("SELECT household_id FROM members WHERE id_number = ?1")
        for (i, x) in members.enumerated() {
            m.text(1, x.householdID); m.text(2, county[x.householdID] ?? ""); m.text(3, x.idNumber.value); m.text(4, x.name)
            m.text(5, x.relation.rawValue); m.int(6, Int64(x.disabilityGrade)); m.text(7, x.disabilityKind.rawValue)
            m.bool(8, x.seriousIllness); m.int(9, Int64(x.veteranDisabilityGrade)); m.bool(10, x.martyrFamily)
            m.bool(11, x.demobilizedVeteran); m.bool(12, x.ableToWork); m.bool(13, x.hasCapableSupporter)
            m.text(14, x.careLevel.rawValue); m.int(15, x.monthlyIncome.fen); m.int(16, x.employmentIncome.fen)
            m.double(17, stamp); m.double(18, stamp)
            let rc = m.step()
            if rc != SQLITE_DONE {
                if isUnique(rc) {
                    holder.text(1, x.idNumber.value)
                    let other = holder.step() == SQLITE_ROW ? holder.columnText(0) : "?"
                    throw PopulationStore.ImportConflict(
                        file: origin.membersFile, line: origin.memberLines[safe: i], column: "id_number",
                        rule: "\(x.idNumber) of household \(x.householdID) is already registered in household \(other)")
                }
                throw db.error(rc, "inserting member \(x.idNumber)")
            }
            if i % 20_000 == 19_999 { progress?(households.count + i + 1) }
        }
        progress?(households.count + members.count)
        // The audit record, chained to the last one (BEGIN IMMEDIATE holds the write lock, so it stays last).
        let last = try db.prepare("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1")
        let prev = last.step() == SQLITE_ROW ? last.columnText(0) : AuditChain.genesis
        let at = AuditChain.stamp(now)
        let fields = AuditChain.Fields(prevHash: prev, countyCode: Set(households.map(\.countyCode.digits)).sorted().joined(separator: ","),
                                       atMillis: AuditChain.millis(at), actor: actor.name, address: actor.address,
                                       action: AuditAction.import.rawValue, entity: "population",
                                       entityKey: origin.digests.values.sorted().joined(separator: ","), detail: auditDetail)
        let a = try db.prepare(insertSQL("audit_events", ["county_code", "at", "actor", "action", "entity", "entity_key", "detail",
                                                          "address", "prev_hash", "hash"]))
        a.text(1, fields.countyCode)
        a.double(2, at.timeIntervalSince1970); a.text(3, fields.actor); a.text(4, fields.action); a.text(5, fields.entity)
        a.text(6, fields.entityKey); a.text(7, fields.detail); a.text(8, fields.address); a.text(9, prev)
        a.text(10, AuditChain.hash(fields))
        let rc = a.step()
        guard rc == SQLITE_DONE else { throw db.error(rc, "writing the audit record") }
    }

    static func insertSQL(_ table: String, _ columns: [String]) -> String {
        "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ", ") + ") VALUES ("
            + (1...columns.count).map { "?\($0)" }.joined(separator: ", ") + ")"
    }

    /// SQLITE_CONSTRAINT_UNIQUE (19 | 8 << 8) and SQLITE_CONSTRAINT_PRIMARYKEY (19 | 6 << 8): extended
    /// result codes, which the C macros define by expression and Swift therefore does not import.
    static func isUnique(_ rc: Int32) -> Bool {
        rc == SQLITE_CONSTRAINT | (8 << 8) || rc == SQLITE_CONSTRAINT | (6 << 8)
    }

    /// One SQLite connection, closed when released.
    final class Connection {
        let handle: OpaquePointer

        init(path: String) throws {
            sqlite_nio_sqlite3_initialize()
            var h: OpaquePointer?
            let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE
            let rc = sqlite_nio_sqlite3_open_v2(path, &h, flags, nil)
            guard rc == SQLITE_OK, let h else {
                if let h { sqlite_nio_sqlite3_close(h) }
                throw StoreError.cannotOpen("SQLite file \(path) (code \(rc))")
            }
            handle = h
        }

        deinit { sqlite_nio_sqlite3_close_v2(handle) }

        func exec(_ sql: String) throws {
            let rc = sqlite_nio_sqlite3_exec(handle, sql, nil, nil, nil)
            guard rc == SQLITE_OK else { throw error(rc, sql) }
        }

        func prepare(_ sql: String) throws -> Statement {
            var s: OpaquePointer?
            let rc = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &s, nil)
            guard rc == SQLITE_OK, let s else { throw error(rc, "preparing \(sql)") }
            return Statement(s)
        }

        func error(_ rc: Int32, _ doing: String) -> SQLiteBulkError {
            SQLiteBulkError(code: rc, message: String(cString: sqlite_nio_sqlite3_errmsg(handle)), doing: doing)
        }
    }

    /// A prepared statement: bind by 1-based index, step, and it resets itself for the next row.
    final class Statement {
        let handle: OpaquePointer
        init(_ handle: OpaquePointer) { self.handle = handle }
        deinit { sqlite_nio_sqlite3_finalize(handle) }

        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        func text(_ i: Int32, _ value: String) {
            var v = value
            v.withUTF8 { buf in
                _ = sqlite_nio_sqlite3_bind_text(handle, i, UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: CChar.self),
                                                 Int32(buf.count), Statement.transient)
            }
        }
        func int(_ i: Int32, _ value: Int64) { sqlite_nio_sqlite3_bind_int64(handle, i, value) }
        func null(_ i: Int32) { sqlite_nio_sqlite3_bind_null(handle, i) }
        func text(_ i: Int32, _ value: String?) { if let value { text(i, value) } else { null(i) } }
        func bool(_ i: Int32, _ value: Bool) { sqlite_nio_sqlite3_bind_int64(handle, i, value ? 1 : 0) }
        func double(_ i: Int32, _ value: Double) { sqlite_nio_sqlite3_bind_double(handle, i, value) }

        /// Runs the statement once; afterwards it is reset (bindings kept until replaced).
        func step() -> Int32 {
            let rc = sqlite_nio_sqlite3_step(handle)
            if rc != SQLITE_ROW { sqlite_nio_sqlite3_reset(handle) }
            return rc
        }

        func columnText(_ i: Int32) -> String {
            let s = sqlite_nio_sqlite3_column_text(handle, i).map { String(cString: $0) } ?? ""
            sqlite_nio_sqlite3_reset(handle)
            return s
        }
    }
}

/// An SQLite failure during a bulk import (not a problem with the file's rows).
public struct SQLiteBulkError: Error, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public let doing: String
    public var description: String { "database error while \(doing): \(message) (SQLite code \(code))" }
}
