import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuStore
import Vapor

extension FeedImportSummary: Content {}
extension StoredFlag: Content {}
extension ReevaluationItem: Content {}
extension MonthlyVerification: Content {}
extension FeedImportRecord: Content {}

extension Role {
    /// Imports department feeds: the county's officers and administrators.
    var worksVerification: Bool { self == .countyOfficer || self == .countyAdmin }
    /// Reads the month's verification and its worklist within their division: those who import,
    /// and a township's officers, who carry out the reviews of their township's households.
    var readsVerification: Bool { worksVerification || self == .townshipOfficer }
    /// Sees the history of the feeds imported in their division: those who import them, and the
    /// county's auditor (the history names files and counts, no person).
    var readsFeedHistory: Bool { worksVerification || self == .auditor }
}

/// `/api/v1/feeds`, `/api/v1/flags`, `/api/v1/verification`: department data, its flags and the worklist.
enum FeedAPI {
    static func register(_ signedIn: any RoutesBuilder) {
        signedIn.on(.POST, "feeds", body: .collect(maxSize: "64mb"), use: importFeed)
        signedIn.get("feeds", use: history)
        signedIn.get("flags", use: flags)
        signedIn.get("verification", use: worklist)
        signedIn.get("verification", "summary", use: summary)
    }

    /// County officers and administrators import feeds and re-evaluate.
    static func verification(_ req: Request, toImport: Bool = true) throws -> Verification {
        guard let user = req.user else { throw Abort(.unauthorized, reason: "sign in first") }
        if toImport {
            guard user.role.worksVerification else { throw StoreError.forbidden("department data is imported by the county") }
        } else {
            guard user.role.readsVerification else { throw StoreError.forbidden("the verification is read by the county's and the townships' officers") }
        }
        let clock = req.application.storage[ClockKey.self] ?? { Date() }
        return Verification(db: req.db, scope: user.jurisdiction, actor: AuditActor("user:\(user.username)", address: req.clientAddress), now: clock)
    }

    /// `POST /api/v1/feeds?department=人社&as_of=YYYY-MM-DD&file_name=…[&encoding=gbk]` with the CSV file as the body.
    static func importFeed(req: Request) async throws -> Response {
        let v = try verification(req)
        guard let department = req.query[String.self, at: "department"], !department.isEmpty else { throw RequestProblem("department", "is required") }
        let asOf: Day
        do { asOf = try Day(parsing: req.query[String.self, at: "as_of"] ?? "") } catch { throw RequestProblem("as_of", "is required (YYYY-MM-DD)") }
        var encoding: FeedEncoding?
        if let e = req.query[String.self, at: "encoding"], !e.isEmpty {
            guard let known = FeedEncoding(named: e) else { throw RequestProblem("encoding", "must be utf-8 or gbk") }
            encoding = known
        }
        guard let buffer = req.body.data else { throw RequestProblem("body", "the feed file is required as the body") }
        let summary: FeedImportSummary
        do {
            summary = try await v.importFeed(Data(buffer: buffer), department: department, asOf: asOf,
                                             fileName: req.query[String.self, at: "file_name"] ?? "feed.csv", encoding: encoding)
        } catch let e as FeedErrors {
            throw FeedProblems(errors: e)
        } catch let e as FeedImportError {
            throw RequestProblem(e.description.hasPrefix("department") ? "department" : "body", e.description)
        }
        return try await summary.encodeResponse(status: summary.repeated ? .ok : .created, for: req)
    }

    /// The feed history of the user's jurisdiction (county officers, administrators and auditors).
    static func feedStore(_ req: Request) throws -> FeedStore {
        guard let user = req.user else { throw Abort(.unauthorized, reason: "sign in first") }
        guard user.role.readsFeedHistory else { throw StoreError.forbidden("the history of department data is kept by the county") }
        return FeedStore(db: req.db, scope: user.jurisdiction, actor: user.actor, now: { req.now })
    }

    /// `GET /api/v1/feeds`: the imports of the user's jurisdiction, newest first.
    static func history(req: Request) async throws -> [FeedImportRecord] {
        try await feedStore(req).imports()
    }

    static func flags(req: Request) async throws -> [StoredFlag] {
        guard let user = req.user else { throw Abort(.unauthorized) }
        guard user.role.readsRegistry else { throw StoreError.forbidden("your role may not read households' files") }
        return try await FeedStore(db: req.db, scope: user.jurisdiction, actor: user.actor, now: { req.now })
            .flags(householdID: req.query[String.self, at: "household_id"])
    }

    /// `GET /api/v1/verification?month=YYYY-MM`: the re-evaluation worklist.
    static func worklist(req: Request) async throws -> [ReevaluationItem] {
        let v = try verification(req, toImport: false)
        let month: Month
        do { month = try Month(parsing: req.query[String.self, at: "month"] ?? "") } catch { throw RequestProblem("month", "is required (YYYY-MM)") }
        return try await v.worklist(month: month)
    }

    /// `GET /api/v1/verification/summary?month=YYYY-MM`: the month's verification of every household.
    static func summary(req: Request) async throws -> MonthlyVerification {
        let v = try verification(req, toImport: false)
        let month: Month
        do { month = try Month(parsing: req.query[String.self, at: "month"] ?? "") } catch { throw RequestProblem("month", "is required (YYYY-MM)") }
        return try await v.monthly(month: month)
    }
}

/// A refused feed file: every line and column, as field problems.
struct FeedProblems: Error {
    let errors: FeedErrors
}
