import Foundation
import PStampCore
import PStampMigrations

/// The image database of one project (the IPP's "gpc1"), seen by the postage-stamp server: it
/// locates the images a request row asks for, reports a component's state, and drives the update
/// (regeneration) of cleaned components. All behaviour lives in the protocol's extensions and is
/// written once over `SQLConnection`; the two drivers differ only in how they connect.
public protocol ImageDatabase: Sendable {
    var connection: any SQLConnection { get }
    /// Decides whether a sky point lies on a registered component (its footprint).
    var footprintTest: any FootprintTest { get }
}

/// The image database in an SQLite file, through GRDB (fixtures, tests, standalone sites).
public struct SQLiteImageDatabase: ImageDatabase {
    public let sqlite: SQLiteConnection
    public let footprintTest: any FootprintTest
    public var connection: any SQLConnection { sqlite }

    /// Opens the SQLite file at `path` (nil: in memory).
    public init(path: String?, readonly: Bool = false, footprintTest: any FootprintTest = WCSFootprintTest()) throws {
        sqlite = try SQLiteConnection(path: path, readonly: readonly)
        self.footprintTest = footprintTest
    }
}

/// The image database on a MySQL/MariaDB server, through libmariadb (the IPP's real gpc1).
public struct MySQLImageDatabase: ImageDatabase {
    public let mariadb: MariaDBConnection
    public let footprintTest: any FootprintTest
    public var connection: any SQLConnection { mariadb }

    public init(settings: MySQLSettings, footprintTest: any FootprintTest = WCSFootprintTest()) throws {
        mariadb = try MariaDBConnection(settings: settings)
        self.footprintTest = footprintTest
    }
}

extension ImageDatabase {
    /// Creates the gpc1 table subset (Migrations/gpc1/<dialect>) where it is missing, recording each
    /// applied migration in `pstamp_schema_migrations`. On a real IPP database only PStamp's own
    /// tables (the footprints) are added: IPP tables that already exist are left alone.
    public func migrate() throws {
        let migrations = try MigrationFiles.load(connection.dialect.gpc1MigrationFamily)
        guard !migrations.isEmpty else { throw SQLError("no gpc1 migrations found for \(connection.dialect.rawValue)") }
        let tables = try connection.tableNames()
        if !tables.contains("pstamp_schema_migrations") {
            try connection.executeScript("CREATE TABLE pstamp_schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR(255))")
        }
        let applied = Set(
            try connection.read { try $0.query("SELECT version FROM pstamp_schema_migrations") }
                .compactMap { $0.int("version") })
        for m in migrations where !applied.contains(m.version) {
            // On an existing IPP database the IPP's own tables are already there: skip those statements.
            let existing = try connection.tableNames()
            let statements = SQLScript.statements(m.sql).filter { statement in
                guard let table = Self.createdTable(statement) else { return true }
                return !existing.contains(table)
            }.filter { statement in
                // Indexes of skipped tables go with them.
                guard let table = Self.indexedTable(statement) else { return true }
                return !existing.contains(table)
            }
            try connection.executeScript(statements.map { $0 + ";" }.joined(separator: "\n"))
            try connection.transaction {
                try $0.execute("INSERT INTO pstamp_schema_migrations (version, name) VALUES (?, ?)", [.init(m.version), .text(m.name)])
            }
        }
    }

    static func createdTable(_ statement: String) -> String? {
        let words = statement.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "(" })
        guard words.count >= 3, words[0].uppercased() == "CREATE", words[1].uppercased() == "TABLE" else { return nil }
        return String(words[2])
    }

    static func indexedTable(_ statement: String) -> String? {
        let words = statement.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "(" })
        guard words.count >= 5, words[0].uppercased() == "CREATE",
            let on = words.firstIndex(where: { $0.uppercased() == "ON" }), on + 1 < words.count,
            words.contains(where: { $0.uppercased() == "INDEX" })
        else { return nil }
        return String(words[on + 1])
    }

    /// Locates the images for one request row (every REQ_TYPE × IMG_TYPE of the IPP's Job.pm).
    /// Throws a `PStampError` with the row's code when nothing usable is found: 23 no match,
    /// 28 the point is on no component, 26 only gone components, 25 astrometry unavailable,
    /// 21 invalid, 11 not implemented. With a `memo`, what one parse asked before is answered from it.
    public func locate(_ query: ImageQuery, memo: LookupMemo? = nil) throws -> [LocatedImage] {
        try connection.read { connected in
            let db: any SQLExecutor = memo.map { MemoizedExecutor(base: connected, memo: $0) } ?? connected
            var lookup = GPC1Lookup(db: db, footprints: FootprintIndex(db: db, test: footprintTest, memo: memo), query: query)
            return try lookup.run()
        }
    }
}
