import FluentKit
import Foundation
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore
import SQLKit

/// The year's initial data (a visit within a month) or the month's new data (ten working days).
public enum PushType: String, Sendable, Codable, CaseIterable {
    case initial, monthly
}

/// How a warning was found by hand (主动发现, seed 000; seed 002's annex 二、3).
public enum DiscoverySource: String, Sendable, Codable, CaseIterable {
    /// 村（居）走访: found on a village visit; starts at the township.
    case villageVisit = "village_visit"
    /// 困难群众台账: the township's hardship ledger; starts at the township.
    case hardshipLedger = "hardship_ledger"
    /// 互联网募捐平台: a plea for help on a crowdfunding platform, entered at the county.
    case crowdfunding

    public var chineseName: String {
        switch self {
        case .villageVisit: return "村（居）走访发现"
        case .hardshipLedger: return "困难群众台账"
        case .crowdfunding: return "互联网募捐平台求助信息"
        }
    }
}

/// How the township classifies a visited warning (seed 002's annex 三).
public enum WarningOutcome: Sendable, Equatable {
    /// 1. Meets 低保 or 特困: an application is opened, prefilled.
    case basicLiving(CaseProgramme)
    /// 2. 临时救助: 急难型 paid first (the township's reserve), or 支出型.
    case temporary(kind: TemporaryAssistanceRequest.Kind, cause: String, people: Int, needFen: Int64, perCapitaIncomeFen: Int64)
    /// 3. A matter for another department: a specialised application, referred (一门受理、协同办理).
    case referral(CaseProgramme)
    /// 4. Not eligible for now: the watch ledger (台账), visited again.
    case watch

    public var name: String {
        switch self {
        case .basicLiving(let p): return p.rawValue
        case .temporary: return "temporary"
        case .referral: return "referral"
        case .watch: return "watch"
        }
    }
}

/// What a push became.
public struct PushSummary: Sendable, Equatable, Codable {
    public let push: MonitoringPush
    /// The same file had been received before: nothing was applied again.
    public let repeated: Bool
    public let warningsByGroup: [String: Int]
    enum CodingKeys: String, CodingKey { case push, repeated, warningsByGroup = "warnings_by_group" }
}

/// Monitoring and early warning (社会救助监测预警, seed 002's annex): departments push their data on
/// the monitored groups; each person it marks becomes one warning, routed to the county (by the
/// registry, or the county of the ID number) and travelling down the chain — city → county within
/// 3 working days → township within 3 → home visit within a month (initial data) or 10 working days
/// (new) — each step dated, each due day on the working-day calendar from the pack's parameters;
/// an overdue step is escalated to the level above; the visit is classified into one of four outcomes.
public struct Monitoring: Sendable {
    public let db: any Database
    public let scope: Jurisdiction
    public let actor: AuditActor
    /// The signed-in user, who opens the applications a classification needs (nil on the command line: name one).
    public let user: UserAccount?
    public let address: String
    public let now: @Sendable () -> Date
    public let packs: Packs
    public let calendar: WorkdayCalendar
    /// The database file, when SQLite: a push's warnings are then written by prepared statements.
    public let location: DatabaseLocation?

    public init(db: any Database, scope: Jurisdiction = .everywhere, actor: AuditActor, user: UserAccount? = nil, address: String = "",
                now: @escaping @Sendable () -> Date = { Date() }, packs: Packs = .bundled, calendar: WorkdayCalendar = .bundled,
                location: DatabaseLocation? = nil) {
        self.location = location
        self.db = db
        self.scope = scope
        self.actor = actor
        self.user = user
        self.address = address
        self.now = now
        self.packs = packs
        self.calendar = calendar
    }

    public var store: MonitoringStore { MonitoringStore(db: db, scope: scope, actor: actor, now: now) }
    var today: Day { Day(now()) }

    // MARK: pushes

