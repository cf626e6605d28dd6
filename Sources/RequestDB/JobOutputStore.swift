import GRDB
import PStampCore

/// `pstampJobOutputs`: each stopped job's registration list (`name|bytes|md5|type|` lines, the IPP's
/// `reglist<job_id>`), written in the transaction that stops the job and read by the finisher.
public struct JobOutputStore: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// The lists of a request's jobs, by job_id, in one read (jobs without a row are not in it).
    public func all(reqID: Int64) throws -> [Int64: String] {
        try JobTextTable.all(writer, table: "pstampJobOutputs", column: "entries", reqID: reqID)
    }

    /// Records a job's list, or removes the one an earlier run left when this one made none (nil).
    static func record(_ db: Database, jobID: Int64, _ entries: String?) throws {
        if let entries {
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO pstampJobOutputs (job_id, entries) VALUES (?, ?)")
                .execute(arguments: [jobID, entries])
        } else {
            try db.cachedStatement(sql: "DELETE FROM pstampJobOutputs WHERE job_id = ?").execute(arguments: [jobID])
        }
    }
}

extension RequestDatabase {
    public var jobOutputs: JobOutputStore { JobOutputStore(pool) }
}
