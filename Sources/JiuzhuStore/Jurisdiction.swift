import FluentKit
import JiuzhuCore
import SQLKit

/// The part of the country a user may see and change: a division and everything below it.
///
/// Every registry query goes through ``Jurisdiction/households(on:)`` or
/// ``Jurisdiction/members(on:)`` so that no list, count, search or look-up by ID can reach
/// outside it. A record outside answers exactly like a record that does not exist.
public struct Jurisdiction: Sendable, Equatable, CustomStringConvertible {
    /// nil = the whole database (the command line and the unauthenticated loopback server).
    public let division: DivisionCode?

    public static let everywhere = Jurisdiction(division: nil)
    public init(division: DivisionCode?) { self.division = division }

    /// The leading digits every canonical division code inside shares.
    public var prefix: String {
        guard let d = division else { return "" }
        switch d.level {
        case .province: return String(d.digits.prefix(2))
        case .prefecture: return String(d.digits.prefix(4))
        default: return d.digits
        }
    }

    public func contains(_ code: DivisionCode) -> Bool {
        code.digits.hasPrefix(prefix)
    }

    /// Households within the jurisdiction.
    func households(on db: any Database) -> QueryBuilder<HouseholdModel> {
        let q = HouseholdModel.query(on: db)
        return division == nil ? q : q.filter(\.$divisionCode =~ prefix)
    }

    /// Members whose household is within the jurisdiction.
    func members(on db: any Database) -> QueryBuilder<MemberModel> {
        let q = MemberModel.query(on: db)
        guard division != nil else { return q }
        return q.join(HouseholdModel.self, on: \MemberModel.$householdID == \HouseholdModel.$householdID)
            .filter(HouseholdModel.self, \.$divisionCode =~ prefix)
    }

    /// An SQL condition on the `division_code` column of `table`, for the hand-written aggregate queries.
    func condition(table: String = "households") -> any SQLExpression {
        guard division != nil else { return SQLLiteral.boolean(true) }
        return SQLBinaryExpression(left: SQLColumn("division_code", table: table), op: SQLBinaryOperator.like, right: SQLBind(prefix + "%"))
    }

    public var description: String { division.map { "division \($0)" } ?? "everywhere" }
}
