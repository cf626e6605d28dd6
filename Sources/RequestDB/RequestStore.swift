import GRDB
import PStampCore

/// `pstampRequest`: adding requests, the request pending-work queries, and guarded state changes.
public struct RequestStore: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// Inserts a request in state `new`, fault 0, registered = timestamp = now, with its identity;
    /// returns its req_id. A name already taken is refused with `RequestDBError.duplicateName`.
    public func add(_ new: NewRequest) throws -> Int64 {
        try writer.immediateTransaction { db in try Self.insert(db, new) }
    }

    /// The one request insert (`add`, and the poller's fileset in its own transaction).
    static func insert(_ db: Database, _ new: NewRequest) throws -> Int64 {
        try RequestDBError.naming(new.name) {
            try db.execute(
                sql: """
                    INSERT INTO pstampRequest (ds_id, state, name, reqType, label, outProduct, uri, outdir,
                        username, proj_id, registered, timestamp, fault)
                    VALUES (?, ?, ?, NULL, ?, NULL, ?, NULL, ?, ?, datetime('now'), datetime('now'), ?)
                    """,
                arguments: [
                    new.dsID ?? 0, RequestState.new, nonEmpty(new.name), nonEmpty(new.label),
                    nonEmpty(new.uri), nonEmpty(new.username), new.projID ?? 0, PStampCode.success.rawValue,
                ])
        }
        let reqID = db.lastInsertedRowID
        try RequestIdentityStore.record(new.identity, reqID: reqID, db)
        return reqID
    }

    public func get(reqID: Int64) throws -> RequestRecord? {
        try writer.read { db in try Self.get(db, reqID: reqID) }
    }

    /// One request, inside the caller's transaction.
    static func get(_ db: Database, reqID: Int64) throws -> RequestRecord? {
        try RequestRecord.fetchOne(
            db, sql: "SELECT \(RequestRecord.columns) FROM pstampRequest WHERE req_id = ?", arguments: [reqID])
    }

    /// The requests in `states` that have a fault, by req_id: what the request reverter asks each time a
    /// request changes, a range of the (state, fault) index.
    public func faulted(in states: [RequestState]) throws -> [RequestRecord] {
        let marks = states.map { _ in "?" }.joined(separator: ", ")
        return try writer.read { db in
            try RequestRecord.fetchAll(
                db,
                sql: """
                    SELECT \(RequestRecord.columns) FROM pstampRequest
                    WHERE pstampRequest.state IN (\(marks)) AND pstampRequest.fault > 0 ORDER BY req_id
                    """, arguments: StatementArguments(states))
        }
    }

    /// `-listreq`: plain listing by selectors (at least one is required).
    public func list(_ filter: RequestListFilter) throws -> [RequestRecord] {
        var c = SQLConditions()
        c.add("req_id", "=", filter.reqID)
        c.add("req_id", "!=", filter.notReqID)
        c.add("name", "LIKE", filter.name)
        c.add("username", "=", filter.username)
        c.add("state", "=", filter.state)
        c.add("label", "LIKE", filter.label)
        guard !c.isEmpty else { throw PStampError(.configError, "search parameters are required") }
        return try writer.read { db in
            try RequestRecord.fetchAll(
                db,
                sql: "SELECT \(RequestRecord.columns) FROM pstampRequest WHERE \(c.sql)"
                    + " ORDER BY req_id" + limitSQL(filter.limit), arguments: c.arguments)
        }
    }

    /// `-pendingreq`: requests `new` with fault 0 and an active label, highest priority first.
    /// A held request is not pending.
    public func pending(reqID: Int64? = nil, labels: LabelFilter = .any, limit: Int? = nil) throws -> [PendingRequest] {
        var c = SQLConditions()
        c.add("pstampRequest.req_id", "=", reqID)
        c.add(labels: labels, column: "pstampRequest.label")
        let sql = """
            SELECT \(RequestRecord.columns), pstampDataStore.outProduct AS ds_outProduct,
                IFNULL(pstampDataStore.need_magic, 1) AS need_magic, \(labelPrioritySQL) AS priority
            FROM pstampRequest
                LEFT JOIN pstampDataStore ON pstampDataStore.ds_id = pstampRequest.ds_id
                LEFT JOIN Label ON pstampRequest.label = Label.label
            WHERE pstampRequest.state = 'new' AND pstampRequest.fault = 0 AND \(labelActiveSQL) AND \(c.sql)
            ORDER BY priority DESC, pstampRequest.req_id
            """ + limitSQL(limit)
        return try writer.read { db in try PendingRequest.fetchAll(db, sql: sql, arguments: c.arguments) }
    }

    /// `-completedreq`: requests `run` with fault 0 whose jobs are all `stop` or `cancel`: ready to finish.
    /// QUIRK fixed: the IPP defaulted a missing label's priority to 0 here (10000 elsewhere) and ignored
    /// Label.active; here a missing label is active with priority 10000 as in every other query.
    public func completed(labels: LabelFilter = .any, limit: Int? = nil) throws -> [PendingRequest] {
        var c = SQLConditions()
        c.add(labels: labels, column: "pstampRequest.label")
        let sql = """
            SELECT \(RequestRecord.columns), \(labelPrioritySQL) AS priority
            FROM pstampRequest LEFT JOIN Label ON pstampRequest.label = Label.label
            WHERE pstampRequest.state = 'run' AND pstampRequest.fault = 0 AND \(labelActiveSQL)
                AND NOT EXISTS (SELECT 1 FROM pstampJob WHERE pstampJob.req_id = pstampRequest.req_id
                                AND pstampJob.state NOT IN ('stop', 'cancel'))
                AND \(c.sql)
            ORDER BY priority DESC, pstampRequest.req_id
            """ + limitSQL(limit)
        return try prioritized(sql, c.arguments)
    }

    /// `-pendingcleanup`: requests `goto_cleaned` with fault 0 and an active label.
    public func pendingCleanup(
        reqID: Int64? = nil, dsID: Int64? = nil, labels: LabelFilter = .any,
        limit: Int? = nil
    ) throws -> [PendingRequest] {
        var c = SQLConditions()
        c.add("pstampRequest.req_id", "=", reqID)
        c.add("pstampRequest.ds_id", "=", dsID)
        c.add(labels: labels, column: "pstampRequest.label")
        let sql = """
            SELECT \(RequestRecord.columns), \(labelPrioritySQL) AS priority
            FROM pstampRequest LEFT JOIN Label ON pstampRequest.label = Label.label
            WHERE pstampRequest.state = 'goto_cleaned' AND pstampRequest.fault = 0 AND \(labelActiveSQL)
                AND \(c.sql)
            ORDER BY priority DESC, pstampRequest.req_id
            """ + limitSQL(limit)
        return try prioritized(sql, c.arguments)
    }

    private func prioritized(_ sql: String, _ arguments: StatementArguments) throws -> [PendingRequest] {
        try writer.read { db in try PendingRequest.fetchAll(db, sql: sql, arguments: arguments) }
    }

    /// `-updatereq`: changes every request matching the selectors, in one transaction. A state change is
    /// checked against the transition table for every matched row; one illegal change refuses the whole
    /// update. `-set_state goto_cleaned` skips rows already `cleaned`/`goto_cleaned` (as the IPP).
    /// Always sets timestamp to now. Setting `run` on a `parsed` (PREVIEW) request promotes it: its
    /// `parsed` jobs go to `run` in the same transaction (the IPP had no way on from a preview).
    /// Returns the number of requests changed.
    public func update(_ selector: RequestSelector, _ change: RequestChange) throws -> Int {
        let c = selector.conditions
        guard !c.isEmpty else { throw PStampError(.configError, "search parameters are required") }
        guard !change.isEmpty else { throw PStampError(.unknownError, "at least one set option is required") }
        if change.clearFault && change.fault != nil {
            throw PStampError(.configError, "only one of -set_fault and -clearfault is allowed")
        }
        return try writer.immediateTransaction { db in try Self.update(db, c, change) }
    }

    /// `-updatereq` inside the caller's transaction, on the rows matching `c`.
    static func update(_ db: Database, _ c: SQLConditions, _ change: RequestChange) throws -> Int {
        var c = c
        if let target = change.state {
            if target == .gotoCleaned { c.add("state NOT IN ('cleaned', 'goto_cleaned')") }
            let rows = try Row.fetchAll(
                db, sql: "SELECT req_id, state FROM pstampRequest WHERE \(c.sql)",
                arguments: c.arguments)
            for row in rows {
                try checkTransition(
                    StateTransitions.request, id: row["req_id"], from: row["state"], to: target,
                    what: "request")
            }
            let sources = StateTransitions.request.sources(to: target).map { "'\($0.rawValue)'" }
            c.add("state IN (\(sources.joined(separator: ", ")))")
        }
        var sets = ["timestamp = datetime('now')"]
        var args = StatementArguments()
        func set(_ column: String, _ value: (any DatabaseValueConvertible)?) {
            guard let value else { return }
            sets.append("\(column) = ?")
            args += [value]
        }
        set("state", change.state)
        set("label", change.label)
        set("outProduct", change.outProduct)
        set("outdir", change.outdir)
        set("username", change.username)
        set("fault", change.clearFault ? PStampCode.success : change.fault)
        // Every fault counts (as the jobs' fault_count does): the reverter gives up past its limit.
        // A new fault, or none, is scheduled afresh by the reverter.
        if change.clearFault || change.fault != nil { sets.append("retry_after = NULL") }
        if !change.clearFault, let fault = change.fault, fault != .success { sets.append("fault_count = fault_count + 1") }
        set("uri", change.uri)
        set("name", change.name)
        set("reqType", change.reqType)
        // Promotion of a PREVIEW: a `parsed` request set to `run` takes its parsed jobs with it.
        let promoted =
            change.state == .run
            ? try Int64.fetchAll(
                db, sql: "SELECT req_id FROM pstampRequest WHERE \(c.sql) AND state = 'parsed'",
                arguments: c.arguments)
            : []
        args += c.arguments
        try RequestDBError.naming(change.name) {
            try db.execute(sql: "UPDATE pstampRequest SET \(sets.joined(separator: ", ")) WHERE \(c.sql)", arguments: args)
        }
        let changed = db.changesCount
        for reqID in promoted {
            try db.execute(
                sql: "UPDATE pstampJob SET state = 'run' WHERE req_id = ? AND state = 'parsed'",
                arguments: [reqID])
        }
        return changed
    }

    /// Moves one request from `from` to `to` (checked against the transition table), optionally setting
    /// columns at the same time. Returns false when the request is no longer in `from` (someone else moved it).
    @discardableResult
    public func transition(
        reqID: Int64, from: RequestState, to: RequestState,
        setting change: RequestChange = RequestChange()
    ) throws -> Bool {
        try StateTransitions.request.check(from: from, to: to)
        var change = change
        change.state = to
        var selector = RequestSelector()
        selector.reqID = reqID
        selector.state = from
        return try update(selector, change) == 1
    }

    /// Sets (and counts) the fault of one request in `state`, leaving its state as it is (the reverter
    /// clears a fault below 10). Returns false when the request was no longer in `state`.
    @discardableResult
    public func setFault(reqID: Int64, in state: RequestState, _ fault: PStampCode) throws -> Bool {
        var selector = RequestSelector()
        selector.reqID = reqID
        selector.state = state
        return try update(selector, RequestChange(fault: fault)) == 1
    }

    /// Marks (or clears) that one request's results could not be written where it asked, so its finish,
    /// resumed after a crash, still ends it with 21.
    public func setResultsRefused(reqID: Int64, _ refused: Bool) throws {
        try writer.immediateTransaction { db in
            try db.execute(
                sql: "UPDATE pstampRequest SET results_refused = ? WHERE req_id = ?", arguments: [refused, reqID])
        }
    }

    /// Gives one request a new name (REQ_NAME, the name of its results fileset). A name another request
    /// has is refused with `RequestDBError.duplicateName`. Returns false when there is no such request.
    @discardableResult
    public func rename(reqID: Int64, to name: String) throws -> Bool {
        var selector = RequestSelector()
        selector.reqID = reqID
        var change = RequestChange()
        change.name = name
        return try update(selector, change) == 1
    }

    /// `-revertreq`: deletes the jobs of `new` requests with a fault (a half-finished parse), then clears
    /// the fault of matching requests not in `stop`. Returns (jobs deleted, requests reverted).
    public func revert(_ selector: RequestRevertSelector) throws -> (deletedJobs: Int, reverted: Int) {
        var c = SQLConditions()
        c.add("pstampRequest.req_id", "=", selector.reqID)
        c.add("pstampRequest.fault", "=", selector.fault)
        c.add("pstampRequest.state", "=", selector.state)
        c.add(labels: selector.labels, column: "pstampRequest.label")
        guard !c.isEmpty else { throw PStampError(.configError, "search parameters are required") }
        return try writer.immediateTransaction { db in
            try db.execute(
                sql: """
                    DELETE FROM pstampJob WHERE req_id IN (SELECT req_id FROM pstampRequest
                        WHERE pstampRequest.state = 'new' AND pstampRequest.fault > 0 AND \(c.sql))
                    """, arguments: c.arguments)
            let deleted = db.changesCount
            try db.execute(
                sql: "UPDATE pstampRequest SET fault = 0, retry_after = NULL WHERE pstampRequest.state != 'stop' AND \(c.sql)",
                arguments: c.arguments)
            return (deleted, db.changesCount)
        }
    }
}

