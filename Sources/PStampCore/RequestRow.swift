/// One row of a request file as the server understands it, after the checks and normalisation of
/// formats-and-cutouts.md §1.6 (`RequestRow.validate(_:)`), with the row as written kept beside it
/// for the results file.

/// A value read from a request row: what the table held, before any interpretation.
public enum RequestValue: Sendable, Equatable, CustomStringConvertible {
    /// The column is absent, or the value is undefined.
    case missing
    case text(String)
    case integer(Int64)
    case real(Double)

    /// The value as the IPP parser sees it (pstampdump prints every value as text); nil when missing.
    public var text: String? {
        switch self {
        case .missing: return nil
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .real(let d): return d.isNaN ? "nan" : (d.isInfinite ? (d > 0 ? "inf" : "-inf") : RequestValue.format(d))
        }
    }

    public var description: String { text ?? "(missing)" }

    /// A number as the IPP accepts it: a signed decimal with optional exponent; NaN and infinities are not.
    public var number: Double? {
        switch self {
        case .missing: return nil
        case .integer(let i): return Double(i)
        case .real(let d): return d.isFinite ? d : nil
        case .text(let s):
            // "1e999" is valid IPP syntax but no finite Double: refused like NaN and infinities.
            guard RequestValue.isValidNumber(s), let d = Double(s), d.isFinite else { return nil }
            return d
        }
    }

    /// A non-negative whole number written with digits only (the IPP's `validID` without the zero test).
    public var digits: Int64? {
        switch self {
        case .missing: return nil
        case .integer(let i): return i >= 0 ? i : nil
        case .real(let d): return d >= 0 ? Int64(exactly: d) : nil
        case .text(let s): return RequestValue.isDigits(s) ? Int64(s) : nil
        }
    }

    /// `^[+-]?(?=\d|\.\d)\d*(\.\d*)?([Ee][+-]?\d+)?$` — the number syntax of the IPP tools.
    public static func isValidNumber(_ s: String) -> Bool {
        var c = Array(s.utf8)[...]
        if let f = c.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { c = c.dropFirst() }
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        guard let f = c.first else { return false }
        if !isDigit(f) {
            guard f == UInt8(ascii: "."), c.count > 1, isDigit(c[c.startIndex + 1]) else { return false }
        }
        while let b = c.first, isDigit(b) { c = c.dropFirst() }
        if c.first == UInt8(ascii: ".") {
            c = c.dropFirst()
            while let b = c.first, isDigit(b) { c = c.dropFirst() }
        }
        if let e = c.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            c = c.dropFirst()
            if let sgn = c.first, sgn == UInt8(ascii: "+") || sgn == UInt8(ascii: "-") { c = c.dropFirst() }
            guard let d = c.first, isDigit(d) else { return false }
            while let b = c.first, isDigit(b) { c = c.dropFirst() }
        }
        return c.isEmpty
    }

    /// Digits only, at least one, no sign (the IPP's integer syntax), and small enough for 64 bits.
    public static func isDigits(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 18 && s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// Shortest text that reads back as the same Double.
    static func format(_ d: Double) -> String {
        if abs(d) < 1e15, let whole = Int64(exactly: d) { return String(whole) }
        return "\(d)"
    }
}

/// A request row as read: column name (upper case, trimmed) to value. Absent columns read as `.missing`.
public struct RawRequestRow: Sendable, Equatable {
    public var values: [String: RequestValue]
    public init(_ values: [String: RequestValue] = [:]) {
        self.values = Dictionary(values.map { ($0.key.uppercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
    }
    public subscript(_ column: String) -> RequestValue {
        get { values[column.uppercased()] ?? .missing }
        set { values[column.uppercased()] = newValue }
    }
}

/// A row refused by validation: the code its fake job carries and the message for parse_error.txt.
public struct RequestRowRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// The row's ROWNUM when it is a number, else 0.
    public let rownum: Int64
    public let code: PStampCode
    public let message: String
    public init(rownum: Int64, code: PStampCode, message: String) {
        self.rownum = rownum; self.code = code; self.message = message
    }
    public var description: String { "row \(rownum): \(message) (\(code))" }
}

/// A validated, normalised request row.
public struct RequestRow: Sendable, Equatable {
    public var rownum: Int64
    public var centerX: Double
    public var centerY: Double
    public var width: Double
    public var height: Double
    public var coordMask: CoordMask
    public var jobType: JobType
    /// OPTION_MASK with bit 1 (the image) forced on, as the server uses it.
    public var optionMask: OptionMask
    /// OPTION_MASK as requested (what the results file echoes).
    public var requestedOptionMask: Int64
    public var project: String
    /// SURVEY_NAME; nil for `null` or absent.
    public var surveyName: String?
    /// IPP_RELEASE; nil for `null` or absent.
    public var ippRelease: String?
    public var reqType: RequestType
    public var imgType: ImageType
    /// ID as written (numeric ids stay text, as in the IPP).
    public var id: String
    /// TESS_ID; nil for `null` or absent.
    public var tessID: String?
    /// COMPONENT: "" for none (`null`, `all` or absent), `all` for a non-stack get_image, else the name.
    public var component: String
    /// DATA_GROUP (or LABEL in v1 files) as an SQL LIKE pattern; nil for `null` or absent.
    public var dataGroup: String?
    /// REQFILT as a LIKE pattern: one letter gets `%` (i → i%); nil for `null` or absent.
    public var reqfilt: String?
    /// MJD cuts; 0 means no limit.
    public var mjdMin: Double
    public var mjdMax: Double
    /// RUN_TYPE; nil for `null` or absent.
    public var runType: String?
    /// FWHM cuts; 0 means none.
    public var fwhmMin: Double
    public var fwhmMax: Double
    /// COMMENT; "" when absent.
    public var comment: String
    /// The row exactly as read, for the results file.
    public var asRequested: RawRequestRow

    /// The centre is RA/Dec (COORD_MASK bit 1 clear).
    public var isSkyCenter: Bool { !coordMask.contains(.centerInPixels) }
    /// WIDTH and HEIGHT are pixels (COORD_MASK bit 2).
    public var isRangeInPixels: Bool { coordMask.contains(.rangeInPixels) }
    /// The whole image is wanted: WIDTH = HEIGHT = 0, or a pixel centre at (0, 0).
    public var isWholeFile: Bool {
        (width == 0 && height == 0) || (!isSkyCenter && centerX == 0 && centerY == 0)
    }
}
