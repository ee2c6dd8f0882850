import Foundation
import JiuzhuCases
import JiuzhuCore
import JiuzhuPolicy
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
            case .forbidden(let why):
                return (.forbidden, ErrorBody(error: "forbidden", message: why, problems: []))
            default:
                return (.internalServerError, ErrorBody(error: "internal", message: "the server could not complete the request", problems: []))
            }
        case let e as DecodingError:
            return decodingProblem(e)
        case let e as FeedProblems:
            return describe(e.errors)
        case let e as FeedErrors:
            let problems = e.errors.map { FieldProblem(field: "line \($0.line).\($0.column)", rule: $0.rule) }
            return (.unprocessableEntity, ErrorBody(error: "invalid", message: "\(e.file) is refused (\(e.total) problem(s)); nothing was applied",
                                                    problems: Array(problems.prefix(100))))
        case let e as ReserveError:
            return (.unprocessableEntity, ErrorBody(error: "invalid", message: e.description, problems: [FieldProblem(field: "amount_fen", rule: e.description)]))
        case let e as PaymentError:
            switch e {
            case .noRoll: return (.notFound, ErrorBody(error: "not_found", message: e.description, problems: []))
            case .noEntitlement: return (.unprocessableEntity, ErrorBody(error: "invalid", message: e.description, problems: [FieldProblem(field: "household_id", rule: e.description)]))
            case .confirmed, .notConfirmed, .notExported: return (.conflict, ErrorBody(error: "conflict", message: e.description, problems: [FieldProblem(field: "month", rule: e.description)]))
            }
        case let e as CaseError:
            switch e {
            case .illegal(let action, _, _):
                return (.conflict, ErrorBody(error: "illegal_transition", message: e.description, problems: [FieldProblem(field: "action", rule: "\(action): " + e.description)]))
            case .notAllowed:
                return (.forbidden, ErrorBody(error: "forbidden", message: e.description, problems: []))
            case .unmet(let field, let rule):
                return (.unprocessableEntity, ErrorBody(error: "invalid", message: e.description, problems: [FieldProblem(field: field, rule: rule)]))
            }
        case let e as PolicyError:
            return (.unprocessableEntity, ErrorBody(error: "policy", message: e.description,
                                                    problems: [FieldProblem(field: e.parameter ?? "policy", rule: e.description)]))
        case let e as Accounts.Failure:
            switch e {
            case .wrongCredentials: return (.unauthorized, ErrorBody(error: "wrong_credentials", message: e.description, problems: []))
            case .locked: return (.tooManyRequests, ErrorBody(error: "locked", message: e.description, problems: []))
            case .inactive: return (.forbidden, ErrorBody(error: "inactive", message: e.description, problems: []))
            }
        case let e as RequestProblem:
            return (.unprocessableEntity, ErrorBody(error: "invalid", message: e.problem.description, problems: [e.problem]))
        case let e as any AbortError:
            let code = e.status == .notFound ? "not_found" : e.status == .unauthorized ? "unauthorized" : "bad_request"
            return (e.status, ErrorBody(error: code, message: e.reason, problems: []))
        default:
            return (.internalServerError, ErrorBody(error: "internal", message: "the server could not complete the request", problems: []))
        }
    }

    /// A JSON body that does not decode: name the field and the rule.
    static func decodingProblem(_ e: DecodingError) -> (HTTPResponseStatus, ErrorBody) {
        guard let problem = FieldProblem(decoding: e) else {
            return (.badRequest, ErrorBody(error: "bad_request", message: "the body is not valid JSON", problems: []))
        }
        return (.unprocessableEntity, ErrorBody(error: "invalid", message: problem.description, problems: [problem]))
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
