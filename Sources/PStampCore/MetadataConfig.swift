import Foundation

/// One typed value of an IPP metadata item, as the IPP tools print database rows
/// (server-internals.md §1.11, §4.4). `nil` is SQL NULL.
public enum MetadataValue: Sendable, Hashable {
    case s16(Int16?)
    case s32(Int32?)
    case s64(Int64?)
    case u32(UInt32?)
    case f32(Float?)
    case f64(Double?)
    case bool(Bool?)
    case str(String?)
    case time(MetadataTime?)

    /// The type keyword printed in the second column.
    public var typeKeyword: String {
        switch self {
        case .s16: "S16"
        case .s32: "S32"
        case .s64: "S64"
        case .u32: "U32"
        case .f32: "F32"
        case .f64: "F64"
        case .bool: "BOOL"
        case .str: "STR"
        case .time: "TAI"
        }
    }

    public var isNull: Bool {
        switch self {
        case .s16(let v): v == nil
        case .s32(let v): v == nil
        case .s64(let v): v == nil
        case .u32(let v): v == nil
        case .f32(let v): v == nil
        case .f64(let v): v == nil
        case .bool(let v): v == nil
        case .str(let v): v == nil
        case .time(let v): v == nil
        }
    }
}

/// A named value: one line of a metadata block.
public struct MetadataItem: Sendable, Hashable {
    public let name: String
    public let value: MetadataValue
    public init(_ name: String, _ value: MetadataValue) {
        self.name = name
        self.value = value
    }
}

/// One database row in column order.
public struct MetadataRow: Sendable, Hashable {
    public var items: [MetadataItem]
    public init(_ items: [MetadataItem]) { self.items = items }

    public subscript(name: String) -> MetadataValue? { items.first { $0.name == name }?.value }

    public mutating func append(_ name: String, _ value: MetadataValue) { items.append(MetadataItem(name, value)) }
}

/// The IPP metadata-config (MDC) text the tools print, byte for byte as psLib writes it
/// (`psMetadataConfigFormat`/`psMetadataItemFormat`, `ippdbPrintMetadatas`), plus the `-simple`
/// one-line-per-row form and a JSON form for scripts.
public enum MetadataConfig {
    /// The output format a tool was asked for.
    public enum Style: Sendable { case mdc, simple, json }

    /// Renders rows in the chosen style. No rows print nothing (the IPP tools print nothing and exit 0).
    public static func render(_ rows: [MetadataRow], blockName: String, style: Style) -> String {
        switch style {
        case .mdc: document(rows, blockName: blockName)
        case .simple: simple(rows)
        case .json: json(rows)
        }
    }

    /// A listing: `<name> MULTI`, then per row an empty line, `<name>  METADATA  `, the item lines indented
    /// by 3 spaces and `END`; then one extra newline. Every listing is a MULTI, even of one row.
    public static func document(_ rows: [MetadataRow], blockName: String) -> String {
        guard !rows.isEmpty else { return "" }
        var out = "\(blockName) MULTI\n"
        for row in rows { out += block(row, name: blockName) }
        return out + "\n"
    }

    /// One `METADATA` block as psLib formats it (starting with its newline, ending with `END\n`).
    public static func block(_ row: MetadataRow, name: String) -> String {
        var out = "\n\(name)  METADATA  "
        // psLib re-splits the nested text on newlines (strtok), so empty lines disappear.
        let nested = row.items.map(itemLine).joined()
        for line in nested.split(separator: "\n", omittingEmptySubsequences: true) {
            out += "\n   " + line
        }
        return out + "\nEND\n"
    }

    /// One item line, with its newline: `%-15s  %-8s  %-15<value>` (STR lines have one more space).
    public static func itemLine(_ item: MetadataItem) -> String {
        let name = pad(item.name, 15)
        switch item.value {
        case .time(let t):
            if let t { return "\(name)  \(pad("TAI", 8))  \(t.iso)\n" }
            return "\(name)  \(pad("TAI", 8))  \(pad("NULL", 15))\n"
        case .str(let s):
            let text = s.flatMap { $0.contains(where: { $0 != " " && $0 != "\t" }) ? $0 : nil } ?? "NULL"
            return "\(name)  \(pad("STR", 8))  \(pad(text, 15)) \n"
        default:
            return "\(name)  \(pad(item.value.typeKeyword, 8))  \(pad(mdcValue(item.value), 15))\n"
        }
    }

