import Foundation
import PStampCore
import RequestDB

/// One revert pass's view of the retry schedule: whether a faulted row is due, scheduling it from the
/// back-off when the pass sees its fault for the first time.
struct RetryTiming {
    let schedule: RetrySchedule
    let backoff: RetryBackoff
    let now: Date

    init(_ database: RequestDatabase, _ backoff: RetryBackoff, now: Date) {
        schedule = database.retries
        self.backoff = backoff
        self.now = now
    }

    /// True when the row's next try has come; a row not scheduled yet is scheduled `faults` steps into
    /// the back-off (and is due at once when that wait is 0).
    func isDue(_ row: WorkRow, retryAfter: MetadataTime?, faults: Int) throws -> Bool {
        if let retryAfter { return retryAfter <= MetadataTime(now) }
        let wait = backoff.delay(faults: faults, unit: Double.random(in: 0..<1))
        guard wait > 0 else { return true }
        try schedule.schedule(row, at: MetadataTime(now.addingTimeInterval(wait.rounded(.up))))
        return false
    }

    /// The rows whose retry has come, in their order; `key` names each row, its next try and its faults.
    func due<Row>(_ rows: [Row], _ key: (Row) -> (WorkRow, MetadataTime?, Int?)) throws -> [Row] {
        try rows.filter {
            let (row, retryAfter, faults) = key($0)
            return try isDue(row, retryAfter: retryAfter, faults: faults ?? 1)
        }
    }

    /// The earliest next try still to come among `times` (what wakes the revert task).
    func nextDue(_ times: [MetadataTime?]) -> Date? {
        let stamp = MetadataTime(now)
        return times.compactMap { $0 }.filter { $0 > stamp }.min()?.date
    }
}
