import Foundation
import ImageDB
import Logging
import PStampCore
import RequestDB

/// `pstamp.request.revert`: clears request faults (HTTP 500 from a source data store = 200, parse and
/// finish failures) so the request is tried again. The IPP retried every 1200 s forever; here each
/// request waits a growing back-off (30 s, 60 s, … up to 1200 s) between attempts, so a passing outage
/// heals fast and a persistent one does not spin.
public actor RequestReverter: PipelineTask {
    public nonisolated let name = "pstamp.request.revert"
    let database: RequestDatabase
    let settings: PipelineSettings
    let logger: Logger
    let now: @Sendable () -> Date
    private var attempts: [Int64: (count: Int, notBefore: Date)] = [:]

    public init(database: RequestDatabase, settings: PipelineSettings, logger: Logger = Logger(label: "pstamp.revert"),
                now: @escaping @Sendable () -> Date = Date.init) {
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
            var selector = RequestRevertSelector()
            selector.reqID = request.reqID
            let result = try database.requests.revert(selector)
            guard result.reverted > 0 else { continue }
            let count = (previous?.count ?? 0) + 1
            attempts[request.reqID] = (count, time.addingTimeInterval(backoff(afterAttempt: count)))
            logger.info("request \(request.reqID) fault \(request.fault ?? 0) reverted (attempt \(count))")
            reverted.append(request.reqID)
        }
        // Forget requests that are no longer faulted after a successful attempt.
        let stillFaulted = Set(faulted.map(\.reqID))
        attempts = attempts.filter { stillFaulted.contains($0.key) || $0.value.notBefore > time }
        return reverted
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
            filter.state = state.rawValue
            found += try database.requests.list(filter).filter { ($0.fault ?? 0) != 0 }
        }
        return found
    }
}

/// `pstamp.job.revert`: clears system faults (1–9) of jobs that have failed fewer than 5 times.
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
        return try database.jobs.revert(selector)
    }
}

/// `pstamp.dependent.revert`: clears system faults (1–9) of open dependents that have failed fewer than
/// 5 times and are still needed (a job `run` in a request `run`).
///
/// Automatic recovery (the seed: "This is not yet done automatically"): a dependent faults when the
/// update of its image component faulted; the component's fault is reverted in the image database first
/// and then the dependent's, so the next dependency check finds the update queued again.
public struct DependentReverter: PipelineTask {
    public let name = "pstamp.dependent.revert"
    let database: RequestDatabase
    let settings: PipelineSettings
    let images: @Sendable (String) -> (any ImageDatabase)?

    public init(database: RequestDatabase, settings: PipelineSettings,
                images: @escaping @Sendable (String) -> (any ImageDatabase)? = { _ in nil }) {
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
            let fault = $0.fault ?? 0
            return fault > 0 && fault < PStampCode.firstReportedCode
                && ($0.faultCount ?? 0) < DependentStore.maxRevertFaults
        }
        var total = 0
        for dep in faulted {
            // chiptool -revertprocessedimfile and its twins: the run's faulted components (this one among
            // them) are processed again.
            if let images = images(dep.imagedb ?? "gpc1"), let stage = dep.stage.flatMap(UpdateStage.init(rawValue:)),
               let stageID = dep.stageID {
                _ = try images.revertComponents(stage, id: stageID)
            }
            var selector = DependentRevertSelector()
            selector.depID = dep.depID
            total += try database.dependents.revert(selector)
        }
        return total
    }
}
