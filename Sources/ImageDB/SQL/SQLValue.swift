import Foundation

/// A value bound into, or read out of, an SQL statement. Both drivers speak only these four kinds,
/// so one query text and one row reader serve SQLite and MySQL alike.
public enum SQLValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    public init(_ value: Int) { self = .int(Int64(value)) }
    public init(_ value: Int64) { self = .int(value) }
    public init(_ value: Double) { self = .double(value) }
    public init(_ value: String) { self = .text(value) }
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    public init(_ value: Int?) { self = value.map { .int(Int64($0)) } ?? .null }
    public init(_ value: Int64?) { self = value.map { .int($0) } ?? .null }
    public init(_ value: Double?) { self = value.map { .double($0) } ?? .null }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var int64: Int64? {
        switch self {
        case .int(let v): return v
        // A REAL in a row (1e300 in an integer column of a hand-edited database): nil when no Int64 holds it.
        case .double(let v): return Int64(exactly: v.rounded(.towardZero))
        case .text(let s): return Int64(s.trimmingCharacters(in: .whitespaces))
        case .null: return nil
        }
    }

    public var double: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .double(let v): return v
        case .text(let s): return Double(s.trimmingCharacters(in: .whitespaces))
        case .null: return nil
        }
    }

    public var string: String? {
        switch self {
        case .int(let v): return String(v)
        case .double(let v): return String(v)
        case .text(let s): return s
        case .null: return nil
        }
    }

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .int(let v): return String(v)
        case .double(let v): return String(v)
        case .text(let s): return "'\(s)'"
        }
    }
}

/// One result row, columns by name (the `AS` alias when the query gives one).
public struct SQLRow: Sendable, Hashable {
    public var columns: [String: SQLValue]
    public init(_ columns: [String: SQLValue]) { self.columns = columns }

    public subscript(_ name: String) -> SQLValue { columns[name] ?? .null }
    public func int(_ name: String) -> Int? { self[name].int64.map { Int($0) } }
    public func int64(_ name: String) -> Int64? { self[name].int64 }
    public func double(_ name: String) -> Double? { self[name].double }
    public func string(_ name: String) -> String? { self[name].string }
}