    /// Receives a department's push as of the day the city received it: every row checked (whole or
    /// nothing), each person matched to the registry or routed by the county of their ID number,
    /// each signal judged under the county's pack, one warning a person not already under warning.
    /// The same file twice changes nothing.
    public func push(from source: FeedSource, department: String, type: PushType, receivedOn: Day, fileName: String,
                     encoding declared: FeedEncoding? = nil) async throws -> PushSummary {
        if receivedOn > today { throw StoreError.invalid([FieldProblem(field: "received_on", rule: "\(receivedOn) is after today")]) }
        let timings = Timings()
        let input = try OpenedFeed(source, fileName: fileName, encoding: declared)
        let (digest, encoding, source) = (input.digest, input.encoding, input.source)
        guard let kind = FeedCSV.kind(of: input.head, encoding: encoding), MonitoringSignals.pushKinds.contains(kind) else {
            throw Self.headerErrors(input.head, encoding: encoding, file: fileName)
        }
        guard kind.departments.contains(department) else { throw FeedImportError.wrongDepartment(department: department, kind: kind) }
        let store = store
        if let earlier = try await store.existingPush(kind: kind.rawValue, digest: digest) {
            return PushSummary(push: earlier, repeated: true, warningsByGroup: [:])
        }
        let index = try await FeedStore(db: db, scope: scope, actor: actor, now: now).memberIndex()
        let divisions = try await store.householdDivisions()
        let open = try await store.openWarningKeys()
        var routes = Routes(scope: scope, packs: packs, calendar: calendar, receivedOn: receivedOn)
        var pending: [UInt64: PendingWarning] = [:]
        var order: [UInt64] = []
        var already = Set<UInt64>(), below = 0, outside = 0, signalled = 0
        var policyError: PolicyError?
        timings.mark("digest, index, open warnings")
        let scanned = try FeedCSV.scan(source, kind: kind, encoding: encoding, file: fileName, today: today) { _, id, row in
            let household = index.slot(of: id).map { index.householdIDs[Int($0)] }
            let division = household.flatMap { divisions[$0] }
            let county = division.map { String($0.prefix(6)) } ?? String(id.value.prefix(6))
            let route: Routes.County?
            do throws(PolicyError) { route = try routes.county(county, registered: household != nil) } catch let e { policyError = policyError ?? e; return }
            guard let route else { outside += 1; return }
            guard let signal = MonitoringSignals.signal(kind, fields: row().fields, thresholds: route.thresholds) else { below += 1; return }
            signalled += 1
            if open.contains(id.key) { already.insert(id.key); return }
            if pending[id.key] == nil {
                order.append(id.key)
                pending[id.key] = PendingWarning(idNumber: id.value, householdID: household, division: division, county: county,
                                                 countyDue: route.countyDue, provisional: route.provisional)
            }
            pending[id.key]!.add(signal)
        }
        if let policyError { throw policyError }
        var byGroup: [String: Int] = [:]
        for key in order { for g in pending[key]!.groups { byGroup[g, default: 0] += 1 } }
        let record = MonitoringPush(id: 0, kind: kind.rawValue, department: department, pushType: type.rawValue, receivedOn: receivedOn, fileName: fileName,
                                    digest: digest, rows: scanned.rows, signalled: signalled, warnings: order.count, alreadyOpen: already.count,
                                    belowThreshold: below, outside: outside, importedBy: actor.name)
        let list = order.map { pending[$0]! }
        let initial = type == .initial
        timings.mark("scan, match, signals")
        let (applied, repeated) = try await store.apply(push: { id in
            MonitoringPush(id: id, kind: record.kind, department: record.department, pushType: record.pushType, receivedOn: record.receivedOn,
                           fileName: record.fileName, digest: record.digest, rows: record.rows, signalled: record.signalled, warnings: record.warnings,
                           alreadyOpen: record.alreadyOpen, belowThreshold: record.belowThreshold, outside: record.outside, importedBy: record.importedBy)
        }, warnings: { pushID, first in
            list.enumerated().map { i, p in
                MonitoringWarning(id: first + Int64(i), pushID: pushID, source: kind.rawValue, initial: initial, idNumber: p.idNumber, name: nil,
                                  householdID: p.householdID, divisionHint: p.division, countyCode: p.county, townshipCode: nil, groups: p.groups,
                                  reason: p.reason, state: .received, receivedOn: receivedOn, countyDue: p.countyDue, provisional: p.provisional)
            }
        }, location: location)
        timings.mark("write")
        return PushSummary(push: applied, repeated: repeated, warningsByGroup: repeated ? [:] : byGroup)
    }

    /// The demo county's first push (`jiuzhu serve` on a new database): 医保's medical costs of 40
    /// registered members, every other one at or above the 40,000-yuan burden, received today.
    public func demoPush(on day: Day) async throws -> PushSummary {
        let rows = try await (db as! any SQLDatabase).raw("SELECT id_number FROM members ORDER BY id_number LIMIT 40").all()
        var text = "id_number,year,self_paid_fen\n"
        for (i, r) in rows.enumerated() {
            text += "\(try r.decode(column: "id_number", as: String.self)),\(day.year),\(i % 2 == 0 ? 4_500_000 + i * 10_000 : 2_000_000)\n"
        }
        return try await push(from: .data(Data(text.utf8)), department: "医保", type: .monthly, receivedOn: day, fileName: "医保-演示.csv")
    }

    /// A header that is not a push's: each unknown column named, against the closest push format.
    static func headerErrors(_ head: Data, encoding: FeedEncoding?, file: String) -> FeedErrors {
        var line = Data(head.prefix(while: { $0 != 0x0A }))
        if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        let text = (encoding ?? FeedEncoding.detect(line)).decode(ArraySlice(line)) ?? String(decoding: line, as: UTF8.self)
        let found = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if let kind = FeedKind.allCases.first(where: { $0.header == found }) {
            return FeedErrors(file: file, errors: [FeedError(line: 1, column: "-", rule: "\(kind.rawValue) (\(kind.chineseName)) is not a monitoring push: import it with `jiuzhu feed import`; the pushes are "
                                                             + MonitoringSignals.pushKinds.map(\.rawValue).joined(separator: ", "))])
        }
        let closest = MonitoringSignals.pushKinds.max { a, b in
            Set(a.header).intersection(found).count < Set(b.header).intersection(found).count
        }!
        var errors: [FeedError] = []
        for c in found where !closest.header.contains(c) {
            errors.append(FeedError(line: 1, column: c.isEmpty ? "(empty)" : c, rule: "unknown column; a \(closest.rawValue) push's header is exactly \(closest.header.joined(separator: ","))"))
        }
        for c in closest.header where !found.contains(c) {
            errors.append(FeedError(line: 1, column: c, rule: "missing; a \(closest.rawValue) push's header is exactly \(closest.header.joined(separator: ","))"))
        }
        if errors.isEmpty {
            errors.append(FeedError(line: 1, column: "-", rule: "the columns must be in the order \(closest.header.joined(separator: ","))"))
        }
        return FeedErrors(file: file, errors: errors)
    }

