import GRDB
import PStampCore

extension JobStore {
    /// Takes up to `limit` pending jobs for `worker` in one IMMEDIATE transaction, so two workers (threads
    /// or processes) never take the same job: the pending jobs (as `-pendingjob`, label priority first)
    /// that no live claim holds. Claims older than `staleAfter` seconds are dropped first (their worker
    /// died), and so are claims of jobs that left `run` or got a fault.
    public func claim(
        worker: String, limit: Int, labels: LabelFilter = .any,
        staleAfter seconds: Int = 3600
    ) throws -> [PendingJob] {
        guard limit > 0 else { return [] }
        return try writer.immediateTransaction { db in
            try Self.dropDeadClaims(db, staleAfter: seconds)
            var c = SQLConditions()
            c.add(labels: labels, column: "pstampRequest.label")
            c.add("pstampJob.job_id NOT IN (SELECT job_id FROM pstampJobClaim)")
            let jobs = try Self.pending(db, c, limit: limit)
            for job in jobs {
                try db.execute(
                    sql: "INSERT INTO pstampJobClaim (job_id, worker) VALUES (?, ?)",
                    arguments: [job.job.jobID, worker])
            }
            return jobs
        }
    }

    /// Takes one job for `worker` if it is pending and no live claim holds it, in one IMMEDIATE
    /// transaction (stale claims and claims of jobs no longer runnable are dropped first, as in
    /// `claim(worker:limit:)`). Returns the job, or nil when another worker holds it or it is not runnable.
    public func claim(jobID: Int64, worker: String, staleAfter seconds: Int = 3600) throws -> PendingJob? {
        try writer.immediateTransaction { db in
            try Self.dropDeadClaims(db, staleAfter: seconds)
            var c = SQLConditions()
            c.add("pstampJob.job_id", "=", jobID)
            c.add("pstampJob.job_id NOT IN (SELECT job_id FROM pstampJobClaim)")
            guard let job = try Self.pending(db, c, limit: 1).first else { return nil }
            try db.execute(sql: "INSERT INTO pstampJobClaim (job_id, worker) VALUES (?, ?)", arguments: [jobID, worker])
            return job
        }
    }

    /// Drops the claims older than `seconds` (their worker died) and those of jobs that left `run` or
    /// got a fault.
    static func dropDeadClaims(_ db: Database, staleAfter seconds: Int) throws {
        try db.execute(
            sql: """
                DELETE FROM pstampJobClaim
                WHERE CAST(strftime('%s', 'now') AS INTEGER) - CAST(strftime('%s', claimed_at) AS INTEGER) > ?
                    OR job_id IN (SELECT job_id FROM pstampJob WHERE state != 'run' OR fault != 0)
                """, arguments: [seconds])
    }

    /// Every live claim: (job_id, worker).
    public func claims() throws -> [(jobID: Int64, worker: String)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT job_id, worker FROM pstampJobClaim ORDER BY job_id").map {
                (jobID: $0["job_id"], worker: $0["worker"])
            }
        }
    }

    /// Gives a job back (its worker finished with it, or gave up without changing it).
    public func release(jobID: Int64) throws {
        try writer.immediateTransaction { db in
            try db.execute(sql: "DELETE FROM pstampJobClaim WHERE job_id = ?", arguments: [jobID])
        }
    }

    /// The worker holding a job, if any.
    public func claimant(jobID: Int64) throws -> String? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT worker FROM pstampJobClaim WHERE job_id = ?", arguments: [jobID])
        }
    }
}
