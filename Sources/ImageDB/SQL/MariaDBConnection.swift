import CMariaDB
import Foundation

/// An image database on a MySQL or MariaDB server (the IPP's own gpc1), through MariaDB
/// Connector/C. Every statement is a server-side prepared statement with bound parameters.
/// One connection serves one caller at a time (a lock serialises use of the client handle).
public final class MariaDBConnection: SQLConnection, @unchecked Sendable {
    public let dialect = SQLDialect.mysql
    public let settings: MySQLSettings
    private let handle: UnsafeMutablePointer<MYSQL>
    private let lock = NSRecursiveLock()

    private static let libraryReady: Bool = { mysql_server_init(0, nil, nil) == 0 }()

    public init(settings: MySQLSettings) throws {
        guard Self.libraryReady, let handle = mysql_init(nil) else {
            throw SQLError("cannot initialise the MariaDB client library")
        }
        self.handle = handle
        self.settings = settings
        _ = mysql_options(handle, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        let connected = mysql_real_connect(
            handle, settings.server, settings.user, settings.password,
            settings.database, UInt32(settings.port), settings.socket,
            UInt(CLIENT_FOUND_ROWS))  // affected rows = matched rows, as SQLite counts
        if connected == nil {
            let message = String(cString: mysql_error(handle))
            // The handle is closed by deinit, which runs when an initialiser throws.
            let place = settings.socket ?? "\(settings.server ?? "localhost"):\(settings.port)"
            throw SQLError("cannot connect to MySQL at \(place) database \(settings.database ?? "(none)"): \(message)")
        }
    }

    deinit { mysql_close(handle) }

    public func read<T>(_ body: (any SQLExecutor) throws -> T) throws -> T {
        lock.lock(); defer { lock.unlock() }
        return try body(MariaDBExecutor(handle: handle))
    }

    public func transaction<T>(_ body: (any SQLExecutor) throws -> T) throws -> T {
        lock.lock(); defer { lock.unlock() }
        try plain("START TRANSACTION")
        do {
            let result = try body(MariaDBExecutor(handle: handle))
            try plain("COMMIT")
            return result
        } catch {
            try? plain("ROLLBACK")
            throw error
        }
    }

    public func executeScript(_ sql: String) throws {
        lock.lock(); defer { lock.unlock() }
        for statement in SQLScript.statements(sql) { try plain(statement) }
    }

    public func tableNames() throws -> Set<String> {
        let rows = try read { try $0.query("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()") }
        return Set(rows.compactMap { $0.string("name") })
    }

    /// Creates a database on the server if it does not exist (tests, `pstamp fixtures load`).
    /// The name may hold only letters, digits and `_`, as it cannot be a bound parameter.
    public func createDatabase(_ name: String) throws {
        try Self.checkIdentifier(name)
        lock.lock(); defer { lock.unlock() }
        try plain("CREATE DATABASE IF NOT EXISTS `\(name)` DEFAULT CHARACTER SET latin1")
    }

    /// Drops a database (tests clean up after themselves).
    public func dropDatabase(_ name: String) throws {
        try Self.checkIdentifier(name)
        lock.lock(); defer { lock.unlock() }
        try plain("DROP DATABASE IF EXISTS `\(name)`")
    }

    static func checkIdentifier(_ name: String) throws {
        guard !name.isEmpty, name.count <= 64,
            name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "_" })
        else {
            throw SQLError("not a valid database name: '\(name)'")
        }
    }

    private func plain(_ sql: String) throws {
        if mysql_real_query(handle, sql, UInt(sql.utf8.count)) != 0 {
            throw SQLError(String(cString: mysql_error(handle)), sql: sql)
        }
        // Statements run here return no rows; drain any result to keep the connection usable.
        if let result = mysql_store_result(handle) { mysql_free_result(result) }
    }
}

/// Runs one prepared statement at a time on a connected client handle.
struct MariaDBExecutor: SQLExecutor {
    let handle: UnsafeMutablePointer<MYSQL>

