import Foundation
import GRDB
import PStampCore

/// How many requests, jobs and dependents are in each state, and the faults standing now: what
/// `/metrics` shows as gauges. Read in one snapshot.
public struct StateCensus: Sendable, Equatable {
    public var requests: [RequestState: Int] = [:]
    public var jobs: [JobState: Int] = [:]
    public var dependents: [DependentState: Int] = [:]
    /// Requests with a fault set, by fault (200: a data store answered HTTP 500).
    public var faultedRequests: [PStampCode: Int] = [:]
    /// Jobs of unfinished requests with a fault set, by fault (1–9 retried; >= 10 the row's answer).
    public var faultedJobs: [PStampCode: Int] = [:]
}

extension RequestDatabase {
    public func census() throws -> StateCensus {
        try pool.read { db in
            func counts<Key: DatabaseValueConvertible & Hashable>(_ sql: String, arguments: StatementArguments = []) throws -> [Key: Int] {
                var out: [Key: Int] = [:]
                for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                    if let key = row[0] as Key? { out[key, default: 0] += row[1] as Int }
                }
                return out
            }
            var census = StateCensus()
            census.requests = try counts("SELECT state, COUNT(*) FROM pstampRequest GROUP BY state")
            census.jobs = try counts("SELECT state, COUNT(*) FROM pstampJob GROUP BY state")
            census.dependents = try counts("SELECT state, COUNT(*) FROM pstampDependent GROUP BY state")
            census.faultedRequests = try counts("SELECT fault, COUNT(*) FROM pstampRequest WHERE COALESCE(fault, 0) != 0 GROUP BY fault")
            census.faultedJobs = try counts(
                """
                SELECT j.fault, COUNT(*) FROM pstampJob j JOIN pstampRequest r ON r.req_id = j.req_id
                WHERE r.state IN (\(WorkloadQueries.unfinished)) AND COALESCE(j.fault, 0) != 0 GROUP BY j.fault
                """)
            return census
        }
    }
}
