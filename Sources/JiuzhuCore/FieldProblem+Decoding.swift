import Foundation

extension FieldProblem {
    /// The field and rule of a JSON decoding error, or nil when the text is not JSON at all.
    public init?(decoding e: DecodingError) {
        func path(_ keys: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            var out = ""
            for k in keys + (last.map { [$0] } ?? []) {
                if let i = k.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + k.stringValue }
            }
            return out
        }
        switch e {
        case .keyNotFound(let key, let ctx):
            self.init(field: path(ctx.codingPath, key), rule: "is required")
        case .typeMismatch(let type, let ctx):
            self.init(field: path(ctx.codingPath), rule: "must be \(Self.typeName(type))")
        case .valueNotFound(let type, let ctx):
            self.init(field: path(ctx.codingPath), rule: "must be \(Self.typeName(type)), not null")
        case .dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty { return nil }
            self.init(field: path(ctx.codingPath), rule: ctx.debugDescription)
        @unknown default:
            self.init(field: "", rule: "is not valid")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Bool.Type: return "true or false"
        case is Array<Any>.Type: return "an array"
        default:
            let t = String(describing: type)
            if t.hasPrefix("Array") { return "an array" }
            if t.hasPrefix("Dictionary") { return "an object" }
            return "a \(t)"
        }
    }
}
