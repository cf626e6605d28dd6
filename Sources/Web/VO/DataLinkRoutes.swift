import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import ImageDB
import PStampCore
import RequestDB

/// DataLink 1.1 `{links}` at `/datalink/links?ID=…` (repeatable): for each image its own file
/// (`#this`), its SODA cut-out service (`#cutout`), and its mask, variance and catalogue; an ID that
/// names no image of this site gets an error row (`NotFound`). The files are served by
/// `/vo/files?ID=…&FILE=image|mask|variance|sources` while the image is on disk; a cleaned image is
/// `NotFound` there with the advice to cut it through SODA, which restores it first.
struct DataLinkRoutes<Context: AuthRequestContext<RequestIdentity>>: Sendable {
    let database: RequestDatabase
    let site: VOSite

    func register(on router: Router<Context>) {
        router.dali("datalink/links", errors: VOExchange.votableError) { p, request, context in
            try await self.links(p, request, context)
        }
        router.dali("vo/files", errors: VOExchange.textError) { p, request, context in try await self.file(p, request, context) }
    }

    /// The companion files a link may name, with their DataLink semantics.
    enum Companion: String, CaseIterable {
        case image, mask, variance, sources

        var semantics: String {
            switch self {
            case .image: "#this"
            case .mask: "#auxiliary"
            case .variance: "#error"
            case .sources: "#derivation"
            }
        }

        var describing: String {
            switch self {
            case .image: "the whole image"
            case .mask: "its mask"
            case .variance: "its variance"
            case .sources: "its source catalogue"
            }
        }

        func path(in files: ImageFiles) -> String? {
            switch self {
            case .image: files.image
            case .mask: files.mask
            case .variance: files.variance
            case .sources: files.sources
            }
        }
    }

    func links(_ p: DALIParameters, _ request: Request, _ context: Context) async throws -> Response {
        _ = try p.responseFormatIsVOTable()
        let texts = p.values("ID")
        guard !texts.isEmpty else { throw DALIError.usage("ID is required: the obs_publisher_did of an image") }
        let base = VOExchange.baseURL(request, site: site)
        let level = try VOExchange.accessLevel(context.sender, database: database, site: site)
        var links: [DataLinkDocument.Link] = []
        for text in texts {
            let id: VOImageID
            do throws(DALIError) { id = try VOImageID.parse(text, authority: site.authority) } catch {
                links.append(.error(id: text, DALIError(.notFound, error.message)))
                continue
            }
            let found = try await VOImages(database: database, site: site).findImages(
                stages: [], shapes: [], ids: [id], level: level, limit: 1, base: base)
            guard let image = found.first else {
                links.append(.error(id: text, DALIError(.notFound, "no image \(id.localPart) on this site")))
                continue
            }
            let uri = id.uri(authority: site.authority)
            let fileURL = { (c: Companion) in
                base + "/vo/files?ID=" + VOImages.queryValue(uri) + "&FILE=" + c.rawValue
            }
            let companions = Companion.allCases.dropFirst().filter { $0.path(in: image.image.image.files) != nil }.map {
                (semantics: $0.semantics, description: $0.describing, url: fileURL($0))
            }
            links += DataLinkDocument.links(for: id, authority: site.authority, imageURL: fileURL(.image), companions: companions)
        }
        return VOExchange.votable(
            DataLinkDocument.votable(links, sodaSyncURL: base + "/soda/sync"), contentType: DataLinkDocument.contentType)
    }

    func file(_ p: DALIParameters, _ request: Request, _ context: Context) async throws -> Response {
        guard let text = try p.single("ID") else { throw DALIError.usage("ID is required") }
        let id = try VOImageID.parse(text, authority: site.authority)
        let name = try p.single("FILE") ?? "image"
        guard let companion = Companion(rawValue: name.lowercased()) else {
            throw DALIError.usage("FILE '\(name)' is not one of \(Companion.allCases.map(\.rawValue).joined(separator: " "))")
        }
        let level = try VOExchange.accessLevel(context.sender, database: database, site: site)
        let found = try await VOImages(database: database, site: site).findImages(
            stages: [], shapes: [], ids: [id], level: level, limit: 1, base: VOExchange.baseURL(request, site: site))
        guard let image = found.first?.image.image else { throw DALIError(.notFound, "no image \(id.localPart) on this site") }
        guard image.availability == .full else {
            throw DALIError(
                .notFound,
                "\(id.localPart) was cleaned from disk: cut it through /soda/sync or /soda/async, which restore it first")
        }
        guard let stored = companion.path(in: image.files) else { throw DALIError(.notFound, "\(id.localPart) has no \(name) file") }
        let datapath = site.datapath
        let path = try await Blocking.run { try ImagePaths.resolve(stored, datapath: datapath) }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw DALIError(.serviceUnavailable, "the \(name) file of \(id.localPart) cannot be read now")
        }
        let body = try await FileIO().loadFile(path: path, context: context)
        let filename = URL(fileURLWithPath: path).lastPathComponent
        let type = filename.hasSuffix(".fits") || filename.hasSuffix(".cmf") ? "application/fits" : "application/octet-stream"
        return Response(
            status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(filename)\""], body: body)
    }
}
