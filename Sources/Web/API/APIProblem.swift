import Foundation
import HTTPTypes
import OpenAPIRuntime

/// An API call refused, answered as a problem document (RFC 9457, `application/problem+json`) with
/// its status by `APIProblemMiddleware`.
struct APIProblem: Error, Sendable {
    var status: HTTPResponse.Status
    var detail: String

    init(_ status: HTTPResponse.Status, _ detail: String) {
        self.status = status
        self.detail = detail
    }

    static func notFound(reqID: Int64) -> APIProblem { APIProblem(.notFound, "no request \(reqID)") }

    /// The document's body.
    var document: Components.Schemas.Problem {
        Components.Schemas.Problem(title: status.reasonPhrase, status: status.code, detail: detail)
    }
}

/// Turns every failed API call into a problem document: an `APIProblem` with its status; a call the
/// generated server could not read (a parameter, a content type, a body that does not decode) with the
/// status the runtime gives it (400, 415 …); anything else as 500, logged.
struct APIProblemMiddleware: ServerMiddleware {
    let log: @Sendable (String) -> Void

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        do {
            return try await next(request, body, metadata)
        } catch let error as ServerError {
            let problem: APIProblem
            if let refused = error.underlyingError as? APIProblem {
                problem = refused
            } else if error.underlyingError is DecodingError {
                problem = APIProblem(.badRequest, "a parameter or the body does not decode: \(error.underlyingError)")
            } else if error.httpStatus.kind == .clientError {
                problem = APIProblem(error.httpStatus, "\(error.causeDescription): \(error.underlyingError)")
            } else {
                log("\(operationID): \(error.causeDescription): \(error.underlyingError)")
                problem = APIProblem(.internalServerError, "\(operationID) failed: \(error.underlyingError)")
            }
            return try Self.response(problem)
        }
    }

    static func response(_ problem: APIProblem) throws -> (HTTPResponse, HTTPBody?) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(problem.document)
        return (
            HTTPResponse(status: problem.status, headerFields: [.contentType: "application/problem+json"]),
            HTTPBody(data)
        )
    }
}
