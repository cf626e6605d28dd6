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
        route(router, "ds") { _, context in
            html(try await catalog.rootIndex(readableBy: context.sender), .root)
        }
        route(router, "ds/index.txt") { _, context in
            .text(try await catalog.rootIndex(readableBy: context.sender), contentType: "text/plain")
        }
        route(router, "ds/:product") { _, context in
            let product = try await readable(context)
            return html(try await catalog.productIndex(product: product, after: nil), .product(product))
        }
        route(router, "ds/:product/index.txt") { request, context in
            let product = try await readable(context)
            // The query is used as it appears in the request, not URL-decoded (as the IPP does).
            let cursor = request.uri.query.flatMap { $0.isEmpty ? nil : $0 }
            return .text(try await catalog.productIndex(product: product, after: cursor), contentType: "text/plain")
        }
        route(router, "ds/:product/:fileset") { _, context in
            let product = try await readable(context)
            let fileset = try Self.parameter("fileset", context)
            return html(try await catalog.filesetIndex(product: product, fileset: fileset), .fileset(product, fileset))
        }
        route(router, "ds/:product/:fileset/index.txt") { _, context in
            let product = try await readable(context)
            let fileset = try Self.parameter("fileset", context)
            return .text(try await catalog.filesetIndex(product: product, fileset: fileset), contentType: "text/plain")
        }
        route(router, "ds/:product/:fileset/:file") { request, context in
            let product = try await readable(context)
            let fileset = try Self.parameter("fileset", context)
            let name = try Self.parameter("file", context)
            let url = try await catalog.fileLocation(product: product, fileset: fileset, file: name)
            return try await file(url, name: name, request: request, context: context)
        }
        route(router, "ds/:product/:fileset/:file/**") { _, context in
            _ = try await readable(context)
            throw PlainTextError(DataStoreNotFound(body: "no such data-store path\n"))
        }
    }

    /// Registers `answer` for GET and for HEAD (the GET answer's status and headers, Content-Length
    /// included, without the body); a lookup that finds nothing becomes the IPP's 404.
    private func route(
        _ router: Router<Context>, _ path: RouterPath,
        _ answer: @escaping @Sendable (Request, Context) async throws -> Response
    ) {
        @Sendable func get(_ request: Request, _ context: Context) async throws -> Response {
            do { return try await answer(request, context) } catch let error as DataStoreNotFound { throw PlainTextError(error) }
        }
        router.get(path) { request, context in try await get(request, context) }
        router.head(path) { request, context in
            let full: Response
            do { full = try await get(request, context) } catch let error as PlainTextError {
                full = try error.response(from: request, context: context)
            }
            var headers = full.headers
            if headers[.contentLength] == nil, let length = full.body.contentLength { headers[.contentLength] = String(length) }
            return Response(status: full.status, headers: headers, body: .init())
        }
    }

    /// A path component, percent-decoded (the router hands it over as sent).
    static func parameter(_ name: String, _ context: Context) throws -> String {
        let raw = try context.parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }

    /// The route's product, when the sender may read it; else the refusal.
    private func readable(_ context: Context) async throws -> String {
        let product = try Self.parameter("product", context)
        try await checkAccess(product: product, identity: context.sender)
        return product
    }

    /// Throws the answer for a product `identity` may not read.
    func checkAccess(product: String, identity: RequestIdentity) async throws {
        let access = try await catalog.productAccess(product)
        if AccessRules.mayRead(access, identity: identity) { return }
        switch access {
        case .public: return
        case .closed: throw PlainTextError(.product(product))
        case .owner:
            if identity.user == nil {
                throw PlainTextError(
                    .unauthorized,
                    "\(product) is readable only by its owner: send the owner's token "
                        + "(Authorization: Bearer TOKEN, or pstamp fetch --token)\n",
                    headers: [.wwwAuthenticate: "Bearer realm=\"pstamp\""], contentType: "text/plain")
            }
            throw PlainTextError(.forbidden, "\(product) belongs to another user\n", contentType: "text/plain")
        }
    }

    private func html(_ indexText: String, _ level: DataStoreHTML.Level) -> Response {
        .text(DataStoreHTML.page(indexText, level: level), contentType: "text/html; charset=utf-8")
    }

    private func file(_ url: URL, name: String, request: Request, context: Context) async throws -> Response {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path)
        } catch {
            throw PlainTextError(DataStoreNotFound(body: "\(name) is registered but missing on disk\n"))
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
