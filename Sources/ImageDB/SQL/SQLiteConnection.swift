import Foundation
import GRDB

/// An image database in an SQLite file (fixtures, tests, small standalone sites), through GRDB.
public final class SQLiteConnection: SQLConnection {
    public let dialect = SQLDialect.sqlite
    let queue: DatabaseQueue
    /// The database file, or nil for an in-memory database.
    public let path: String?

    /// Opens (creating if needed) the SQLite file at `path`; `nil` opens a private in-memory database.
    public init(path: String?, readonly: Bool = false) throws {
        var config = Configuration()
        config.readonly = readonly
        config.busyMode = .timeout(10)
        if let path {
            queue = try DatabaseQueue(path: path, configuration: config)
        } else {
            queue = try DatabaseQueue(configuration: config)
        }
        self.path = path
    }

    public func read<T>(_ body: (any SQLExecutor) throws -> T) throws -> T {
        try queue.read { db in try body(GRDBExecutor(db: db)) }
    }

    public func transaction<T>(_ body: (any SQLExecutor) throws -> T) throws -> T {
        try queue.write { db in try body(GRDBExecutor(db: db)) }
    }

    public func executeScript(_ sql: String) throws {
        try queue.writeWithoutTransaction { db in
            for statement in SQLScript.statements(sql) { try db.execute(sql: statement) }
        }
    }

    public func tableNames() throws -> Set<String> {
        try queue.read { db in
            Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
        }
    }

    /// Writes a compact copy of the database to `path` (VACUUM INTO), for the committed fixture.
    public func vacuum(into path: String) throws {
        try queue.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
    }
}

/// Runs statements on one GRDB `Database` inside the queue's read or write block.
struct GRDBExecutor: SQLExecutor {
    let db: Database

    func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments.map(\.databaseValue)))
        return rows.map { row in
            var columns: [String: SQLValue] = [:]
            for (name, value) in row { columns[name] = SQLValue(value) }
            return SQLRow(columns)
        }
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
        try db.execute(sql: sql, arguments: StatementArguments(arguments.map(\.databaseValue)))
        return db.changesCount
    }
}

extension SQLValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .int(let v): return v.databaseValue
        case .double(let v): return v.databaseValue
        case .text(let s): return s.databaseValue
        }
    }

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let v): self = .int(v)
        case .double(let v): self = .double(v)
        case .string(let s): self = .text(s)
        case .blob(let d): self = .text(String(decoding: d, as: UTF8.self))
        }
    }
}
