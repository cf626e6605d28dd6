import GRDB
import PStampCore

/// `pstampJobOutputs`: each stopped job's registration list (`name|bytes|md5|type|` lines, the IPP's
/// `reglist<job_id>`), written in the transaction that stops the job and read by the finisher.
public struct JobOutputStore: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// The lists of a request's jobs, by job_id, in one read (jobs without a row are not in it).
    public func all(reqID: Int64) throws -> [Int64: String] {
        try writer.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT o.job_id, o.entries FROM pstampJobOutputs o JOIN pstampJob j ON j.job_id = o.job_id
                    WHERE j.req_id = ?
                    """, arguments: [reqID])
            var lists: [Int64: String] = [:]
            while let row = try rows.next() { lists[row[0]] = row[1] }
            return lists
        }
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
