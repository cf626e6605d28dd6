import DataStore
import Hummingbird

/// A refusal answered as plain text: the status, any extra headers, and the message as the whole body
/// (the IPP's clients and PStamp's scripts read these bodies, so they are sent exactly as written, not
/// wrapped in JSON as `HTTPError` would).
///
///     throw PlainTextError(.badRequest, "ra is required (degrees)\n")
struct PlainTextError: HTTPResponseError, Equatable {
    var status: HTTPResponse.Status
    var message: String
    var headers: HTTPFields = [:]
    /// The data store answers `text/plain` as the IPP's CGI did; the other faces say the charset.
    var contentType = "text/plain; charset=utf-8"

    init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:], contentType: String = "text/plain; charset=utf-8") {
        self.status = status
        self.message = message
        self.headers = headers
        self.contentType = contentType
    }

    /// A data-store lookup that found nothing: 404 with the IPP's message (empty for an unknown cursor).
    init(_ notFound: DataStoreNotFound) {
        self.init(.notFound, notFound.body, contentType: "text/plain")
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: message)))
    }
}

extension Response {
    /// A `200` (or `status`) answer with a text body of the given content type.
    static func text(_ body: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
