import Foundation
import GRDB
import PStampCore
import Testing

@testable import RequestDB

/// The pending-work queries on a large request database (1,000,000 jobs of 100,000 requests, 10,000
/// dependents): each reaches the rows it wants through an index, so the cost of one pass does not grow
/// with the requests already done. The statements are the ones the stores really run (traced), asked
/// again with EXPLAIN QUERY PLAN.
@Suite("Request database query plans at a million jobs", .serialized)
struct QueryPlanTests {
    /// A request database with the history of a busy site: nearly every request finished (`stop`), a
    /// few new, running, held or waiting for cleanup; ten jobs a request; one dependent per 100 jobs.
    static func largeDatabase() throws -> TestDatabase {
        let test = try TestDatabase()
        try test.db.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO Label (label, priority, active) VALUES ('L0', 100, 1), ('L1', 200, 1), ('L2', 300, 0);
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
                    INSERT INTO pstampRequest (req_id, ds_id, state, name, reqType, label, uri, fault)
                    SELECT i, 0,
                        CASE WHEN i % 1000 = 1 THEN 'new' WHEN i % 1000 = 2 THEN 'run' WHEN i % 1000 = 3 THEN 'goto_cleaned'
                             WHEN i % 1000 = 4 THEN 'hold' ELSE 'stop' END,
                        'req' || i, 'pstamp', 'L' || (i % 3), '/tmp/r.fits', 0
                    FROM n;
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
                    INSERT INTO pstampDependent (dep_id, state, stage, stage_id, component, imagedb, fault, fault_count)
                    SELECT i, CASE WHEN i % 100 = 2 THEN 'new' ELSE 'full' END, 'warp', i, 'skycell.' || i, 'gpc1', 0, 0 FROM n;
                    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999)
                    INSERT INTO pstampJob (job_id, req_id, rownum, state, jobType, fault, outputBase, options, dep_id, fault_count)
                    SELECT i + 1, i / 10 + 1, i % 10 + 1,
                        CASE WHEN (i / 10 + 1) % 1000 = 2 THEN 'run' ELSE 'stop' END,
                        'stamp', CASE WHEN i % 5000 = 7 THEN 2 ELSE 0 END, '/tmp/o/' || i,
                        1, CASE WHEN i % 100 = 0 THEN i / 100 + 1 ELSE NULL END, 0
                    FROM n;
                    """)
        }
        return test
    }

    /// The statements `body` runs through stores on a traced connection to the same database.
    static func statements(_ path: String, _ body: (any DatabaseWriter) throws -> Void) throws -> [String] {
        let traced = Traced()
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            db.trace(options: .statement) { event in
                if case .statement(let statement) = event { traced.append(statement.expandedSQL) }
            }
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try body(queue)
        return traced.all.filter { $0.uppercased().hasPrefix("SELECT") || $0.uppercased().hasPrefix("WITH") }
    }

    /// The plan's lines that read a whole table of the pipeline (a SCAN of pstampJob, pstampRequest or
    /// pstampDependent, or of their aliases in the -pendingjob query), which makes a pass cost as much as
    /// the site's history.
    static func fullScans(_ sql: String, in writer: any DatabaseWriter) throws -> [String] {
        let tables = ["pstampJob", "pstampRequest", "pstampDependent", "child", "childRequest"]
        return try writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
        }.filter { detail in
            let words = detail.split(separator: " ")
            return words.count >= 2 && words[0] == "SCAN" && tables.contains(String(words[1]))
        }
    }

    @Test("every pending-work query (requests to parse, finish and clean, jobs, dependents) searches an index")
    func pendingWorkUsesIndexes() throws {
        let test = try Self.largeDatabase()
        let queries: [(String, (any DatabaseWriter) throws -> Void)] = [
            ("-pendingreq", { _ = try RequestStore($0).pending(limit: 20) }),
            ("-completedreq", { _ = try RequestStore($0).completed(limit: 8) }),
            ("-pendingcleanup", { _ = try RequestStore($0).pendingCleanup(limit: 32) }),
            ("-pendingjob", { _ = try JobStore($0).pending(limit: 32 * 256) }),
            ("-pendingdependent", { _ = try DependentStore($0).pending(DependentFilter()) }),
        ]
        // The check sees a whole-table read: a look-up by a column no index holds.
        let unindexed = try Self.fullScans("SELECT job_id FROM pstampJob WHERE outputBase = '/tmp/o/7'", in: test.db.pool)
        #expect(unindexed == ["SCAN pstampJob"])
        for (mode, run) in queries {
            let statements = try Self.statements(test.path, run)
            #expect(!statements.isEmpty, "\(mode) ran no query")
            for sql in statements {
                let scans = try Self.fullScans(sql, in: test.db.pool)
                #expect(scans.isEmpty, "\(mode) reads a whole table: \(scans) in \(sql)")
            }
        }
    }

    @Test("the pending queries find the few runnable rows among a million")
    func pendingWorkFindsTheRows() throws {
        let test = try Self.largeDatabase()
        // One request in 1000 is new; those labelled L2 (inactive) wait.
        let pending = try test.db.requests.pending()
        let expected = (1...100_000).filter { $0 % 1000 == 1 && $0 % 3 != 2 }.map(Int64.init)
        #expect(pending.map(\.request.reqID).sorted() == expected)
        let jobs = try test.db.jobs.pending()
        let runnable = jobs.allSatisfy { $0.job.state == .run && $0.job.fault == .success }
        #expect(!jobs.isEmpty && runnable)
        let running: [Int64] = (1...100_000).filter { $0 % 1000 == 2 && $0 % 3 != 2 }.map(Int64.init)
        let found: [Int64] = Set(jobs.compactMap(\.job.reqID)).sorted()
        #expect(found == running)
    }
}

/// Statements traced on a connection's thread, read by the test afterwards.
final class Traced: @unchecked Sendable {
    private let lock = NSLock()
    private var statements: [String] = []
    func append(_ sql: String) { lock.lock(); statements.append(sql); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return statements }
}
