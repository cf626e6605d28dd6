import DataStore
import FITS
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import PStampCore
import RequestDB

/// SODA 1.0 sync at `/soda/sync` (GET or POST): ID (repeatable), POS, CIRCLE, POLYGON, and PStamp's
/// PIXELS and OPTIONS. The cut-outs are made by a request labelled SODA, through the pipeline like
/// every request (so a cleaned image is restored first), and the answer waits for it: one stamp
/// alone is its FITS file; several stamps, or a stamp with its mask and variance (`OPTIONS=mask,variance`),
/// come as one FITS file with an extension each (EXTNAME the image's ID, `MASK`, `VARIANCE`).
/// Nothing to cut is 204 No Content; errors are DALI text documents with their HTTP codes.
struct SODASyncRoutes<Context: AuthRequestContext<RequestIdentity>>: Sendable {
    let soda: SODARequests

    func register(on router: Router<Context>) {
        router.dali("soda/sync", errors: VOExchange.textError) { p, request, context in try await self.sync(p, request, context) }
    }

    func sync(_ p: DALIParameters, _ request: Request, _ context: Context) async throws -> Response {
        let q = try SODAQuery(p, authority: soda.site.authority)
        let base = VOExchange.baseURL(request, site: soda.site)
        let cuts = try await soda.cuts(q, identity: context.sender, base: base)
        guard !cuts.isEmpty else { return Response(status: .noContent) }
        let new = try soda.requestFile(cuts, optionMask: q.optionMask, identity: context.sender, run: true)
        let reqID = try soda.database.requests.add(new)
        context.logger.info("SODA sync: request \(reqID) \(new.name ?? "") with \(cuts.count) cut-outs (\(context.sender.description))")
        guard let ended = try await soda.ended(reqID: reqID, timeout: .seconds(soda.site.syncLimit)) else {
            throw DALIError(
                .serviceUnavailable,
                "request \(reqID) \(new.name ?? "") is still being worked on (an image may be restored); ask again or use /soda/async")
        }
        return try await answer(ended, cuts: cuts, options: q.optionMask, context: context)
    }

    /// The FITS answer of a stopped request, or the DALI error its jobs' faults mean.
    func answer(_ request: RequestRecord, cuts: [SODACut], options: OptionMask, context: Context) async throws -> Response {
        let all = try soda.stamps(of: request)
        let stamps = all.filter { $0.fault == .success && $0.files[.image] != nil }
        guard !stamps.isEmpty else { throw SODARequests.failure(of: request, stamps: all) }
        let registry = soda.registry
        var parts: [(path: String, extname: String)] = []
        for stamp in stamps {
            let name = cuts.indices.contains(stamp.rownum - 1) ? cuts[stamp.rownum - 1].id.localPart : "STAMP\(stamp.rownum)"
            for (product, extname) in [(StampProduct.image, name), (.mask, "MASK"), (.variance, "VARIANCE")] {
                guard let file = stamp.files[product] else { continue }
                let url = try await registry.fileLocation(product: stamp.product, fileset: stamp.fileset, file: file.name)
                parts.append((url.path, product == .image ? extname : "\(extname) \(name)"))
            }
        }
        if parts.count == 1, let only = stamps.first?.files[.image] {
            let body = try await FileIO().loadFile(path: parts[0].path, context: context)
            return Response(status: .ok, headers: Self.fitsHeaders(filename: only.name), body: body)
        }
        let bundle = FileManager.default.temporaryDirectory.appendingPathComponent("soda_\(request.reqID)_\(UUID().uuidString).fits")
        let named = parts
        try await Blocking.run { try FITSFile.writeImageExtensions(named, to: bundle.path) }
        defer { try? FileManager.default.removeItem(at: bundle) }
        let data = try await Blocking.run { try Data(contentsOf: bundle) }
        return Response(
            status: .ok, headers: Self.fitsHeaders(filename: "\(request.name ?? "soda").fits"),
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func fitsHeaders(filename: String) -> HTTPFields {
        [.contentType: "application/fits", .contentDisposition: "attachment; filename=\"\(filename)\""]
    }
}
