import Foundation
import GRDB
import PStampCore

extension RequestDatabase {
    /// The workload as it stands, read in one snapshot (see `WorkloadSummary`). `now` is the end of the
    /// 24 hours that `finished` and `history` cover.
    public func workload(now: Date = Date()) throws -> WorkloadSummary {
        try pool.read { db in try WorkloadQueries(db: db, now: now).summary() }
    }
}

/// The SQL behind `WorkloadSummary`, one query per part.
struct WorkloadQueries {
    let db: Database
    let now: Date

    static let unfinished = WorkloadSummary.unfinishedStates.map { "'\($0.rawValue)'" }.joined(separator: ", ")
    static let finished = WorkloadSummary.finishedStates.map { "'\($0.rawValue)'" }.joined(separator: ", ")
    static let doneJobs = [JobState.stop, .cancel].map { "'\($0.rawValue)'" }.joined(separator: ", ")

    var dayAgo: Date { now.addingTimeInterval(-86_400) }

    func summary() throws -> WorkloadSummary {
        let running = try requestLines(where: "r.state IN (\(Self.unfinished))", order: "r.req_id")
        let finished = try requestLines(
            where: "r.state = '\(RequestState.stop.rawValue)' AND r.timestamp >= ?", arguments: [dayAgo],
            order: "r.timestamp DESC, r.req_id DESC")
        return WorkloadSummary(
            taken: now, requests: Self.stateCounts(running), running: running, labels: try labels(),
            pendingJobs: try pendingJobs(), runningJobs: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pstampJobClaim") ?? 0,
            faultedJobs: try faultedJobs(), waitingDependents: try waitingDependents(), finished: finished,
            dataStores: try dataStores(), history: try history())
    }

