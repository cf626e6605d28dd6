import Foundation
import Metrics
import PStampCore

/// What the pipeline counts, through swift-metrics (the `pstamp` executable chooses the backend; with
/// none bootstrapped these are no-ops). Names and labels as Prometheus shows them at `/metrics`.
enum PipelineMetrics {
    /// A job stopped (`fault` 0: its stamps were written; >= 10: the row's answer to the user).
    static func jobStopped(_ code: PStampCode) {
        Counter(label: "pstamp_jobs_stopped_total", dimensions: [("fault", String(code.rawValue))]).increment()
    }

    /// A job left `run` with a system fault (1–9), for the job reverter.
    static func jobFaulted(_ code: PStampCode) {
        Counter(label: "pstamp_job_faults_total", dimensions: [("fault", String(code.rawValue))]).increment()
    }

    /// Files a successful job wrote (stamp images, masks, variances, JPEG previews, catalogues).
    static func stampFilesWritten(_ count: Int) {
        Counter(label: "pstamp_stamp_files_written_total").increment(by: count)
    }

    /// A dependent's image became `full`: how long after its request was registered.
    static func dependentReleased(waited seconds: TimeInterval) {
        // A clock that stepped back, NaN or a wait past Int64 nanoseconds (292 years) records nothing.
        guard let nanoseconds = WholeNumber.rounded(seconds * 1e9, limit: Int.max), nanoseconds >= 0 else { return }
        Timer(label: "pstamp_dependent_wait_seconds", preferredDisplayUnit: .seconds).recordNanoseconds(Int64(nanoseconds))
    }

    /// A dependent check that faulted (`fault` the dependent's code).
    static func dependentFaulted(_ code: PStampCode) {
        Counter(label: "pstamp_dependent_faults_total", dimensions: [("fault", String(code.rawValue))]).increment()
    }

    /// A poll of an incoming data store that failed (`fault`: 200 for HTTP 500/404, else the transfer's code).
    static func pollFailed(_ code: PStampCode?) {
        Counter(label: "pstamp_poll_errors_total", dimensions: [("fault", code.map { String($0.rawValue) } ?? "other")])
            .increment()
    }

    /// The rows a revert task puts back to work.
    enum RevertKind: String {
        case request, job, dependent
    }

    /// Faulted rows a revert task put back to work.
    static func reverted(_ kind: RevertKind, count: Int) {
        guard count > 0 else { return }
        Counter(label: "pstamp_reverts_total", dimensions: [("kind", kind.rawValue)]).increment(by: count)
    }
}
