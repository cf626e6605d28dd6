import Foundation
import ImageDB
import Logging
import PStampCore
import RequestDB

/// `pstamp.request.revert`: clears request faults (HTTP 500 from a source data store = 200, parse and
/// finish failures) so the request is tried again. The IPP retried every 1200 s forever; here each
/// request waits a growing back-off (30 s, 60 s, … up to 1200 s) between attempts, so a passing outage
/// heals fast and a persistent one does not spin. Every fault counts in the request's fault_count (kept
/// in the database, so a restart keeps it): a request faulted again after `maxRequestRetries` reverts is
/// given up instead — a `new` one is set aside (one row of 10, PSTAMP_SYSTEM_ERROR, in its results
/// fileset), a `run` one is finished once more without its request file echoed, and if that faults too
/// it stops with 10; a faulted cleanup (`goto_cleaned`) is left for the operator.
public actor RequestReverter: PipelineTask {
    public nonisolated let name = "pstamp.request.revert"
    let database: RequestDatabase
    let settings: PipelineSettings
    let logger: Logger
    let now: @Sendable () -> Date
    private var attempts: [Int64: (count: Int, notBefore: Date)] = [:]

    public init(
        database: RequestDatabase, settings: PipelineSettings, logger: Logger = Logger(label: "pstamp.revert"),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.settings = settings
        self.logger = logger
        self.now = now
    }

    public nonisolated func pending(limit: Int) async throws -> [WorkItem] {
        sweep { _ = try await self.revertDue() }
    }

    /// Reverts every faulted request whose back-off has passed; returns the req_ids reverted.
    public func revertDue() throws -> [Int64] {
        let faulted = try faultedRequests()
        let time = now()
        var reverted: [Int64] = []
        for request in faulted {
            let previous = attempts[request.reqID]
            if let previous, previous.notBefore > time { continue }
            if (request.faultCount ?? 0) > settings.maxRequestRetries {
                if try giveUp(request) { reverted.append(request.reqID) }
                continue
            }
            var selector = RequestRevertSelector()
            selector.reqID = request.reqID
            let result = try database.requests.revert(selector)
            guard result.reverted > 0 else { continue }
            let count = (previous?.count ?? 0) + 1
            attempts[request.reqID] = (count, time.addingTimeInterval(backoff(afterAttempt: count)))
            logger.info("request \(request.reqID) fault \(request.fault ?? .success) reverted (attempt \(count))")
            reverted.append(request.reqID)
        }
        // Forget requests that are no longer faulted after a successful attempt.
        let stillFaulted = Set(faulted.map(\.reqID))
        attempts = attempts.filter { stillFaulted.contains($0.key) || $0.value.notBefore > time }
        PipelineMetrics.reverted(.request, count: reverted.count)
        return reverted
    }

    /// A request faulted more than `maxRequestRetries` times: set aside (new), finished plainly or stopped
    /// (run) with 10. Returns true when it changed.
    func giveUp(_ request: RequestRecord) throws -> Bool {
        let code = WorkGuard.setAsideCode
        let what = "request \(request.reqID) fault \(request.fault ?? .success): given up after \(settings.maxRequestRetries) retries"
        switch request.state {
        case .new:
            let change = Parser.setAsideChange(request, settings: settings, now: now())
            try ParseErrorFile.write(
                ["the request faulted \(request.faultCount ?? 0) times (last fault \((request.fault ?? .success).rawValue)): given up"],
                in: URL(fileURLWithPath: change.outdir!))
            guard try database.requests.setAside(reqID: request.reqID, code: code, change: change) else { return false }
            logger.error("\(what): set aside, its results say \(code.rawValue) (\(code.errorString))")
            return true
        case .run:
            let result = try database.requests.setAsideFinish(reqID: request.reqID, code: code)
            if result == .degraded { logger.error("\(what): finished once more without its request file echoed") }
            if result == .stopped { logger.error("\(what): stopped with \(code.rawValue) (\(code.errorString))") }
            return result != .none
        default:
            if attempts[request.reqID]?.count != -1 {
                logger.error("\(what): left faulted in \(request.state?.rawValue ?? "NULL") for the operator")
                attempts[request.reqID] = (-1, .distantFuture)
            }
            return false
        }
    }

    /// Seconds to wait after the n-th revert before the next one.
    func backoff(afterAttempt n: Int) -> TimeInterval {
        let base = Double(settings.requestRetryBase.components.seconds)
        let cap = Double(settings.requestRetryMax.components.seconds)
        return min(cap, base * pow(2, Double(max(0, n - 1))))
    }

    private func faultedRequests() throws -> [RequestRecord] {
        var found: [RequestRecord] = []
        for state in [RequestState.new, .run, .parsed, .gotoCleaned] {
            var filter = RequestListFilter()
            filter.state = state
            found += try database.requests.list(filter).filter { ($0.fault ?? .success) != .success }
        }
        return found
    }
}

