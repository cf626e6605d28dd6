import DataStore
import Foundation
import PStampCore
import RequestDB

/// The UWS view of SODA requests: a job's phase, document, results and error, read from its request
/// and jobs (`UWSPhase(request:…)`), and the changes a client makes (run, abort, destroy, limits).
struct UWSJobs: Sendable {
    let soda: SODARequests
    var database: RequestDatabase { soda.database }

    /// How long a job is kept by default (its destruction time), and the longest a client may ask for.
    static let defaultLifetime: TimeInterval = 7 * 86_400
    static let longestLifetime: TimeInterval = 30 * 86_400
    /// The longest blocking WAIT.
    static let longestWait = 600.0

    /// The job's phase: the request's, with an aborted job's end shown as ABORTED.
    static func phase(_ v: UWSJobView) -> UWSPhase {
        guard let state = v.request.state else { return .unknown }
        let phase = UWSPhase(
            request: state, fault: v.request.fault ?? .success, preview: v.uws.started == nil, jobsFinished: v.jobsStopped,
            jobsCancelled: v.jobsCancelled)
        // An aborted job stays ABORTED until it is destroyed (an abort before the parser reached it sends
        // its request straight to cleanup).
        let destroyed = v.uws.destruction.date.map { $0 <= Date() } ?? true
        if v.uws.aborted && phase.isFinal && (phase != .archived || !destroyed) { return .aborted }
        return phase
    }

    /// The whole document of a job, with its results (one per stamp file) once it has ended.
    func document(_ v: UWSJobView, base: String) throws -> UWSJob {
        var phase = Self.phase(v)
        var results: [UWSResult] = []
        var summary: UWSJob.ErrorSummary?
        if phase == .completed || phase == .aborted || phase == .error {
            let stamps = try soda.stamps(of: v.request)
            for stamp in stamps where stamp.fault == .success {
                for (product, suffix) in [(StampProduct.image, ""), (.mask, "_mask"), (.variance, "_variance"), (.jpeg, "_jpeg")] {
                    guard let f = stamp.files[product] else { continue }
                    let type = product == .jpeg ? "image/jpeg" : "application/fits"
                    results.append(
                        UWSResult(
                            id: "stamp_\(stamp.rownum)\(suffix)", href: "\(base)/ds/\(stamp.product)/\(stamp.fileset)/\(f.name)",
                            size: f.bytes, mimeType: type))
                }
            }
            if phase == .completed && results.isEmpty && v.jobsTotal > 0 { phase = .error }
            if phase == .error { summary = UWSJob.ErrorSummary(SODARequests.failure(of: v.request, stamps: stamps)) }
        }
        let parameters = v.uws.parameterPairs.map { UWSJob.Parameter(id: $0.0, value: $0.1) }
        let creation = v.request.registered
        let rows = max(v.jobsTotal, v.uws.parameterPairs.filter { ["ID", "POS", "CIRCLE", "POLYGON"].contains($0.0.uppercased()) }.count)
        let quote = (v.uws.started ?? creation).flatMap { $0.date }.map { MetadataTime($0.addingTimeInterval(5 + Double(rows) * 0.1)) }
        return UWSJob(
            jobId: String(v.uws.reqID), runId: v.uws.runID, ownerId: v.uws.owner, phase: phase, quote: quote, creationTime: creation,
            startTime: v.uws.started, endTime: phase.isFinal ? v.request.timestamp : nil, executionDuration: v.uws.executionDuration,
            destruction: v.uws.destruction, parameters: parameters, results: results, errorSummary: summary)
    }

    /// Creates a job from its parameters (PHASE=RUN runs it at once); returns its id.
    func create(_ p: DALIParameters, identity: RequestIdentity, base: String) async throws -> Int64 {
        let q = try SODAQuery(p, authority: soda.site.authority)
        let run = try p.single("PHASE").map { try UWSAction.parsePhase($0) == .run } ?? false
        let cuts = try await soda.cuts(q, identity: identity, base: base)
        guard !cuts.isEmpty else { throw DALIError(.notFound, "no image meets the region: nothing to cut") }
        let duration = try Self.executionDuration(p.single("EXECUTIONDURATION")) ?? 0
        let destruction = try p.single("DESTRUCTION").map(Self.destruction) ?? MetadataTime(Date().addingTimeInterval(Self.defaultLifetime))
        let new = try soda.requestFile(cuts, optionMask: q.optionMask, identity: identity, run: run)
        let kept = p.pairs.filter { !["PHASE", "EXECUTIONDURATION", "DESTRUCTION", "RUNID"].contains($0.name) }.map { ($0.name, $0.value) }
        let reqID = try database.uwsJobs.create(
            new, owner: identity.user, runID: try p.single("RUNID"), parameters: kept, executionDuration: duration, destruction: destruction
        )
        if run { try database.uwsJobs.markStarted(reqID: reqID, at: MetadataTime(Date())) }
        return reqID
    }

    /// `PHASE=RUN`: a job created without it was parsed as a PREVIEW; it is promoted once the parser
    /// has made its jobs (waited for here, woken by the change).
    func run(_ v: UWSJobView) async throws {
        let reqID = v.uws.reqID
        try database.uwsJobs.markStarted(reqID: reqID, at: MetadataTime(Date()))
        let database = database
        let state = try await RequestWait.until(database, timeout: .seconds(30)) { () -> RequestState? in
            guard let s = try database.requests.get(reqID: reqID)?.state else { return nil }
            return s == .new ? nil : s
        }
        guard let state else { throw DALIError(.serviceUnavailable, "job \(reqID) is still waiting for the parser: ask again") }
        guard let target = UWSAction.run.requestState(from: state, hasJobs: v.jobsTotal > 0 || state == .parsed) else {
            if [.run, .stop, .gotoCleaned, .cleaned].contains(state) { return }
            throw DALIError(.usageError, "job \(reqID) cannot be run from its present phase")
        }
        var selector = RequestSelector()
        selector.reqID = reqID
        selector.state = state
        _ = try database.requests.update(selector, RequestChange(state: target))
    }

    /// `EXECUTIONDURATION`: whole seconds, 0 for no limit.
    static func executionDuration(_ text: String?) throws(DALIError) -> Int? {
        guard let text else { return nil }
        guard let n = Int(text), n >= 0 else { throw .usage("EXECUTIONDURATION '\(text)' is not a whole number of seconds (0: no limit)") }
        return n
    }

    /// `DESTRUCTION`: an ISO 8601 time, no later than the longest lifetime from now.
    static func destruction(_ text: String) throws(DALIError) -> MetadataTime {
        guard let t = MetadataTime(text), let date = t.date else { throw .usage("DESTRUCTION '\(text)' is not an ISO 8601 time") }
        let latest = Date().addingTimeInterval(longestLifetime)
        return date > latest ? MetadataTime(latest) : MetadataTime(date)
    }
}
