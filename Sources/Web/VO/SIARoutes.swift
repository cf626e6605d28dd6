import Foundation
import Hummingbird
import HummingbirdAuth
import ImageDB
import PStampCore
import RequestDB

/// SIA 2.0 at `/sia/query` (GET or POST): the images of the image databases whose footprints meet the
/// query, as a VOTable of ObsCore columns with DataLink and SODA service descriptors. The sender's
/// access level applies as to a request file: a refused sender gets `AuthorizationError`, and a
/// level's date cap hides the newer non-stack images.
struct SIARoutes<Context: AuthRequestContext<RequestIdentity>>: Sendable {
    let database: RequestDatabase
    let site: VOSite

    func register(on router: Router<Context>) {
        router.dali("sia/query", errors: VOExchange.votableError) { p, request, context in
            try await self.query(p, request, context)
        }
    }

    func query(_ p: DALIParameters, _ request: Request, _ context: Context) async throws -> Response {
        let q = try SIAQuery(p, authority: site.authority)
        let base = VOExchange.baseURL(request, site: site)
        let level = try VOExchange.accessLevel(context.sender, database: database, site: site)
        let found = try await VOImages(database: database, site: site).findImages(
            stages: q.collections, shapes: q.shapes, ids: q.ids, level: level, limit: q.maxrec + 1, base: base
        ) { q.admits($0) }.map(\.record)
        let overflow = found.count > q.maxrec
        let text = SIAResults.votable(
            Array(found.prefix(q.maxrec)), authority: site.authority, overflow: overflow, sodaSyncURL: base + "/soda/sync",
            sodaAsyncURL: base + "/soda/async", dataLinkURL: base + "/datalink/links")
        return VOExchange.votable(text)
    }
}

/// The images the VO face offers, over every project's image database: found by region (SIA, SODA
/// without ID) or by ID (SIA ID, DataLink, SODA), as SIA records, with the access level's date cap.
/// Image database reads are blocking: they run off the cooperative pool.
struct VOImages: Sendable {
    let database: RequestDatabase
    let site: VOSite

    /// One found image, with its record and the project it belongs to.
    struct Found: Sendable {
        var record: SIARecord
        var image: DiscoveredImage
    }

    func findImages(
        stages: [ImageType], shapes: [DALIShape], ids: [VOImageID], level: Int, limit: Int, base: String,
        admit: @escaping @Sendable (SIARecord) -> Bool = { _ in true }
    ) async throws -> [Found] {
        guard limit > 0 else { return [] }
        let database = database, site = site
        return try await Blocking.run {
            var found: [Found] = []
            for (project, images) in try site.projectDatabases(database) {
                let cap = try VOExchange.mjdCap(project: project, level: level, database: database)
                if let cap, cap < 0 { continue }
                let visible: @Sendable (DiscoveredImage) -> Found? = { d in
                    let record = Self.record(d, project: project, base: base, authority: site.authority)
                    if let cap, d.image.stage != .stack, !(record.tMin <= cap) { return nil }
                    return admit(record) ? Found(record: record, image: d) : nil
                }
                if ids.isEmpty {
                    var admitted: [Found] = []
                    _ = try images.discover(stages: stages, shapes: shapes, limit: limit - found.count) { d in
                        guard let f = visible(d) else { return false }
                        admitted.append(f)
                        return true
                    }
                    found += admitted
                } else {
                    for id in ids where id.project == project {
                        if let d = try images.discover(id), let f = visible(d), d.sky.overlapsAny(shapes) { found.append(f) }
                    }
                }
                if found.count >= limit { break }
            }
            return Array(found.prefix(limit))
        }
    }

    /// The image as an SIA record: its DataLink `{links}` is its access URL.
    static func record(_ d: DiscoveredImage, project: String, base: String, authority: String) -> SIARecord {
        var id = d.voID
        id.project = project
        let image = d.image
        let start = image.stage == .stack ? image.stackMJDObs : image.mjd
        let tMin = start ?? .nan
        let tMax = tMin + (image.expTime ?? 0) / 86_400
        return SIARecord(
            id: id, accessURL: base + "/datalink/links?ID=" + VOImages.queryValue(id.uri(authority: authority)),
            accessFormat: DataLinkDocument.contentType, footprint: d.sky, tMin: tMin, tMax: tMax, exposureSeconds: image.expTime,
            filter: image.filter, width: d.footprint.naxis1, height: d.footprint.naxis2, cleaned: image.availability != .full)
    }

    /// A value written into a URL query.
    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
