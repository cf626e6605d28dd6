import Foundation
import PStampCore

/// What the server is working on, read in one snapshot of the request database: the operator's view of
/// the IPP's `psstatus` (`--running`, `--totals`, `--finished`) and `pstamp_server_status`, plus the
/// incoming data stores and a day of history. A plain value: the workload page renders it and the JSON
/// API can encode it as it is.
///
///     let summary = try database.workload()
///     summary.requests.first { $0.state == .run }?.jobs
public struct WorkloadSummary: Codable, Sendable, Equatable {
    /// When the snapshot was read.
    public var taken: Date
    /// Unfinished requests by state (`new`, `run`, `parsed`, `hold`), each with its rows and jobs.
    public var requests: [StateCount]
    /// The unfinished requests themselves, oldest first (psstatus `--running`).
    public var running: [RequestLine]
    /// Labels with unfinished requests, highest priority first (psstatus `--totals`).
    public var labels: [LabelLoad]
    /// Jobs waiting to run (request and job in `run`, fault 0, not taken by a worker).
    public var pendingJobs: Int
    /// Jobs a worker has taken and is running.
    public var runningJobs: Int
    /// Faulted jobs of unfinished requests, by code.
    public var faultedJobs: [FaultCount]
    /// Dependents (images being regenerated) still open, oldest first.
    public var waitingDependents: [WaitingDependent]
    /// Requests that finished (`stop`) in the 24 hours before `taken`, newest first.
    public var finished: [RequestLine]
    /// The incoming data stores the server polls for request files.
    public var dataStores: [IncomingStore]
    /// The last 24 hours, one entry per hour, oldest first.
    public var history: [HourOfWork]

    /// The states counted as unfinished, in the order the page shows them.
    public static let unfinishedStates: [RequestState] = [.new, .run, .parsed, .hold]
    /// The states a request is in once it has finished.
    public static let finishedStates: [RequestState] = [.stop, .gotoCleaned, .cleaned]

    /// Requests in one state.
    public struct StateCount: Codable, Sendable, Equatable {
        public var state: RequestState
        public var requests: Int
        /// Distinct request rows that made jobs.
        public var rows: Int
        public var jobs: Int
    }

    /// One request with its job counts.
    public struct RequestLine: Codable, Sendable, Equatable {
        public var reqID: Int64
        public var name: String
        public var state: RequestState
        public var label: String?
        /// `pstamp` or `dquery` once parsed.
        public var reqType: String?
        public var fault: PStampCode
        public var rows: Int
        public var jobs: Int
        /// Jobs in `stop` or `cancel`.
        public var doneJobs: Int
        /// Jobs still to run (state `run`, fault 0).
        public var pendingJobs: Int
        /// Jobs with a fault other than 0.
        public var faultedJobs: Int
        /// Dependents of its jobs that are `full` (images regenerated for it).
        public var imageUpdates: Int
        public var registered: Date?
        /// The last change (for a finished request: when it finished).
        public var changed: Date?
    }

    /// One label's share of the unfinished work.
    public struct LabelLoad: Codable, Sendable, Equatable {
        public var label: String
        /// Higher runs first; a label with no `Label` row has 10000.
        public var priority: Int
        public var active: Bool
        public var requests: Int
        /// Jobs in `run` of requests in `run` (psstatus `--totals`).
        public var unfinishedJobs: Int
    }

    /// Jobs with one fault code.
    public struct FaultCount: Codable, Sendable, Equatable {
        public var fault: PStampCode
        public var jobs: Int
    }

    /// An open dependent and how long its first request has waited for it.
    public struct WaitingDependent: Codable, Sendable, Equatable {
        public var dependent: DependentSummary
        /// The jobs waiting on it.
        public var jobs: Int
        /// Since the earliest of those jobs' requests was registered.
        public var ageSeconds: Int
    }

    /// An incoming data store with its last poll and the requests from it that have a fault.
    public struct IncomingStore: Codable, Sendable, Equatable {
        public var dsID: Int64
        public var uri: String?
        public var state: DataStoreState?
        public var label: String?
        public var lastPoll: Date?
        public var lastFileset: String?
        public var pollInterval: Int?
        /// Requests polled from it whose fault is not 0 (unfinished, or finished in the last 24 hours).
        public var faultedRequests: [RequestLine]
    }

    /// One hour of the day's history.
    public struct HourOfWork: Codable, Sendable, Equatable {
        /// The start of the hour.
        public var start: Date
        /// Requests that finished in the hour.
        public var finishedRequests: Int
        /// Jobs of those requests.
        public var finishedJobs: Int
        /// Unfinished requests at the end of the hour.
        public var queue: Int
    }

    /// The number of unfinished requests in `state`.
    public func count(_ state: RequestState) -> Int { requests.first { $0.state == state }?.requests ?? 0 }
}