/// Refuses a state change the table does not allow, naming the row and both states.
func checkTransition<S: PStampState>(_ table: TransitionTable<S>, id: Int64, from: String?, to: S, what: String) throws {
    guard let text = from, let state = S(rawValue: text) else {
        throw PStampError(.dataError, "\(what) \(id) is in state '\(from ?? "NULL")', which has no transition to '\(to)'")
    }
    do {
        try table.check(from: state, to: to)
    } catch {
        throw PStampError(error.code, "\(what) \(id): \(error.message)")
    }
}

/// `-listreq` selectors.
public struct RequestListFilter: Sendable, Hashable {
    public var reqID: Int64?
    public var notReqID: Int64?
    public var name: String?
    public var username: String?
    public var state: RequestState?
    public var label: String?
    public var limit: Int?
    public init() {}
}

/// `-updatereq` selectors (ANDed; labels ORed among themselves).
public struct RequestSelector: Sendable, Hashable {
    public var reqID: Int64?
    public var reqIDMax: Int64?
    public var fault: PStampCode?
    public var state: RequestState?
    public var reqType: RequestFileType?
    public var name: String?
    public var username: String?
    public var labels = LabelFilter.any
    public var timestampBegin: MetadataTime?
    public var timestampEnd: MetadataTime?
    public init() {}

