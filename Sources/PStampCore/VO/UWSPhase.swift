/// The phase of a UWS 1.1 job (UWS.xsd `ExecutionPhase`), and how a PStamp request shows as one.
///
/// An asynchronous SODA job is an ordinary request labelled `SODA`; its phase is read from the request
/// row, never stored apart from it:
///
/// | request                                   | phase     |
/// |-------------------------------------------|-----------|
/// | `new` with ACTION PREVIEW, or `parsed`    | PENDING   |
/// | `new` (ACTION PROCESS)                    | QUEUED    |
/// | `run`, no job finished yet                | QUEUED    |
/// | `run`, fault 0, jobs under way            | EXECUTING |
/// | `run` with a retryable fault (< 10)       | SUSPENDED (the reverter resumes it) |
/// | `hold`                                    | HELD      |
/// | `stop`, a job cancelled                   | ABORTED   |
/// | `stop`, request fault ≠ 0                 | ERROR     |
/// | `stop`, fault 0                           | COMPLETED (rows that failed are error results) |
/// | `goto_cleaned`, `cleaned`                 | ARCHIVED  |
public enum UWSPhase: String, Sendable, CaseIterable {
    case pending = "PENDING"
    case queued = "QUEUED"
    case executing = "EXECUTING"
    case completed = "COMPLETED"
    case error = "ERROR"
    case aborted = "ABORTED"
    case unknown = "UNKNOWN"
    case held = "HELD"
    case suspended = "SUSPENDED"
    case archived = "ARCHIVED"

    /// Parses a `PHASE` filter of the job list (case-insensitive, as DALI parameter values of UWS are
    /// written in capitals by clients but the names are an enumeration).
    public static func parse(_ text: String) throws(DALIError) -> UWSPhase {
        guard let phase = UWSPhase(rawValue: text.uppercased()) else {
            throw .usage("PHASE '\(text)' is not one of \(allCases.map(\.rawValue).joined(separator: " "))")
        }
        return phase
    }

    /// The phase of a request. `preview`: the request's ACTION is PREVIEW (created without PHASE=RUN);
    /// `jobsFinished`/`jobsCancelled`: how many of its jobs are `stop` or `cancel`.
    public init(request state: RequestState, fault: PStampCode, preview: Bool, jobsFinished: Int, jobsCancelled: Int) {
        switch state {
        case .new: self = preview ? .pending : .queued
        case .parsed: self = .pending
        case .run:
            if fault.isRetryable {
                self = .suspended
            } else if fault != .success {
                self = .error
            } else {
                self = jobsFinished + jobsCancelled > 0 ? .executing : .queued
            }
        case .hold: self = .held
        case .stop:
            if jobsCancelled > 0 {
                self = .aborted
            } else {
                self = fault == .success ? .completed : .error
            }
        case .gotoCleaned, .cleaned: self = .archived
        }
    }

    /// True in the phases where the job may still change by itself (a blocking `WAIT` waits only here).
    public var isActive: Bool { [.pending, .queued, .executing, .suspended].contains(self) }

    /// True once the job has ended (its results, if any, are final).
    public var isFinal: Bool { [.completed, .error, .aborted, .archived].contains(self) }
}

/// A client's change of a job (`POST …/phase PHASE=RUN|ABORT`, `DELETE`, a passed `DESTRUCTION`) and the
/// request state change it makes, taken from `StateTransitions.request` so the web face and the
/// operator tools share one table.
public enum UWSAction: String, Sendable, CaseIterable {
    case run = "RUN"
    case abort = "ABORT"
    /// `DELETE /{jobs}/{id}`, `ACTION=DELETE`, or the destruction time reached: the request goes to cleanup.
    case destroy = "DELETE"

    /// Parses a `PHASE` value of `POST …/phase` (only RUN and ABORT; SUSPEND is not offered).
    public static func parsePhase(_ text: String) throws(DALIError) -> UWSAction {
        switch text.uppercased() {
        case "RUN": return .run
        case "ABORT": return .abort
        default: throw .usage("PHASE '\(text)' cannot be set: only RUN and ABORT")
        }
    }

    /// The request state this action moves a request to, or nil when the action is illegal now (the
    /// route answers 403). `hasJobs`: the request was parsed (its jobs exist). `RUN` on a `new` request
    /// keeps it `new` (the route switches its ACTION from PREVIEW to PROCESS and the parser takes it);
    /// a held request goes back to `run`, or to `new` when it was never parsed. `ABORT` also cancels the
    /// request's open jobs (`cancelledJobStates` → `cancel`); a request not parsed yet has none and goes
    /// to cleanup.
    public func requestState(from state: RequestState, hasJobs: Bool) -> RequestState? {
        let targets: [RequestState]
        switch self {
        case .run:
            if state == .new { return .new }
            guard state == .parsed || state == .hold else { return nil }
            targets = hasJobs ? [.run] : [.new]
        case .abort:
            guard [.new, .parsed, .run, .hold].contains(state) else { return nil }
            targets = [.stop, .gotoCleaned]
        case .destroy:
            if state == .gotoCleaned || state == .cleaned { return state }
            targets = [.gotoCleaned]
        }
        return targets.first { $0 != state && StateTransitions.request.isLegal(from: state, to: $0) }
    }

    /// The job states an `ABORT` cancels.
    public static let cancelledJobStates: [JobState] = StateTransitions.job.sources(to: .cancel).filter { $0 != .cancel }
}
