/// The identifier of one image this server can cut, as SIA 2 lists it (`obs_publisher_did`) and SODA
/// and DataLink take it (`ID`):
///
/// ```
/// ivo://<authority>/pstamp?<project>/<stage>/<id>[/<component>]
/// ivo://example.org/pstamp?gpc1/warp/1001/skycell.1234.056     warp_id 1001, skycell_id skycell.1234.056
/// ivo://example.org/pstamp?gpc1/chip/2002/XY33                 chip_id 2002, class_id XY33
/// ivo://example.org/pstamp?gpc1/raw/3003/XY33                  exp_id 3003, class_id XY33
/// ivo://example.org/pstamp?gpc1/diff/4004/skycell.1234.056     diff_id 4004, skycell_id
/// ivo://example.org/pstamp?gpc1/stack/5005                     stack_id 5005 (one skycell per stack)
/// ```
///
/// The stage is PStampCore's `ImageType`; the id is the stage's IPP run id (exp_id, chip_id, warp_id,
/// stack_id, diff_id) and the component its class_id or skycell_id. The authority is the site's IVOA
/// authority (compared without regard to case, as IVOA identifiers are); the rest is case-sensitive.
public struct VOImageID: Sendable, Hashable, CustomStringConvertible {
    public var project: String
    public var stage: ImageType
    public var id: Int64
    public var component: String?

    public init(project: String = "gpc1", stage: ImageType, id: Int64, component: String? = nil) {
        self.project = project
        self.stage = stage
        self.id = id
        self.component = component
    }

    /// The name of the component column for a stage (`class_id`, `skycell_id`), nil for a stack.
    public static func componentColumn(of stage: ImageType) -> String? {
        switch stage {
        case .raw, .chip: "class_id"
        case .warp, .diff: "skycell_id"
        case .stack, .stackSummary: nil
        }
    }

    /// The IPP column the id names (`exp_id`, `chip_id`, …).
    public static func idColumn(of stage: ImageType) -> String {
        switch stage {
        case .raw: "exp_id"
        case .chip: "chip_id"
        case .warp: "warp_id"
        case .stack: "stack_id"
        case .stackSummary: "sass_id"
        case .diff: "diff_id"
        }
    }

    /// The path part after `?`: `gpc1/warp/1001/skycell.1234.056`.
    public var localPart: String {
        "\(project)/\(stage.rawValue)/\(id)" + (component.map { "/\($0)" } ?? "")
    }

    /// The full identifier under an authority.
    public func uri(authority: String) -> String { "ivo://\(authority)/pstamp?\(localPart)" }

    public var description: String { localPart }

    /// Reads an identifier this server issued; anything else is a usage error naming the scheme.
    public static func parse(_ text: String, authority: String) throws(DALIError) -> VOImageID {
        let prefix = "ivo://\(authority.lowercased())/pstamp?"
        guard text.count > prefix.count, text.prefix(prefix.count).lowercased() == prefix else {
            throw .usage("ID '\(text)' is not an image of this service (expected \(prefix)<project>/<stage>/<id>[/<component>])")
        }
        return try parseLocal(String(text.dropFirst(prefix.count)), whole: text)
    }

    /// Reads the part after `?` (`gpc1/chip/2002/XY33`).
    public static func parseLocal(_ local: String, whole: String? = nil) throws(DALIError) -> VOImageID {
        let shown = whole ?? local
        let parts = local.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 || parts.count == 4 else {
            throw .usage("ID '\(shown)' must name <project>/<stage>/<id>[/<component>]")
        }
        guard isToken(parts[0]) else { throw .usage("ID '\(shown)': project '\(parts[0])' is not a name") }
        guard let stage = ImageType(rawValue: parts[1]) else {
            let known = ImageType.allCases.map(\.rawValue).joined(separator: " ")
            throw .usage("ID '\(shown)': stage '\(parts[1])' is not one of \(known)")
        }
        guard let id = Int64(parts[2]), id > 0, !parts[2].hasPrefix("+") else {
            throw .usage("ID '\(shown)': '\(parts[2])' is not a positive \(idColumn(of: stage))")
        }
        var component: String?
        if parts.count == 4 {
            guard componentColumn(of: stage) != nil else { throw .usage("ID '\(shown)': a \(stage.rawValue) has no component") }
            guard isToken(parts[3]) else { throw .usage("ID '\(shown)': component '\(parts[3])' is not a name") }
            component = parts[3]
        }
        return VOImageID(project: parts[0], stage: stage, id: id, component: component)
    }

    /// Letters, digits and `._-`, at most 64 characters: what project names, class_ids and skycell_ids are.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64
            && text.unicodeScalars.allSatisfy {
                ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "._-".unicodeScalars.contains($0)
            }
    }
}