    func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        try run(sql, arguments).rows
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
        try run(sql, arguments).affected
    }

    private func run(_ sql: String, _ arguments: [SQLValue]) throws -> (rows: [SQLRow], affected: Int) {
        guard let stmt = mysql_stmt_init(handle) else { throw SQLError("out of memory preparing a statement", sql: sql) }
        defer { mysql_stmt_close(stmt) }
        func failure() -> SQLError { SQLError(String(cString: mysql_stmt_error(stmt)), sql: sql) }

        if mysql_stmt_prepare(stmt, sql, UInt(sql.utf8.count)) != 0 { throw failure() }
        let paramCount = Int(mysql_stmt_param_count(stmt))
        guard paramCount == arguments.count else {
            throw SQLError("statement has \(paramCount) placeholders but \(arguments.count) values", sql: sql)
        }

        var storage = BufferStore()
        defer { storage.freeAll() }
        var params = [MYSQL_BIND](repeating: MYSQL_BIND(), count: paramCount)
        for (i, value) in arguments.enumerated() {
            switch value {
            case .null:
                params[i].buffer_type = MYSQL_TYPE_NULL
            case .int(let v):
                let p = storage.allocate(8)
                p.storeBytes(of: v, as: Int64.self)
                params[i].buffer_type = MYSQL_TYPE_LONGLONG
                params[i].buffer = p
            case .double(let v):
                let p = storage.allocate(8)
                p.storeBytes(of: v, as: Double.self)
                params[i].buffer_type = MYSQL_TYPE_DOUBLE
                params[i].buffer = p
            case .text(let s):
                let bytes = Array(s.utf8)
                let p = storage.allocate(max(bytes.count, 1))
                bytes.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
                params[i].buffer_type = MYSQL_TYPE_STRING
                params[i].buffer = p
                params[i].buffer_length = UInt(bytes.count)
            }
        }
        if paramCount > 0 {
            let failed = params.withUnsafeMutableBufferPointer { mysql_stmt_bind_param(stmt, $0.baseAddress) }
            if failed != 0 { throw failure() }
        }
        if mysql_stmt_execute(stmt) != 0 { throw failure() }

        guard let meta = mysql_stmt_result_metadata(stmt) else {
            return ([], Int(mysql_stmt_affected_rows(stmt)))
        }
        defer { mysql_free_result(meta) }
        let count = Int(mysql_num_fields(meta))
        let fields = mysql_fetch_fields(meta)!
        var names: [String] = []
        var kinds: [ColumnKind] = []
        var results = [MYSQL_BIND](repeating: MYSQL_BIND(), count: count)
        let isNull = storage.allocate(count).bindMemory(to: my_bool.self, capacity: count)
        let lengths = storage.allocate(count * MemoryLayout<UInt>.stride).bindMemory(to: UInt.self, capacity: count)
        let errors = storage.allocate(count).bindMemory(to: my_bool.self, capacity: count)
        for i in 0..<count {
            let field = fields[i]
            names.append(String(cString: field.name))
            let kind = ColumnKind(field.type)
            kinds.append(kind)
            let size = kind == .text ? 256 : 8
            results[i].buffer_type = kind == .int ? MYSQL_TYPE_LONGLONG : kind == .double ? MYSQL_TYPE_DOUBLE : MYSQL_TYPE_STRING
            results[i].buffer = storage.allocate(size)
            results[i].buffer_length = UInt(size)
            results[i].is_null = isNull + i
            results[i].length = lengths + i
            results[i].error = errors + i
            results[i].is_unsigned = (field.flags & UInt32(UNSIGNED_FLAG)) != 0 ? 1 : 0
        }
        let bound = results.withUnsafeMutableBufferPointer { mysql_stmt_bind_result(stmt, $0.baseAddress) }
        if bound != 0 { throw failure() }
        if mysql_stmt_store_result(stmt) != 0 { throw failure() }

        var rows: [SQLRow] = []
        while true {
            let rc = mysql_stmt_fetch(stmt)
            if rc == MYSQL_NO_DATA { break }
            if rc == 1 { throw failure() }
            var columns: [String: SQLValue] = [:]
            for i in 0..<count {
                if isNull[i] != 0 { columns[names[i]] = .null; continue }
                switch kinds[i] {
                case .int:
                    columns[names[i]] = .int(results[i].buffer.load(as: Int64.self))
                case .double:
                    columns[names[i]] = .double(results[i].buffer.load(as: Double.self))
                case .text:
                    let length = Int(lengths[i])
                    if length <= Int(results[i].buffer_length) {
                        let bytes = UnsafeRawBufferPointer(start: results[i].buffer, count: length)
                        columns[names[i]] = .text(String(decoding: bytes, as: UTF8.self))
                    } else {
                        // Longer than the first buffer: fetch this column again into one that fits.
                        var big = MYSQL_BIND()
                        let p = storage.allocate(length)
                        var fetchedLength: UInt = 0
                        big.buffer_type = MYSQL_TYPE_STRING
                        big.buffer = p
                        big.buffer_length = UInt(length)
                        withUnsafeMutablePointer(to: &fetchedLength) {
                            big.length = $0
                            _ = mysql_stmt_fetch_column(stmt, &big, UInt32(i), 0)
                        }
                        columns[names[i]] = .text(String(decoding: UnsafeRawBufferPointer(start: p, count: length), as: UTF8.self))
                    }
                }
            }
            rows.append(SQLRow(columns))
        }
        return (rows, rows.count)
    }
}

private enum ColumnKind {
    case int, double, text
    init(_ type: enum_field_types) {
        switch type {
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_INT24, MYSQL_TYPE_YEAR:
            self = .int
        case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE:
            self = .double
        default:
            self = .text
        }
    }
}

/// Heap buffers for one statement's bound values, freed when the statement is done.
private struct BufferStore {
    var pointers: [UnsafeMutableRawPointer] = []
    mutating func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(size, 1), alignment: 16)
        p.initializeMemory(as: UInt8.self, repeating: 0, count: max(size, 1))
        pointers.append(p)
        return p
    }
    func freeAll() { pointers.forEach { $0.deallocate() } }
}