    // MARK: the chain

    /// The city sends a warning to its county — or, with `county`, to another county of the
    /// jurisdiction (a person routed by the ID number's county who lives elsewhere).
    public func sendToCounty(_ id: Int64, on day: Day, county: String? = nil, version: Int? = nil) async throws -> MonitoringWarning {
        try notFuture(day)
        let current = try await store.warning(id)
        guard let code = county ?? current.countyCode, let c = try? DivisionCode(code), c.level == .county, Divisions.bundled[c] != nil, scope.contains(c) else {
            throw StoreError.invalid([FieldProblem(field: "county", rule: "warning \(id) needs the county it goes to: a county code of the jurisdiction, found '\(current.countyCode ?? county ?? "")'")])
        }
        let n = try count("monitoring_county_to_township_workdays", county: c, on: day)
        let (due, provisional) = Workdays.add(n, to: day, calendar: calendar)
        return try await store.step(id, version: version, action: "send_to_county") { w in
            guard w.state == .received else { throw Self.outOfOrder(w, "sending to the county comes first, after the city receives it") }
            guard day >= w.receivedOn else { throw StoreError.invalid([FieldProblem(field: "on", rule: "is before the city received warning \(id) (\(w.receivedOn))")]) }
            var w = w
            w.state = .atCounty; w.countyCode = c.digits; w.sentToCountyOn = day; w.townshipDue = due; w.provisional = w.provisional || provisional
            return w
        }
    }

    /// The county dispatches a warning to a township (by default the registered household's).
    public func dispatch(_ id: Int64, on day: Day, township: String? = nil, version: Int? = nil) async throws -> MonitoringWarning {
        try notFuture(day)
        let current = try await store.warning(id)
        guard current.state == .atCounty else { throw Self.outOfOrder(current, "dispatch to a township comes after the city sends it to the county") }
        guard let code = township ?? current.divisionHint.map({ String($0.prefix(9)) }), let t = try? DivisionCode(String(code.prefix(9))), t.level == .township,
              Divisions.bundled[t] != nil, t.digits.hasPrefix(current.countyCode ?? "-"), scope.contains(t) else {
            throw StoreError.invalid([FieldProblem(field: "township", rule: "warning \(id) needs a township of county \(current.countyCode ?? "?") to go to, found '\(township ?? current.divisionHint ?? "")'")])
        }
        let (due, provisional) = try visitDue(initial: current.initial, from: day, county: t.countyCode)
        return try await store.step(id, version: version, action: "dispatch") { w in
            guard w.state == .atCounty else { throw Self.outOfOrder(w, "dispatch to a township comes after the city sends it to the county") }
            guard day >= w.sentToCountyOn! else { throw StoreError.invalid([FieldProblem(field: "on", rule: "is before warning \(id) reached the county (\(w.sentToCountyOn!))")]) }
            var w = w
            w.state = .atTownship; w.townshipCode = t.digits; w.dispatchedOn = day; w.visitDue = due; w.provisional = w.provisional || provisional
            return w
        }
    }

    /// The township records its home visit (入户调查核实) and what it found.
    public func visit(_ id: Int64, on day: Day, visitor: String, findings: String, version: Int? = nil) async throws -> MonitoringWarning {
        try notFuture(day)
        let current = try await store.warning(id)
        guard current.state == .atTownship else { throw Self.outOfOrder(current, "a home visit comes after dispatch to the township") }
        try required(visitor, "visitor", "who visited"); try required(findings, "findings", "what the visit found: income, property, health, needs")
        return try await store.step(id, version: version, action: "visit", visit: WarningVisit(warningID: id, visitedOn: day, visitor: visitor, findings: findings, repeatVisit: false)) { w in
            guard w.state == .atTownship else { throw Self.outOfOrder(w, "a home visit comes after dispatch to the township") }
            guard day >= w.dispatchedOn! else { throw StoreError.invalid([FieldProblem(field: "on", rule: "is before warning \(id) reached the township (\(w.dispatchedOn!))")]) }
            var w = w
            w.state = .visited; w.visitedOn = day; w.findings = findings
            return w
        }
    }

