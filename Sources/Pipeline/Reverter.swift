import Foundation
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
public struct DependentReverter: PipelineTask {
    public let name = "pstamp.dependent.revert"
    let database: RequestDatabase
    let settings: PipelineSettings

    public init(database: RequestDatabase, settings: PipelineSettings) {
        self.database = database
        self.settings = settings
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        sweep { _ = try self.revert() }
    }

    /// Returns the number of dependents reverted.
    public func revert() throws -> Int {
        // The IPP needs a selector; an explicit fault per system fault code selects exactly the
        // revertable ones (1–9) while keeping the fault_count limit.
        var total = 0
        for fault in 1..<PStampCode.firstReportedCode {
            var selector = DependentRevertSelector()
            selector.fault = fault
            selector.labels = LabelFilter(settings.labels.values, match: settings.labels.match)
            total += try database.dependents.revert(selector)
        }
        return total
    }
}
