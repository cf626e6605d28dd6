import Cutout
import DataStore
import Foundation
import Logging
import PStampCore
import RequestDB

/// What one job does.
enum JobPlan {
    /// A stack summary: its files are copied.
    case copy(StackSummaryCopy)
    /// A stamp cut from one image.
    case cut(StampJob)
}

/// A stamp job ready to cut: its source files, how it is written, and what it adds after the cut.
struct StampJob {
    let params: JobParameters
    let selection: StampProductSelection
    let image: String
    let mask: String?
    let variance: String?
    let options: StampOptions
    let request: StampRequest

    /// Jobs with the same key are cut together: one source (image, mask, variance) written the same way.
    var batchKey: String {
        [image, mask ?? "", variance ?? "", String(params.optionMask), params.stage.rawValue].joined(separator: "\u{1F}")
    }

    /// The stamp's files and the job's companion products.
    func outputs(of result: StampResult, logger: Logger) throws -> [RegistrationEntry] {
        let companions = CompanionProducts(
            params: params, selection: selection, outputBase: request.outputBase, logger: logger)
        return result.files.map { RegistrationEntry.stamp($0) } + (try companions.make(stamp: result))
    }
}

/// The batched form of `pstamp.job.run`: the pending jobs of one request are taken in batches (one
/// claim transaction per batch, work markers set in it), the stamp jobs of a batch that read the same
/// image are cut together by the batch engine (`BatchCutout`: the image opened once per worker thread,
/// rows read once), and the batch ends in one transaction (each job's stop or fault, markers cleared,
/// claims given back). The work runs on its own threads (`BlockingWork`), never on Swift's cooperative
/// pool. A job under whose work the process died before is run on its own, as `run(jobID:)` runs it.
extension JobRunner {
    /// The most jobs of one batch.
    static let batchSize = 256
    /// The batch engine's worker niceness, as the blocking threads' (BlockingWork).
    static let cutterNice: Int32 = 5

    /// Pending jobs in batches: consecutive jobs (in pending order) of one request, at most `batchSize`.
    static func batches(_ jobs: [PendingJob]) -> [[PendingJob]] {
        var batches: [[PendingJob]] = []
        for job in jobs {
            if let last = batches.last?.last, last.job.reqID == job.job.reqID, batches[batches.count - 1].count < batchSize {
                batches[batches.count - 1].append(job)
            } else {
                batches.append([job])
            }
        }
        return batches
    }

    /// Claims and runs one batch; returns each job's outcome (jobs another worker took are left out).
    @discardableResult
    public func run(batch jobIDs: [Int64]) async throws -> [Int64: Outcome] {
        try Task.checkCancellation()
        let runner = self
        return try await BlockingWork.run { try runner.runBlocking(batch: jobIDs) }
    }

    func runBlocking(batch jobIDs: [Int64]) throws -> [Int64: Outcome] {
        let claimed = try database.jobs.claimBatch(jobIDs: jobIDs, worker: worker, staleAfter: claimStaleAfter)
        var outcomes: [Int64: Outcome] = [:]
        for job in claimed.retried {
            let one = about(job)
            defer {
                do { try database.jobs.release(jobID: job.jobID) } catch {
                    logger.error("job \(job.jobID): claim not released: \(error)")
                }
            }
            outcomes[job.jobID] = try WorkGuard(database: database, settings: settings, logger: one.logger).run(
                .job(job.jobID), .run, work: { try one.attempt(job) },
                setAside: { _ in try one.stop(job.jobID, with: WorkGuard.setAsideCode) })
        }
        guard !claimed.jobs.isEmpty else { return outcomes }
        for job in claimed.jobs { CrashTestHook.check(.run, .job(job.jobID)) }
        var conclusions: [(jobID: Int64, conclusion: JobConclusion)] = []
        var outputs: [Int64: String] = [:]
        for (job, made) in zip(claimed.jobs, cutTogether(claimed.jobs)) {
            conclusions.append((job.jobID, about(job).conclude(job, made)))
            if case .success(let entries) = made { outputs[job.jobID] = RegistrationEntry.list(entries) }
        }
        let written = try database.jobs.finishBatch(conclusions, outputs: outputs)
        for (jobID, conclusion) in conclusions {
            guard written.contains(jobID) else {
                outcomes[jobID] = .notRunnable
                continue
            }
            switch conclusion {
            case .stop(let code):
                PipelineMetrics.jobStopped(code)
                outcomes[jobID] = .stopped(code)
            case .fault(let code):
                PipelineMetrics.jobFaulted(code)
                outcomes[jobID] = .faulted(code)
            }
        }
        return outcomes
    }

