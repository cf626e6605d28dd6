import Cutout
import DataStore
import Foundation
import Logging
import PStampCore
import RequestDB

/// `pstamp.job.run` (pstamp_job_run.pl): takes a runnable job (request `run`, job `run`, fault 0, its
/// dependent `full` or none), cuts its stamps with the stamp engine, lists each output with its size and
/// md5 (the IPP's `<outdir>/reglist<job_id>`, kept in `pstampJobOutputs` and written with the job's
/// stop), and stops the job with 0 or its result code (28, 30, 25 for a
/// missing input file or an image that cannot be cut as asked, 26, 31). A system failure leaves the job `run` with a fault 1–9 and
/// fault_count + 1, for the reverter.
///
/// Exactly once: the job is claimed in the request database's job claim table (pstampJobClaim) in one
/// IMMEDIATE transaction before work starts, so of two workers — threads or processes on one database —
/// only one cuts it; it is stopped with `UPDATE … WHERE state = 'run'` and the claim is given back.
/// A worker killed mid-job leaves it `run`, fault 0, with its claim: the claims of workers of this host
/// whose process is gone are dropped at the next pass (others after `claimStaleAfter`, the pantasks
/// job timeout), and the job is run again, overwriting the partial outputs.
public struct JobRunner: PipelineTask {
    public let name = "pstamp.job.run"
    let database: RequestDatabase
    let settings: PipelineSettings
    var logger: Logger
    /// This runner's name in the claim table: `<host>:<pid>:<instance>`.
    public let worker: String
    /// Seconds after which a claim of a worker on another host is taken as abandoned (pstamp.job.run's
    /// 1200 s timeout).
    let claimStaleAfter: Int

    public init(
        database: RequestDatabase, settings: PipelineSettings, logger: Logger = Logger(label: "pstamp.job"),
        claimStaleAfter: Int = 1200
    ) {
        self.database = database
        self.settings = settings
        self.logger = logger
        self.claimStaleAfter = claimStaleAfter
        worker = JobRunner.workerName()
    }

    /// This host's name, looked up once.
    static let host = ProcessInfo.processInfo.hostName

    static func workerName() -> String {
        "\(host):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())"
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        let claimed = try releaseDeadClaims()
        // Jobs another runner holds are left out, so a busy neighbour does not make this one spin.
        // Up to `limit` batches of one request's jobs each, keyed by their first job (JobBatch.swift).
        let jobs = try database.jobs.pending(labels: settings.labels, limit: limit * Self.batchSize + claimed.count)
            .filter { !claimed.contains($0.job.jobID) }
        return Self.batches(jobs).prefix(limit).map { batch in
            let ids = batch.map(\.job.jobID)
            return WorkItem(key: "job:\(ids[0])", priority: Int(batch[0].priority)) {
                try await self.run(batch: ids)
            }
        }
    }

    /// This runner with its log lines tagged with the job and its request.
    func about(_ job: JobRecord) -> JobRunner {
        var runner = self
        runner.logger = logger.about(reqID: job.reqID, jobID: job.jobID)
        return runner
    }

    /// What became of one attempt.
    public enum Outcome: Sendable, Equatable {
        /// The job was no longer runnable (another worker took it, or it was stopped meanwhile).
        case notRunnable
        /// Stopped with this code (`.success` = stamps made).
        case stopped(PStampCode)
        /// Left `run` with this system fault.
        case faulted(PStampCode)
    }

    /// Runs one job if it is still runnable.
    public func run(jobID: Int64) throws -> Outcome {
        guard let job = try database.jobs.claim(jobID: jobID, worker: worker, staleAfter: claimStaleAfter)?.job else {
            return .notRunnable
        }
        defer {
            do { try database.jobs.release(jobID: jobID) } catch { logger.error("job \(jobID): claim not released: \(error)") }
        }
        return try WorkGuard(database: database, settings: settings, logger: logger).run(
            .job(jobID), .run, work: { try attempt(job) }, setAside: { _ in try stop(jobID, with: WorkGuard.setAsideCode) })
    }

    /// Stops a job that is still `run` with `code`, recording the files it made (none: nil).
    func stop(_ jobID: Int64, with code: PStampCode, outputs: [RegistrationEntry]? = nil) throws -> Outcome {
        guard try database.jobs.stop(jobID: jobID, code: code, outputs: outputs.map(RegistrationEntry.list)) else {
            return .notRunnable
        }
        PipelineMetrics.jobStopped(code)
        return .stopped(code)
    }

