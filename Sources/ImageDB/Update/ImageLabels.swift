import Foundation
import PStampCore

/// A row of the image database's `Label` table: the priority and on/off switch of a processing
/// label (the `ps_ud_<label>` update labels among them). Pending-work queries order by priority
/// (10000 for a label with no row) and skip inactive labels.
public struct ImageLabel: Sendable, Equatable {
    public var label: String
    public var priority: Int?
    public var active: Bool
    public var comment: String?
    public init(label: String, priority: Int?, active: Bool, comment: String? = nil) {
        self.label = label; self.priority = priority; self.active = active; self.comment = comment
    }
}

extension ImageDatabase {
    /// Labels matching an SQL LIKE pattern (all when nil), by priority then name.
    public func labels(like pattern: String? = nil) throws -> [ImageLabel] {
        try connection.read { db in
            var sql = "SELECT label, priority, active, comment FROM Label"
            var args: [SQLValue] = []
            if let pattern { sql += " WHERE label LIKE ?"; args.append(.text(pattern)) }
            return try db.query(sql + " ORDER BY priority DESC, label", args).map {
                ImageLabel(
                    label: $0.string("label") ?? "", priority: $0.int("priority"),
                    active: ($0.int("active") ?? 0) != 0, comment: $0.string("comment"))
            }
        }
    }

    /// `labeltool -definelabel`: adds a label (an existing one is an error).
    public func defineLabel(_ label: ImageLabel) throws {
        guard !label.label.isEmpty else { throw PStampError(.invalidRequest, "a label needs a name") }
        try connection.transaction { db in
            if try db.queryOne("SELECT label FROM Label WHERE label = ?", [.text(label.label)]) != nil {
                throw PStampError(.invalidRequest, "label \(label.label) already exists")
            }
            try db.execute(
                "INSERT INTO Label (label, priority, active, comment) VALUES (?, ?, ?, ?)",
                [.text(label.label), .init(label.priority), .init(label.active ? 1 : 0), .init(label.comment)])
        }
    }

    /// `labeltool -updatelabel -label L [-set_priority N] [-set_active 0|1] [-set_comment C]`.
    /// Returns the number of labels changed; a missing label is an error.
    @discardableResult
    public func updateLabel(_ label: String, priority: Int? = nil, active: Bool? = nil, comment: String? = nil) throws -> Int {
        var sets: [String] = []
        var args: [SQLValue] = []
        if let priority { sets.append("priority = ?"); args.append(.init(priority)) }
        if let active { sets.append("active = ?"); args.append(.init(active ? 1 : 0)) }
        if let comment { sets.append("comment = ?"); args.append(.text(comment)) }
        guard !sets.isEmpty else { throw PStampError(.invalidRequest, "-updatelabel needs -set_priority, -set_active or -set_comment") }
        let n = try connection.transaction { db in
            try db.execute("UPDATE Label SET \(sets.joined(separator: ", ")) WHERE label = ?", args + [.text(label)])
        }
        if n == 0 { throw PStampError(.invalidRequest, "no label \(label)") }
        return n
    }
}