    /// `-simple`: one line per row, values separated by single spaces; spaces in strings become `_`;
    /// a NULL string prints nothing; floats `%f`; no MULTI, no blank lines.
    public static func simple(_ rows: [MetadataRow]) -> String {
        rows.map { row in
            row.items.map { item -> String in
                switch item.value {
                case .str(let s): return s.map { $0.replacingSpaces(with: "_") } ?? ""
                case .time(let t): return t?.iso ?? "NULL"
                case .f32(let v): return fixed(Double(v ?? .nan))
                case .f64(let v): return fixed(v ?? .nan)
                default: return mdcValue(item.value)
                }
            }.joined(separator: " ") + "\n"
        }.joined()
    }

    /// `-json`: an array of objects, one per row, keys in column order; NULL is `null`.
    public static func json(_ rows: [MetadataRow]) -> String {
        guard !rows.isEmpty else { return "[]\n" }
        let objects = rows.map { row in
            "  {" + row.items.map { "\(jsonString($0.name)): \(jsonValue($0.value))" }.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    // MARK: value formatting

    /// The value text of a non-string, non-time item, with the psDB NULL rules: integers print the
    /// type's maximum, floats `nan`, BOOL `T`.
    static func mdcValue(_ value: MetadataValue) -> String {
        switch value {
        case .s16(let v): String(v ?? Int16.max)
        case .s32(let v): String(v ?? Int32.max)
        case .s64(let v): String(v ?? Int64.max)
        case .u32(let v): String(v ?? UInt32.max)
        case .f32(let v): general(Double(v ?? .nan), digits: 7)
        case .f64(let v): general(v ?? .nan, digits: 15)
        case .bool(let v): (v ?? true) ? "T" : "F"
        case .str(let s): s ?? "NULL"
        case .time(let t): t?.iso ?? "NULL"
        }
    }

    static func pad(_ text: String, _ width: Int) -> String {
        let count = text.count
        return count >= width ? text : text + String(repeating: " ", count: width - count)
    }

    /// C `%.<digits>g`.
    static func general(_ x: Double, digits: Int) -> String {
        cFormat(x, "%.\(digits)g")
    }

    /// C `%f`.
    static func fixed(_ x: Double) -> String { cFormat(x, "%f") }

    static func cFormat(_ x: Double, _ format: String) -> String {
        if x.isNaN { return x.sign == .minus ? "-nan" : "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        // C's own printf, as the IPP formats (Foundation's String(format:) is many times slower).
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buffer in
            let n = withVaList([x]) { vsnprintf(buffer.baseAddress, buffer.count, format, $0) }
            guard n >= 0, n < buffer.count else { return String(format: format, x) }
            return String(cString: buffer.baseAddress!)
        }
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func jsonValue(_ value: MetadataValue) -> String {
        switch value {
        case .s16(let v): v.map { String($0) } ?? "null"
        case .s32(let v): v.map { String($0) } ?? "null"
        case .s64(let v): v.map { String($0) } ?? "null"
        case .u32(let v): v.map { String($0) } ?? "null"
        case .f32(let v): v.flatMap { $0.isFinite ? general(Double($0), digits: 7) : nil } ?? "null"
        case .f64(let v): v.flatMap { $0.isFinite ? general($0, digits: 15) : nil } ?? "null"
        case .bool(let v): v.map { $0 ? "true" : "false" } ?? "null"
        case .str(let s): s.map(jsonString) ?? "null"
        case .time(let t): t.map { jsonString($0.iso) } ?? "null"
        }
    }
}

extension String {
    func replacingSpaces(with replacement: String) -> String {
        var out = ""
        for c in self { if c == " " { out += replacement } else { out.append(c) } }
        return out
    }
}
