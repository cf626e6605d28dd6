import Foundation
import ImageDB
import Logging
import PStampCore
import RequestDB

/// `pstamp.request.revert`: clears request faults (HTTP 500 from a source data store = 200, parse and
/// finish failures) so the request is tried again. The IPP retried every 1200 s; here each faulted
/// request is retried on its own schedule (`PipelineSettings.requestRetry`: about 10 s after its
/// fault, doubling with each fault, at most 1200 s), kept in the database (`retry_after`) so a restart
/// keeps it, and the task wakes when a retry falls due. Every fault counts in the request's fault_count:
/// a request faulted again after `maxRequestRetries` reverts is given up instead — a `new` one is set
/// aside (one row of 10, PSTAMP_SYSTEM_ERROR, in its results fileset), a `run` one is finished once more
/// without its request file echoed, and if that faults too it stops with 10; a faulted cleanup
/// (`goto_cleaned`) is left for the operator.
public actor RequestReverter: PipelineTask {
    public nonisolated let name = "pstamp.request.revert"
    let database: RequestDatabase
    let settings: PipelineSettings
    let logger: Logger
    let now: @Sendable () -> Date
    /// Faulted cleanups already reported as left for the operator.
    private var leftForOperator: Set<Int64> = []

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

    public nonisolated func nextDue() async throws -> Date? { try await upcoming() }

    /// Gives up the requests faulted past their retries, schedules newly seen faults and reverts the
    /// requests whose retry has come; returns the req_ids reverted or given up.
    public func revertDue() throws -> [Int64] {
        let timing = RetryTiming(database, settings.requestRetry, now: now())
        var reverted: [Int64] = []
        let faulted = try faultedRequests()
        let exhausted = { (request: RequestRecord) in (request.faultCount ?? 0) > self.settings.maxRequestRetries }
        for request in faulted where exhausted(request) {
            if try giveUp(request) { reverted.append(request.reqID) }
        }
        for request in try timing.due(faulted.filter { !exhausted($0) }, { (.request($0.reqID), $0.retryAfter, $0.faultCount) }) {
            var selector = RequestRevertSelector()
            selector.reqID = request.reqID
            guard try database.requests.revert(selector).reverted > 0 else { continue }
            logger.info("request \(request.reqID) fault \(request.fault ?? .success) reverted (fault \(request.faultCount ?? 0))")
            reverted.append(request.reqID)
        }
        PipelineMetrics.reverted(.request, count: reverted.count)
        return reverted
    }

    /// The next retry still to come.
    func upcoming() throws -> Date? {
        RetryTiming(database, settings.requestRetry, now: now()).nextDue(try faultedRequests().map(\.retryAfter))
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
            if leftForOperator.insert(request.reqID).inserted {
                logger.error("\(what): left faulted in \(request.state?.rawValue ?? "NULL") for the operator")
            }
            return false
        }
    }

    private func faultedRequests() throws -> [RequestRecord] {
        try database.requests.faulted(in: [.new, .run, .parsed, .gotoCleaned])
    }
}

/// `pstamp.job.revert`: clears system faults (1–9) of jobs that have failed fewer than max_fault_count
/// (3) times, each on its own schedule (`PipelineSettings.jobRetry`: about 10 s after the fault,
/// doubling, at most the IPP's 300 s); StopFaulted stops the others with 25, so no job fault is
/// retried forever and reported faults (>= 10) never are.
public struct JobReverter: PipelineTask {
    public let name = "pstamp.job.revert"
    let database: RequestDatabase
    let settings: PipelineSettings
    let now: @Sendable () -> Date

    public init(database: RequestDatabase, settings: PipelineSettings, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.settings = settings
        self.now = now
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        sweep { _ = try self.revert() }
    }

    public func nextDue() async throws -> Date? {
        RetryTiming(database, settings.jobRetry, now: now()).nextDue(try retryable().map(\.retryAfter))
    }

    /// Schedules newly faulted jobs and reverts those whose retry has come; returns how many it reverted.
    public func revert() throws -> Int {
        let timing = RetryTiming(database, settings.jobRetry, now: now())
        let due = try timing.due(try retryable(), { (.job($0.jobID), $0.retryAfter, $0.faultCount) })
        var count = 0
        // A whole request's jobs faulted by one outage come back in a few transactions, not one each.
        for start in stride(from: 0, to: due.count, by: 500) {
            var selector = JobRevertSelector()
            selector.jobIDs = due[start..<min(start + 500, due.count)].map(\.jobID)
            selector.maxFaultCount = settings.maxFaultCount
            count += try database.jobs.revert(selector)
        }
        PipelineMetrics.reverted(.job, count: count)
        return count
    }

    private func retryable() throws -> [JobRecord] {
        try database.jobs.retryable(labels: settings.labels, maxFaultCount: settings.maxFaultCount)
    }
}

/// `pstamp.dependent.revert`: clears system faults (1–9) of open dependents that have failed fewer than
/// max_fault_count (3) times and are still needed (a job `run` in a request `run`), each on its own
/// schedule (`PipelineSettings.dependentRetry`: about 10 s after the fault, doubling, at most the IPP's
/// 900 s); StopFaulted stops the jobs of the others with 25.
///
/// Automatic recovery (the seed: "This is not yet done automatically"): a dependent faults when the
/// update of its image component faulted; the component's fault is reverted in the image database first
/// and then the dependent's, so the next dependency check finds the update queued again.
public struct DependentReverter: PipelineTask {
    public let name = "pstamp.dependent.revert"
    let database: RequestDatabase
    let settings: PipelineSettings
    let images: @Sendable (String) -> (any ImageDatabase)?
    let now: @Sendable () -> Date

    public init(
        database: RequestDatabase, settings: PipelineSettings,
        images: @escaping @Sendable (String) -> (any ImageDatabase)? = { _ in nil },
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.settings = settings
        self.images = images
        self.now = now
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        sweep { _ = try self.revert() }
    }

    public func nextDue() async throws -> Date? {
        RetryTiming(database, settings.dependentRetry, now: now()).nextDue(try retryable().map(\.retryAfter))
    }

    /// Schedules newly faulted dependents and reverts those whose retry has come; returns how many.
    public func revert() throws -> Int {
        let timing = RetryTiming(database, settings.dependentRetry, now: now())
        var total = 0
        for dep in try timing.due(try retryable(), { (.dependent($0.depID), $0.retryAfter, $0.faultCount) }) {
            // chiptool -revertprocessedimfile and its twins: the run's faulted components (this one among
            // them) are processed again.
            if let images = images(dep.imagedb ?? "gpc1"), let stage = dep.stage, let stageID = dep.stageID {
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

    /// The faulted dependents a retry may heal.
    private func retryable() throws -> [DependentRecord] {
        var filter = DependentFilter()
        filter.includeFaulted = true
        filter.labels = LabelFilter(settings.labels.values, match: settings.labels.match)
        return try database.dependents.pending(filter).map(\.dependent).filter {
            ($0.fault ?? .success).isRetryable && ($0.faultCount ?? 0) < settings.maxFaultCount
        }
    }
}
