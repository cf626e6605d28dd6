import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import HummingbirdCore
import PStampCore
import RequestDB

/// How the VO routes read their requests and write their answers: DALI parameters from the query
/// and an urlencoded body, absolute URLs, XML and VOTable answers, DALI error documents.
enum VOExchange {
    /// The largest urlencoded body read.
    static let maxBody = 1 << 20

    /// The request's parameters: query items, then those of an urlencoded POST body (DALI 1.1 §3: a
    /// name may repeat; `+` is a blank, as HTML forms and `requests` write it).
    static func parameters(_ request: Request) async throws -> DALIParameters {
        var pairs = pairs(ofQuery: request.uri.query ?? "")
        if request.method == .post {
            let body = try await request.body.collect(upTo: maxBody)
            if body.readableBytes > 0 { pairs += Self.pairs(ofQuery: String(buffer: body)) }
        }
        return DALIParameters(pairs)
    }

    static func pairs(ofQuery text: String) -> [(String, String)] {
        guard !text.isEmpty else { return [] }
        let uri = URI("/?" + text.replacingOccurrences(of: "+", with: "%20"))
        return uri.queryParameters.map { (String($0.key), String($0.value)) }
    }

    /// The URL clients reach this server at, without a trailing slash.
    static func baseURL(_ request: Request, site: VOSite) -> String {
        if let url = site.publicURL { return url }
        let scheme = request.head.scheme ?? "http"
        return "\(scheme)://\(request.head.authority ?? "127.0.0.1")"
    }

    static func xml(_ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/xml; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func votable(_ text: String, contentType: String = "application/x-votable+xml") -> Response {
        xml(text, contentType: contentType)
    }

    /// A DALI error as a VOTable error document with the error's HTTP status (SIA, DataLink).
    static func votableError(_ error: DALIError) -> Response {
        var r = xml(VOTable.error(error), status: HTTPResponse.Status(code: error.httpStatus), contentType: "application/x-votable+xml")
        if error.label == .serviceUnavailable { r.headers[.retryAfter] = "10" }
        return r
    }

    /// A DALI error as text (`UsageError: …`) with the error's HTTP status (SODA, UWS).
    static func textError(_ error: DALIError) -> Response {
        var r = Response(
            status: HTTPResponse.Status(code: error.httpStatus), headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: error.description + "\n")))
        if error.label == .serviceUnavailable { r.headers[.retryAfter] = "10" }
        return r
    }

    /// Runs a route's body, answering a `DALIError` with `error` and any other failure as a DALI `Error`.
    static func answering(
        _ error: (DALIError) -> Response, _ context: some RequestContext, _ body: () async throws -> Response
    ) async -> Response {
        do { return try await body() } catch let refusal as DALIError {
            return error(refusal)
        } catch let e as PStampError {
            return error(DALIError(e.code == .invalidRequest ? .usageError : .error, e.message))
        } catch let failure {
            context.logger.error("VO route failed: \(failure)")
            return error(DALIError(.error, "the server failed: \(failure)"))
        }
    }

    /// The access level of a sender (as its request files get it); refused senders are an
    /// `AuthorizationError`.
    static func accessLevel(_ identity: RequestIdentity, database: RequestDatabase, site: VOSite) throws -> Int {
        let grant = try database.access.grant(identity: identity, email: site.address(of: identity), defaultLevel: site.defaultAccessLevel)
        guard grant.level >= 0 else { throw DALIError(.authorizationError, "data access is forbidden for \(identity.description)") }
        return grant.level
    }

    /// The latest MJD of non-stack images a level may see in a project (nil: no cap).
    static func mjdCap(project: String, level: Int, database: RequestDatabase) throws -> Double? {
        guard let cap = try database.access.dateCap(project: project, level: level) else { return nil }
        return AccessDateLimit.limit(levelMJDMax: cap.mjdMax, rowMJDMax: 0)
    }
}

extension Router {
    /// A DALI resource at `path`: GET and POST take the same parameters (DALI 1.1 §3); `body` gets them
    /// read, and its refusals are answered by `errors` (a VOTable or a text error document).
    func dali(
        _ path: RouterPath, errors: @escaping @Sendable (DALIError) -> Response,
        _ body: @escaping @Sendable (DALIParameters, Request, Context) async throws -> Response
    ) {
        let handler: @Sendable (Request, Context) async -> Response = { request, context in
            await VOExchange.answering(errors, context) { try await body(try await VOExchange.parameters(request), request, context) }
        }
        get(path, use: handler)
        post(path, use: handler)
    }
}