    /// Classifies a visited warning (or one on the watch ledger): the application or referral is opened
    /// in the same transaction; the watch ledger sets the next visit.
    public func classify(_ id: Int64, as outcome: WarningOutcome, on day: Day, version: Int? = nil) async throws -> MonitoringWarning {
        try notFuture(day)
        let current = try await store.warning(id)
        guard current.state == .visited || current.state == .watch else { throw Self.outOfOrder(current, "a warning is classified after its home visit") }
        let county = try DivisionCode(current.countyCode ?? "")
        @Sendable func close(_ ref: String) -> @Sendable (MonitoringWarning) throws -> MonitoringWarning {
            { w in
                guard w.state == .visited || w.state == .watch else { throw Self.outOfOrder(w, "a warning is classified after its home visit") }
                var w = w
                w.state = .closed; w.outcome = outcome.name; w.outcomeRef = ref; w.classifiedOn = day; w.closedOn = day; w.nextVisitDue = nil
                return w
            }
        }
        switch outcome {
        case .watch:
            let months = try count("monitoring_watch_visit_months", county: county, on: day, unit: .months)
            return try await store.step(id, version: version, action: "watch") { w in
                guard w.state == .visited else { throw Self.outOfOrder(w, "the watch ledger takes a warning after its home visit") }
                var w = w
                w.state = .watch; w.outcome = "watch"; w.classifiedOn = day; w.nextVisitDue = day.adding(months: months)
                return w
            }
        case .basicLiving(let p), .referral(let p):
            if case .basicLiving = outcome, p != .dibao && p != .tekun { throw CaseError.unmet(field: "programme", rule: "低保 or 特困 (dibao, tekun), found \(p.rawValue)") }
            if case .referral = outcome, p.isBasicLiving { throw CaseError.unmet(field: "programme", rule: "a referral goes to a specialised programme's department, found \(p.rawValue)") }
            let (casework, household) = try casework(for: current)
            let store = store
            let view = try await casework.receive(Intake(householdID: household, programme: p, applicantIDNumber: current.idNumber, consentToVerification: false),
                                                  alsoInTransaction: { c, tx in _ = try await store.step(id, version: version, action: "classify", on: tx, close(c.number)) })
            _ = view
            return try await store.warning(id)
        case .temporary(let kind, let cause, let people, let need, let income):
            let (casework, household) = try casework(for: current)
            guard let place = try? DivisionCode(current.townshipCode ?? "") else { throw Self.outOfOrder(current, "temporary assistance is where the warning was dispatched") }
            let store = store
            let view = try await casework.receiveTemporary(TemporaryIntake(householdID: household, applicantIDNumber: current.idNumber, kind: kind, placeOfNeed: place,
                                                                           cause: cause, people: people, needFen: need, perCapitaIncomeFen: income),
                                                           alsoInTransaction: { c, tx in _ = try await store.step(id, version: version, action: "classify", on: tx, close(c.number)) })
            _ = view
            return try await store.warning(id)
        }
    }

    /// A repeat visit of a person on the watch ledger; the next one is due `monitoring_watch_visit_months` later.
    public func revisit(_ id: Int64, on day: Day, visitor: String, findings: String, version: Int? = nil) async throws -> MonitoringWarning {
        try notFuture(day)
        let current = try await store.warning(id)
        guard current.state == .watch else { throw Self.outOfOrder(current, "a repeat visit is for a person on the watch ledger") }
        try required(visitor, "visitor", "who visited"); try required(findings, "findings", "what the visit found")
        let months = try count("monitoring_watch_visit_months", county: try DivisionCode(current.countyCode ?? ""), on: day, unit: .months)
        return try await store.step(id, version: version, action: "revisit", visit: WarningVisit(warningID: id, visitedOn: day, visitor: visitor, findings: findings, repeatVisit: true)) { w in
            guard w.state == .watch else { throw Self.outOfOrder(w, "a repeat visit is for a person on the watch ledger") }
            var w = w
            w.nextVisitDue = day.adding(months: months)
            return w
        }
    }

