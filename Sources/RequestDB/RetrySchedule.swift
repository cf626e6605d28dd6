import GRDB
import PStampCore

/// Each faulted row's next try (`retry_after`, migration 0003): the revert tasks schedule a
/// fault when they first see it and revert the row once its time has passed; every revert clears the
/// time, so the next fault is scheduled from the back-off of its own count.
public struct RetrySchedule: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// Sets the next try of a faulted row that has none. Returns false when the row has no fault (it
    /// was reverted meanwhile) or was scheduled already.
    @discardableResult
    public func schedule(_ row: WorkRow, at time: MetadataTime) throws -> Bool {
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE \(row.table) SET retry_after = ?
                    WHERE \(row.idColumn) = ? AND fault != 0 AND retry_after IS NULL
                    """, arguments: [time, row.id])
            return db.changesCount == 1
        }
    }
}

extension RequestDatabase {
    public var retries: RetrySchedule { RetrySchedule(pool) }
}
