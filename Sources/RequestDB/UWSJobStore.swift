import Foundation
import GRDB
import PStampCore

/// What the UWS face adds to an asynchronous SODA job (`pstampUWSJob`, migration 0006): the job is
/// the request `reqID` (label SODA); its phase is read from the request and its jobs.
public struct UWSJobRecord: Codable, FetchableRecord, Sendable, Equatable {
    public var reqID: Int64
    public var owner: String?
    public var runID: String?
    /// The parameters as sent, in order (JSON `[[name, value], …]` in the table).
    public var parameters: String
    /// Seconds of wall-clock time allowed once run (0: no limit).
    public var executionDuration: Int
    /// When the job is destroyed (its request goes to goto_cleaned).
    public var destruction: MetadataTime
    public var started: MetadataTime?
    public var aborted: Bool

    enum CodingKeys: String, CodingKey {
        case reqID = "req_id", owner, runID = "run_id", parameters, executionDuration = "execution_duration", destruction, started
        case aborted
    }

    /// The parameters as (name, value) pairs.
    public var parameterPairs: [(String, String)] {
        let decoded = (try? JSONDecoder().decode([[String]].self, from: Data(parameters.utf8))) ?? []
        return decoded.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
    }

    /// The JSON text of parameter pairs.
    public static func encode(_ pairs: [(String, String)]) -> String {
        let data = (try? JSONEncoder().encode(pairs.map { [$0.0, $0.1] })) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// One UWS job as its routes show it: the UWS row, its request, and how many of its jobs ended how.
public struct UWSJobView: Sendable, Equatable {
    public var uws: UWSJobRecord
    public var request: RequestRecord
    /// Jobs `stop` and `cancel`, and jobs in any state.
    public var jobsStopped: Int
    public var jobsCancelled: Int
    public var jobsTotal: Int
}

/// The UWS jobs (`pstampUWSJob`): created with their request in one transaction, listed with their
/// requests, changed by the UWS routes, and ended by the UWS expiry task.
public struct UWSJobStore: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// Adds the request and its UWS row in one transaction; returns the req_id (the UWS job id).
    public func create(
        _ request: NewRequest, owner: String?, runID: String?, parameters: [(String, String)], executionDuration: Int,
        destruction: MetadataTime
    ) throws -> Int64 {
        try writer.immediateTransaction { db in
            let reqID = try RequestStore.insert(db, request)
            try db.execute(
                sql: """
                    INSERT INTO pstampUWSJob (req_id, owner, run_id, parameters, execution_duration, destruction)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [reqID, owner, runID, UWSJobRecord.encode(parameters), executionDuration, destruction])
            return reqID
        }
    }

    static let viewSQL = """
        SELECT u.*, (SELECT COUNT(*) FROM pstampJob j WHERE j.req_id = u.req_id AND j.state = 'stop') AS stopped,
               (SELECT COUNT(*) FROM pstampJob j WHERE j.req_id = u.req_id AND j.state = 'cancel') AS cancelled,
               (SELECT COUNT(*) FROM pstampJob j WHERE j.req_id = u.req_id) AS total
        FROM pstampUWSJob u
        """

    static func view(_ db: Database, _ row: Row) throws -> UWSJobView? {
        let uws = try UWSJobRecord(row: row)
        guard let request = try RequestRecord.fetchOne(db, sql: "SELECT * FROM pstampRequest WHERE req_id = ?", arguments: [uws.reqID])
        else { return nil }
        return UWSJobView(uws: uws, request: request, jobsStopped: row["stopped"], jobsCancelled: row["cancelled"], jobsTotal: row["total"])
    }

    /// One job, or nil.
    public func get(reqID: Int64) throws -> UWSJobView? {
        try writer.read { db in
            try Row.fetchOne(db, sql: Self.viewSQL + " WHERE u.req_id = ?", arguments: [reqID]).flatMap { try Self.view(db, $0) }
        }
    }

    /// The jobs of one owner (nil: the anonymous jobs), oldest first.
    public func list(owner: String?) throws -> [UWSJobView] {
        try writer.read { db in
            let rows =
                if let owner {
                    try Row.fetchAll(db, sql: Self.viewSQL + " WHERE u.owner = ? ORDER BY u.req_id", arguments: [owner])
                } else {
                    try Row.fetchAll(db, sql: Self.viewSQL + " WHERE u.owner IS NULL ORDER BY u.req_id")
                }
            return try rows.compactMap { try Self.view(db, $0) }
        }
    }

    /// Sets the destruction time; returns false for an unknown job.
    @discardableResult
    public func setDestruction(reqID: Int64, _ time: MetadataTime) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "UPDATE pstampUWSJob SET destruction = ? WHERE req_id = ?", arguments: [time, reqID])
            return db.changesCount == 1
        }
    }

    /// Sets the wall-clock limit (seconds, 0 for none); returns false for an unknown job.
    @discardableResult
    public func setExecutionDuration(reqID: Int64, _ seconds: Int) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "UPDATE pstampUWSJob SET execution_duration = ? WHERE req_id = ?", arguments: [seconds, reqID])
            return db.changesCount == 1
        }
    }

    /// Records that the job was run (its start time, kept when it was already set).
    public func markStarted(reqID: Int64, at time: MetadataTime) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE pstampUWSJob SET started = COALESCE(started, ?) WHERE req_id = ?", arguments: [time, reqID])
        }
    }

    /// Aborts the job: its open jobs are cancelled (the finisher then ends the request with the stamps
    /// already cut), or a request not yet worked on is stopped or sent to cleanup. Returns false when
    /// the job has already ended.
    public func abort(reqID: Int64) throws -> Bool {
        try writer.immediateTransaction { db in
            guard let request = try RequestRecord.fetchOne(db, sql: "SELECT * FROM pstampRequest WHERE req_id = ?", arguments: [reqID]),
                let state = request.state
            else { return false }
            let jobs = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pstampJob WHERE req_id = ?", arguments: [reqID]) ?? 0
            guard let target = UWSAction.abort.requestState(from: state, hasJobs: jobs > 0) else { return false }
            try db.execute(sql: "UPDATE pstampUWSJob SET aborted = 1 WHERE req_id = ?", arguments: [reqID])
            let cancelled = try Self.cancelOpenJobs(db, reqID: reqID)
            // A running request with jobs is ended by the finisher; one with none left open is ended here.
            if state == .run && cancelled > 0 { return true }
            var c = SQLConditions()
            c.add("req_id", "=", reqID)
            c.add("state", "=", state)
            _ = try RequestStore.update(db, c, RequestChange(state: target))
            return true
        }
    }

    /// The jobs whose destruction time has passed and whose request is not cleaned or on its way.
    public func destructionDue(now: MetadataTime) throws -> [Int64] {
        try writer.read { db in
            try Int64.fetchAll(
                db,
                sql: """
                    SELECT u.req_id FROM pstampUWSJob u JOIN pstampRequest r ON r.req_id = u.req_id
                    WHERE u.destruction <= ? AND r.state NOT IN ('goto_cleaned', 'cleaned') ORDER BY u.req_id
                    """, arguments: [now])
        }
    }

    /// The running jobs whose EXECUTIONDURATION has passed since they were run.
    public func overrun(now: Date) throws -> [Int64] {
        try writer.read { db in
            try Self.deadlineRows(db).compactMap { row -> Int64? in
                guard let due = Self.runLimit(row), now > due else { return nil }
                return row["req_id"]
            }
        }
    }

    /// The next moment a job's destruction or wall-clock limit falls due (nil: none pending).
    public func nextDeadline() throws -> Date? {
        try writer.read { db in
            var next: Date?
            func consider(_ d: Date?) { if let d, next.map({ d < $0 }) ?? true { next = d } }
            for row in try Self.deadlineRows(db) {
                let destruction: MetadataTime? = row["destruction"]
                consider(destruction?.date)
                consider(Self.runLimit(row))
            }
            return next
        }
    }

    /// Destroys the job: its request goes to goto_cleaned (the cleaner removes its files) and its
    /// destruction time becomes now. Returns false when there is nothing to do.
    @discardableResult
    public func destroy(reqID: Int64) throws -> Bool {
        try writer.immediateTransaction { db in
            guard let state = try RequestState.fetchOne(db, sql: "SELECT state FROM pstampRequest WHERE req_id = ?", arguments: [reqID]),
                let target = UWSAction.destroy.requestState(from: state, hasJobs: true), target != state
            else { return false }
            try Self.cancelOpenJobs(db, reqID: reqID)
            try db.execute(
                sql: "UPDATE pstampUWSJob SET destruction = ? WHERE req_id = ? AND destruction > ?",
                arguments: [MetadataTime(Date()), reqID, MetadataTime(Date())])
            var c = SQLConditions()
            c.add("req_id", "=", reqID)
            c.add("state", "=", state)
            return try RequestStore.update(db, c, RequestChange(state: target)) == 1
        }
    }
}

extension UWSJobStore {
    /// Cancels the request's open jobs; returns how many were cancelled.
    @discardableResult
    static func cancelOpenJobs(_ db: Database, reqID: Int64) throws -> Int {
        let open = UWSAction.cancelledJobStates.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        try db.execute(sql: "UPDATE pstampJob SET state = 'cancel' WHERE req_id = ? AND state IN (\(open))", arguments: [reqID])
        return db.changesCount
    }

    /// The deadline columns of the jobs whose request is not cleaned or on its way.
    static func deadlineRows(_ db: Database) throws -> [Row] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT u.req_id, u.destruction, u.started, u.execution_duration, u.aborted, r.state FROM pstampUWSJob u
                JOIN pstampRequest r ON r.req_id = u.req_id WHERE r.state NOT IN ('goto_cleaned', 'cleaned')
                """)
    }

    /// When a deadline row's EXECUTIONDURATION runs out: nil unless the job has a limit, was run, is
    /// not aborted and its request is still new or running.
    static func runLimit(_ row: Row) -> Date? {
        let started: MetadataTime? = row["started"]
        let limit: Int = row["execution_duration"]
        let state: RequestState? = row["state"]
        let aborted: Bool = row["aborted"]
        guard limit > 0, !aborted, let start = started?.date, state == .new || state == .run else { return nil }
        return start.addingTimeInterval(Double(limit))
    }
}

extension RequestDatabase {
    public var uwsJobs: UWSJobStore { UWSJobStore(pool) }
}
