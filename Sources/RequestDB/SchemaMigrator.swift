import Foundation
import GRDB
import PStampMigrations

/// One versioned schema change: `Migrations/<family>/NNNN_<name>.sql`.
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

/// Why a database cannot be used as it is.
public enum SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No database file at the path.
    case missing(path: String)
    /// The database is behind the binary; it must be migrated first.
    case notMigrated(path: String, version: Int, latest: Int)
    /// The database was migrated by a newer binary: this one refuses to touch it.
    case newerThanBinary(path: String, version: Int, latest: Int)
    /// A migration failed; its transaction was rolled back, so the database stays at the previous version.
    case migrationFailed(version: Int, name: String, message: String)
    /// Two migration files carry the same version number.
    case duplicateVersion(Int)

    public var description: String {
        switch self {
        case .missing(let path):
            return "no request database at \(path): create it with `pstamptool -create -dbname \(path)`"
        case .notMigrated(let path, let version, let latest):
            return "the request database at \(path) is at schema version \(version) but this binary needs "
                + "version \(latest): migrate it with `pstamptool -create -dbname \(path)`"
        case .newerThanBinary(let path, let version, let latest):
            return "the request database at \(path) is at schema version \(version), newer than this binary "
                + "(which knows versions up to \(latest)): use a newer PStamp; the database was not changed"
        case .migrationFailed(let version, let name, let message):
            return "migration \(String(format: "%04d", version))_\(name) failed and was rolled back: \(message)"
        case .duplicateVersion(let version):
            return "two migrations carry version \(version)"
        }
    }
}

/// Applies versioned SQL migrations in order and records each in `schema_migrations`.
/// Generic: any number of migrations, any family; each runs in its own transaction.
public struct SchemaMigrator: Sendable {
    public let migrations: [Migration]

    /// - Throws: `SchemaError.duplicateVersion` if two migrations share a version.
    public init(migrations: [Migration]) throws {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.version == b.version {
            throw SchemaError.duplicateVersion(a.version)
        }
        self.migrations = sorted
    }

    /// The request-database migrations shipped in the build (`Migrations/requestdb`).
    public static func requestDatabase() throws -> SchemaMigrator {
        try SchemaMigrator(
            migrations: MigrationFiles.load("requestdb").map {
                Migration(version: $0.version, name: $0.name, sql: $0.sql)
            })
    }

    /// The version this binary brings a database to.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    static let createTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
        )
        """

    /// The versions recorded in the database (empty for a new or foreign database).
    public static func appliedVersions(_ db: Database) throws -> [Int] {
        guard try db.tableExists("schema_migrations") else { return [] }
        return try Int.fetchAll(db, sql: "SELECT version FROM schema_migrations ORDER BY version")
    }

    /// The database's schema version: the highest migration applied, 0 if none.
    public static func currentVersion(_ db: Database) throws -> Int {
        try appliedVersions(db).last ?? 0
    }

    /// Refuses a database that holds a version this binary does not know.
    func checkNotNewer(_ db: Database, path: String) throws {
        let known = Set(migrations.map(\.version))
        let applied = try Self.appliedVersions(db)
        if let newest = applied.last, applied.contains(where: { !known.contains($0) }) {
            throw SchemaError.newerThanBinary(path: path, version: newest, latest: latestVersion)
        }
    }

    /// The migrations not yet applied to the database.
    public func pending(_ db: Database) throws -> [Migration] {
        let applied = Set(try Self.appliedVersions(db))
        return migrations.filter { !applied.contains($0.version) }
    }

    /// Brings the database up to `latestVersion`, one transaction per migration.
    /// - Returns: the version before and after.
    @discardableResult
    public func migrate(_ writer: some DatabaseWriter, path: String) throws -> (from: Int, to: Int) {
        let from = try writer.read { db in
            try checkNotNewer(db, path: path)
            return try Self.currentVersion(db)
        }
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: Self.createTable)
        }
        for migration in migrations {
            try writer.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    // Checked again under the write lock: another process may have applied it meanwhile.
                    try checkNotNewer(db, path: path)
                    let done =
                        try Bool.fetchOne(
                            db, sql: "SELECT 1 FROM schema_migrations WHERE version = ?",
                            arguments: [migration.version]) ?? false
                    if done { return .commit }
                    do {
                        try db.execute(sql: migration.sql)
                    } catch let error as DatabaseError {
                        throw SchemaError.migrationFailed(
                            version: migration.version, name: migration.name,
                            message: error.message ?? "\(error)")
                    }
                    try db.execute(
                        sql: "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                        arguments: [migration.version, migration.name])
                    return .commit
                }
            }
        }
        let to = try writer.read { db in try Self.currentVersion(db) }
        return (from, to)
    }
}
