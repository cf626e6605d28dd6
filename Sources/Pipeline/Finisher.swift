import DataStore
import Foundation
import Logging
import PStampCore
import RequestDB

/// `request.finish.run` (request_finish.pl + pstamp_finish.pl): a request `run` whose jobs have all
/// stopped gets its results (results.fits, results.mdc), its parse_error.txt and every job's outputs
/// registered as one fileset — name REQ_NAME, type PSRESULTS, prod_col_0 = req_id — on its output
/// product, and then goes `stop`.
///
/// QUIRK fixed: the IPP stopped the request without a fileset when the results file could not be built;
/// here the request is faulted (and retried by the reverter), never stopped without its fileset.
/// A request whose own data the results file cannot hold (the writer says 21: an echoed value no column
/// takes) ends stop/21 with its fileset: a results file of one request-level row saying 21, and
/// parse_error.txt saying why. It used to fault, be reverted and fail again forever.
/// Exactly once: a fileset already registered for this req_id (a crash between registration and the
/// state change) is taken as done, so a resumed finish never registers it twice.
public struct Finisher: PipelineTask {
    public let name = "request.finish.run"
    let database: RequestDatabase
    let registry: DataStoreRegistry
    let writer: any ResultsWriter
    let settings: PipelineSettings
    var logger: Logger

    public init(
        database: RequestDatabase, registry: DataStoreRegistry, writer: any ResultsWriter,
        settings: PipelineSettings, logger: Logger = Logger(label: "pstamp.finish")
    ) {
        self.database = database
        self.registry = registry
        self.writer = writer
        self.settings = settings
        self.logger = logger
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        try database.requests.completed(labels: settings.labels, limit: limit).map { pending in
            WorkItem(key: "req:\(pending.request.reqID)", priority: Int(pending.priority)) {
                var finisher = self
                finisher.logger = logger.about(reqID: pending.request.reqID)
                _ = try finisher.finish(pending.request)
            }
        }
    }

    /// Finishes one request; returns false when it was no longer `run`.
    @discardableResult
    public func finish(_ request: RequestRecord) throws -> Bool {
        try WorkGuard(database: database, settings: settings, logger: logger).run(
            .request(request.reqID), .finish, work: { try attempt(request) },
            setAside: { _ in
                switch try database.requests.setAsideFinish(reqID: request.reqID, code: WorkGuard.setAsideCode) {
                case .degraded:
                    logger.error("request \(request.reqID): its next finish writes its results without echoing its request file")
                case .stopped:
                    logger.error("request \(request.reqID) stopped with \(WorkGuard.setAsideCode.rawValue) without a results fileset")
                case .none: break
                }
                return false
            })
    }

