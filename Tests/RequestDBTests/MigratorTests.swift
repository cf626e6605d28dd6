import Foundation
import GRDB
import PStampCore
import Testing

@testable import RequestDB

@Suite struct MigratorTests {
    static let shipped = try! SchemaMigrator.requestDatabase()
    /// A second migration given as data, as a newer release would ship it.
    static let second = Migration(
        version: next, name: "test_extra",
        sql: """
            ALTER TABLE pstampRequest ADD COLUMN note TEXT DEFAULT 'none';
            CREATE TABLE testExtra (id INTEGER PRIMARY KEY, req_id INTEGER);
            INSERT INTO testExtra (req_id) SELECT req_id FROM pstampRequest;
            """)
    /// The newest shipped version, and the one after it (the test-only migration's).
    static var base: Int { shipped.latestVersion }
    static var next: Int { shipped.latestVersion + 1 }
    static var withSecond: SchemaMigrator { try! SchemaMigrator(migrations: shipped.migrations + [second]) }

    @Test func theSQLShipsInTheBuild() throws {
        let files = try SchemaMigrator.requestDatabase().migrations
        #expect(files.first?.version == 1)
        #expect(files.first?.name == "request_server")
        #expect(files.first?.sql.contains("CREATE TABLE pstampRequest") == true)
    }

    @Test func createBuildsEveryTableInWALAndRecordsTheVersion() throws {
        let t = try TestDatabase()
        #expect(t.db.version == Self.shipped.latestVersion)
        #expect(t.db.versionBeforeOpen == 0)
        let tables = try t.db.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        for table in [
            "pstampRequest", "pstampJob", "pstampDependent", "pstampDataStore", "pstampProject", "pstampFile",
            "pstampUser", "pstampUserDomain", "pstampAccessLevel", "pstampWebRequest", "Label",
            "schema_migrations", "pstampJobClaim",
        ] {
            #expect(tables.contains(table), "missing \(table)")
        }
        let mode: String? = try t.scalar("PRAGMA journal_mode")
        #expect(mode == "wal")
        let recorded: String? = try t.scalar("SELECT name FROM schema_migrations WHERE version = 1")
        #expect(recorded == "request_server")
    }

    @Test func openingAgainChangesNothing() throws {
        let t = try TestDatabase()
        let again = try RequestDatabase.open(path: t.path, mode: .createOrMigrate)
        #expect(again.versionBeforeOpen == again.version)
        let current = try RequestDatabase.open(path: t.path, mode: .requireCurrent)
        #expect(current.version == Self.base)
    }

    @Test func aMissingDatabaseNamesTheCreateCommand() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nope-\(UUID().uuidString).sqlite").path
        #expect(throws: SchemaError.missing(path: path)) { try RequestDatabase.open(path: path) }
        #expect(SchemaError.missing(path: path).description.contains("pstamptool -create -dbname \(path)"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func anUnmigratedDatabaseNamesTheCreateCommand() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("empty.sqlite").path
        try DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE other (x)") }
        do {
            _ = try RequestDatabase.open(path: path)
            Issue.record("an unmigrated database was accepted")
        } catch let error as SchemaError {
            #expect(error == .notMigrated(path: path, version: 0, latest: Self.base))
            #expect(error.description.contains("pstamptool -create"))
        }
    }

    /// A database holding rows written by migration 0001 is upgraded in place; the rows survive.
    @Test func upgradeKeepsRowsWrittenBy0001() throws {
        let t = try TestDatabase()
        let req = try t.request(label: "WEB.UP")
        let job = try t.job(req)
        let dep = try t.db.dependents.getDependent(.xy31, outdir: "/tmp/w").depID!
        try t.db.labels.define(.init(label: "WEB.UP", priority: 200, active: true, comment: nil))

        // The binary with 0001 only now sees an older binary's view: needs migrating with the newer one.
        #expect(throws: SchemaError.notMigrated(path: t.path, version: Self.base, latest: Self.next)) {
            try RequestDatabase.open(path: t.path, mode: .requireCurrent, migrator: Self.withSecond)
        }
        let upgraded = try RequestDatabase.open(path: t.path, mode: .createOrMigrate, migrator: Self.withSecond)
        #expect(upgraded.versionBeforeOpen == Self.base)
        #expect(upgraded.version == Self.next)
        #expect(try upgraded.requests.get(reqID: req)?.label == "WEB.UP")
        #expect(try upgraded.jobs.get(jobID: job)?.reqID == req)
        #expect(try upgraded.dependents.get(depID: dep)?.component == "XY31")
        #expect(try upgraded.labels.list(LabelQuery()).map(\.priority) == [200])
        let note: String? = try upgraded.pool.read { try String.fetchOne($0, sql: "SELECT note FROM pstampRequest") }
        #expect(note == "none")
        let copied: Int? = try upgraded.pool.read { try Int.fetchOne($0, sql: "SELECT req_id FROM testExtra") }
        #expect(copied == Int(req))
        let versions: [Int] = try upgraded.pool.read { try SchemaMigrator.appliedVersions($0) }
        #expect(versions == Self.shipped.migrations.map(\.version) + [Self.next])
        // Pending queries still work on the upgraded schema.
        #expect(try upgraded.jobs.pending().map(\.job.jobID) == [job])
    }

    @Test func aDatabaseNewerThanTheBinaryIsRefusedAndLeftAlone() throws {
        let t = try TestDatabase(migrator: Self.withSecond)
        #expect(t.db.version == Self.next)
        #expect(throws: SchemaError.newerThanBinary(path: t.path, version: Self.next, latest: Self.base)) {
            try RequestDatabase.open(path: t.path, mode: .createOrMigrate)
        }
        #expect(throws: SchemaError.newerThanBinary(path: t.path, version: Self.next, latest: Self.base)) {
            try RequestDatabase.open(path: t.path)
        }
        #expect(
            SchemaError.newerThanBinary(path: t.path, version: Self.next, latest: Self.base).description.contains("newer than this binary"))
        let versions: [Int] = try t.db.pool.read { try SchemaMigrator.appliedVersions($0) }
        #expect(versions == Self.shipped.migrations.map(\.version) + [Self.next])
    }

    /// Each migration runs in its own transaction: a failing one leaves the database at the version before.
    @Test func aFailingMigrationIsRolledBack() throws {
        let t = try TestDatabase()
        let broken = Migration(
            version: Self.next, name: "broken",
            sql: """
                CREATE TABLE halfDone (x INTEGER);
                INSERT INTO noSuchTable VALUES (1);
                """)
        let migrator = try SchemaMigrator(migrations: Self.shipped.migrations + [broken])
        do {
            _ = try RequestDatabase.open(path: t.path, mode: .createOrMigrate, migrator: migrator)
            Issue.record("a broken migration was applied")
        } catch let error as SchemaError {
            guard case .migrationFailed(let version, "broken", _) = error, version == Self.next else { Issue.record("\(error)"); return }
            #expect(error.description.contains(String(format: "%04d_broken", Self.next)))
        }
        let exists: Bool? = try t.scalar("SELECT 1 FROM sqlite_master WHERE name = 'halfDone'")
        #expect(exists == nil)
        let version: Int? = try t.scalar("SELECT MAX(version) FROM schema_migrations")
        #expect(version == Self.base)
    }

    @Test func duplicateVersionsAreRefused() {
        #expect(throws: SchemaError.duplicateVersion(Self.next)) {
            try SchemaMigrator(migrations: [Self.second, Self.second])
        }
    }
}
