import Foundation
import GRDB
import PStampCore

/// One request as its sender follows it: its state, its jobs by request row, and the dependents
/// (images being regenerated) its jobs wait on. A plain value read in one snapshot.
///
///     if let progress = try database.progress(reqID: 12) { print(progress.doneJobs, "/", progress.jobs.count) }
public struct RequestProgress: Codable, Sendable, Equatable {
    public var reqID: Int64
    public var name: String
    public var state: RequestState
    public var fault: PStampCode
    public var label: String?
    public var username: String?
    /// `pstamp` or `dquery` once parsed.
    public var reqType: String?
    /// The data-store product the results fileset (named `name`) goes to.
    public var outProduct: String?
    /// The request's work directory (set by the parser).
    public var outdir: String?
    public var registered: Date?
    public var changed: Date?
    /// Every job, by request row then job id.
    public var jobs: [Job]
    /// The dependents any of its jobs wait on (or waited on), by dep_id.
    public var dependents: [DependentSummary]

    /// One job of the request.
    public struct Job: Codable, Sendable, Equatable {
        public var jobID: Int64
        public var rownum: String
        public var state: JobState
        public var jobType: String?
        public var fault: PStampCode
        public var expID: Int64?
        /// The path its stamp files start with.
        public var outputBase: String?
        public var depID: Int64?
        /// A worker has taken it and is running it.
        public var running: Bool
        public var isDone: Bool { state == .stop || state == .cancel }
    }

    /// Jobs in `stop` or `cancel`.
    public var doneJobs: Int { jobs.filter(\.isDone).count }
    /// Done jobs as a whole percentage of all jobs (0 while there are none).
    public var percentDone: Int { jobs.isEmpty ? 0 : doneJobs * 100 / jobs.count }
    /// The request still has work ahead (it is not finished, nor stuck in a fault with no jobs left).
    public var isUnderWay: Bool { WorkloadSummary.unfinishedStates.contains(state) }
    /// The jobs of each request row, in row order.
    public var rows: [(rownum: String, jobs: [Job])] {
        var order: [String] = []
        var byRow: [String: [Job]] = [:]
        for job in jobs {
            if byRow[job.rownum] == nil { order.append(job.rownum) }
            byRow[job.rownum, default: []].append(job)
        }
        return order.map { ($0, byRow[$0] ?? []) }
    }
}

extension RequestDatabase {
    /// The request `reqID`, or nil when there is none.
    public func progress(reqID: Int64) throws -> RequestProgress? {
        try pool.read { db in try RequestProgress.fetch(db, where: "req_id = ?", reqID) }
    }

    /// The request named `name` (REQ_NAME), or nil when there is none.
    public func progress(name: String) throws -> RequestProgress? {
        try pool.read { db in try RequestProgress.fetch(db, where: "name = ?", name) }
    }
}

extension RequestProgress {
    static func fetch(_ db: Database, where condition: String, _ key: some DatabaseValueConvertible) throws -> RequestProgress? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT req_id, name, state, fault, label, username, reqType, outProduct, outdir, registered, timestamp
                    FROM pstampRequest WHERE \(condition)
                    """, arguments: [key])
        else { return nil }
        let reqID: Int64 = row["req_id"]
        let jobs = try Row.fetchAll(
            db,
            sql: """
                SELECT j.job_id, j.rownum, j.state, j.jobType, j.fault, j.exp_id, j.outputBase, j.dep_id,
                    EXISTS (SELECT 1 FROM pstampJobClaim c WHERE c.job_id = j.job_id) AS running
                FROM pstampJob j WHERE j.req_id = ? ORDER BY CAST(j.rownum AS INTEGER), j.rownum, j.job_id
                """, arguments: [reqID]
        ).map { job in
            Job(
                jobID: job["job_id"], rownum: job["rownum"] ?? "", state: try JobState.parse(job["state"] ?? ""),
                jobType: job["jobType"], fault: PStampCode(job["fault"] ?? 0), expID: job["exp_id"], outputBase: job["outputBase"],
                depID: (job["dep_id"] as Int64?).flatMap { $0 == 0 ? nil : $0 }, running: job["running"])
        }
        let dependents = try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM pstampDependent
                WHERE dep_id IN (SELECT dep_id FROM pstampJob WHERE req_id = ? AND dep_id > 0) ORDER BY dep_id
                """, arguments: [reqID]
        ).map(DependentSummary.init(row:))
        return RequestProgress(
            reqID: reqID, name: row["name"] ?? "", state: try RequestState.parse(row["state"] ?? ""),
            fault: PStampCode(row["fault"] ?? 0), label: row["label"], username: row["username"], reqType: row["reqType"],
            outProduct: row["outProduct"], outdir: row["outdir"], registered: row["registered"], changed: row["timestamp"],
            jobs: jobs, dependents: dependents)
    }
}
