/// The layout of a postage-stamp request file (`PS1_PS_REQUEST`, formats-and-cutouts.md §1.1–1.3):
/// extension name, header keywords and the columns of versions 1 and 2 with their TFORMs.
public enum RequestFileFormat {
    /// EXTNAME of the request table (the first extension).
    public static let extname = "PS1_PS_REQUEST"
    /// Longest REQ_NAME (`pstampRequest.name`, `dsFileset.fileset_name` are VARCHAR(64)).
    public static let maxRequestNameLength = 64
    /// Longest string a request column may hold when read (the widest column is 64A); wider columns are
    /// refused before they are read, so a hostile 10 MB string never reaches memory.
    public static let maxStringColumnWidth = 1024
    /// Most rows a request file may have.
    public static let maxRows = 100_000

    public struct Column: Sendable, Hashable {
        public let name: String
        public let tform: String
        public var isInteger: Bool { tform == "J" }
        public var isReal: Bool { tform == "D" }
        public var isString: Bool { tform.hasSuffix("A") }
        /// Characters of a string column (16A → 16).
        public var width: Int { Int(tform.dropLast()) ?? 0 }
    }

    /// The 24 columns of a version 2 file, in the order `pstamp_request_file` writes them.
    public static let columnsV2: [Column] = [
        .init(name: "ROWNUM", tform: "J"),
        .init(name: "CENTER_X", tform: "D"), .init(name: "CENTER_Y", tform: "D"),
        .init(name: "WIDTH", tform: "D"), .init(name: "HEIGHT", tform: "D"),
        .init(name: "COORD_MASK", tform: "J"),
        .init(name: "JOB_TYPE", tform: "16A"), .init(name: "OPTION_MASK", tform: "J"),
        .init(name: "PROJECT", tform: "16A"),
        .init(name: "SURVEY_NAME", tform: "16A"), .init(name: "IPP_RELEASE", tform: "64A"),
        .init(name: "REQ_TYPE", tform: "16A"), .init(name: "IMG_TYPE", tform: "16A"),
        .init(name: "ID", tform: "16A"), .init(name: "TESS_ID", tform: "64A"),
        .init(name: "COMPONENT", tform: "64A"), .init(name: "DATA_GROUP", tform: "64A"),
        .init(name: "REQFILT", tform: "16A"),
        .init(name: "MJD_MIN", tform: "D"), .init(name: "MJD_MAX", tform: "D"),
        .init(name: "RUN_TYPE", tform: "16A"),
        .init(name: "FWHM_MIN", tform: "D"), .init(name: "FWHM_MAX", tform: "D"),
        .init(name: "COMMENT", tform: "64A"),
    ]

    /// Columns that exist only in version 2.
    public static let v2Only: Set<String> = ["SURVEY_NAME", "IPP_RELEASE", "RUN_TYPE", "FWHM_MIN", "FWHM_MAX"]

    /// The 19 columns of a version 1 file.
    public static let columnsV1: [Column] = columnsV2.filter { !v2Only.contains($0.name) }

    public static func columns(version: Int) -> [Column] { version == 1 ? columnsV1 : columnsV2 }

    /// Columns without which no row can be understood: a file lacking one is refused as a whole (21).
    /// Every other column falls back to the IPP parser's default when absent.
    public static let requiredColumns = ["ROWNUM", "JOB_TYPE", "REQ_TYPE", "IMG_TYPE", "PROJECT"]

    /// Header keywords in the order and with the comments the IPP generator writes them.
    public static let headerComments: [(key: String, comment: String)] = [
        ("REQ_NAME", "Postage Stamp request name"),
        ("EXTVER", "Extension version"),
        ("ACTION", "Action to perform: PREVIEW or PROCESS"),
        ("EMAIL", "email for submittor"),
    ]
}
