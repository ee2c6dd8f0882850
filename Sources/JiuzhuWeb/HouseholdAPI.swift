import Foundation
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import Vapor

extension HouseholdRecord: Content {}
extension Member: Content {}
extension RegistryPage: Content {}
extension Evaluation: Content {}
extension Assessment: Content {}
extension CircumstancesVersion: Content {}
extension HouseholdVersion: Content {}

/// `/api/v1/households` and `/api/v1/members`: create, read, update and search the registry.
/// Each handler reads the request, calls one registry function, and returns its result.
enum HouseholdAPI {
    static func register(_ api: any RoutesBuilder) {
        let households = api.grouped("households")
        households.post(use: create)
        households.get(use: search)
        households.get(":household_id", use: read)
        households.put(":household_id", use: replace)
        households.post(":household_id", "members", use: addMember)
        households.get(":household_id", "evaluation", use: evaluation)
        households.get(":household_id", "assessment", use: assessment)
        households.get(":household_id", "circumstances", use: circumstancesHistory)
        households.get(":household_id", "history", use: history)
        households.put(":household_id", "circumstances", use: setCircumstances)
        let members = api.grouped("members")
        members.get(":id_number", use: readMember)
        members.put(":id_number", use: updateMember)
    }

    static func create(req: Request) async throws -> Response {
        let record = try req.content.decode(HouseholdRecord.self)
        let created = try await req.registry.create(record)
        let response = try await created.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/households/\(created.household.householdID.pathEscaped)")
        return response
    }

    static func read(req: Request) async throws -> HouseholdRecord {
        try await req.registry.household(try req.pathParameter("household_id"))
    }

    /// `PUT /api/v1/households/{id}[?effective=YYYY-MM-DD&kind=change|correction]`: the new facts, dated.
    static func replace(req: Request) async throws -> HouseholdRecord {
        let id = try req.pathParameter("household_id")
        var record = try req.content.decode(HouseholdRecord.self)
        if record.household.householdID.isEmpty { record.household.householdID = id }
        var effective: Day?
        if let text = req.query[String.self, at: "effective"], !text.isEmpty {
            do { effective = try Day(parsing: text) } catch { throw RequestProblem("effective", error.description) }
        }
        let kindText = req.query[String.self, at: "kind"] ?? "change"
        guard let kind = FactChange(rawValue: kindText), kind != .registration else { throw RequestProblem("kind", "must be change or correction") }
        return try await req.registry.replace(id, with: record, effective: effective, kind: kind)
    }

    /// `GET /api/v1/households/{id}/history`: every dated version of the facts.
    static func history(req: Request) async throws -> [HouseholdVersion] {
        try await req.registry.history(try req.pathParameter("household_id"))
    }

    static func addMember(req: Request) async throws -> Response {
        let id = try req.pathParameter("household_id")
        let member = try req.content.decode(Member.self)
        if !member.householdID.isEmpty && member.householdID != id {
            throw RequestProblem("household_id", "must be \(id), the household in the URL, or left out")
        }
        return try await req.registry.addMember(member, to: id).encodeResponse(status: .created, for: req)
    }

    /// `GET /api/v1/households/{household_id}/evaluation?month=YYYY-MM[&policy=reference]`:
    /// what the household qualifies for in the month and why (the read of the file is audited).
    static func evaluation(req: Request) async throws -> Evaluation {
        let (record, circumstances, month, pack) = try await policyInput(req)
        do { return try BasicLivingRules.evaluate(record, circumstances: circumstances, month: month, pack: pack) } catch {
            throw RequestProblem(error.parameter ?? "policy", error.description)
        }
    }

    /// `GET /api/v1/households/{household_id}/assessment?month=YYYY-MM[&policy=…]`: the comprehensive
    /// assessment — the basic-living evaluation and every specialised programme to refer the household to.
    static func assessment(req: Request) async throws -> Assessment {
        let (record, circumstances, month, pack) = try await policyInput(req)
        do { return try ComprehensiveAssessment.assess(record, circumstances: circumstances, month: month, pack: pack) } catch {
            throw RequestProblem(error.parameter ?? "policy", error.description)
        }
    }

