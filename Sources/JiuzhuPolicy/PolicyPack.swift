import JiuzhuCore

/// What a parameter's values are: each kind is read and checked on load.
public enum ParameterUnit: String, Sendable, CaseIterable {
    /// Money in fen.
    case fen
    /// A share, written as a decimal or a percentage (`0.15`, `15%`).
    case rate
    /// A multiple (`1.5`).
    case multiple
    case months
    case years
    case count
    /// A list of names (categories, kinds, …).
    case list
    /// One name among those a rule knows (a switch).
    case choice
    /// A list of whole numbers (grades, …).
    case integers
}

/// One value of a parameter.
public enum ParameterValue: Hashable, Sendable, CustomStringConvertible {
    case money(Money)
    case rate(Rate)
    case integer(Int64)
    case names([String])
    case integers([Int64])
    case choice(String)

    /// Whether this kind of value is what `unit` holds.
    public func fits(_ unit: ParameterUnit) -> Bool {
        switch (self, unit) {
        case (.money, .fen), (.rate, .rate), (.rate, .multiple), (.integer, .months), (.integer, .years), (.integer, .count),
             (.names, .list), (.integers, .integers), (.choice, .choice):
            return true
        default:
            return false
        }
    }

    public var description: String {
        switch self {
        case .money(let m): return String(m.fen)
        case .rate(let r): return r.description
        case .integer(let i): return String(i)
        case .names(let n): return n.joined(separator: ", ")
        case .integers(let n): return n.map(String.init).joined(separator: ", ")
        case .choice(let c): return c
        }
    }
}

/// A parameter of a pack: described, with a unit, a citation and its values by the day they take effect.
public struct Parameter: Sendable, Equatable {
    public let name: String
    public let description: String
    public let unit: ParameterUnit
    /// Seed file and clause, or national document and article.
    public let citation: String
    /// Not confirmed by the county (shown as 待核定).
    public let provisional: Bool
    /// Values in the order they take effect.
    public let values: [(from: Day, value: ParameterValue)]

    public static func == (a: Parameter, b: Parameter) -> Bool {
        a.name == b.name && a.description == b.description && a.unit == b.unit && a.citation == b.citation
            && a.provisional == b.provisional && a.values.map(\.from) == b.values.map(\.from) && a.values.map(\.value) == b.values.map(\.value)
    }

    /// The value in force on `day`: the newest taking effect on or before it.
    public func value(on day: Day) -> (from: Day, value: ParameterValue)? {
        values.last { $0.from <= day }
    }
}

/// A policy pack: the parameters and switches of one locality's rules.
public struct PolicyPack: Sendable, Equatable {
    /// `reference`, or the division code the pack is for (`530428`, `350800`).
    public let id: String
    public let name: String
    /// The divisions (county, prefecture or province codes) whose households it applies to.
    public let divisions: [DivisionCode]
    public let parameters: [String: Parameter]

    public init(id: String, name: String, divisions: [DivisionCode], parameters: [String: Parameter]) {
        self.id = id
        self.name = name
        self.divisions = divisions
        self.parameters = parameters
    }

    /// The same pack with some values replaced from `month` on (a what-if).
    public func overriding(_ changes: [String: ParameterValue], from day: Day) -> PolicyPack {
        var ps = parameters
        for (name, value) in changes {
            guard let p = ps[name] else { continue }
            var values = p.values.filter { $0.from < day }
            values.append((day, value))
            ps[name] = Parameter(name: p.name, description: p.description, unit: p.unit,
                                 citation: p.citation + "（模拟调整）", provisional: p.provisional, values: values)
        }
        return PolicyPack(id: id, name: name, divisions: divisions, parameters: ps)
    }
}

/// A pack parameter as a rule used it: for the explanation.
public struct ParameterUse: Hashable, Sendable, Codable {
    public let name: String
    public let description: String
    public let value: String
    public let unit: String
    /// The day the value took effect.
    public let from: Day
    public let citation: String
    public let provisional: Bool
}

/// A pack or a month the pack cannot serve: names the pack, the parameter and the day.
public struct PolicyError: Error, Equatable, Sendable, CustomStringConvertible {
    public let pack: String
    public let parameter: String?
    public let line: Int?
    public let message: String

    public init(pack: String, parameter: String? = nil, line: Int? = nil, _ message: String) {
        self.pack = pack
        self.parameter = parameter
        self.line = line
        self.message = message
    }

    public var description: String {
        var where_ = "pack \(pack)"
        if let line { where_ += " line \(line)" }
        if let parameter { where_ += ", parameter \(parameter)" }
        return "\(where_): \(message)"
    }
}