/// `pstamp.job.revert`: clears system faults (1–9) of jobs that have failed fewer than max_fault_count
/// (3) times; StopFaulted stops the others with 25, so no job fault is retried forever.
public struct JobReverter: PipelineTask {
    public let name = "pstamp.job.revert"
    let database: RequestDatabase
    let settings: PipelineSettings

    public init(database: RequestDatabase, settings: PipelineSettings) {
        self.database = database
        self.settings = settings
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        sweep { _ = try self.revert() }
    }

    /// Returns the number of jobs reverted.
    public func revert() throws -> Int {
        var selector = JobRevertSelector()
        selector.all = true
        selector.labels = settings.labels
        // A job faulted max_fault_count times is not retried again: StopFaulted stops it with 25.
        selector.maxFaultCount = settings.maxFaultCount
        let count = try database.jobs.revert(selector)
        PipelineMetrics.reverted(.job, count: count)
        return count
    }
}

/// `pstamp.dependent.revert`: clears system faults (1–9) of open dependents that have failed fewer than
/// max_fault_count (3) times and are still needed (a job `run` in a request `run`); StopFaulted stops
/// the jobs of the others with 25.
///
/// Automatic recovery (the seed: "This is not yet done automatically"): a dependent faults when the
/// update of its image component faulted; the component's fault is reverted in the image database first
/// and then the dependent's, so the next dependency check finds the update queued again.
public struct DependentReverter: PipelineTask {
    public let name = "pstamp.dependent.revert"
    let database: RequestDatabase
    let settings: PipelineSettings
    let images: @Sendable (String) -> (any ImageDatabase)?

    public init(
        database: RequestDatabase, settings: PipelineSettings,
        images: @escaping @Sendable (String) -> (any ImageDatabase)? = { _ in nil }
    ) {
        self.database = database
        self.settings = settings
        self.images = images
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        sweep { _ = try self.revert() }
    }

    /// Returns the number of dependents reverted.
    public func revert() throws -> Int {
        var filter = DependentFilter()
        filter.includeFaulted = true
        filter.labels = LabelFilter(settings.labels.values, match: settings.labels.match)
        let faulted = try database.dependents.pending(filter).map(\.dependent).filter {
            ($0.fault ?? .success).isRetryable && ($0.faultCount ?? 0) < settings.maxFaultCount
        }
        var total = 0
        for dep in faulted {
            // chiptool -revertprocessedimfile and its twins: the run's faulted components (this one among
            // them) are processed again.
            if let images = images(dep.imagedb ?? "gpc1"), let stage = dep.stage,
                let stageID = dep.stageID
            {
                _ = try images.revertComponents(stage, id: stageID)
            }
            var selector = DependentRevertSelector()
            selector.depID = dep.depID
            selector.maxFaultCount = settings.maxFaultCount
            total += try database.dependents.revert(selector)
        }
        PipelineMetrics.reverted(.dependent, count: total)
        return total
    }
}
