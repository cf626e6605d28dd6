import Foundation
import GRDB
import PStampCore

@testable import RequestDB

/// A request database in a fresh temporary directory, removed when the test is done with it.
final class TestDatabase {
    let directory: URL
    let path: String
    let db: RequestDatabase

    init(migrator: SchemaMigrator? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("requestdb.sqlite").path
        db = try RequestDatabase.open(path: path, mode: .createOrMigrate, migrator: migrator)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// A request moved to `state` (run by default), as the parser would leave it.
    func request(label: String? = nil, state: RequestState = .run, name: String? = nil) throws -> Int64 {
        let id = try db.requests.add(NewRequest(uri: "/tmp/req.fits", name: name, label: label))
        if state != .new {
            try db.pool.write {
                try $0.execute(
                    sql: "UPDATE pstampRequest SET state = ? WHERE req_id = ?",
                    arguments: [state.rawValue, id])
            }
        }
        return id
    }

    func job(
        _ reqID: Int64, depID: Int64? = nil, state: JobState = .run, type: JobType = .stamp,
        parentID: Int64? = nil
    ) throws -> Int64 {
        var job = NewJob(reqID: reqID, rownum: "1", jobType: type, outputBase: "/tmp/out/1_1", state: state)
        job.depID = depID
        job.parentID = parentID
        return try db.jobs.add(job)
    }

    func scalar<T: DatabaseValueConvertible>(_ sql: String, _ arguments: StatementArguments = []) throws -> T? {
        try db.pool.read { try T.fetchOne($0, sql: sql, arguments: arguments) }
    }
}

extension DependentKey {
    static let xy31 = DependentKey(stage: .chip, stageID: 77563, component: "XY31", imagedb: "gpc1")
}
