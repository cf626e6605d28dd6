/// XML text for the Virtual Observatory documents (VOTable, UWS, VOSI): escaping and a small element
/// builder, so no document is assembled from unescaped strings.
public enum VOXML {
    /// Escapes `& < > " '` for element text and attribute values alike, and drops characters XML 1.0
    /// cannot carry (control characters other than tab, line feed and carriage return).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `name="value"` pairs, escaped, each preceded by a blank; nil values are left out.
    public static func attributes(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { name, value in value.map { " \(name)=\"\(escape($0))\"" } }.joined()
    }

    /// `<name attrs>text</name>` with the text escaped.
    public static func element(_ name: String, _ pairs: [(String, String?)] = [], text: String) -> String {
        "<\(name)\(attributes(pairs))>\(escape(text))</\(name)>"
    }

    /// `<name attrs/>`.
    public static func empty(_ name: String, _ pairs: [(String, String?)] = []) -> String {
        "<\(name)\(attributes(pairs))/>"
    }

    /// The XML declaration every document starts with.
    public static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

    /// A number as XML text: whole numbers without a fraction, NaN as the empty string (VOTable null),
    /// infinities as `+Inf`/`-Inf`.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if abs(value) < 1e15, let whole = Int64(exactly: value) { return String(whole) }
        return String(value)
    }
}
