import GRDB
import PStampCore

/// The request database's `Label` table: the priority and activity of request labels.
public struct LabelStore: LabelCatalog {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    public func define(_ entry: LabelEntry) throws {
        guard !entry.label.isEmpty else { throw PStampError(.configError, "a label name is required") }
        try writer.immediateTransaction { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM Label WHERE label = ?", arguments: [entry.label]) == true {
                throw PStampError(.unknownError, "label \(entry.label) is already defined")
            }
            try db.execute(
                sql: "INSERT INTO Label (label, priority, active, comment) VALUES (?, ?, ?, ?)",
                arguments: [entry.label, entry.priority, entry.active, nonEmpty(entry.comment)])
        }
    }

    public func update(label: String, _ change: LabelChange) throws -> Int {
        guard !change.isEmpty else { throw PStampError(.unknownError, "at least one -set option is required") }
        var sets: [String] = []
        var args = StatementArguments()
        if let p = change.priority { sets.append("priority = ?"); args += [p] }
        if let a = change.active { sets.append("active = ?"); args += [a] }
        if let c = change.comment { sets.append("comment = ?"); args += [nonEmpty(c)] }
        args += [label]
        return try writer.immediateTransaction { db in
            try db.execute(sql: "UPDATE Label SET \(sets.joined(separator: ", ")) WHERE label = ?", arguments: args)
            return db.changesCount
        }
    }

    public func delete(label: String) throws -> Int {
        try writer.immediateTransaction { db in
            try db.execute(sql: "DELETE FROM Label WHERE label = ?", arguments: [label])
            return db.changesCount
        }
    }

    public func list(_ query: LabelQuery) throws -> [LabelEntry] {
        var c = SQLConditions()
        c.add("label", "LIKE", query.pattern)
        if let active = query.active { c.add(active ? "active" : "NOT active") }
        var sql = "SELECT label, priority, active, comment FROM Label WHERE \(c.sql)"
        switch query.order {
        case .highToLow: sql += " ORDER BY priority DESC, label"
        case .lowToHigh: sql += " ORDER BY priority, label"
        case nil: sql += " ORDER BY rowid"
        }
        sql += limitSQL(query.limit)
        return try writer.read { db in
            try Row.fetchAll(db, sql: sql, arguments: c.arguments).map {
                LabelEntry(label: $0["label"] ?? "", priority: $0["priority"], active: $0["active"], comment: $0["comment"])
            }
        }
    }
}
