import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import Vapor

extension RecipientImportSummary: Content {}
extension ReviewTask: Content {}
extension ReviewResult: Content {}
extension PayrollRun: Content {}
extension ReserveStatement: Content {}
extension Emergency: Content {}
extension UnreportedChangeResult: Content {}
extension FuneralAssistance: Content {}

extension Role {
    /// Generates, confirms and exports rolls, migrates recipients and decides reviews: the county's officers and administrators.
    var worksPayments: Bool { self == .countyOfficer || self == .countyAdmin }
    /// Reads the rolls: those who make them, and the county's auditor.
    var readsPayments: Bool { worksPayments || self == .auditor }
    /// Sees the reviews due in their division: the county's officers, and a township's, who carry the reviews out.
    var readsReviews: Bool { worksPayments || self == .townshipOfficer }
}

/// `/api/v1/payroll`, `/api/v1/recipients`, `/api/v1/reviews`: monthly payments. Each handler reads
/// the request and calls one `Payroll` function.
enum PayrollAPI {
    static func register(_ signedIn: any RoutesBuilder) {
        signedIn.on(.POST, "recipients", body: .collect(maxSize: "64mb"), use: importRecipients)
        let roll = signedIn.grouped("payroll", ":county", ":month")
        roll.get(use: read)
        roll.post("generate", use: generate)
        roll.post("confirm", use: confirm)
        roll.post("export", use: export)
        roll.on(.POST, "answer", body: .collect(maxSize: "16mb"), use: answer)
        roll.post("price-index", use: priceIndex)
        signedIn.get("emergencies", use: emergencies)
        signedIn.post("emergencies", use: declareEmergency)
        signedIn.post("funerals", use: recordFuneral)
        signedIn.get("reserve", ":township", use: reserve)
        signedIn.post("reserve", ":township", "top-ups", use: topUp)
        signedIn.get("reviews", use: reviewsDue)
        signedIn.post("reviews", use: recordReview)
        signedIn.post("reviews", "unreported", use: recordUnreported)
    }

    static func payroll(_ req: Request, may allowed: (Role) -> Bool, _ why: String) throws -> Payroll {
        guard let user = req.user else { throw Abort(.unauthorized, reason: "sign in first") }
        guard allowed(user.role) else { throw StoreError.forbidden(why) }
        let clock = req.application.storage[ClockKey.self] ?? { Date() }
        return Payroll(db: req.db, scope: user.jurisdiction, actor: AuditActor("user:\(user.username)", address: req.clientAddress), now: clock)
    }

    static func month(_ req: Request) throws -> Month {
        do { return try Month(parsing: try req.pathParameter("month")) } catch let e as RequestProblem { throw e } catch {
            throw RequestProblem("month", "must be YYYY-MM")
        }
    }

    struct RollView: Content {
        let run: PayrollRun
        let totals: RollTotals
        let lines: [PayrollLine]?
        let held: [PaymentRoll.Held]?
        let overpaid: [PaymentRoll.Overpaid]?
    }

    /// `GET /api/v1/payroll/{county}/{month}[?lines=true]`: the roll and its totals.
    static func read(req: Request) async throws -> RollView {
        let p = try payroll(req, may: \.readsPayments, "the rolls are kept by the county")
        let r = try await p.roll(county: try req.pathParameter("county"), month: try month(req))
        return RollView(run: r.run, totals: r.totals, lines: req.query[Bool.self, at: "lines"] == true ? r.lines : nil, held: nil, overpaid: nil)
    }

    /// `POST /api/v1/payroll/{county}/{month}/generate`.
    static func generate(req: Request) async throws -> RollView {
        let p = try payroll(req, may: \.worksPayments, "the rolls are made by the county")
        let (county, m) = (try req.pathParameter("county"), try month(req))
        let (run, result) = try await p.generate(county: county, month: m)
        return RollView(run: run, totals: try await p.roll(county: county, month: m).totals, lines: nil, held: result.held, overpaid: result.overpaid)
    }

    /// `POST /api/v1/payroll/{county}/{month}/confirm`.
    static func confirm(req: Request) async throws -> PayrollRun {
        try await payroll(req, may: \.worksPayments, "the rolls are made by the county").confirm(county: try req.pathParameter("county"), month: try month(req))
    }

    /// `POST /api/v1/payroll/{county}/{month}/export?format=csv|xlsx[&columns=…]`: the bank file.
    static func export(req: Request) async throws -> Response {
        let p = try payroll(req, may: \.worksPayments, "the rolls are made by the county")
        let layout: PaymentFileLayout
        if let c = req.query[String.self, at: "columns"], !c.isEmpty { layout = try PaymentFileLayout(parsing: c) } else { layout = .standard }
        let format = req.query[String.self, at: "format"] ?? "csv"
        guard format == "csv" || format == "xlsx" else { throw RequestProblem("format", "must be csv or xlsx") }
        let files = try await p.bankFile(county: try req.pathParameter("county"), month: try month(req), layout: layout)
        return attachment(files, format: format)
    }

