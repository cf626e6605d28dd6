import Foundation
import PStampCore

/// The image database's `Label` table (the `ps_ud_<label>` update labels' priorities) behind the
/// same `LabelCatalog` protocol as the request database's, so `labeltool -dbname gpc1 …` works on it
/// with either driver.
public struct ImageLabelCatalog: LabelCatalog {
    public let database: any ImageDatabase
    public init(_ database: any ImageDatabase) { self.database = database }

    public func define(_ entry: LabelEntry) throws {
        guard !entry.label.isEmpty else { throw PStampError(.configError, "a label name is required") }
        try database.connection.transaction { db in
            if try db.queryOne("SELECT label FROM Label WHERE label = ?", [.text(entry.label)]) != nil {
                throw PStampError(.unknownError, "label \(entry.label) is already defined")
            }
            try db.execute(
                "INSERT INTO Label (label, priority, active, comment) VALUES (?, ?, ?, ?)",
                [
                    .text(entry.label), .init(entry.priority.map(Int.init)), .init(entry.active.map { $0 ? 1 : 0 }),
                    .init(entry.comment.flatMap { $0.isEmpty ? nil : $0 }),
                ])
        }
    }

    public func update(label: String, _ change: LabelChange) throws -> Int {
        guard !change.isEmpty else { throw PStampError(.unknownError, "at least one -set option is required") }
        var sets: [String] = []
        var args: [SQLValue] = []
        if let p = change.priority { sets.append("priority = ?"); args.append(.init(Int(p))) }
        if let a = change.active { sets.append("active = ?"); args.append(.init(a ? 1 : 0)) }
        if let c = change.comment { sets.append("comment = ?"); args.append(.init(c.isEmpty ? nil : c)) }
        return try database.connection.transaction { db in
            try db.execute("UPDATE Label SET \(sets.joined(separator: ", ")) WHERE label = ?", args + [.text(label)])
        }
    }

    public func delete(label: String) throws -> Int {
        try database.connection.transaction { db in try db.execute("DELETE FROM Label WHERE label = ?", [.text(label)]) }
    }

    public func list(_ query: LabelQuery) throws -> [LabelEntry] {
        var w = WhereClause()
        if let pattern = query.pattern { w.add("label LIKE ?", .text(pattern)) }
        if let active = query.active { w.add(active ? "active <> 0" : "(active = 0 OR active IS NULL)") }
        var sql = "SELECT label, priority, active, comment FROM Label" + w.sql
        switch query.order {
        case .highToLow: sql += " ORDER BY priority DESC, label"
        case .lowToHigh: sql += " ORDER BY priority, label"
        case nil: sql += " ORDER BY label"
        }
        var args = w.arguments
        if let limit = query.limit { sql += " LIMIT ?"; args.append(.init(limit)) }
        return try database.connection.read { db in
            try db.query(sql, args).map { row in
                LabelEntry(
                    label: row.string("label") ?? "", priority: row.int("priority").map { Int32(clamping: $0) },
                    active: row.int("active").map { $0 != 0 }, comment: row.string("comment"))
            }
        }
    }
}

/// Where `-dbname NAME` finds an image database: an SQLite file (`NAME` as a path, or
/// `$PSTAMP_DATA_DIR/NAME.sqlite`) that holds the gpc1 tables, else the MySQL server of the site
/// configuration (DBSERVER/DBSOCKET, DBPORT, DBUSER, DBPASSWORD) with database NAME.
public enum ImageDatabaseLocation {
    /// Opens the image database `dbname` names, or nil when it names none (e.g. the request database).
    public static func open(
        dbname: String, sqlitePath: String, server: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> (any ImageDatabase)? {
        if FileManager.default.fileExists(atPath: sqlitePath) {
            let db = try SQLiteImageDatabase(path: sqlitePath)
            return try db.connection.tableNames().contains("rawExp") ? db : nil
        }
        var config = environment
        if let server { config["DBSERVER"] = server }
        guard config["DBSERVER"]?.isEmpty == false || config["DBSOCKET"]?.isEmpty == false else { return nil }
        var settings = try MySQLSettings(configuration: config)
        settings.database = dbname
        return try MySQLImageDatabase(settings: settings)
    }
}