    /// One attempt at a claimed job.
    func attempt(_ job: JobRecord) throws -> Outcome {
        let jobID = job.jobID
        let made = Result { try Self.measured(try makeStamps(job)) }
        if case .failure(let error) = made, error is CancellationError { throw error }
        switch conclude(job, made) {
        case .stop(let code):
            return try stop(jobID, with: code, outputs: try? made.get())
        case .fault(let code):
            var selector = JobSelector()
            selector.jobID = jobID
            selector.state = .run
            guard try database.jobs.update(selector, fault: code) == 1 else { return .notRunnable }
            PipelineMetrics.jobFaulted(code)
            return .faulted(code)
        }
    }

    /// Drops the claims of workers on this host whose process is gone (a server killed mid-job); returns
    /// the jobs still claimed.
    @discardableResult
    func releaseDeadClaims() throws -> Set<Int64> {
        let host = Self.host
        var live: Set<Int64> = []
        for claim in try database.jobs.claims() {
            let parts = claim.worker.split(separator: ":")
            if parts.count >= 3, parts[0...(parts.count - 3)].joined(separator: ":") == host,
                let pid = Int32(parts[parts.count - 2]), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH
            {
                logger.info("job \(claim.jobID): claim of \(claim.worker) dropped (its process is gone)")
                try database.jobs.release(jobID: claim.jobID)
            } else {
                live.insert(claim.jobID)
            }
        }
        return live
    }

    /// Cuts the job's stamps and its companion products; returns the output files.
    func makeStamps(_ job: JobRecord) throws -> [RegistrationEntry] {
        switch try plan(job) {
        case .copy(let copy): return try copy.make()
        case .cut(let cut):
            let source = try StampSource(image: cut.image, mask: cut.mask, variance: cut.variance)
            let result = try StampCutter(source: source, options: cut.options).cut(cut.request)
            return try cut.outputs(of: result, logger: logger)
        }
    }

    /// What a job will do: copy a stack summary's files, or cut a stamp (its inputs checked first).
    /// A batch passes the job's parameters record (`stored`, read for the batch in one query; nil: read
    /// as for a job alone) and the inputs its jobs before found in place (`present`, checked once).
    func plan(_ job: JobRecord, stored: String? = nil, present: Set<String> = []) throws -> JobPlan {
        guard let outputBase = nonNull(job.outputBase) else {
            throw PStampError(.progError, "job \(job.jobID) has no outputBase")
        }
        let found: JobParameters?
        do {
            found =
                try stored.map { try JobParameters(text: $0) } ?? JobParameters.read(job: job, database: database)
        } catch {
            throw PStampError(.progError, "job \(job.jobID): cannot read its parameters: \(error)")
        }
        guard let params = found else { throw PStampError(.progError, "job \(job.jobID) has no parameters record") }
        let stage = params.stage
        let selection = try StampProductSelection(optionMask: params.optionMask, stage: stage)
        if stage == .stackSummary {
            return .copy(StackSummaryCopy(params: params, selection: selection, outputBase: outputBase, logger: logger))
        }
        // The inputs the job reads must be there (jobrun's check_files): the image, and the mask and
        // variance when asked for.
        let mask = selection.contains(.mask) ? params.files.mask : nil
        let variance = selection.contains(.variance) ? params.files.variance : nil
        let inputs = ([params.files.image] + [mask, variance].compactMap { $0 }).filter { !present.contains($0) }
        for file in inputs where !FileManager.default.fileExists(atPath: file) {
            throw PStampError(.notAvailable, "input file \(file) is missing")
        }
        for file in inputs where !FileManager.default.isReadableFile(atPath: file) {
            throw PStampError(.notAvailable, "input file \(file) is not readable")
        }
        if selection.restoreBackground {
            // The IPP restores chips and stacks with ppBackground from their background models; this server
            // does not apply background models, so it says so (31) rather than cut an unrestored stamp.
            throw PStampError(
                .bgRestoreNotAvailable,
                [.chip, .stack].contains(stage)
                    ? "background restoration (OPTION_MASK 4096) is not available on this server"
                    : "background restoration is only available for chips and stacks")
        }
        var options = StampOptions(selection: selection)
        options.maxSide = settings.maxStampPixels
        let center = params.center
        let size =
            center == nil
            ? nil
            : StampSize(width: params.width, height: params.height, unit: params.sizeInPixels ? .pixels : .arcseconds)
        return .cut(
            StampJob(
                params: params, selection: selection, image: params.files.image, mask: mask, variance: variance,
                options: options, request: StampRequest(center: center, size: size, outputBase: outputBase)))
    }

    /// The outputs with their sizes and md5s, as the job's registration list gives them.
    static func measured(_ outputs: [RegistrationEntry]) throws -> [RegistrationEntry] {
        try outputs.map { try $0.measured() }
    }
}