    /// A person found by hand: a village visit or the hardship ledger starts at the township (visit
    /// within 10 working days); a crowdfunding plea starts at the county (dispatch within 3).
    public func discover(_ source: DiscoverySource, idNumber: String, name: String, division: String, description: String, on day: Day) async throws -> MonitoringWarning {
        try notFuture(day)
        var problems: [FieldProblem] = []
        var id: IDNumber?
        do { id = try IDNumber(validating: idNumber, today: today) } catch { problems.append(FieldProblem(field: "id_number", rule: error.description)) }
        if name.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(FieldProblem(field: "name", rule: "must not be empty")) }
        if description.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(FieldProblem(field: "description", rule: "say what was found")) }
        let d = try? DivisionCode(division)
        let atTownship = source != .crowdfunding
        if d == nil || Divisions.bundled[d!] == nil || !scope.contains(d!) || (atTownship ? d!.digits.count < 9 : d!.digits.count < 6) {
            problems.append(FieldProblem(field: "division", rule: atTownship ? "a township (or village) of the jurisdiction, found '\(division)'" : "a county or township of the jurisdiction, found '\(division)'"))
        }
        if !problems.isEmpty { throw StoreError.invalid(problems) }
        let id_ = id!, code = d!
        if let open = try await store.warnings(.init(idNumber: id_.value)).first(where: { $0.state != .closed }) {
            throw StoreError.conflict(FieldProblem(field: "id_number", rule: "\(name) already has warning \(open.id) under way (\(open.state.chineseName))"))
        }
        let registered = try await store.household(ofMember: id_.value)
        let county = code.countyCode
        let (due, provisional): (Day, Bool) = atTownship ? try visitDue(initial: false, from: day, county: county)
            : Workdays.add(try count("monitoring_county_to_township_workdays", county: county, on: day), to: day, calendar: calendar)
        let reason = "\(source.chineseName)：\(description)"
        return try await store.add { n in
            MonitoringWarning(id: n, pushID: nil, source: source.rawValue, initial: false, idNumber: id_.value, name: name, householdID: registered?.householdID,
                              divisionHint: registered?.division ?? code.digits, countyCode: county.digits,
                              townshipCode: atTownship ? String(code.digits.prefix(9)) : nil, groups: [], reason: reason,
                              state: atTownship ? .atTownship : .atCounty, receivedOn: day, countyDue: nil, sentToCountyOn: day,
                              townshipDue: atTownship ? nil : due, dispatchedOn: atTownship ? day : nil, visitDue: atTownship ? due : nil, provisional: provisional)
        }
    }

    // MARK: deadlines

    /// The warnings whose step is past due on `day`, with the step and who it is escalated to.
    public func overdue(on day: Day, limit: Int? = nil) async throws -> [(warning: MonitoringWarning, step: String, due: Day)] {
        try await store.overdue(on: day, limit: limit).compactMap { w in
            guard let p = w.pending, p.due < day else { return nil }
            return (w, p.step, p.due)
        }
    }

    /// Escalates every overdue step to the level above, once a step: returns those escalated now.
    public func escalate(on day: Day) async throws -> [WarningEscalation] {
        let list = try await overdue(on: day).map { o in
            WarningEscalation(warningID: o.warning.id, step: o.step, dueOn: o.due, escalatedOn: day, escalatedTo: o.warning.escalatedTo ?? "county")
        }
        return try await store.escalate(list)
    }

    // MARK: helpers

    static func outOfOrder(_ w: MonitoringWarning, _ rule: String) -> StoreError {
        StoreError.conflict(FieldProblem(field: "state", rule: "warning \(w.id) is \(w.state.rawValue) (\(w.state.chineseName)): \(rule)"))
    }

    func notFuture(_ day: Day) throws {
        if day > today { throw StoreError.invalid([FieldProblem(field: "on", rule: "\(day) is after today")]) }
    }

    func required(_ text: String, _ field: String, _ what: String) throws {
        if text.trimmingCharacters(in: .whitespaces).isEmpty { throw StoreError.invalid([FieldProblem(field: field, rule: "say \(what)")]) }
    }

    func count(_ name: String, county: DivisionCode, on day: Day, unit: ParameterUnit = .count) throws -> Int {
        try PackReader(pack: try PackChoice.byDivision(packs).pack(forDivision: county), needs: "monitoring needs").whole(name, unit, on: day).0
    }

    func visitDue(initial: Bool, from day: Day, county: DivisionCode) throws -> (Day, Bool) {
        if initial { return (day.adding(months: try count("monitoring_visit_initial_months", county: county, on: day, unit: .months)), false) }
        return Workdays.add(try count("monitoring_visit_new_workdays", county: county, on: day), to: day, calendar: calendar)
    }

    func casework(for w: MonitoringWarning) throws -> (Casework, String) {
        guard let user else {
            throw StoreError.invalid([FieldProblem(field: "user", rule: "opening an application needs the officer who opens it (--as USERNAME)")])
        }
        guard let household = w.householdID else {
            throw StoreError.invalid([FieldProblem(field: "household_id", rule: "\(w.idNumber) is not in the registry: register the household first, then classify warning \(w.id)")])
        }
        return (Casework(db: db, user: user, address: address, now: now, packs: packs, calendar: calendar), household)
    }
}

/// The counties a push's rows go to: the registry's, or the county of an unregistered person's ID
/// number when it is a county of the jurisdiction with a pack; each with its thresholds and due day.
struct Routes {
    struct County { let thresholds: MonitoringThresholds; let countyDue: Day; let provisional: Bool }
    let scope: Jurisdiction
    let packs: Packs
    let calendar: WorkdayCalendar
    let receivedOn: Day
    var known: [String: County?] = [:]

    init(scope: Jurisdiction, packs: Packs, calendar: WorkdayCalendar, receivedOn: Day) {
        self.scope = scope; self.packs = packs; self.calendar = calendar; self.receivedOn = receivedOn
    }

    mutating func county(_ code: String, registered: Bool) throws(PolicyError) -> County? {
        if let k = known[code] { return k }
        var result: County?
        if let c = try? DivisionCode(code), c.level == .county, Divisions.bundled[c] != nil, registered || scope.contains(c),
           let pack = try? PackChoice.byDivision(packs).pack(forDivision: c) {
            let thresholds = try MonitoringThresholds(pack: pack, on: receivedOn)
            let (n, _) = try PackReader(pack: pack, needs: "monitoring needs").whole("monitoring_city_to_county_workdays", .count, on: receivedOn)
            let (due, provisional) = Workdays.add(n, to: receivedOn, calendar: calendar)
            result = County(thresholds: thresholds, countyDue: due, provisional: provisional)
        }
        known[code] = .some(result)
        return result
    }
}

