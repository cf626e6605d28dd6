/// The parameters of a DALI request (SIA 2 query, SODA cut-out, UWS job creation), as the web face
/// received them: names are case-insensitive, values are kept as given, a name may repeat.
///
/// A route builds it from its query items and form fields and asks for typed values:
/// ```
/// let p = DALIParameters(request.queryItems)
/// let query = try SIAQuery(p)                 // throws DALIError (.usageError …) with a clear message
/// ```
public struct DALIParameters: Sendable, Equatable {
    /// The pairs in the order received, names upper-cased.
    public private(set) var pairs: [(name: String, value: String)]

    public init(_ pairs: [(String, String)]) {
        self.pairs = pairs.map { (name: $0.0.uppercased(), value: $0.1) }
    }

    public static func == (a: DALIParameters, b: DALIParameters) -> Bool {
        a.pairs.map(\.name) == b.pairs.map(\.name) && a.pairs.map(\.value) == b.pairs.map(\.value)
    }

    /// Every value of a parameter (any case of the name), blank values left out.
    public func values(_ name: String) -> [String] {
        let key = name.uppercased()
        return pairs.filter { $0.name == key }.map { $0.value.trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// The value of a single-valued parameter; a repeated one is an error (DALI 1.1 §3).
    public func single(_ name: String) throws(DALIError) -> String? {
        let all = values(name)
        guard all.count <= 1 else { throw .usage("\(name.uppercased()) may be given only once, got \(all.count) values") }
        return all.first
    }

    /// The names received that are not among `known` (a service may ignore them, or refuse them).
    public func unknownNames(known: Set<String>) -> [String] {
        var seen: [String] = []
        for p in pairs where !known.contains(p.name) && !seen.contains(p.name) { seen.append(p.name) }
        return seen
    }

    /// Every region of the request: `POS` values and the `CIRCLE` and `POLYGON` parameters.
    public func shapes() throws(DALIError) -> [DALIShape] {
        var shapes: [DALIShape] = []
        for v in values("POS") { shapes.append(try DALIShape.parsePOS(v)) }
        for v in values("CIRCLE") { shapes.append(try DALIShape.parseCircle(v)) }
        for v in values("POLYGON") { shapes.append(try DALIShape.parsePolygon(v)) }
        return shapes
    }

    /// The `BAND` intervals (metres); negative wavelengths are refused.
    public func bands() throws(DALIError) -> [DALIInterval] {
        var out: [DALIInterval] = []
        for v in values("BAND") {
            let band = try DALIInterval.parse(v, parameter: "BAND")
            guard band.upper >= 0 else { throw .usage("BAND \(v) lies below zero metres") }
            out.append(band)
        }
        return out
    }

    /// The `TIME` intervals (MJD, UTC).
    public func times() throws(DALIError) -> [DALIInterval] {
        var out: [DALIInterval] = []
        for v in values("TIME") { out.append(try DALIInterval.parse(v, parameter: "TIME")) }
        return out
    }

    /// The `CALIB` levels asked for (ObsCore calib_level 0–4).
    public func calibLevels() throws(DALIError) -> [Int] {
        var out: [Int] = []
        for text in values("CALIB") {
            guard let level = Int(text), (0...4).contains(level) else { throw .usage("CALIB '\(text)' is not a level 0 to 4") }
            out.append(level)
        }
        return out
    }

    /// The `COLLECTION` values as image types (`warp`, `chip`, …; any case).
    public func collections() throws(DALIError) -> [ImageType] {
        var out: [ImageType] = []
        for v in values("COLLECTION") {
            guard let type = ImageType(rawValue: v.lowercased()) else {
                let known = ImageType.allCases.map(\.rawValue).joined(separator: " ")
                throw .usage("COLLECTION '\(v)' is not one of \(known)")
            }
            out.append(type)
        }
        return out
    }

    /// The `ID` values as PStamp image identifiers; one this server did not issue is `NotFound`-worthy,
    /// but in a parameter it is the caller's mistake, so it is a usage error naming the scheme.
    public func imageIDs(authority: String) throws(DALIError) -> [VOImageID] {
        var out: [VOImageID] = []
        for v in values("ID") { out.append(try VOImageID.parse(v, authority: authority)) }
        return out
    }

    /// `MAXREC`: a whole number ≥ 0, capped at `limit` (DALI 1.1 §3.2.4: 0 asks for metadata only).
    public func maxrec(default fallback: Int, limit: Int) throws(DALIError) -> Int {
        guard let text = try single("MAXREC") else { return min(fallback, limit) }
        guard let n = Int(text), n >= 0 else { throw .usage("MAXREC '\(text)' is not a whole number of 0 or more") }
        return min(n, limit)
    }

    /// `RESPONSEFORMAT`: only VOTable is served; the DALI short names `votable` and the MIME types are accepted.
    public func responseFormatIsVOTable() throws(DALIError) -> Bool {
        guard let format = try single("RESPONSEFORMAT") else { return true }
        let accepted = ["votable", "application/x-votable+xml", "text/xml", "application/x-votable+xml;content=datalink"]
        guard accepted.contains(format.lowercased().replacingBlanks) else {
            throw .usage("RESPONSEFORMAT '\(format)' is not supported (only votable, application/x-votable+xml)")
        }
        return true
    }
}

extension String {
    /// The text with its blanks removed (`application/x-votable+xml; content=datalink`).
    fileprivate var replacingBlanks: String { String(filter { $0 != " " }) }
}
