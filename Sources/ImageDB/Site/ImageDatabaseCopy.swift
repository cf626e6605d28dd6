import Foundation
import PStampCore

/// Copies every row of one image database into another (`pstamp fixtures load`: the fixture sky from
/// its SQLite file into a MariaDB; a small standalone site moving to MySQL). The target is migrated
/// first and must hold none of the source's rows yet; the copy is one transaction per table.
public enum ImageDatabaseCopy {
    /// Tables that are PStamp's bookkeeping, not data.
    static let skipped: Set<String> = ["pstamp_schema_migrations", "sqlite_sequence"]

    /// Copies `source` into `target`; returns the number of rows copied per table.
    @discardableResult
    public static func copy(from source: any ImageDatabase, to target: any ImageDatabase) throws -> [String: Int] {
        try target.migrate()
        let targetTables = try target.connection.tableNames()
        var counts: [String: Int] = [:]
        for table in try source.connection.tableNames().sorted() where !skipped.contains(table) {
            guard targetTables.contains(table) else {
                throw PStampError(.configError, "the target image database has no table \(table)")
            }
            try SQLConnectionCheck.identifier(table)
            let rows = try source.connection.read { try $0.query("SELECT * FROM \(table)") }
            guard !rows.isEmpty else { continue }
            let existing = try target.connection.read { try $0.queryOne("SELECT COUNT(*) AS n FROM \(table)")?.int("n") ?? 0 }
            guard existing == 0 else {
                throw PStampError(
                    .configError, "the target image database already has \(existing) row(s) in \(table): load into an empty database")
            }
            try target.connection.transaction { db in
                for row in rows {
                    let columns = row.columns.keys.sorted()
                    for column in columns { try SQLConnectionCheck.identifier(column) }
                    let sql =
                        "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
                    try db.execute(sql, columns.map { row[$0] })
                }
            }
            counts[table] = rows.count
        }
        return counts
    }
}

/// Table and column names put into SQL text must be plain identifiers.
enum SQLConnectionCheck {
    static func identifier(_ name: String) throws {
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || $0 == "_" }) else {
            throw SQLError("not a plain SQL identifier: '\(name)'")
        }
    }
}