/// One person's signals in a push, gathered before the warning is written.
struct PendingWarning: Sendable {
    let idNumber: String
    let householdID: String?
    let division: String?
    let county: String
    let countyDue: Day
    let provisional: Bool
    var groups: [String] = []
    var reasons: [String] = []
    var citation = ""

    mutating func add(_ s: MonitoringSignal) {
        if !groups.contains(s.group.rawValue) { groups.append(s.group.rawValue) }
        reasons.append(s.reason)
        citation = s.citation
    }

    var reason: String { reasons.joined(separator: "；") + "（依据：\(citation)）" }
}

// MARK: reports

/// A step of the chain in a period: due, done on time, done late, still open.
public struct StepFigures: Sendable, Equatable, Codable {
    public let step: String
    /// Due in the period: done on time, done late, still open past the due day, or not yet due (open, due today or later).
    public var due = 0, onTime = 0, late = 0, open = 0, notYetDue = 0
    /// Done on time ÷ those whose due day has come (on time, late, open past due), in percent with one
    /// decimal; nil when none has. A step not yet due counts neither way.
    public var onTimeRate: String? { Self.rate(onTime, onTime + late + open) }

    init(step: String) { self.step = step }

    mutating func count(due: Day?, done: Day?, in range: ClosedRange<Day>, today: Day) {
        guard let due, range.contains(due) else { return }
        self.due += 1
        if let done { if done <= due { onTime += 1 } else { late += 1 } } else if due < today { open += 1 } else { notYetDue += 1 }
    }

    /// n ÷ d in percent with one decimal, rounded half up; nil when d is 0.
    static func rate(_ n: Int, _ d: Int) -> String? {
        guard d > 0 else { return nil }
        let tenths = (n * 1000 + d / 2) / d
        return "\(tenths / 10).\(tenths % 10)%"
    }

    enum CodingKeys: String, CodingKey { case step, due, onTime = "on_time", late, open, notYetDue = "not_yet_due", onTimeRate = "on_time_rate" }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(step, forKey: .step); try c.encode(due, forKey: .due); try c.encode(onTime, forKey: .onTime)
        try c.encode(late, forKey: .late); try c.encode(open, forKey: .open); try c.encode(notYetDue, forKey: .notYetDue)
        try c.encode(onTimeRate, forKey: .onTimeRate)
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        step = try c.decode(String.self, forKey: .step); due = try c.decode(Int.self, forKey: .due); onTime = try c.decode(Int.self, forKey: .onTime)
        late = try c.decode(Int.self, forKey: .late); open = try c.decode(Int.self, forKey: .open); notYetDue = try c.decode(Int.self, forKey: .notYetDue)
    }
}

/// The monitoring of a period (a month, or a year for the annual report): the pushes received, the
/// warnings opened by group and source, each step's deadlines kept, the visits by township, the
/// outcomes, the watch ledger, the escalations and the hotline.
public struct MonitoringReport: Sendable, Equatable, Codable {
    public struct TownshipLine: Sendable, Equatable, Codable {
        public let code: String
        public let name: String
        public var visits: StepFigures
        public var watch: Int
    }
    public let from: Day
    public let through: Day
    public let pushes: [MonitoringPush]
    public let warningsOpened: Int
    public let byGroup: [String: Int]
    public let bySource: [String: Int]
    public let steps: [StepFigures]
    public let townships: [TownshipLine]
    public let outcomes: [String: Int]
    /// On the watch ledger at the end of the period.
    public let watchLedger: Int
    public let repeatVisits: Int
    /// Steps escalated in the period.
    public let escalations: Int
    /// The county's hotline in the month.
    public let hotline: HotlineReport?

    enum CodingKeys: String, CodingKey {
        case from, through, pushes, warningsOpened = "warnings_opened", byGroup = "by_group", bySource = "by_source", steps, townships, outcomes
        case watchLedger = "watch_ledger", repeatVisits = "repeat_visits", escalations, hotline
    }
}

/// The annual work report (上年度工作情况, due to the city by 15 January, seed 002 七): the year's
/// monitoring and hotline, month by month and in total.
public struct AnnualWorkReport: Sendable, Equatable, Codable {
    public struct MonthLine: Sendable, Equatable, Codable {
        public let month: Month
        public let warningsOpened: Int
        public let visits: StepFigures
        public let outcomes: [String: Int]
        public let hotline: HotlineReport?
        enum CodingKeys: String, CodingKey { case month, warningsOpened = "warnings_opened", visits, outcomes, hotline }
    }
    public let year: Int
    /// 15 January of the next year.
    public let dueOn: Day
    public let months: [MonthLine]
    public let total: MonitoringReport
    enum CodingKeys: String, CodingKey { case year, dueOn = "due_on", months, total }
}

extension Monitoring {
    /// The report of a month (月度监测报告).
    public func report(month: Month, county: String? = nil) async throws -> MonitoringReport {
        try await report(from: month.firstDay, through: month.lastDay, county: county)
    }

