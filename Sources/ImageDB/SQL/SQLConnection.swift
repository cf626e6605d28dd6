import Foundation
import PStampCore

/// The SQL dialect behind a connection; the image-database code keeps one query text for both
/// and asks the dialect only where SQLite and MySQL truly differ (DDL, table listing).
public enum SQLDialect: String, Sendable {
    case sqlite
    case mysql

    /// The migrations family of the gpc1 schema for this dialect.
    public var gpc1MigrationFamily: String { "gpc1/\(rawValue)" }
}

/// Runs statements with bound parameters (`?` placeholders) inside a read or a transaction.
public protocol SQLExecutor {
    /// Rows of a SELECT.
    func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow]
    /// Runs an INSERT/UPDATE/DELETE and returns the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int
}

extension SQLExecutor {
    public func query(_ sql: String) throws -> [SQLRow] { try query(sql, []) }
    @discardableResult public func execute(_ sql: String) throws -> Int { try execute(sql, []) }
    public func queryOne(_ sql: String, _ arguments: [SQLValue] = []) throws -> SQLRow? {
        try query(sql, arguments).first
    }
}

/// A connection to one image database. `read` runs without a transaction guarantee beyond one
/// consistent read; `transaction` runs its body in one transaction, committed when it returns and
/// rolled back when it throws.
public protocol SQLConnection: Sendable {
    var dialect: SQLDialect { get }
    func read<T>(_ body: (any SQLExecutor) throws -> T) throws -> T
    func transaction<T>(_ body: (any SQLExecutor) throws -> T) throws -> T
    /// Runs a script of `;`-separated statements without parameters (migrations only).
    func executeScript(_ sql: String) throws
    /// Names of the tables in the database.
    func tableNames() throws -> Set<String>
}

/// An error from a database driver, carrying the driver's own message.
public struct SQLError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let sql: String?
    public init(_ message: String, sql: String? = nil) { self.message = message; self.sql = sql }
    public var description: String { sql.map { "\(message) [SQL: \($0)]" } ?? message }
}

/// Splits a migration script on `;` at the end of a line, dropping `--` comment lines.
enum SQLScript {
    static func statements(_ script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--") || trimmed.isEmpty { continue }
            current += line + "\n"
            if trimmed.hasSuffix(";") {
                let s = current.trimmingCharacters(in: .whitespacesAndNewlines)
                statements.append(String(s.dropLast()))
                current = ""
            }
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { statements.append(rest) }
        return statements
    }
}
