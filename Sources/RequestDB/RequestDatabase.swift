import Foundation
import GRDB

/// The request-server database: one SQLite file in WAL mode, shared by the server, the tools and
/// any number of worker processes. Open it with `open(path:mode:)`; reach the tables through the stores.
public final class RequestDatabase: Sendable {
    /// How `open` treats a missing or older database.
    public enum OpenMode: Sendable {
        /// Create the file if missing and apply every pending migration (`pstamptool -create`, `pstamp serve`).
        case createOrMigrate
        /// The database must exist and be at this binary's version; otherwise a `SchemaError` names the fix.
        case requireCurrent
    }

    /// The connection pool (WAL: many readers, one writer). Stores take it; callers outside the package
    /// reach the tables through the stores, and the package's tests may use it directly.
    package let pool: DatabasePool
    /// The database file.
    public let path: String
    /// The schema version the database is at after opening.
    public let version: Int
    /// The version before opening (differs from `version` when `open` migrated it).
    public let versionBeforeOpen: Int

    private init(pool: DatabasePool, path: String, version: Int, versionBeforeOpen: Int) {
        self.pool = pool
        self.path = path
        self.version = version
        self.versionBeforeOpen = versionBeforeOpen
    }

    /// The connection settings every PStamp process uses: WAL, foreign keys, a generous busy timeout
    /// so concurrent writers wait for each other instead of failing.
    public static func configuration(readonly: Bool = false) -> Configuration {
        var config = Configuration()
        config.readonly = readonly
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(30)
        config.label = "requestdb"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return config
    }

    /// Opens (and with `.createOrMigrate` creates or migrates) the database at `path`.
    /// - Parameter migrator: the migrations to apply; by default those shipped in `Migrations/requestdb`.
    public static func open(
        path: String, mode: OpenMode = .requireCurrent,
        migrator: SchemaMigrator? = nil
    ) throws -> RequestDatabase {
        let migrator = try migrator ?? SchemaMigrator.requestDatabase()
        let url = URL(fileURLWithPath: path)
        let exists = FileManager.default.fileExists(atPath: url.path)
        switch mode {
        case .requireCurrent:
            guard exists else { throw SchemaError.missing(path: path) }
            let pool = try DatabasePool(path: url.path, configuration: configuration())
            let version = try pool.read { db in
                try migrator.checkNotNewer(db, path: path)
                return try SchemaMigrator.currentVersion(db)
            }
            guard version == migrator.latestVersion,
                try pool.read({ db in try migrator.pending(db).isEmpty })
            else {
                throw SchemaError.notMigrated(path: path, version: version, latest: migrator.latestVersion)
            }
            return RequestDatabase(pool: pool, path: path, version: version, versionBeforeOpen: version)
        case .createOrMigrate:
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true)
            let pool = try DatabasePool(path: url.path, configuration: configuration())
            let (from, to) = try migrator.migrate(pool, path: path)
            return RequestDatabase(pool: pool, path: path, version: to, versionBeforeOpen: from)
        }
    }
}

extension RequestDatabase {
    public var requests: RequestStore { RequestStore(pool) }
    public var jobs: JobStore { JobStore(pool) }
    public var dependents: DependentStore { DependentStore(pool) }
    public var labels: LabelStore { LabelStore(pool) }
    public var incomingDataStores: IncomingDataStoreStore { IncomingDataStoreStore(pool) }
    public var projects: ProjectStore { ProjectStore(pool) }
    public var access: AccessStore { AccessStore(pool) }
    public var tokens: UserTokenStore { UserTokenStore(pool) }
    public var identities: RequestIdentityStore { RequestIdentityStore(pool) }
    public var productAccess: ProductAccessStore { ProductAccessStore(pool) }
    public var files: FileStore { FileStore(pool) }
    public var webRequests: WebRequestStore { WebRequestStore(pool) }
    public var outgoingDataStores: OutgoingDataStoreStore { OutgoingDataStoreStore(pool) }
}

extension RequestDatabase {
    /// Throws unless the request table can be read now (the readiness check of `/readyz`).
    public func checkReadable() throws {
        _ = try pool.read { db in try Row.fetchOne(db, sql: "SELECT 1 FROM pstampRequest LIMIT 1") }
    }
}
