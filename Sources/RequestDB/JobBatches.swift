import GRDB
import PStampCore

/// The jobs a worker took in one go (`JobStore.claimBatch`).
public struct ClaimedBatch: Sendable, Equatable {
    /// Claimed and marked as under way (their work marker was 0): cut together.
    public var jobs: [JobRecord] = []
    /// Claimed but not marked: the process died under their work before, so each is run on its own (the
    /// work markers then find the one that kills it, and its batch-mates are not blamed).
    public var retried: [JobRecord] = []

    public init(jobs: [JobRecord] = [], retried: [JobRecord] = []) {
        self.jobs = jobs
        self.retried = retried
    }

    public var isEmpty: Bool { jobs.isEmpty && retried.isEmpty }
}

/// How a job of a batch ended.
public enum JobConclusion: Sendable, Equatable {
    /// Stopped with this code (`.success`: stamps made).
    case stop(PStampCode)
    /// Left `run` with this system fault (counted in fault_count, retried by the reverter).
    case fault(PStampCode)
}

extension JobStore {
    /// Takes the jobs of `jobIDs` that are still pending and that no live claim holds, for `worker`, in
    /// one IMMEDIATE transaction (stale claims dropped first, as in `claim(worker:limit:)`); marks those
    /// whose work marker is 0 as under way in the same transaction.
    public func claimBatch(jobIDs: [Int64], worker: String, staleAfter seconds: Int = 3600) throws -> ClaimedBatch {
        guard !jobIDs.isEmpty else { return ClaimedBatch() }
        return try writer.immediateTransaction { db in
            try Self.dropDeadClaims(db, staleAfter: seconds)
            var c = SQLConditions()
            c.add("pstampJob.job_id", in: jobIDs)
            c.add("pstampJob.job_id NOT IN (SELECT job_id FROM pstampJobClaim)")
            let pending = try Self.pending(db, c, limit: nil)
            guard !pending.isEmpty else { return ClaimedBatch() }
            let ids = pending.map(\.job.jobID)
            let marks = SQLConditions.placeholders(ids.count)
            var died: Set<Int64> = []
            for row in try Row.fetchAll(
                db, sql: "SELECT job_id FROM pstampJob WHERE work_started != 0 AND job_id IN \(marks)",
                arguments: StatementArguments(ids))
            {
                died.insert(row["job_id"])
            }
            let claim = try db.makeStatement(sql: "INSERT INTO pstampJobClaim (job_id, worker) VALUES (?, ?)")
            for id in ids { try claim.execute(arguments: [id, worker]) }
            var batch = ClaimedBatch()
            for job in pending.map(\.job) {
                if died.contains(job.jobID) { batch.retried.append(job) } else { batch.jobs.append(job) }
            }
            let fresh = batch.jobs.map(\.jobID)
            if !fresh.isEmpty {
                try db.execute(
                    sql: "UPDATE pstampJob SET work_started = work_started + 1 WHERE job_id IN \(SQLConditions.placeholders(fresh.count))",
                    arguments: StatementArguments(fresh))
            }
            return batch
        }
    }

    /// Ends the work on the jobs of a batch in one IMMEDIATE transaction: each job still `run` takes its
    /// conclusion (a stop with its registration list from `outputs`, or a counted fault), every work
    /// marker of `conclusions` is cleared and every claim given back. Returns the jobs whose conclusion was written (the others had left `run`).
    @discardableResult
    public func finishBatch(
        _ conclusions: [(jobID: Int64, conclusion: JobConclusion)], outputs: [Int64: String] = [:]
    ) throws -> Set<Int64> {
        guard !conclusions.isEmpty else { return [] }
        try StateTransitions.job.check(from: .run, to: .stop)
        return try writer.immediateTransaction { db in
            let fault = try db.makeStatement(
                sql: """
                    UPDATE pstampJob SET fault = ?, fault_count = IFNULL(fault_count, 0) + 1, retry_after = NULL
                    WHERE job_id = ? AND state = 'run'
                    """)
            var written: Set<Int64> = []
            for (jobID, conclusion) in conclusions {
                switch conclusion {
                case .stop(let code):
                    guard try Self.stopRunning(db, jobID: jobID, code: code, outputs: outputs[jobID]) else { continue }
                case .fault(let code):
                    try fault.execute(arguments: [code, jobID])
                    guard db.changesCount == 1 else { continue }
                }
                written.insert(jobID)
            }
            let ids = conclusions.map(\.jobID)
            let marks = SQLConditions.placeholders(ids.count)
            try db.execute(
                sql: "UPDATE pstampJob SET work_started = 0 WHERE work_started != 0 AND job_id IN \(marks)",
                arguments: StatementArguments(ids))
            try db.execute(sql: "DELETE FROM pstampJobClaim WHERE job_id IN \(marks)", arguments: StatementArguments(ids))
            return written
        }
    }
}

extension JobStore {
    /// Stops one job still `run` with `code` and records its registration list (nil: none), in one
    /// IMMEDIATE transaction; false when the job had left `run`.
    public func stop(jobID: Int64, code: PStampCode, outputs: String?) throws -> Bool {
        try StateTransitions.job.check(from: .run, to: .stop)
        return try writer.immediateTransaction { db in try Self.stopRunning(db, jobID: jobID, code: code, outputs: outputs) }
    }

    /// The one stop of a job's run (alone or in a batch): the job, if still `run`, takes `code`, and its
    /// registration list is recorded with it (nil removes a list an earlier run left).
    static func stopRunning(_ db: Database, jobID: Int64, code: PStampCode, outputs: String?) throws -> Bool {
        try db.cachedStatement(sql: "UPDATE pstampJob SET state = 'stop', fault = ? WHERE job_id = ? AND state = 'run'")
            .execute(arguments: [code, jobID])
        guard db.changesCount == 1 else { return false }
        try JobOutputStore.record(db, jobID: jobID, outputs)
        return true
    }
}

extension SQLConditions {
    /// `(?, ?, …)` for `count` values.
    static func placeholders(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }
}