    /// `GET /api/v1/households/{household_id}/circumstances`: every dated version, oldest first.
    static func circumstancesHistory(req: Request) async throws -> [CircumstancesVersion] {
        try await req.registry.circumstancesHistory(try req.pathParameter("household_id"))
    }

    /// `PUT /api/v1/households/{household_id}/circumstances?from=YYYY-MM`: the circumstances from that month on.
    static func setCircumstances(req: Request) async throws -> CircumstancesVersion {
        let month = try monthQuery(req, "from")
        let circumstances = try req.content.decode(Circumstances.self)
        return try await req.registry.setCircumstances(try req.pathParameter("household_id"), from: month, circumstances)
    }

    static func monthQuery(_ req: Request, _ key: String) throws -> Month {
        guard let text = req.query[String.self, at: key] else { throw RequestProblem(key, "is required (YYYY-MM)") }
        do { return try Month(parsing: text) } catch { throw RequestProblem(key, error.description) }
    }

    /// The household (an audited read), its circumstances in the month, the `month` and the pack:
    /// `policy` if given, else the household's own.
    static func policyInput(_ req: Request) async throws -> (HouseholdRecord, Circumstances, Month, PolicyPack) {
        let month = try monthQuery(req, "month")
        let choice: PackChoice
        if let id = req.query[String.self, at: "policy"], !id.isEmpty {
            do { choice = .fixed(try Packs.bundled.pack(id: id)) } catch { throw RequestProblem("policy", error.description) }
        } else {
            choice = .byDivision(.bundled)
        }
        let id = try req.pathParameter("household_id")
        // The facts as they stood at the end of the month (or today, for this month), as known now.
        let today = Day(req.now)
        let record = try await req.registry.household(id, asOf: min(today, month.lastDay))
        let circumstances = try await req.registry.circumstances(id, in: month)
        do { return (record, circumstances, month, try choice.pack(for: record.household)) } catch {
            throw RequestProblem("policy", error.description)
        }
    }

    static func readMember(req: Request) async throws -> Member {
        try await req.registry.member(try req.pathParameter("id_number"))
    }

    static func updateMember(req: Request) async throws -> HouseholdRecord {
        let member = try req.content.decode(Member.self)
        return try await req.registry.updateMember(try req.pathParameter("id_number"), with: member)
    }

    /// `GET /api/v1/households?id_number=…&name=…&division=…&page=1&per_page=20`
    static func search(req: Request) async throws -> RegistryPage {
        try await req.registry.search(try registryQuery(req))
    }

    static func registryQuery(_ req: Request) throws -> RegistryQuery {
        func int(_ key: String, _ range: ClosedRange<Int>, default value: Int) throws -> Int {
            guard let text = req.query[String.self, at: key] else { return value }
            guard let n = Int(text), range.contains(n) else {
                throw RequestProblem(key, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return n
        }
        var division: DivisionCode?
        if let text = req.query[String.self, at: "division"], !text.isEmpty {
            do { division = try DivisionCode(text) } catch { throw RequestProblem("division", error.description) }
        }
        let name = req.query[String.self, at: "name"].flatMap { $0.isEmpty ? nil : $0 }
        let id = req.query[String.self, at: "id_number"].flatMap { $0.isEmpty ? nil : $0 }
        return RegistryQuery(idNumber: id, name: name, division: division,
                             page: try int("page", 1...1_000_000, default: 1), perPage: try int("per_page", 1...200, default: 20))
    }
}

extension Request {
    /// A path parameter, percent-decoded.
    func pathParameter(_ name: String) throws -> String {
        guard let raw = parameters.get(name) else { throw RequestProblem(name, "is required in the path") }
        return raw.removingPercentEncoding ?? raw
    }
}

extension String {
    var pathEscaped: String { addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? self }
}
