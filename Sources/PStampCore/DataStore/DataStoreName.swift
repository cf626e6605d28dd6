/// Names of data-store products, filesets and files, and the field types of an index.
///
/// The IPP clients accept names matching `^[A-z0-9-+_.: ]+$` (DataStore `Utils.pm` `$STD_FIELD`).
/// The range `A-z` there also lets through ``[ \ ] ^ ` `` by accident, and a space cannot stand in a
/// URL path unescaped. A name we register becomes a directory and a URL path segment, so the
/// registry is stricter: letters, digits and `- + _ . :`, not starting with `.` (no `.`, `..` or
/// hidden files) and at most 255 characters (fileset and product names: 64, the IPP column width).
/// Every name it accepts is also accepted by the IPP clients.
public enum DataStoreName {
    public enum Kind: String, Sendable {
        case product, fileset, file, type
        /// The column width of the IPP tables (`VARCHAR(64)` for products and filesets, 255 for files).
        var maximumLength: Int { self == .file ? 255 : 64 }
    }

    /// The characters a registered name may hold.
    public static func isAllowed(_ c: Character) -> Bool {
        guard c.isASCII, let v = c.asciiValue else { return false }
        switch v {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-+_.:".contains(c)
        }
    }

    /// Checks a name for registration; throws `PStampError` (PS_EXIT_DATA_ERROR) saying what is wrong.
    public static func validate(_ name: String, as kind: Kind) throws {
        if name.isEmpty { throw PStampError(.dataError, "the \(kind.rawValue) name is empty") }
        if name.count > kind.maximumLength {
            throw PStampError(.dataError, "the \(kind.rawValue) name '\(name)' is longer than \(kind.maximumLength) characters")
        }
        if name.hasPrefix(".") {
            throw PStampError(.dataError, "the \(kind.rawValue) name '\(name)' may not start with '.'")
        }
        if let bad = name.first(where: { !isAllowed($0) }) {
            throw PStampError(
                .dataError,
                "the \(kind.rawValue) name '\(name)' holds '\(bad)'; allowed are letters, digits and - + _ . :")
        }
    }

    public static func isValid(_ name: String, as kind: Kind) -> Bool {
        (try? validate(name, as: kind)) != nil
    }

    /// The IPP client's field rule, `^[A-z0-9-+_.: ]+$`, kept exactly (including its `A-z` range) for
    /// reading other stores' indexes.
    public static func isStandardField(_ field: String) -> Bool {
        !field.isEmpty
            && field.unicodeScalars.allSatisfy { s in
                (s.value >= 0x41 && s.value <= 0x7A) || (s.value >= 0x30 && s.value <= 0x39) || "-+_.: ".unicodeScalars.contains(s)
            }
    }
}
