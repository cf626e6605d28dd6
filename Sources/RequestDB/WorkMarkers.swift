import GRDB
import PStampCore

/// A row whose work a task starts: a request (parse, finish), a job (run) or a dependent (check).
public enum WorkRow: Sendable, Hashable, CustomStringConvertible {
    case request(Int64), job(Int64), dependent(Int64)

    var table: String {
        switch self {
        case .request: "pstampRequest"
        case .job: "pstampJob"
        case .dependent: "pstampDependent"
        }
    }
    var idColumn: String {
        switch self {
        case .request: "req_id"
        case .job: "job_id"
        case .dependent: "dep_id"
        }
    }
    var id: Int64 {
        switch self {
        case .request(let id), .job(let id), .dependent(let id): id
        }
    }
    public var description: String {
        switch self {
        case .request(let id): "request \(id)"
        case .job(let id): "job \(id)"
        case .dependent(let id): "dependent \(id)"
        }
    }
}

/// What `WorkMarkers.begin` found.
public enum WorkStart: Sendable, Equatable {
    /// Marked as under way; `deaths` earlier attempts in a row ended with the death of the process.
    case started(deaths: Int)
    /// The process died under this row's work `deaths` times in a row: it was not started again, the
    /// caller sets the row aside.
    case poisoned(deaths: Int)
}

/// Poison protection: "work under way" markers in the request database (`work_started`, migration
/// 0003). A task marks a row before it starts the work (`begin`) and unmarks it when the work ends in
/// any way but the death of the process (`end`); a row found marked `maxDeaths` times is poison.
public struct WorkMarkers: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// Marks `row` as under way, unless the process has already died under it `maxDeaths` times in a row.
    public func begin(_ row: WorkRow, maxDeaths: Int) throws -> WorkStart {
        try writer.immediateTransaction { db in
            let deaths =
                try Int.fetchOne(
                    db, sql: "SELECT work_started FROM \(row.table) WHERE \(row.idColumn) = ?",
                    arguments: [row.id]) ?? 0
            if deaths >= maxDeaths { return .poisoned(deaths: deaths) }
            try db.execute(
                sql: "UPDATE \(row.table) SET work_started = work_started + 1 WHERE \(row.idColumn) = ?",
                arguments: [row.id])
            return .started(deaths: deaths)
        }
    }

    /// The work on `row` ended (done, faulted, refused or cancelled): the process did not die under it.
    public func end(_ row: WorkRow) throws {
        try writer.immediateTransaction { db in
            try db.execute(
                sql: "UPDATE \(row.table) SET work_started = 0 WHERE \(row.idColumn) = ? AND work_started != 0",
                arguments: [row.id])
        }
    }

    /// The deaths in a row under `row`'s work so far (its marker), 0 for a row that does not exist.
    public func deaths(_ row: WorkRow) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(
                db, sql: "SELECT work_started FROM \(row.table) WHERE \(row.idColumn) = ?",
                arguments: [row.id]) ?? 0
        }
    }
}

extension RequestStore {
    /// Sets a `new` request aside with `code` (its parse killed the process, or it faulted too often):
    /// in one transaction its jobs go, one stand-in job (row 0) carries `code`, the request takes
    /// `change` (it needs an outdir and outProduct to be finished), `set_aside = code`, and moves to
    /// `run`, so the Finisher registers a results fileset that says `code` without reading the request
    /// file. Returns false when the request was no longer `new`.
    public func setAside(reqID: Int64, code: PStampCode, change: RequestChange) throws -> Bool {
        try writer.immediateTransaction { db in
            guard try Self.get(db, reqID: reqID)?.state == .new else { return false }
            try db.execute(sql: "DELETE FROM pstampJob WHERE req_id = ?", arguments: [reqID])
            let stand = NewJob(reqID: reqID, rownum: "0", jobType: .none, state: .stop, fault: code)
            _ = try JobStore.insert(db, stand, isParent: try JobStore.checked(stand))
            var change = change
            change.state = .run
            change.clearFault = true
            change.fault = nil
            var c = SQLConditions()
            c.add("req_id", "=", reqID)
            c.add("state", "=", RequestState.new)
            guard try Self.update(db, c, change) == 1 else { return false }
            try db.execute(
                sql: "UPDATE pstampRequest SET set_aside = ?, work_started = 0 WHERE req_id = ?",
                arguments: [code, reqID])
            return true
        }
    }

    /// What `setAsideFinish` did.
    public enum FinishSetAside: Sendable, Equatable {
        /// First time: the request is marked set aside (fault cleared), its next finish echoes nothing.
        case degraded
        /// Already set aside: it is stopped with the code, without a results fileset.
        case stopped
        /// It was no longer `run`.
        case none
    }

    /// Sets aside a `run` request whose finish killed the process or faulted too often: the first time
    /// it is marked (`set_aside = code`, fault and marker cleared) so the next finish is a plain one; a
    /// request already set aside is stopped with `code`.
    public func setAsideFinish(reqID: Int64, code: PStampCode) throws -> FinishSetAside {
        try writer.immediateTransaction { db in
            guard let request = try Self.get(db, reqID: reqID), request.state == .run else { return .none }
            if request.setAside == nil {
                try db.execute(
                    sql: """
                        UPDATE pstampRequest SET set_aside = ?, fault = 0, work_started = 0, timestamp = datetime('now')
                        WHERE req_id = ? AND state = 'run'
                        """, arguments: [code, reqID])
                return .degraded
            }
            try StateTransitions.request.check(from: .run, to: .stop)
            try db.execute(
                sql: """
                    UPDATE pstampRequest SET state = 'stop', fault = ?, work_started = 0, timestamp = datetime('now')
                    WHERE req_id = ? AND state = 'run'
                    """, arguments: [code, reqID])
            return .stopped
        }
    }
}

extension RequestDatabase {
    public var work: WorkMarkers { WorkMarkers(pool) }
}
