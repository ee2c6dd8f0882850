import Foundation
import JiuzhuCore
import JiuzhuStore
import Vapor

/// The body of every error the API returns.
struct ErrorBody: Content, Equatable {
    /// A stable code: `invalid`, `not_found`, `conflict`, `bad_request`, `internal`, …
    let error: String
    let message: String
    /// Field-level problems (`field` as a path such as `members[1].id_number`, `rule` in words).
    let problems: [FieldProblem]
}

/// Turns every error into a clear answer: field-level 422s for bad input, 404 for what the
/// caller cannot see, 409 for clashes with the registry, and never a stack trace.
/// Only a genuine fault is a 500, with a generic message; the detail goes to the log.
struct JiuzhuErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let (status, body) = Self.describe(error)
            if status == .internalServerError {
                request.logger.error("internal error on \(request.method) \(request.url.path): \(String(reflecting: error))")
            }
            let response = Response(status: status)
            if request.url.path.hasPrefix("/api") || request.url.path.hasSuffix(".json") || !request.acceptsHTML {
                try response.content.encode(body, as: .json)
            } else {
                response.headers.contentType = .html
                response.body = .init(string: ErrorPage.render(status: status, body: body))
            }
            return response
        }
    }

    static func describe(_ error: any Error) -> (HTTPResponseStatus, ErrorBody) {
        switch error {
        case let e as StoreError:
            switch e {
            case .invalid(let ps):
                return (.unprocessableEntity, ErrorBody(error: "invalid", message: "the request breaks \(ps.count) rule(s); nothing was changed", problems: ps))
            case .notFound(let entity, let key):
                return (.notFound, ErrorBody(error: "not_found", message: "\(entity) \(key) not found", problems: []))
            case .conflict(let p):
                return (.conflict, ErrorBody(error: "conflict", message: p.description, problems: [p]))
            default:
                return (.internalServerError, ErrorBody(error: "internal", message: "the server could not complete the request", problems: []))
            }
        case let e as DecodingError:
            return decodingProblem(e)
        case let e as RequestProblem:
            return (.unprocessableEntity, ErrorBody(error: "invalid", message: e.problem.description, problems: [e.problem]))
        case let e as any AbortError:
            return (e.status, ErrorBody(error: e.status == .notFound ? "not_found" : "bad_request", message: e.reason, problems: []))
        default:
            return (.internalServerError, ErrorBody(error: "internal", message: "the server could not complete the request", problems: []))
        }
    }

    /// A JSON body that does not decode: name the field and the rule.
    static func decodingProblem(_ e: DecodingError) -> (HTTPResponseStatus, ErrorBody) {
        func path(_ keys: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            var out = ""
            for k in keys + (last.map { [$0] } ?? []) {
                if let i = k.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + k.stringValue }
            }
            return out
        }
        let problem: FieldProblem
        switch e {
        case .keyNotFound(let key, let ctx):
            problem = FieldProblem(field: path(ctx.codingPath, key), rule: "is required")
        case .typeMismatch(let type, let ctx):
            problem = FieldProblem(field: path(ctx.codingPath), rule: "must be \(typeName(type))")
        case .valueNotFound(let type, let ctx):
            problem = FieldProblem(field: path(ctx.codingPath), rule: "must be \(typeName(type)), not null")
        case .dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty {
                return (.badRequest, ErrorBody(error: "bad_request", message: "the body is not valid JSON", problems: []))
            }
            problem = FieldProblem(field: path(ctx.codingPath), rule: ctx.debugDescription)
        @unknown default:
            problem = FieldProblem(field: "", rule: "is not valid")
        }
        return (.unprocessableEntity, ErrorBody(error: "invalid", message: problem.description, problems: [problem]))
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

/// One bad query or path parameter.
struct RequestProblem: Error {
    let problem: FieldProblem
    init(_ field: String, _ rule: String) { problem = FieldProblem(field: field, rule: rule) }
}

extension Request {
    var acceptsHTML: Bool {
        headers.accept.mediaTypes.contains { $0.type == "text" && $0.subType == "html" }
    }
}
