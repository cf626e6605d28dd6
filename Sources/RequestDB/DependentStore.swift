import GRDB
import PStampCore

/// `pstampDependent`: find-or-create without races, the dependent pending-work query, guarded changes.
public struct DependentStore: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// The most faults a dependent may have and still be reverted (without -clear_fault_count).
    public static let maxRevertFaults = 5

    public func get(depID: Int64) throws -> DependentRecord? {
        try writer.read { db in
            try DependentRecord.fetchOne(
                db, sql: "SELECT \(DependentRecord.columns) FROM pstampDependent WHERE dep_id = ?",
                arguments: [depID])
        }
    }

    /// `-getdependent`: the open dependent for `key`, or a new one. Runs in one IMMEDIATE transaction and
    /// the unique index on open dependents backs it up, so concurrent callers (threads or processes) for
    /// one component always get the same dependent.
    public func getDependent(
        _ key: DependentKey, outdir: String?, rlabel: String? = nil, needMagic: Bool = false,
        hold: Bool = false, noCreate: Bool = false
    ) throws -> GetDependentResult {
        do {
            return try attemptGetDependent(
                key, outdir: outdir, rlabel: rlabel, needMagic: needMagic, hold: hold,
                noCreate: noCreate)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            // Another writer created it between our look and our insert: take theirs.
            return try attemptGetDependent(
                key, outdir: outdir, rlabel: rlabel, needMagic: needMagic, hold: hold,
                noCreate: noCreate)
        }
    }

    private func attemptGetDependent(
        _ key: DependentKey, outdir: String?, rlabel: String?, needMagic: Bool,
        hold: Bool, noCreate: Bool
    ) throws -> GetDependentResult {
        try writer.immediateTransaction { db in
            try Self.getDependent(
                db, key, outdir: outdir, rlabel: rlabel, needMagic: needMagic, hold: hold,
                noCreate: noCreate)
        }
    }

    /// `-getdependent` inside the caller's (IMMEDIATE) transaction: with the write lock held no other
    /// writer can create the same dependent between the look and the insert.
    static func getDependent(
        _ db: Database, _ key: DependentKey, outdir: String?, rlabel: String?,
        needMagic: Bool = false, hold: Bool = false,
        noCreate: Bool = false
    ) throws -> GetDependentResult {
        let open = try Row.fetchOne(
            db,
            sql: """
                SELECT dep_id, state, fault FROM pstampDependent
                WHERE stage = ? AND imagedb = ? AND stage_id = ? AND component = ? AND state IN ('new', 'hold')
                """, arguments: [key.stage, key.imagedb, key.stageID, key.component])
        if let open {
            let depID: Int64 = open["dep_id"]
            let fault = PStampCode(open["fault"] ?? 0)
            if fault.rawValue > 0 { return .faulted(depID: depID, fault: fault) }
            if !hold && (open["state"] as String?) == DependentState.hold.rawValue {
                try StateTransitions.dependent.check(from: .hold, to: .new)
                try db.execute(
                    sql: "UPDATE pstampDependent SET state = 'new' WHERE dep_id = ? AND state = 'hold'",
                    arguments: [depID])
            }
            return .found(depID: depID)
        }
        if noCreate { return .notFound }
        let state: DependentState = hold ? .hold : .new
        try StateTransitions.dependent.checkInitial(state)
        try db.execute(
            sql: """
                INSERT INTO pstampDependent (state, stage, stage_id, component, imagedb, outdir, rlabel, need_magic,
                    fault, fault_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0)
                """,
            arguments: [
                state.rawValue, key.stage, key.stageID, key.component, key.imagedb, nonEmpty(outdir),
                nonEmpty(rlabel), needMagic,
            ])
        return .created(depID: db.lastInsertedRowID)
    }

    /// `-pendingdependent`: dependents `new` (fault 0 unless includeFaulted) with at least one job `run`
    /// in a request `run` with an active label; one row per dependent, highest priority first, then the
    /// first request that needs it. Dependents of held requests are not pending.
    public func pending(_ filter: DependentFilter = DependentFilter()) throws -> [PendingDependent] {
        var c = SQLConditions()
        if !filter.includeFaulted { c.add("pstampDependent.fault = 0") }
        c.add("pstampDependent.stage", "=", filter.stage)
        c.add("pstampDependent.imagedb", "=", filter.imagedb)
        c.add("pstampDependent.stage_id", "=", filter.stageID)
        c.add("pstampDependent.component", "=", filter.component)
        c.add("pstampDependent.dep_id", "=", filter.depID)
        c.add("pstampJob.job_id", "=", filter.jobID)
        c.add("pstampJob.req_id", "=", filter.reqID)
        c.add("pstampDependent.rlabel", "=", filter.rlabel)
        c.add(labels: filter.labels, column: "pstampRequest.label")
        // SQLite takes the bare columns (label, priority) from the row holding MIN(req_id): the first request.
        let sql = """
            SELECT \(DependentRecord.columns), pstampRequest.label AS label,
                MIN(pstampRequest.req_id) AS first_req_id,
                pstampDependent.outdir || '/checkdep.' || pstampDependent.dep_id || '.log' AS logfile,
                \(labelPrioritySQL) AS priority
            FROM pstampDependent
                JOIN pstampJob ON pstampJob.dep_id = pstampDependent.dep_id
                JOIN pstampRequest ON pstampRequest.req_id = pstampJob.req_id
                LEFT JOIN Label ON pstampRequest.label = Label.label
            WHERE pstampDependent.state = 'new' AND pstampJob.state = 'run' AND pstampRequest.state = 'run'
                AND \(labelActiveSQL) AND \(c.sql)
            GROUP BY pstampDependent.dep_id
            ORDER BY priority DESC, first_req_id, pstampDependent.dep_id
            """ + limitSQL(filter.limit)
        return try writer.read { db in
            try PendingDependent.fetchAll(db, sql: sql, arguments: c.arguments)
        }
    }

    /// `-updatedependent`: sets the state (checked) and/or fault (which adds 1 to fault_count) of one
    /// dependent; exactly one row must change.
    public func update(depID: Int64, state: DependentState? = nil, fault: PStampCode? = nil) throws {
        guard state != nil || fault != nil else {
            throw PStampError(.unknownError, "at least one of -set_state or -set_fault is required")
        }
        try writer.immediateTransaction { db in
            let current = try String.fetchOne(db, sql: "SELECT state FROM pstampDependent WHERE dep_id = ?", arguments: [depID])
            guard let current else {
                throw RowCountError("should have affected one row but 0 rows were modified (no dependent \(depID))")
            }
            if let state {
                try checkTransition(StateTransitions.dependent, id: depID, from: current, to: state, what: "dependent")
            }
            var sets: [String] = []
            var args = StatementArguments()
            if let state { sets.append("state = ?"); args += [state.rawValue] }
            if let fault {
                sets.append("fault = ?, fault_count = IFNULL(fault_count, 0) + 1, retry_after = NULL")
                args += [fault]
            }
            args += [depID, current]
            try db.execute(
                sql: "UPDATE pstampDependent SET \(sets.joined(separator: ", ")) WHERE dep_id = ? AND state = ?",
                arguments: args)
            guard db.changesCount == 1 else {
                throw RowCountError("should have affected one row but \(db.changesCount) rows were modified")
            }
        }
    }

    /// Moves one dependent from `from` to `to`. Returns false when it was no longer in `from`.
    @discardableResult
    public func transition(depID: Int64, from: DependentState, to: DependentState) throws -> Bool {
        try StateTransitions.dependent.check(from: from, to: to)
        return try writer.immediateTransaction { db in
            try db.execute(
                sql: "UPDATE pstampDependent SET state = ? WHERE dep_id = ? AND state = ?",
                arguments: [to.rawValue, depID, from.rawValue])
            return db.changesCount == 1
        }
    }

    /// `-revertdependent`: clears the fault of dependents `new` with a job `run` in a request `run`; only
    /// system faults (< 10) unless an explicit fault is given; fewer than 5 faults unless clearFaultCount.
    public func revert(_ selector: DependentRevertSelector) throws -> Int {
        var c = SQLConditions()
        c.add("pstampDependent.fault", "=", selector.fault)
        c.add("pstampDependent.dep_id", "=", selector.depID)
        c.add("pstampJob.job_id", "=", selector.jobID)
        c.add("pstampJob.req_id", "=", selector.reqID)
        c.add(labels: selector.labels, column: "pstampRequest.label")
        guard !c.isEmpty else { throw PStampError(.configError, "search parameters are required") }
        if selector.fault == nil { c.add("pstampDependent.fault < \(PStampCode.firstReportedCode)") }
        if !selector.clearFaultCount {
            c.add("IFNULL(pstampDependent.fault_count, 0) < \(selector.maxFaultCount ?? Self.maxRevertFaults)")
        }
        let countSQL = selector.clearFaultCount ? ", fault_count = 0" : ""
        return try writer.immediateTransaction { db in
            try db.execute(
                sql: """
                    UPDATE pstampDependent SET fault = 0, retry_after = NULL\(countSQL) WHERE dep_id IN (
                        SELECT pstampDependent.dep_id FROM pstampDependent
                            JOIN pstampJob ON pstampJob.dep_id = pstampDependent.dep_id
                            JOIN pstampRequest ON pstampRequest.req_id = pstampJob.req_id
                        WHERE pstampRequest.state = 'run' AND pstampJob.state = 'run' AND pstampDependent.state = 'new'
                            AND pstampDependent.fault > 0 AND \(c.sql))
                    """, arguments: c.arguments)
            return db.changesCount
        }
    }
}
