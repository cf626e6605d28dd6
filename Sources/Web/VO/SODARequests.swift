import DataStore
import FITS
import Foundation
import ImageDB
import PStampCore
import RequestDB

/// SODA cut-outs as PStamp requests (label `SODA`): the cuts a query asks for, the request file and
/// request that make them (through the same parser, jobs, restores and reverts as every request), and
/// the stamps a finished request gave. Sync cut-outs and async UWS jobs share it.
struct SODARequests: Sendable {
    let database: RequestDatabase
    let registry: DataStoreRegistry
    let workdir: URL
    let site: VOSite

    static let label = "SODA"

    /// The cuts of a query: each (ID, region) whose region meets the image, or for POS without ID each
    /// image of the query's collections (warps when none) the region meets. An ID of no image is
    /// `NotFound`; more than `site.maxCuts` cuts is a usage error.
    func cuts(_ q: SODAQuery, identity: RequestIdentity, base: String) async throws -> [SODACut] {
        let level = try VOExchange.accessLevel(identity, database: database, site: site)
        let images = VOImages(database: database, site: site)
        var cuts: [SODACut] = []
        if q.ids.isEmpty {
            let found = try await images.findImages(
                stages: q.collections.isEmpty ? [.warp] : q.collections, shapes: q.shapes, ids: [], level: level,
                limit: site.maxCuts + 1, base: base)
            for f in found {
                cuts += q.shapes.compactMap { SODACut(id: f.record.id, shape: $0, footprint: f.image.sky) }
            }
        } else {
            for id in q.ids {
                guard let f = try await images.findImages(stages: [], shapes: [], ids: [id], level: level, limit: 1, base: base).first
                else { throw DALIError(.notFound, "no image \(id.localPart) on this site") }
                if let pixels = q.pixels {
                    cuts.append(SODACut(id: f.record.id, region: pixels))
                } else {
                    cuts += q.shapes.compactMap { SODACut(id: f.record.id, shape: $0, footprint: f.image.sky) }
                }
            }
        }
        guard cuts.count <= site.maxCuts else {
            throw DALIError.usage("the query makes more than \(site.maxCuts) cut-outs: name the images with ID or use a smaller region")
        }
        return cuts
    }

    /// Writes the request file of `cuts` under `<workdir>/webreq/…` as `soda_<num>` and returns the
    /// new request (ACTION PREVIEW when `run` is false: parsed, not cut, until the job is run).
    func requestFile(_ cuts: [SODACut], optionMask: OptionMask, identity: RequestIdentity, run: Bool) throws -> NewRequest {
        let rows = cuts.enumerated().map { i, cut in
            RawRequestRow(cut.requestColumns(rownum: i + 1, optionMask: optionMask).mapValues { RequestValue.text($0) })
        }
        let email = site.address(of: identity)
        let (name, path) = try RequestIntake(database: database, workdir: workdir).writeRequestFile(
            prefix: "soda", action: run ? "PROCESS" : "PREVIEW", email: email, rows: rows)
        return NewRequest(uri: path, dsID: 0, name: name, username: email, label: Self.label, identity: identity)
    }

    /// The request once it has stopped (or was sent to cleanup), nil when `timeout` passes first.
    func ended(reqID: Int64, timeout: Duration) async throws -> RequestRecord? {
        let database = database
        return try await RequestWait.until(database, timeout: timeout) {
            guard let r = try database.requests.get(reqID: reqID), let state = r.state else { return nil }
            return [.stop, .gotoCleaned, .cleaned].contains(state) ? r : nil
        }
    }

    /// One stamp of a finished request: the job's row, its fault, and its files on the data store.
    struct Stamp: Sendable {
        var rownum: Int
        var fault: PStampCode
        /// The stamp image and its companions, by product, as registered.
        var files: [StampProduct: DSFile]
        var product: String
        var fileset: String
    }

    /// The stamps of a stopped request, in row order (a row that failed has a fault and no files).
    func stamps(of request: RequestRecord) throws -> [Stamp] {
        guard let product = request.outProduct, let name = request.name,
            let fileset = try registry.store.fileset(product: product, name: name)
        else { return [] }
        let files = try registry.store.files(filesetID: fileset.filesetID)
        let byName = Dictionary(files.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var filter = JobListFilter()
        filter.reqID = request.reqID
        let jobs = try database.jobs.list(filter).map(\.job).sorted { ($0.rownumber, $0.jobID) < ($1.rownumber, $1.jobID) }
        return jobs.map { job in
            let base = job.outputBase.map { URL(fileURLWithPath: $0).lastPathComponent } ?? ""
            var found: [StampProduct: DSFile] = [:]
            for p in [StampProduct.image, .mask, .variance, .jpeg, .sources] {
                if let suffix = p.suffix, !base.isEmpty, let f = byName[base + suffix] { found[p] = f }
            }
            return Stamp(rownum: job.rownumber, fault: job.fault ?? .success, files: found, product: product, fileset: name)
        }
    }

    /// The DALI error of a request that gave no stamp: the first reported fault of its jobs (`stamps`),
    /// or of the request, as the DALI label a client can act on.
    static func failure(of request: RequestRecord, stamps: [Stamp]) -> DALIError {
        let code = stamps.map(\.fault).first { $0 != .success } ?? request.fault ?? .success
        let what = "request \(request.reqID) \(request.name ?? ""): fault \(code.description)"
        switch code {
        case .notAuthorized: return DALIError(.authorizationError, what)
        case .noImageMatch, .noOverlap, .gone, .noValidPixels: return DALIError(.notFound, what)
        case .invalidRequest: return DALIError(.usageError, what)
        case .notAvailable, .bgRestoreNotAvailable: return DALIError(.serviceUnavailable, what + ": the image could not be restored")
        default: return DALIError(.error, what)
        }
    }
}
