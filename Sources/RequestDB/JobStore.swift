import GRDB
import PStampCore

/// `pstampJob`: adding jobs, the job pending-work query, guarded state changes and reverts.
public struct JobStore: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// The most faults a job may have and still be reverted (without -clear_fault_count).
    public static let maxRevertFaults = 5

    /// Inserts a job (`-addjob`) and returns its job_id. outputBase is required unless the job starts
    /// in `stop`; a `child` job needs a dep_id and cannot be a parent; a `mosaic` job is a parent.
    public func add(_ new: NewJob) throws -> Int64 {
        let isParent = try Self.checked(new)
        return try writer.immediateTransaction { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM pstampRequest WHERE req_id = ?", arguments: [new.reqID]) == true else {
                throw PStampError(.unknownError, "request \(new.reqID) does not exist")
            }
            return try Self.insert(db, new, isParent: isParent)
        }
    }

    /// Checks a new job (initial state, outputBase, child/mosaic rules); returns its is_parent.
    static func checked(_ new: NewJob) throws -> Bool {
        try StateTransitions.job.checkInitial(new.state)
        if new.state != .stop && nonEmpty(new.outputBase) == nil {
            throw PStampError(.unknownError, "-outputBase is required")
        }
        var isParent = new.isParent
        switch new.jobType {
        case .child:
            guard let dep = new.depID, dep != 0 else { throw PStampError(.unknownError, "dep_id required for child job") }
            guard !isParent else { throw PStampError(.unknownError, "job type child can not be a parent job") }
        case .mosaic:
            isParent = true
        default:
            break
        }
        return isParent
    }

    /// Inserts a checked job with the connection's cached (prepared) statement; returns its job_id.
    static func insert(_ db: Database, _ new: NewJob, isParent: Bool) throws -> Int64 {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO pstampJob (req_id, rownum, state, jobType, fault, exp_id, outputBase, options, dep_id,
                    fault_count, parent_id, is_parent)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
                """)
        try statement.execute(arguments: [
            new.reqID, nonEmpty(new.rownum), new.state.rawValue, new.jobType.rawValue,
            new.fault, new.expID ?? 0, nonEmpty(new.outputBase), new.options ?? 0,
            new.depID ?? 0, new.parentID, isParent,
        ])
        return db.lastInsertedRowID
    }

    public func get(jobID: Int64) throws -> JobRecord? {
        try writer.read { db in
            try JobRecord.fetchOne(db, sql: "SELECT \(JobRecord.columns) FROM pstampJob WHERE job_id = ?", arguments: [jobID])
        }
    }

    /// `-listjob`: jobs with their request's name and outProduct.
    public func list(_ filter: JobListFilter) throws -> [ListedJob] {
        var c = SQLConditions()
        c.add("pstampJob.job_id", "=", filter.jobID)
        c.add("pstampJob.req_id", "=", filter.reqID)
        c.add("pstampJob.dep_id", "=", filter.depID)
        c.add("pstampJob.state", "=", filter.state)
        c.add("pstampJob.jobType", "=", filter.jobType)
        c.add("pstampJob.fault", "=", filter.fault)
        if filter.faulted { c.add("pstampJob.fault != 0") }
        guard !c.isEmpty else { throw PStampError(.unknownError, "search arguments are required") }
        let sql = """
            SELECT \(JobRecord.columns), pstampRequest.name AS name, pstampRequest.outProduct AS outProduct
            FROM pstampJob JOIN pstampRequest ON pstampRequest.req_id = pstampJob.req_id
            WHERE \(c.sql) ORDER BY pstampJob.job_id
            """ + limitSQL(filter.limit)
        return try writer.read { db in
            try ListedJob.fetchAll(db, sql: sql, arguments: c.arguments)
        }
    }

    /// `-pendingjob`: jobs `run` with fault 0 of requests `run` with fault 0 and an active label, whose
    /// dependent (if any) is `full`; a parent job only when none of its children is running. Highest
    /// label priority first, then req_id, job_id. Jobs of a held request are not pending.
    public func pending(
        jobID: Int64? = nil, reqID: Int64? = nil, labels: LabelFilter = .any,
        limit: Int? = nil
    ) throws -> [PendingJob] {
        var c = SQLConditions()
        c.add("pstampJob.job_id", "=", jobID)
        c.add("pstampJob.req_id", "=", reqID)
        c.add(labels: labels, column: "pstampRequest.label")
        return try writer.read { db in try Self.pending(db, c, limit: limit) }
    }

    /// The -pendingjob query with extra conditions (on pstampJob, pstampRequest, pstampDependent, Label).
    static func pending(_ db: Database, _ c: SQLConditions, limit: Int?) throws -> [PendingJob] {
        let eligible = """
            FROM pstampJob
                JOIN pstampRequest ON pstampRequest.req_id = pstampJob.req_id
                LEFT JOIN pstampDependent ON pstampDependent.dep_id = pstampJob.dep_id
                LEFT JOIN Label ON pstampRequest.label = Label.label
            WHERE pstampRequest.state = 'run' AND pstampRequest.fault = 0
                AND pstampJob.state = 'run' AND pstampJob.fault = 0
                AND (IFNULL(pstampJob.dep_id, 0) = 0 OR pstampDependent.state = 'full')
                AND \(labelActiveSQL) AND \(c.sql)
            """
        let sql = """
            SELECT * FROM (
                SELECT \(JobRecord.columns), \(labelPrioritySQL) AS priority, 0 AS myParent, 0 AS runningChildren
                \(eligible) AND NOT IFNULL(pstampJob.is_parent, 0)
                UNION ALL
                SELECT \(JobRecord.columns), \(labelPrioritySQL) AS priority, NULL AS myParent, NULL AS runningChildren
                \(eligible) AND IFNULL(pstampJob.is_parent, 0)
                    AND NOT EXISTS (SELECT 1 FROM pstampJob AS child
                                    JOIN pstampRequest AS childRequest ON childRequest.req_id = child.req_id
                                    WHERE childRequest.state = 'run' AND child.state = 'run'
                                        AND child.parent_id = pstampJob.job_id)
            ) ORDER BY priority DESC, req_id, job_id
            """ + limitSQL(limit)
        var arguments = c.arguments
        arguments += c.arguments
        return try PendingJob.fetchAll(db, sql: sql, arguments: arguments)
    }

    /// `-updatejob`: sets state and/or fault on the matching jobs (a fault also adds 1 to fault_count),
    /// every state change checked against the transition table. Needs one of job_id, req_id, dep_id,
    /// fault_count and one setter. Returns the number of jobs changed.
    public func update(_ selector: JobSelector, state: JobState? = nil, fault: PStampCode? = nil) throws -> Int {
        guard selector.jobID != nil || selector.reqID != nil || selector.depID != nil || selector.faultCount != nil else {
            throw PStampError(.unknownError, "at least one of -job_id -req_id -dep_id or -fault_count is required")
        }
        guard state != nil || fault != nil else {
            throw PStampError(.unknownError, "at least one of -set_state and -set_fault is required")
        }
        var c = SQLConditions()
        c.add("pstampJob.job_id", "=", selector.jobID)
        c.add("pstampJob.req_id", "=", selector.reqID)
        c.add("pstampJob.dep_id", "=", selector.depID)
        c.add("pstampJob.fault", "=", selector.fault)
        if selector.systemFaulted { c.add("pstampJob.fault BETWEEN 1 AND \(PStampCode.firstReportedCode - 1)") }
        c.add("pstampJob.state", "=", selector.state)
        c.add("pstampJob.fault_count", ">=", selector.faultCount)
        c.add(labels: selector.labels, column: "pstampRequest.label")
        return try writer.immediateTransaction { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT pstampJob.job_id, pstampJob.state FROM pstampJob
                        JOIN pstampRequest ON pstampRequest.req_id = pstampJob.req_id WHERE \(c.sql)
                    """, arguments: c.arguments)
            if let state {
                for row in rows {
                    try checkTransition(StateTransitions.job, id: row["job_id"], from: row["state"], to: state, what: "job")
                }
            }
            let ids: [Int64] = rows.map { $0["job_id"] }
            guard !ids.isEmpty else { return 0 }
            var sets: [String] = []
            var args = StatementArguments()
            if let state { sets.append("state = ?"); args += [state.rawValue] }
            if let fault {
                sets.append("fault = ?, fault_count = IFNULL(fault_count, 0) + 1, retry_after = NULL")
                args += [fault]
            }
            var guardSQL = ""
            if let state {
                guardSQL =
                    " AND state IN ("
                    + StateTransitions.job.sources(to: state).map { "'\($0.rawValue)'" }
                    .joined(separator: ", ") + ")"
            }
            args += StatementArguments(ids)
            try db.execute(
                sql: "UPDATE pstampJob SET \(sets.joined(separator: ", ")) WHERE job_id IN ("
                    + ids.map { _ in "?" }.joined(separator: ", ") + ")" + guardSQL, arguments: args)
            return db.changesCount
        }
    }

    /// Stops the jobs `run` with a system fault (1–9) that `selector` matches (its own state and fault are
    /// ignored) with `code` (counted in fault_count, as `-set_fault` is). Returns the number of jobs stopped.
    public func stopSystemFaulted(_ selector: JobSelector, with code: PStampCode) throws -> Int {
        var selector = selector
        selector.state = .run
        selector.fault = nil
        selector.systemFaulted = true
        return try update(selector, state: .stop, fault: code)
    }

    /// Moves one job from `from` to `to`, optionally setting its fault (without counting it).
    /// Returns false when the job was no longer in `from`.
    @discardableResult
    public func transition(jobID: Int64, from: JobState, to: JobState, fault: PStampCode? = nil) throws -> Bool {
        try StateTransitions.job.check(from: from, to: to)
        return try writer.immediateTransaction { db in
            try db.execute(
                sql: "UPDATE pstampJob SET state = ?, fault = IFNULL(?, fault) WHERE job_id = ? AND state = ?",
                arguments: [to.rawValue, fault, jobID, from.rawValue])
            return db.changesCount == 1
        }
    }

    /// `-revertjob`: clears the fault of jobs `run` in requests `run`; only system faults (< 10) unless an
    /// explicit fault is given; only jobs with fewer than 5 faults unless clearFaultCount (which zeroes it).
    public func revert(_ selector: JobRevertSelector) throws -> Int {
        var c = SQLConditions()
        c.add("pstampJob.job_id", "=", selector.jobID)
        c.add("pstampJob.job_id", in: selector.jobIDs)
        c.add("pstampJob.req_id", "=", selector.reqID)
        c.add("pstampJob.fault", "=", selector.fault)
        c.add("pstampJob.req_id", ">=", selector.reqIDMin)
        c.add(labels: selector.labels, column: "pstampRequest.label")
        guard !c.isEmpty || selector.all else {
            throw PStampError(.configError, "search parameters or -all are required")
        }
        if selector.fault == nil { c.add("pstampJob.fault < \(PStampCode.firstReportedCode)") }
        if !selector.clearFaultCount {
            c.add("IFNULL(pstampJob.fault_count, 0) < \(selector.maxFaultCount ?? Self.maxRevertFaults)")
        }
        let countSQL = selector.clearFaultCount ? ", fault_count = 0" : ""
        return try writer.immediateTransaction { db in
            try db.execute(
                sql: """
                    UPDATE pstampJob SET fault = 0, retry_after = NULL\(countSQL) WHERE job_id IN (
                        SELECT pstampJob.job_id FROM pstampJob JOIN pstampRequest ON pstampRequest.req_id = pstampJob.req_id
                        WHERE pstampRequest.state = 'run' AND pstampJob.state = 'run' AND \(c.sql))
                    """, arguments: c.arguments)
            return db.changesCount
        }
    }

    /// The jobs a revert task may retry: `run` in a request `run`, with a system fault (1–9) and fewer
    /// than `maxFaultCount` faults, of the labels served; with their next try (`retryAfter`).
    public func retryable(labels: LabelFilter = .any, maxFaultCount: Int) throws -> [JobRecord] {
        var c = SQLConditions()
        c.add(labels: labels, column: "pstampRequest.label")
        return try writer.read { db in
            try JobRecord.fetchAll(
                db,
                sql: """
                    SELECT \(JobRecord.columns) FROM pstampJob JOIN pstampRequest ON pstampRequest.req_id = pstampJob.req_id
                    WHERE pstampJob.state = 'run' AND pstampJob.fault BETWEEN 1 AND \(PStampCode.firstReportedCode - 1)
                        AND pstampRequest.state = 'run'
                        AND IFNULL(pstampJob.fault_count, 0) < ? AND \(c.sql)
                    ORDER BY pstampJob.job_id
                    """, arguments: [maxFaultCount] + c.arguments)
        }
    }

    /// `-stopdependentjob`: for jobs `run` whose dependent is `new`, sets the job `stop` with `fault`, and
    /// the dependent's fault to `fault` and its state to `dependentState` (fault_count is not changed).
    /// Returns the number of jobs stopped.
    public func stopDependentJobs(
        _ selector: DependentJobSelector, fault: PStampCode,
        dependentState: DependentState = .new
    ) throws -> Int {
        var c = SQLConditions()
        c.add("pstampJob.req_id", "=", selector.reqID)
        c.add("pstampJob.job_id", "=", selector.jobID)
        c.add("pstampJob.dep_id", "=", selector.depID)
        c.add("pstampDependent.stage_id", "=", selector.stageID)
        c.add("pstampDependent.component", "=", selector.component)
        c.add("pstampDependent.fault", "=", selector.fault)
        c.add("pstampDependent.fault_count", ">=", selector.faultCount)
        c.add(labels: selector.labels, column: "pstampRequest.label")
        guard !c.isEmpty else { throw PStampError(.configError, "search parameters are required") }
        return try writer.immediateTransaction { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT pstampJob.job_id, pstampJob.dep_id FROM pstampDependent
                        JOIN pstampJob ON pstampJob.dep_id = pstampDependent.dep_id
                        JOIN pstampRequest ON pstampRequest.req_id = pstampJob.req_id
                    WHERE pstampJob.state = 'run' AND pstampDependent.state = 'new' AND \(c.sql)
                    """, arguments: c.arguments)
            for row in rows {
                try checkTransition(
                    StateTransitions.dependent, id: row["dep_id"], from: "new", to: dependentState,
                    what: "dependent")
            }
            var stopped = 0
            for row in rows {
                try db.execute(
                    sql: "UPDATE pstampJob SET state = 'stop', fault = ? WHERE job_id = ? AND state = 'run'",
                    arguments: [fault, row["job_id"] as Int64])
                stopped += db.changesCount
            }
            for depID in Set(rows.map { $0["dep_id"] as Int64 }) {
                try db.execute(
                    sql: "UPDATE pstampDependent SET fault = ?, state = ? WHERE dep_id = ? AND state = 'new'",
                    arguments: [fault, dependentState.rawValue, depID])
            }
            return stopped
        }
    }
}