    /// One attempt at finishing a request.
    func attempt(_ request: RequestRecord) throws -> Bool {
        do {
            guard let product = nonNull(request.outProduct) else {
                throw PStampError(.progError, "request \(request.reqID) has no output product")
            }
            guard let outdir = nonNull(request.outdir).map(RequestWorkDirectory.init(path:)) else {
                throw PStampError(.configError, "request \(request.reqID) has no work directory")
            }
            let fileset = nonNull(request.name) ?? "req.\(request.reqID)"
            var refused = false
            let existing =
                try registry.store.product(named: product) == nil
                ? nil : try registry.store.fileset(product: product, name: fileset)
            if let existing {
                guard existing.values.first == String(request.reqID) else {
                    throw PStampError(.dataError, "fileset \(fileset) of product \(product) belongs to another request")
                }
                logger.info("request \(request.reqID): fileset \(fileset) already registered")
                refused = request.resultsRefused
            } else {
                let dir = outdir.url
                if request.resultsRefused { try database.requests.setResultsRefused(reqID: request.reqID, false) }
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                let (rows, outputs) = try collect(request, outdir: outdir)
                // A file the parser rejected (reqType `unknown`) has nothing to echo: its results are the
                // request-level rows that say so, and parse_error.txt says why.
                // Nor has a request set aside (its file may be what killed the process).
                let echoed = request.reqType == .unknown || request.setAside != nil ? nil : request.uri
                let results = RequestResults(reqName: fileset, reqID: request.reqID, requestFile: echoed, rows: rows)
                let written: [String]
                do {
                    written = try writer.write(results, in: dir)
                } catch let error as PStampError where error.code == .invalidRequest {
                    logger.error("request \(request.reqID): \(error.message); it ends with 21")
                    try ParseErrorFile.append("the results could not be written: \(error.message)", in: dir)
                    let refusal = JobResult(rownum: 0, errorCode: .invalidRequest, imageName: "0", jobID: 0, jobType: .none)
                    written = try writer.write(
                        RequestResults(
                            reqName: fileset, reqID: request.reqID, requestFile: nil,
                            rows: [refusal]), in: dir)
                    refused = true
                    try database.requests.setResultsRefused(reqID: request.reqID, true)
                }
                var entries = written.map {
                    RegistrationEntry(path: $0, type: $0.hasSuffix(".fits") ? "table" : "text")
                }
                if ParseErrorFile.exists(in: dir) {
                    entries.append(RegistrationEntry(path: RequestWorkDirectory.parseErrorName, type: "text"))
                }
                // A file listed twice (two jobs writing the same name) is registered once.
                var seen = Set(entries.map { URL(fileURLWithPath: $0.path).lastPathComponent })
                for entry in outputs where seen.insert(URL(fileURLWithPath: entry.path).lastPathComponent).inserted {
                    entries.append(entry)
                }
                try registry.register(
                    product: product, fileset: fileset, type: "PSRESULTS", files: entries,
                    dataPath: dir, placement: .link, values: [String(request.reqID)],
                    createProduct: true)
            }
            // A request whose file could not be read as a request (reqType `unknown`) ends stop/21, as
            // RFIN leaves it, but with its fileset: results saying 21 and parse_error.txt saying why.
            var change = RequestChange()
            if request.reqType == .unknown || refused { change.fault = .invalidRequest }
            if let code = request.setAside { change.fault = code }
            return try database.requests.transition(reqID: request.reqID, from: .run, to: .stop, setting: change)
        } catch {
            let code = (error as? PStampError).map { $0.code.isRetryable ? $0.code : .dataError } ?? .sysError
            logger.error("finishing request \(request.reqID) failed (\(code.rawValue)): \(error)")
            try database.requests.setFault(reqID: request.reqID, in: .run, code)
            throw error
        }
    }

    /// The results rows and the registration entries of every job's outputs (its registration list:
    /// the job's row of `pstampJobOutputs`, else the `reglist<job_id>` file an earlier version wrote).
    func collect(_ request: RequestRecord, outdir: RequestWorkDirectory) throws -> ([JobResult], [RegistrationEntry]) {
        var filter = JobListFilter()
        filter.reqID = request.reqID
        var rows: [JobResult] = []
        var entries: [RegistrationEntry] = []
        let stored = try database.jobParameters.all(reqID: request.reqID)
        let lists = try database.jobOutputs.all(reqID: request.reqID)
        let jobs = try database.jobs.list(filter).map(\.job).filter { [.stamp, .getImage, .none].contains($0.jobType ?? .none) }
        // The parameters records (JSON, one per job) decoded on all cores.
        let parameters = jobs.concurrentMap { job in try? JobParameters.read(job: job, stored: stored[job.jobID]) }
        for (job, params) in zip(jobs, parameters) {
            let type = job.jobType ?? .none
            func row(_ image: String) -> JobResult {
                JobResult(
                    rownum: job.rownumber, errorCode: job.fault ?? .success, imageName: image,
                    jobID: job.jobID, jobType: type, exposure: params.map(ResultsExposure.init) ?? ResultsExposure())
            }
            guard
                let text = lists[job.jobID]
                    ?? (try? String(contentsOf: outdir.registrationList(jobID: job.jobID), encoding: .utf8))
            else {
                if job.state == .stop && (job.fault ?? .success) == .success && type != .none {
                    throw PStampError(.progError, "job \(job.jobID) stopped without error but listed no outputs")
                }
                rows.append(row("0"))
                continue
            }
            for entry in try RegistrationEntry.parseList(text, allowEmpty: true) {
                entries.append(entry)
                if entry.hasResultsRow { rows.append(row(entry.path)) }
            }
        }
        return (rows, entries)
    }

}
