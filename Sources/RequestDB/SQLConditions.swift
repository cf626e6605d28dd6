import GRDB
import PStampCore

/// The WHERE conditions of a query, built from the options an operator gave, with bound arguments
/// (never string-pasted values).
public struct SQLConditions: Sendable {
    public private(set) var clauses: [String] = []
    public private(set) var arguments = StatementArguments()

    public init() {}

    public var isEmpty: Bool { clauses.isEmpty }

    /// Adds `clause` (with `?` placeholders) and its values.
    public mutating func add(_ clause: String, _ values: (any DatabaseValueConvertible)?...) {
        clauses.append(clause)
        arguments += StatementArguments(values)
    }

    /// Adds `column <op> ?` when the value is given.
    public mutating func add(_ column: String, _ op: String, _ value: (any DatabaseValueConvertible)?) {
        guard let value else { return }
        add("\(column) \(op) ?", value)
    }

    /// Adds `column IN (?, …)` when `values` is not empty.
    public mutating func add(_ column: String, in values: [some DatabaseValueConvertible]) {
        guard !values.isEmpty else { return }
        clauses.append("\(column) IN (" + values.map { _ in "?" }.joined(separator: ", ") + ")")
        arguments += StatementArguments(values)
    }

    /// Repeated `-label` options: OR-ed, matched with LIKE or `=`.
    public mutating func add(labels: LabelFilter, column: String) {
        guard !labels.values.isEmpty else { return }
        let op = labels.match == .like ? "LIKE" : "="
        let parts = labels.values.map { _ in "\(column) \(op) ?" }
        clauses.append("(" + parts.joined(separator: " OR ") + ")")
        arguments += StatementArguments(labels.values)
    }

    /// `AND`-joined conditions, or `1` when there are none.
    public var sql: String { clauses.isEmpty ? "1" : clauses.joined(separator: " AND ") }
}

/// The repeatable `-label` selector: values OR-ed, matched with LIKE (most modes) or `=`
/// (-pendingdependent, -revertdependent).
public struct LabelFilter: Sendable, Hashable {
    public enum Match: Sendable, Hashable { case like, equal }
    public var values: [String]
    public var match: Match
    public init(_ values: [String] = [], match: Match = .like) {
        self.values = values
        self.match = match
    }
    public static let any = LabelFilter()
}

/// A LIMIT clause; 0 or nil means no limit, as in the IPP tools.
func limitSQL(_ limit: Int?) -> String {
    guard let limit, limit > 0 else { return "" }
    return " LIMIT \(limit)"
}

/// The SQL for "this label is active": a label with no Label row is active.
let labelActiveSQL = "(Label.active OR Label.active IS NULL)"
/// The SQL for a label's priority: a label with no Label row has priority 10000.
let labelPrioritySQL = "IFNULL(Label.priority, \(LabelEntry.missingPriority))"

/// psDB stores empty strings as NULL.
func nonEmpty(_ s: String?) -> String? {
    guard let s, !s.isEmpty else { return nil }
    return s
}

extension Row {
    func time(_ column: String) -> MetadataTime? {
        (self[column] as String?).flatMap { MetadataTime($0) }
    }
}

/// Rows touched by a guarded change did not match what was expected.
public struct RowCountError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
