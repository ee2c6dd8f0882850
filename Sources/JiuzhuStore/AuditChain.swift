import Crypto
import FluentKit
import Foundation

/// The hash chain of the audit trail: each record's hash covers its own fields and the hash of the
/// record before it, so altering, inserting or deleting a record breaks every hash after it.
/// (Removing records from the end leaves a shorter valid chain; the count and last hash that
/// `jiuzhu audit verify` prints are what an auditor notes down to catch that.)
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)
    /// The PostgreSQL advisory lock that serialises appends.
    static let lockKey: Int64 = 7_300_000_001
    static let sqliteWriters = AsyncSemaphore(1)

    /// The fields a hash covers, in order.
    struct Fields {
        let prevHash, countyCode: String
        let atMillis: Int64
        let actor, address, action, entity, entityKey, detail: String
    }

    static func hash(_ f: Fields) -> String {
        let text = [f.prevHash, f.countyCode, String(f.atMillis), f.actor, f.address, f.action, f.entity, f.entityKey, f.detail]
            .joined(separator: "\u{1F}")
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Time is kept to the millisecond, so a stored instant hashes the same on every database.
    static func stamp(_ d: Date) -> Date { Date(timeIntervalSince1970: Double(millis(d)) / 1000) }
    static func millis(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1000).rounded()) }

    /// The outcome of checking the chain.
    public struct Verification: Sendable, Equatable {
        /// Records checked (all of them when the chain holds).
        public let checked: Int
        /// The last record's hash when the chain holds.
        public let lastHash: String?
        /// The first record that does not match, and why.
        public let broken: (id: Int64, reason: String)?
        public var holds: Bool { broken == nil }

        public static func == (a: Verification, b: Verification) -> Bool {
            a.checked == b.checked && a.lastHash == b.lastHash && a.broken?.id == b.broken?.id && a.broken?.reason == b.broken?.reason
        }
    }

    /// Walks the whole chain in order, in pages, and names the first record that does not match.
    public static func verify(on db: any Database) async throws -> Verification {
        var prev = genesis, checked = 0, after: Int64 = 0
        while true {
            let page = try await AuditEventModel.query(on: db).filter(\.$id > after).sort(\.$id).limit(5000).all()
            if page.isEmpty { break }
            for row in page {
                let id = row.id ?? 0
                guard row.prevHash == prev else {
                    return Verification(checked: checked, lastHash: nil,
                                        broken: (id, "its prev_hash does not match the record before it (a record was removed, inserted or altered)"))
                }
                guard row.hash == hash(row.fields) else {
                    return Verification(checked: checked, lastHash: nil, broken: (id, "its contents do not match its hash (the record was altered)"))
                }
                prev = row.hash ?? ""
                checked += 1
                after = id
            }
        }
        return Verification(checked: checked, lastHash: checked == 0 ? nil : prev, broken: nil)
    }
}

/// A counting semaphore for async code: at most `count` holders, the rest wait in order. With a
/// count of one it is a lock (`run`).
public actor AsyncSemaphore {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(_ count: Int) { free = count }

    public func wait() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    public func signal() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }

    /// Runs `body` holding one of the semaphore's places.
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await wait()
        defer { signal() }
        return try await body()
    }
}