    public func report(from: Day, through: Day, county: String? = nil) async throws -> MonitoringReport {
        let range = from...through
        let all = try await store.warnings(touching: from, through: through)
        let pushes = try await store.pushes().filter { range.contains($0.receivedOn) }
        let opened = all.filter { range.contains($0.receivedOn) }
        var steps = [StepFigures(step: "send_to_county"), StepFigures(step: "dispatch"), StepFigures(step: "visit")]
        let watch = try await store.watchLedger()
        var townships: [String: MonitoringReport.TownshipLine] = [:]
        func line(_ t: String) -> MonitoringReport.TownshipLine {
            townships[t] ?? .init(code: t, name: (try? DivisionCode(t)).flatMap { Divisions.bundled[$0]?.name } ?? t, visits: StepFigures(step: "visit"), watch: watch[t] ?? 0)
        }
        var outcomes: [String: Int] = [:]
        for w in all {
            steps[0].count(due: w.countyDue, done: w.sentToCountyOn, in: range, today: today)
            steps[1].count(due: w.townshipDue, done: w.dispatchedOn, in: range, today: today)
            steps[2].count(due: w.visitDue, done: w.visitedOn, in: range, today: today)
            if let t = w.townshipCode, let due = w.visitDue, range.contains(due) {
                var l = line(t)
                l.visits.count(due: w.visitDue, done: w.visitedOn, in: range, today: today)
                townships[t] = l
            }
            if let o = w.outcome, let d = w.classifiedOn, range.contains(d) { outcomes[o, default: 0] += 1 }
        }
        for t in watch.keys where !t.isEmpty && townships[t] == nil { townships[t] = line(t) }
        var byGroup: [String: Int] = [:]
        for w in opened { for g in w.groups { byGroup[g, default: 0] += 1 } }
        let repeats = try await store.visits(from: from, through: through).filter(\.repeatVisit).count
        let escalations = try await store.escalations().filter { range.contains($0.escalatedOn) }.count
        var hotline: HotlineReport?
        if let county, from.monthOfYear == through.monthOfYear {
            hotline = try await Hotline(db: db, actor: actor, now: now, packs: packs, calendar: calendar).report(county: county, month: from.monthOfYear)
        }
        return MonitoringReport(from: from, through: through, pushes: pushes, warningsOpened: opened.count, byGroup: byGroup,
                                bySource: Dictionary(grouping: opened, by: \.source).mapValues(\.count), steps: steps,
                                townships: townships.values.sorted { $0.code < $1.code }, outcomes: outcomes,
                                watchLedger: watch.values.reduce(0, +), repeatVisits: repeats, escalations: escalations, hotline: hotline)
    }

    /// The day the year's report is due: the county's pack's `annual_report_day_of_january` (龙岩: the
    /// 15th, seed 002 七) of the next January; the 15th where a pack sets none.
    func annualReportDue(year: Int, county: String?) throws -> Day {
        var day = 15
        if let county, let c = try? DivisionCode(county), let pack = try? PackChoice.byDivision(packs).pack(forDivision: c),
           pack.parameters["annual_report_day_of_january"] != nil,
           case let (n, _) = try PackReader(pack: pack, needs: "the annual report needs").whole("annual_report_day_of_january", .count, on: Day(year: year, month: 12, day: 31)!),
           (1...31).contains(n) {
            day = n
        }
        return Day(year: year + 1, month: 1, day: day)!
    }

    /// The annual work report of a year, for the county's hotline figures too.
    public func annualReport(year: Int, county: String? = nil) async throws -> AnnualWorkReport {
        var months: [AnnualWorkReport.MonthLine] = []
        for m in 1...12 {
            let month = Month(year: year, month: m)!
            let r = try await report(month: month, county: county)
            months.append(.init(month: month, warningsOpened: r.warningsOpened, visits: r.steps[2], outcomes: r.outcomes, hotline: r.hotline))
        }
        let total = try await report(from: Day(year: year, month: 1, day: 1)!, through: Day(year: year, month: 12, day: 31)!, county: county)
        return AnnualWorkReport(year: year, dueOn: try annualReportDue(year: year, county: county), months: months, total: total)
    }
}

// MARK: spreadsheets

extension MonitoringReport {
    public static let stepNames = ["send_to_county": "市级反馈至县（3个工作日）", "dispatch": "县级分发至乡镇（3个工作日）", "visit": "乡镇入户调查核实"]
    public static let outcomeNames = ["dibao": "纳入低保", "tekun": "纳入特困供养", "temporary": "临时救助", "referral": "转介相关部门", "watch": "建立台账跟踪"]

    /// The report as an .xlsx workbook, and the name it is saved under.
    public var workbook: (name: String, data: Data) {
        let month = from.monthOfYear
        return ("monitoring-\(month).xlsx", XLSX.workbook(sheet: "监测预警 \(month)", rows: rows))
    }

