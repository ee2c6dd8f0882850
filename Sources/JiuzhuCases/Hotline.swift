import FluentKit
import Foundation
import JiuzhuCore
import JiuzhuPolicy
import JiuzhuStore

/// A month's hotline figures: the tickets due in the month, closed on time, and the rate (the seed's
/// target is 100%, 龙岩).
public struct HotlineReport: Sendable, Equatable, Codable {
    public let month: Month
    public let due: Int
    public let closedOnTime: Int
    public let closedLate: Int
    /// Still open past the due day.
    public let open: Int
    /// Still open, due today or later: counted neither way.
    public let notYetDue: Int
    /// Closed on time ÷ those whose due day has come (on time, late, open past due), in percent with
    /// one decimal (nil when none has).
    public let onTimeRate: String?
    public let byKind: [String: Int]

    enum CodingKeys: String, CodingKey {
        case month, due, closedOnTime = "closed_on_time", closedLate = "closed_late", open, notYetDue = "not_yet_due", onTimeRate = "on_time_rate", byKind = "by_kind"
    }
}

/// The 12349 hotline of a county: calls received as tickets, routed to a township or a department
/// with a due day counted in working days by kind (the pack's `hotline_<kind>_workdays`), closed with
/// their resolution; overdue tickets are escalated to the county; a fraud report about a household
/// opens an investigation (its entitlements' review is due at once). Every change audited.
public struct Hotline: Sendable {
    public let db: any Database
    public let actor: AuditActor
    public let now: @Sendable () -> Date
    public let packs: Packs
    public let calendar: WorkdayCalendar

    public init(db: any Database, actor: AuditActor, now: @escaping @Sendable () -> Date = { Date() }, packs: Packs = .bundled,
                calendar: WorkdayCalendar = .bundled) {
        self.db = db
        self.actor = actor
        self.now = now
        self.packs = packs
        self.calendar = calendar
    }

    var store: HotlineStore { HotlineStore(db: db, actor: actor, now: now) }

    /// Receives a call: routed to a township of the county (its code) or a department (its name).
    public func receive(county code: String, kind: HotlineTicket.Kind, caller: String, phone: String, householdID: String?, description: String,
                        routedTo: String, on day: Day) async throws -> HotlineTicket {
        guard let c = try? DivisionCode(code), c.digits.count == 6 else {
            throw StoreError.invalid([FieldProblem(field: "county", rule: "must be a county code of 6 digits, found '\(code)'")])
        }
        var problems: [FieldProblem] = []
        if caller.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(FieldProblem(field: "caller", rule: "must not be empty (匿名 for an anonymous caller)")) }
        if description.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(FieldProblem(field: "description", rule: "must say what the call is about")) }
        if routedTo.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(FieldProblem(field: "routed_to", rule: "a township code of the county or a department's name")) }
        if let t = try? DivisionCode(routedTo), !(t.digits.hasPrefix(c.digits) && t.digits.count == 9 && Divisions.bundled[t] != nil) {
            problems.append(FieldProblem(field: "routed_to", rule: "'\(routedTo)' is not a township of county \(c.digits)"))
        }
        if kind == .fraud && (householdID ?? "").isEmpty { problems.append(FieldProblem(field: "household_id", rule: "a fraud report names the household it is about")) }
        if day > Day(now()) { problems.append(FieldProblem(field: "on", rule: "is after today")) }
        if !problems.isEmpty { throw StoreError.invalid(problems) }
        let pack = try PackChoice.byDivision(packs).pack(forDivision: c)
        let (n, _) = try PackReader(pack: pack, needs: "the hotline needs").whole("hotline_\(kind.rawValue)_workdays", .count, on: day)
        let (due, provisional) = Workdays.add(n, to: day, calendar: calendar)
        let (at, auditActor, county) = (now(), actor, c.digits)
        return try await store.receive(county: county, year: day.year, { number in
            HotlineTicket(number: number, countyCode: county, kind: kind, caller: caller, phone: phone, householdID: householdID, description: description,
                          receivedOn: day, routedTo: routedTo, dueOn: due, provisional: provisional)
        }, alsoInTransaction: { t, tx in
            guard t.kind == .fraud, let h = t.householdID else { return }
            _ = try await PaymentStore.openInvestigation(householdID: h, county: county, on: day, because: "12349 举报 \(t.number)", tx: tx, at: at, actor: auditActor)
        })
    }

    public func close(county: String, number: String, on day: Day, resolution: String) async throws -> HotlineTicket {
        guard !resolution.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StoreError.invalid([FieldProblem(field: "resolution", rule: "say how the call was answered or resolved")])
        }
        return try await store.close(number: number, county: county, on: day, resolution: resolution)
    }

    /// The open tickets past their due day on `day`: escalated to the county (the level above the township or department).
    public func overdue(county: String, on day: Day) async throws -> [HotlineTicket] {
        try await store.tickets(county: county).filter { $0.state == .open && $0.dueOn < day }
    }

    /// Escalates the open tickets past their due day on `day` to the county, once each (audited); returns those escalated now.
    public func escalate(county: String, on day: Day) async throws -> [HotlineTicket] {
        try await store.escalate(county: county, on: day)
    }

    /// The month's figures: every ticket due in the month, closed on time or late or still open.
    public func report(county: String, month: Month) async throws -> HotlineReport {
        let due = try await store.tickets(county: county).filter { $0.dueOn.monthOfYear == month }
        let onTime = due.filter(\.closedOnTime).count
        let late = due.filter { $0.state == .closed && !$0.closedOnTime }.count
        let today = Day(now())
        let notYetDue = due.filter { $0.state == .open && $0.dueOn >= today }.count
        let open = due.count - onTime - late - notYetDue
        return HotlineReport(month: month, due: due.count, closedOnTime: onTime, closedLate: late, open: open, notYetDue: notYetDue,
                             onTimeRate: StepFigures.rate(onTime, onTime + late + open),
                             byKind: Dictionary(grouping: due, by: \.kind.rawValue).mapValues(\.count))
    }
}