    /// Requests with their job counts, one row each.
    func requestLines(where condition: String, arguments: StatementArguments = [], order: String) throws -> [WorkloadSummary.RequestLine] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT r.req_id, r.name, r.state, r.label, r.reqType, r.fault, r.registered, r.timestamp,
                    COUNT(DISTINCT j.rownum) AS rows, COUNT(j.job_id) AS jobs,
                    COALESCE(SUM(j.state IN (\(Self.doneJobs))), 0) AS done,
                    COALESCE(SUM(j.state = '\(JobState.run.rawValue)' AND COALESCE(j.fault, 0) = 0), 0) AS pending,
                    COALESCE(SUM(COALESCE(j.fault, 0) != 0), 0) AS faulted,
                    (SELECT COUNT(DISTINCT d.dep_id) FROM pstampJob dj JOIN pstampDependent d ON d.dep_id = dj.dep_id
                        WHERE dj.req_id = r.req_id AND d.state = '\(DependentState.full.rawValue)') AS updates
                FROM pstampRequest r LEFT JOIN pstampJob j ON j.req_id = r.req_id
                WHERE \(condition)
                GROUP BY r.req_id ORDER BY \(order)
                """, arguments: arguments)
        return try rows.map { row in
            WorkloadSummary.RequestLine(
                reqID: row["req_id"], name: row["name"] ?? "", state: try RequestState.parse(row["state"] ?? ""),
                label: row["label"], reqType: row["reqType"], fault: PStampCode(row["fault"] ?? 0), rows: row["rows"], jobs: row["jobs"],
                doneJobs: row["done"], pendingJobs: row["pending"], faultedJobs: row["faulted"], imageUpdates: row["updates"],
                registered: row["registered"], changed: row["timestamp"])
        }
    }

    static func stateCounts(_ lines: [WorkloadSummary.RequestLine]) -> [WorkloadSummary.StateCount] {
        WorkloadSummary.unfinishedStates.map { state in
            let these = lines.filter { $0.state == state }
            return WorkloadSummary.StateCount(
                state: state, requests: these.count, rows: these.reduce(0) { $0 + $1.rows }, jobs: these.reduce(0) { $0 + $1.jobs })
        }
    }

    func labels() throws -> [WorkloadSummary.LabelLoad] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT COALESCE(r.label, '') AS label, COALESCE(l.priority, 10000) AS priority, COALESCE(l.active, 1) AS active,
                    COUNT(DISTINCT r.req_id) AS requests,
                    COUNT(j.job_id) FILTER (WHERE j.state = '\(JobState.run.rawValue)' AND r.state = '\(RequestState.run.rawValue)') AS jobs
                FROM pstampRequest r LEFT JOIN Label l ON l.label = r.label LEFT JOIN pstampJob j ON j.req_id = r.req_id
                WHERE r.state IN (\(Self.unfinished))
                GROUP BY COALESCE(r.label, '') ORDER BY priority DESC, label
                """
        ).map { row in
            WorkloadSummary.LabelLoad(
                label: row["label"], priority: row["priority"], active: row["active"], requests: row["requests"],
                unfinishedJobs: row["jobs"])
        }
    }

    func pendingJobs() throws -> Int {
        try Int.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM pstampJob j JOIN pstampRequest r ON r.req_id = j.req_id
                WHERE r.state = ? AND COALESCE(r.fault, 0) = 0 AND j.state = ? AND COALESCE(j.fault, 0) = 0
                    AND NOT EXISTS (SELECT 1 FROM pstampJobClaim c WHERE c.job_id = j.job_id)
                """, arguments: [RequestState.run, JobState.run]) ?? 0
    }

    func faultedJobs() throws -> [WorkloadSummary.FaultCount] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT j.fault AS fault, COUNT(*) AS jobs FROM pstampJob j JOIN pstampRequest r ON r.req_id = j.req_id
                WHERE r.state IN (\(Self.unfinished)) AND COALESCE(j.fault, 0) != 0
                GROUP BY j.fault ORDER BY j.fault
                """
        ).map { WorkloadSummary.FaultCount(fault: PStampCode($0["fault"] ?? 0), jobs: $0["jobs"]) }
    }

    func waitingDependents() throws -> [WorkloadSummary.WaitingDependent] {
        let open = DependentState.open.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try Row.fetchAll(
            db,
            sql: """
                SELECT d.*, COUNT(j.job_id) AS jobs, MIN(r.registered) AS since
                FROM pstampDependent d LEFT JOIN pstampJob j ON j.dep_id = d.dep_id LEFT JOIN pstampRequest r ON r.req_id = j.req_id
                WHERE d.state IN (\(open))
                GROUP BY d.dep_id ORDER BY since, d.dep_id
                """
        ).map { row in
            let since: Date? = row["since"]
            return WorkloadSummary.WaitingDependent(
                dependent: try DependentSummary(row: row), jobs: row["jobs"],
                ageSeconds: since.flatMap { Int(exactly: max(0, now.timeIntervalSince($0)).rounded(.down)) } ?? 0)
        }
    }

    func dataStores() throws -> [WorkloadSummary.IncomingStore] {
        let faulted = try requestLines(
            where: "r.ds_id > 0 AND COALESCE(r.fault, 0) != 0 AND (r.state IN (\(Self.unfinished)) OR r.timestamp >= ?)",
            arguments: [dayAgo], order: "r.req_id")
        return try Row.fetchAll(
            db, sql: "SELECT ds_id, uri, state, label, timestamp, lastFileset, pollInterval FROM pstampDataStore ORDER BY ds_id"
        ).map { row in
            let dsID: Int64 = row["ds_id"]
            let mine = try Set(Int64.fetchAll(db, sql: "SELECT req_id FROM pstampRequest WHERE ds_id = ?", arguments: [dsID]))
            return WorkloadSummary.IncomingStore(
                dsID: dsID, uri: row["uri"], state: (row["state"] as String?).flatMap(DataStoreState.init(rawValue:)),
                label: row["label"], lastPoll: row["timestamp"], lastFileset: row["lastFileset"], pollInterval: row["pollInterval"],
                faultedRequests: faulted.filter { mine.contains($0.reqID) })
        }
    }

    /// Hourly buckets over the last day: requests finished (and their jobs), and the queue at each hour's end.
    func history() throws -> [WorkloadSummary.HourOfWork] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT r.registered, r.state, r.timestamp, (SELECT COUNT(*) FROM pstampJob j WHERE j.req_id = r.req_id) AS jobs
                FROM pstampRequest r
                WHERE r.state IN (\(Self.unfinished)) OR r.timestamp >= ?
                """, arguments: [dayAgo])
        let requests: [(registered: Date?, finished: Date?, jobs: Int)] = rows.map { row in
            let state = (row["state"] as String?).flatMap(RequestState.init(rawValue:))
            let done = state.map { WorkloadSummary.finishedStates.contains($0) } ?? false
            return (row["registered"], done ? row["timestamp"] : nil, row["jobs"])
        }
        let hour = 3600.0
        let end = (now.timeIntervalSince1970 / hour).rounded(.up) * hour
        return (0..<24).map { i in
            let start = Date(timeIntervalSince1970: end - Double(24 - i) * hour)
            let stop = start.addingTimeInterval(hour)
            let finishedHere = requests.filter { $0.finished.map { $0 >= start && $0 < stop } ?? false }
            let queue = requests.filter { r in
                (r.registered.map { $0 < stop } ?? true) && (r.finished.map { $0 >= stop } ?? true)
            }.count
            return WorkloadSummary.HourOfWork(
                start: start, finishedRequests: finishedHere.count, finishedJobs: finishedHere.reduce(0) { $0 + $1.jobs }, queue: queue)
        }
    }
}