    /// Each job's outputs (measured: size and md5) or why it made none, in the jobs' order. Stamp
    /// jobs reading one image are cut by one `BatchCutout`; when it cannot open the image, each of them is
    /// tried on its own, so each gets the answer it would get alone.
    func cutTogether(_ jobs: [JobRecord]) -> [Result<[RegistrationEntry], any Error>] {
        var made = [Result<[RegistrationEntry], any Error>?](repeating: nil, count: jobs.count)
        var groups: [String: [(index: Int, cut: StampJob)]] = [:]
        var order: [String] = []
        // The batch's parameters records in one read (a job without one is read as it would be alone).
        let stored = (try? database.jobParameters.get(jobIDs: jobs.map(\.jobID))) ?? [:]
        var present: Set<String> = []
        for (index, job) in jobs.enumerated() {
            do {
                switch try plan(job, stored: stored[job.jobID], present: present) {
                case .copy(let copy): made[index] = Result { try copy.make() }
                case .cut(let cut):
                    present.formUnion([cut.image, cut.mask, cut.variance].compactMap { $0 })
                    if groups[cut.batchKey] == nil { order.append(cut.batchKey) }
                    groups[cut.batchKey, default: []].append((index, cut))
                }
            } catch {
                made[index] = .failure(error)
            }
        }
        for key in order {
            guard let group = groups[key], let first = group.first?.cut else { continue }
            let results: [Result<StampResult, PStampError>]
            var engine = BatchCutout(
                imagePath: first.image, maskPath: first.mask, variancePath: first.variance, options: first.options,
                threads: group.count < 16 ? 1 : ProcessInfo.processInfo.activeProcessorCount)
            engine.workerNice = Self.cutterNice
            do {
                results = try engine.run(group.map(\.cut.request))
            } catch {
                for (index, _) in group { made[index] = Result { try about(jobs[index]).makeStamps(jobs[index]) } }
                continue
            }
            for ((index, cut), result) in zip(group, results) {
                made[index] = Result { try cut.outputs(of: try result.get(), logger: about(jobs[index]).logger) }
            }
        }
        // Sizes and md5s of the batch's files, on all cores.
        return Array(zip(jobs, made)).concurrentMap { job, outputs in
            let outputs = outputs ?? .failure(PStampError(.progError, "job \(job.jobID) was not cut"))
            return outputs.flatMap { entries in Result { try Self.measured(entries) } }
        }
    }

    /// The conclusion of one job of a batch, as `attempt` decides it for a job alone.
    func conclude(_ job: JobRecord, _ made: Result<[RegistrationEntry], any Error>) -> JobConclusion {
        switch made {
        case .success(let outputs):
            PipelineMetrics.stampFilesWritten(outputs.count)
            logger.info("job \(job.jobID) done: \(outputs.count) file(s)")
            return .stop(.success)
        case .failure(let error as PStampError) where error.code.isReported:
            logger.info("job \(job.jobID) stops with \(error.code.rawValue): \(error.message)")
            return .stop(error.code)
        case .failure(let error as PStampError) where error.code == .dataError:
            logger.info("job \(job.jobID) stops with \(PStampCode.notAvailable.rawValue): \(error.message)")
            return .stop(.notAvailable)
        case .failure(let error):
            let code = (error as? PStampError).map { $0.code.isRetryable ? $0.code : .sysError } ?? .sysError
            logger.error("job \(job.jobID) faulted (\(code.rawValue)): \(error)")
            return .fault(code)
        }
    }
}