    var conditions: SQLConditions {
        var c = SQLConditions()
        c.add("req_id", "=", reqID)
        c.add("req_id", "<=", reqIDMax)
        c.add("fault", "=", fault)
        c.add("state", "=", state)
        c.add("reqType", "=", reqType)
        c.add("name", "LIKE", name)
        c.add("username", "=", username)
        c.add("timestamp", ">=", timestampBegin)
        c.add("timestamp", "<=", timestampEnd)
        c.add(labels: labels, column: "label")
        return c
    }
}

/// `-updatereq` setters.
public struct RequestChange: Sendable, Hashable {
    public var state: RequestState?
    public var label: String?
    public var outProduct: String?
    public var outdir: String?
    public var fault: PStampCode?
    public var clearFault = false
    public var uri: String?
    public var name: String?
    public var username: String?
    public var reqType: RequestFileType?
    public init(state: RequestState? = nil, fault: PStampCode? = nil) {
        self.state = state
        self.fault = fault
    }

    public var isEmpty: Bool {
        state == nil && label == nil && outProduct == nil && outdir == nil && fault == nil && !clearFault
            && uri == nil && name == nil && username == nil && reqType == nil
    }
}

/// `-revertreq` selectors (at least one required).
public struct RequestRevertSelector: Sendable, Hashable {
    public var reqID: Int64?
    public var fault: PStampCode?
    public var state: RequestState?
    public var labels = LabelFilter.any
    public init() {}
}
