/// XML text for the Virtual Observatory documents (VOTable, UWS, VOSI): a small element builder over
/// `Markup.escape`, so no document is assembled from unescaped strings.
public enum VOXML {
    /// `name="value"` pairs, escaped, each preceded by a blank; nil values are left out.
    public static func attributes(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { name, value in value.map { " \(name)=\"\(Markup.escape($0))\"" } }.joined()
    }

    /// `<name attrs>text</name>` with the text escaped.
    public static func element(_ name: String, _ pairs: [(String, String?)] = [], text: String) -> String {
        "<\(name)\(attributes(pairs))>\(Markup.escape(text))</\(name)>"
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
