import DataStore
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import PStampCore

/// The outgoing data store over HTTP, in the IPP layout (formats-and-cutouts §5.1):
/// `/ds/index.txt`, `/ds/<product>/index.txt[?<fileset>]`, `/ds/<product>/<fileset>/index.txt`,
/// `/ds/<product>/<fileset>/<file>` (Content-Length, Range, a content type), and an HTML table for
/// `/ds/`, `/ds/<product>/` and `/ds/<product>/<fileset>/`.
///
/// Lookups that find nothing answer `404` with `text/plain` and the IPP's message as the body
/// (empty for an unknown `?<fileset>` cursor).
///
/// Products are public unless the operator (or the parser, for a user's elevated results) gave them
/// an owner (`AccessRules.ProductAccess`): such a product is left out of `/ds/` and `/ds/index.txt`
/// for everyone else, and its indexes and files answer 401 without a token, 403 with another user's,
/// and 404 when it is closed to HTTP altogether.
public struct DataStoreRoutes<Context: AuthRequestContext<RequestIdentity>>: Sendable {
    let catalog: any DataStoreCatalog
    let fileIO = FileIO()

    public init(catalog: any DataStoreCatalog) { self.catalog = catalog }

    public func register(on router: Router<Context>) {
        router.get("ds") { request, context in try await self.respond(request, context) }
        router.get("ds/**") { request, context in try await self.respond(request, context) }
        router.head("ds") { request, context in try await self.headers(request, context) }
        router.head("ds/**") { request, context in try await self.headers(request, context) }
    }

    /// HEAD: the GET answer's status and headers, Content-Length included, without the body.
    func headers(_ request: Request, _ context: Context) async throws -> Response {
        let full = try await respond(request, context)
        var headers = full.headers
        if headers[.contentLength] == nil, let length = full.body.contentLength { headers[.contentLength] = String(length) }
        return Response(status: full.status, headers: headers, body: .init())
    }

    func respond(_ request: Request, _ context: Context) async throws -> Response {
        let rawParts = request.uri.path.split(separator: "/", omittingEmptySubsequences: true)
        let parts = rawParts.dropFirst().map { String($0).removingPercentEncoding ?? String($0) }
        let identity = context.identity ?? .anonymous
        if let product = parts.first, !(parts.count == 1 && product == "index.txt"),
            let refused = try await refusal(product: product, identity: identity)
        {
            return refused
        }
        do {
            switch parts.count {
            case 0:
                return html(try await catalog.rootIndex(readableBy: identity), .root)
            case 1 where parts[0] == "index.txt":
                return text(try await catalog.rootIndex(readableBy: identity))
            case 1:
                return html(try await catalog.productIndex(product: parts[0], after: nil), .product(parts[0]))
            case 2 where parts[1] == "index.txt":
                // The query is used as it appears in the request, not URL-decoded (as the IPP does).
                let cursor = request.uri.query.flatMap { $0.isEmpty ? nil : $0 }
                return text(try await catalog.productIndex(product: parts[0], after: cursor))
            case 2:
                return html(
                    try await catalog.filesetIndex(product: parts[0], fileset: parts[1]),
                    .fileset(parts[0], parts[1]))
            case 3 where parts[2] == "index.txt":
                return text(try await catalog.filesetIndex(product: parts[0], fileset: parts[1]))
            case 3:
                let url = try await catalog.fileLocation(product: parts[0], fileset: parts[1], file: parts[2])
                return try await file(url, name: parts[2], request: request, context: context)
            default:
                return notFound(DataStoreNotFound(body: "no such data-store path\n"))
            }
        } catch let error as DataStoreNotFound {
            return notFound(error)
        }
    }

    /// The answer for a product `identity` may not read, nil when it may.
    func refusal(product: String, identity: RequestIdentity) async throws -> Response? {
        let access = try await catalog.productAccess(product)
        if AccessRules.mayRead(access, identity: identity) { return nil }
        switch access {
        case .public: return nil
        case .closed: return notFound(.product(product))
        case .owner:
            if identity.user == nil {
                return Response(
                    status: .unauthorized,
                    headers: [.contentType: "text/plain", .wwwAuthenticate: "Bearer realm=\"pstamp\""],
                    body: .init(
                        byteBuffer: ByteBuffer(
                            string: "\(product) is readable only by its owner: send the owner's token "
                                + "(Authorization: Bearer TOKEN, or pstamp fetch --token)\n")))
            }
            return Response(
                status: .forbidden, headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: "\(product) belongs to another user\n")))
        }
    }

    private func text(_ body: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    private func html(_ indexText: String, _ level: DataStoreHTML.Level) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: DataStoreHTML.page(indexText, level: level))))
    }

    private func notFound(_ error: DataStoreNotFound) -> Response {
        Response(
            status: .notFound, headers: [.contentType: "text/plain"],
            body: .init(byteBuffer: ByteBuffer(string: error.body)))
    }

    private func file(_ url: URL, name: String, request: Request, context: Context) async throws -> Response {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path)
        } catch {
            return notFound(DataStoreNotFound(body: "\(name) is registered but missing on disk\n"))
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        var headers: HTTPFields = [.contentType: ContentTypes.forFile(name), .acceptRanges: "bytes"]
        switch ByteRange.parse(request.headers[.range], size: size) {
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(size)"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        case .part(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            headers[.contentLength] = String(range.count)
            let body = try await fileIO.loadFile(path: url.path, range: range, context: context)
            return Response(status: .partialContent, headers: headers, body: body)
        case .whole:
            headers[.contentLength] = String(size)
            if size == 0 { return Response(status: .ok, headers: headers, body: .init()) }
            let body = try await fileIO.loadFile(path: url.path, context: context)
            return Response(status: .ok, headers: headers, body: body)
        }
    }
}
