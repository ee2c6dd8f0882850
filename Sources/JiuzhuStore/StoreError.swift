import JiuzhuCore

/// What can go wrong in the registry, with what a caseworker needs to act on it.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// Not found, or not within the user's jurisdiction (the two are deliberately indistinguishable).
    case notFound(entity: String, key: String)
    /// Field rules broken; nothing was written.
    case invalid([FieldProblem])
    /// The change clashes with what the registry already holds (the field and why).
    case conflict(FieldProblem)
    /// The caller's role may not do this (where they may act is the jurisdiction's, not this).
    case forbidden(String)
    case pendingMigrations([String])
    case cannotOpen(String)
    /// A stored value that no longer reads as its type.
    case corrupt(String, String)

    public var description: String {
        switch self {
        case .notFound(let e, let k): return "\(e) \(k) not found"
        case .invalid(let ps): return ps.map(\.description).joined(separator: "; ")
        case .conflict(let p): return p.description
        case .forbidden(let why): return why
        case .pendingMigrations(let names):
            return "the database has \(names.count) pending migration(s) (\(names.joined(separator: ", "))): run `jiuzhu migrate` first"
        case .cannotOpen(let why): return "cannot open the database: \(why)"
        case .corrupt(let column, let value): return "stored value '\(value)' in \(column) is not valid"
        }
    }
}