    /// The report as the rows of one sheet: every figure the page shows, by section.
    public var rows: [[XLSX.Cell]] {
        var r: [[XLSX.Cell]] = [[.text("社会救助监测预警报告"), .text("\(from) 至 \(through)")], []]
        r.append([.text("部门推送"), .text("数据"), .text("类型"), .text("接收日"), .text("行数"), .text("触发"), .text("新增预警"), .text("已在预警中"), .text("未达标准"), .text("辖区外")])
        for p in pushes {
            r.append([.text(p.department), .text(p.kind), .text(p.pushType == "initial" ? "初始数据" : "新增数据"), .text(p.receivedOn.description), .number(Int64(p.rows)),
                      .number(Int64(p.signalled)), .number(Int64(p.warnings)), .number(Int64(p.alreadyOpen)), .number(Int64(p.belowThreshold)), .number(Int64(p.outside))])
        }
        r.append([]); r.append([.text("新增预警"), .number(Int64(warningsOpened))])
        for (g, n) in byGroup.sorted(by: { $0.key < $1.key }) { r.append([.text(MonitoredGroup(rawValue: g)?.chineseName ?? g), .number(Int64(n))]) }
        for (s, n) in bySource.sorted(by: { $0.key < $1.key }) { r.append([.text("来源：" + (DiscoverySource(rawValue: s)?.chineseName ?? s)), .number(Int64(n))]) }
        r.append([]); r.append([.text("环节"), .text("到期"), .text("按时"), .text("逾期完成"), .text("逾期未完成"), .text("未到期"), .text("按时率")])
        for s in steps {
            r.append([.text(Self.stepNames[s.step] ?? s.step), .number(Int64(s.due)), .number(Int64(s.onTime)), .number(Int64(s.late)), .number(Int64(s.open)),
                      .number(Int64(s.notYetDue)), .text(s.onTimeRate ?? "—")])
        }
        r.append([]); r.append([.text("乡镇（街道）"), .text("入户到期"), .text("按时"), .text("逾期完成"), .text("逾期未完成"), .text("未到期"), .text("按时率"), .text("台账在册")])
        for t in townships {
            r.append([.text(t.name), .number(Int64(t.visits.due)), .number(Int64(t.visits.onTime)), .number(Int64(t.visits.late)), .number(Int64(t.visits.open)),
                      .number(Int64(t.visits.notYetDue)), .text(t.visits.onTimeRate ?? "—"), .number(Int64(t.watch))])
        }
        r.append([]); r.append([.text("分类处置"), .text("人数")])
        for (o, n) in outcomes.sorted(by: { $0.key < $1.key }) { r.append([.text(Self.outcomeNames[o] ?? o), .number(Int64(n))]) }
        r.append([.text("台账在册（期末）"), .number(Int64(watchLedger))])
        r.append([.text("台账再次走访"), .number(Int64(repeatVisits))])
        r.append([.text("逾期升级"), .number(Int64(escalations))])
        if let h = hotline {
            r.append([]); r.append([.text("12349 热线"), .text("到期"), .text("按时办结"), .text("逾期办结"), .text("逾期未办结"), .text("未到期"), .text("按期办结率")])
            r.append([.text(h.month.description), .number(Int64(h.due)), .number(Int64(h.closedOnTime)), .number(Int64(h.closedLate)), .number(Int64(h.open)),
                      .number(Int64(h.notYetDue)), .text(h.onTimeRate ?? "—")])
        }
        return r
    }
}

extension AnnualWorkReport {
    /// The annual report as an .xlsx workbook, and the name it is saved under.
    public var workbook: (name: String, data: Data) { ("annual-\(year).xlsx", XLSX.workbook(sheet: "\(year)年度工作情况", rows: rows)) }

    /// The annual report as the rows of one sheet: the months, then the year's totals.
    public var rows: [[XLSX.Cell]] {
        var r: [[XLSX.Cell]] = [[.text("\(year)年度社会救助监测预警和12349热线工作情况"), .text("报送期限 \(dueOn)")], []]
        r.append([.text("月份"), .text("新增预警"), .text("入户到期"), .text("按时入户"), .text("入户按时率"), .text("纳入低保特困"), .text("临时救助"), .text("转介"), .text("台账"),
                  .text("热线到期"), .text("热线按时办结"), .text("热线按期办结率")])
        for m in months {
            let o = m.outcomes
            r.append([.text(m.month.description), .number(Int64(m.warningsOpened)), .number(Int64(m.visits.due)), .number(Int64(m.visits.onTime)), .text(m.visits.onTimeRate ?? "—"),
                      .number(Int64((o["dibao"] ?? 0) + (o["tekun"] ?? 0))), .number(Int64(o["temporary"] ?? 0)), .number(Int64(o["referral"] ?? 0)), .number(Int64(o["watch"] ?? 0)),
                      .number(Int64(m.hotline?.due ?? 0)), .number(Int64(m.hotline?.closedOnTime ?? 0)), .text(m.hotline?.onTimeRate ?? "—")])
        }
        return r + [[]] + total.rows
    }
}

/// The phases of a push on stderr when `JIUZHU_TIMINGS` is set (for the benchmark).
final class Timings: @unchecked Sendable {
    let on = ProcessInfo.processInfo.environment["JIUZHU_TIMINGS"] != nil
    var last = Date()
    func mark(_ phase: String) {
        guard on else { return }
        let now = Date()
        FileHandle.standardError.write(Data(String(format: "%@: %.2f s\n", phase, now.timeIntervalSince(last)).utf8))
        last = now
    }
}