    /// A bank file (`csv` or `xlsx`) as a download.
    static func attachment(_ files: (name: String, csv: Data, xlsx: Data), format: String) -> Response {
        let r = Response(status: .ok, body: .init(data: format == "csv" ? files.csv : files.xlsx))
        r.headers.contentType = format == "csv" ? HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            : .xlsx
        r.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(files.name).\(format)\"")
        return r
    }

    struct AnswerView: Content { let paid: Int; let returned: Int }

    /// `POST /api/v1/payroll/{county}/{month}/answer` with the returned payments as a CSV body (empty: all paid).
    static func answer(req: Request) async throws -> AnswerView {
        let p = try payroll(req, may: \.worksPayments, "the rolls are made by the county")
        let body = req.body.data.map { Data(buffer: $0) }
        let r = try await p.recordBankAnswer(county: try req.pathParameter("county"), month: try month(req),
                                             returned: (body?.isEmpty ?? true) ? nil : body, fileName: "returned.csv")
        return AnswerView(paid: r.paid, returned: r.returned)
    }

    struct IndicesRequest: Content { let cpi: String; let foodCpi: String
        enum CodingKeys: String, CodingKey { case cpi, foodCpi = "food_cpi" } }

    /// `POST /api/v1/payroll/{county}/{month}/price-index` `{"cpi": "3.6%", "food_cpi": "6.5%"}`.
    static func priceIndex(req: Request) async throws -> HTTPStatus {
        let p = try payroll(req, may: \.worksPayments, "the price indices are recorded by the county")
        let body = try req.content.decode(IndicesRequest.self)
        let cpi: Rate, food: Rate
        do { cpi = try Rate(parsing: body.cpi) } catch { throw RequestProblem("cpi", "\(error)") }
        do { food = try Rate(parsing: body.foodCpi) } catch { throw RequestProblem("food_cpi", "\(error)") }
        try await p.recordPriceIndices(county: try req.pathParameter("county"), month: try month(req), cpi: cpi, foodCpi: food)
        return .noContent
    }

    /// `POST /api/v1/recipients?from=YYYY-MM&file_name=…` with recipients.csv as the body.
    static func importRecipients(req: Request) async throws -> Response {
        let p = try payroll(req, may: \.worksPayments, "the caseload is migrated by the county")
        let from: Month
        do { from = try Month(parsing: req.query[String.self, at: "from"] ?? "") } catch { throw RequestProblem("from", "is required (YYYY-MM): the first month Jiuzhu pays") }
        guard let buffer = req.body.data else { throw RequestProblem("body", "recipients.csv is required as the body") }
        let s = try await p.importRecipients(Data(buffer: buffer), fileName: req.query[String.self, at: "file_name"] ?? "recipients.csv", owedFrom: from)
        return try await s.encodeResponse(status: s.repeated ? .ok : .created, for: req)
    }

    /// `GET /api/v1/emergencies`: the emergencies declared in the user's county.
    static func emergencies(req: Request) async throws -> [Emergency] {
        let p = try payroll(req, may: \.readsPayments, "the emergencies are declared by the county")
        guard let county = req.user?.division.countyCode.digits else { throw Abort(.unauthorized) }
        return try await PaymentStore(db: req.db, actor: p.actor).emergencies(county: county)
    }

    struct EmergencyRequest: Content {
        let name: String
        let divisions: [String]
        let from: Month
        let to: Month
        let raise: String?
        let subsidyPerPersonFen: Int64?
        let subsidyMonth: Month?
        enum CodingKeys: String, CodingKey {
            case name, divisions, from, to, raise, subsidyPerPersonFen = "subsidy_per_person_fen", subsidyMonth = "subsidy_month"
        }
    }

    /// `POST /api/v1/emergencies`: declare one in the user's county.
    static func declareEmergency(req: Request) async throws -> Response {
        let p = try payroll(req, may: \.worksPayments, "emergencies are declared by the county")
        guard let county = req.user?.division.countyCode.digits else { throw Abort(.unauthorized) }
        let b = try req.content.decode(EmergencyRequest.self)
        let raise: Rate
        do { raise = try Rate(parsing: b.raise ?? "0%") } catch { throw RequestProblem("raise", "\(error)") }
        let e = try await p.declareEmergency(county: county, name: b.name, divisions: b.divisions, from: b.from, to: b.to, raise: raise,
                                             subsidyPerPersonFen: b.subsidyPerPersonFen ?? 0, subsidyMonth: b.subsidyMonth)
        return try await e.encodeResponse(status: .created, for: req)
    }

    struct FuneralRequest: Content {
        let householdID: String
        let deceased: String
        let choice: FuneralAssistance.Choice
        let amountFen: Int64?
        let on: Day?
        enum CodingKeys: String, CodingKey { case householdID = "household_id", deceased = "deceased_id_number", choice, amountFen = "amount_fen", on }
    }

    /// `POST /api/v1/funerals`: funeral assistance for a member of a 低保 or 特困 household who died.
    static func recordFuneral(req: Request) async throws -> Response {
        let p = try payroll(req, may: \.worksPayments, "funeral assistance is decided by the county")
        guard let county = req.user?.division.countyCode.digits else { throw Abort(.unauthorized) }
        let b = try req.content.decode(FuneralRequest.self)
        let f = try await p.recordFuneral(county: county, householdID: b.householdID, deceased: b.deceased, choice: b.choice, amountFen: b.amountFen,
                                          on: b.on ?? Day(req.now))
        return try await f.encodeResponse(status: .created, for: req)
    }

    /// `GET /api/v1/reserve/{township}?year=YYYY`: the township's reserve fund, reconciled (county and township officers, auditors).
    static func reserve(req: Request) async throws -> ReserveStatement {
        let p = try payroll(req, may: { $0.readsReviews || $0 == .auditor }, "the reserve funds are kept by the county and the townships")
        let township = try req.pathParameter("township")
        guard (try? DivisionCode(township)).map(p.scope.contains) ?? false else { throw StoreError.notFound(entity: "township", key: township) }
        return try await p.reserveStatement(township: township, year: req.query[Int.self, at: "year"] ?? Day(req.now).year)
    }

    struct TopUpRequest: Content {
        let amountFen: Int64
        let note: String?
        let on: Day?
        enum CodingKeys: String, CodingKey { case amountFen = "amount_fen", note, on }
    }

    /// `POST /api/v1/reserve/{township}/top-ups` `{"amount_fen": 500000, "note": "…"}`: the county's top-up.
    static func topUp(req: Request) async throws -> ReserveStatement {
        let p = try payroll(req, may: \.worksPayments, "the county tops up the townships' funds")
        let body = try req.content.decode(TopUpRequest.self)
        return try await p.topUpReserve(township: try req.pathParameter("township"), amountFen: body.amountFen, on: body.on ?? Day(req.now), note: body.note ?? "")
    }

    /// `GET /api/v1/reviews?county=C[&by=YYYY-MM-DD]`: the reviews due in the user's division.
    static func reviewsDue(req: Request) async throws -> [ReviewTask] {
        let p = try payroll(req, may: \.readsReviews, "the reviews are seen by the county's and the townships' officers")
        guard let county = req.query[String.self, at: "county"] else { throw RequestProblem("county", "is required") }
        let by: Day
        do { by = try req.query[String.self, at: "by"].map { try Day(parsing: $0) } ?? Day(req.now) } catch { throw RequestProblem("by", "must be YYYY-MM-DD") }
        let scope = p.scope
        return try await p.reviewsDue(county: county, by: by).filter { t in (try? DivisionCode(t.divisionCode)).map(scope.contains) ?? false }
    }

    struct ReviewRequest: Content {
        let county: String
        let householdID: String
        let programme: PaymentProgramme
        let outcome: ReviewOutcome
        let amountFen: Int64?
        let reason: String?
        let on: Day?
        enum CodingKeys: String, CodingKey { case county, householdID = "household_id", programme, outcome, amountFen = "amount_fen", reason, on }
    }

    struct UnreportedRequest: Content {
        let county: String
        let householdID: String
        let programme: PaymentProgramme
        let changedIn: Month
        let amountFen: Int64
        let fraud: Bool?
        let on: Day?
        enum CodingKeys: String, CodingKey { case county, householdID = "household_id", programme, changedIn = "changed_in", amountFen = "amount_fen", fraud, on }
    }

    /// `POST /api/v1/reviews/unreported`: a change the household did not report (county officers and administrators).
    static func recordUnreported(req: Request) async throws -> UnreportedChangeResult {
        let p = try payroll(req, may: \.worksPayments, "增发、减发或停发 is decided by the county")
        let r = try req.content.decode(UnreportedRequest.self)
        return try await p.recordUnreportedChange(county: r.county, householdID: r.householdID, programme: r.programme, changedIn: r.changedIn,
                                                  correctAmountFen: r.amountFen, fraud: r.fraud ?? false, on: r.on ?? Day(req.now))
    }

    /// `POST /api/v1/reviews`: a review's outcome (the county decides 增发、减发、停发); the notice in the answer.
    static func recordReview(req: Request) async throws -> ReviewResult {
        let p = try payroll(req, may: \.worksPayments, "增发、减发或停发 is decided by the county")
        let r = try req.content.decode(ReviewRequest.self)
        return try await p.recordReview(county: r.county, householdID: r.householdID, programme: r.programme, outcome: r.outcome,
                                        amountFen: r.amountFen, reason: r.reason ?? "", on: r.on ?? Day(req.now))
    }
}
