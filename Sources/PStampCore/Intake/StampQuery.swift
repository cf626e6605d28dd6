/// The parameter interface's query (the fourth way in): a cut-out asked for by parameters, `GET` or
/// `POST /stamp?ra=…&dec=…&size=…`, that becomes a one-row `bycoord` request. Pure: it reads the
/// parameters and says which request-file columns they give; the web handler writes the file.
///
/// Parameters (names are case-insensitive):
/// - `ra`, `dec`: the centre in degrees, or sexagesimal (`10:00:27.9`, `-02:12:00`; `SkyCoordinateText`) (required);
/// - `size` (both sides) or `width` and `height`: in arcsec, or in pixels with `unit=pixels` (required);
/// - `type`: image type, `raw chip warp stack diff` (default `warp`);
/// - `filter`: e.g. `r` or `r.00000`; `mjd_min`, `mjd_max`: the observation-date range, as MJD or as
///   a UTC date `YYYY-MM-DD` (0 = open);
/// - `options`: comma list of `image mask variance sources psf jpeg uncompressed`, or `option_mask`
///   as a number (default: image);
/// - `project` (default `gpc1`), `email`, `data_group`, `survey`, `release`, `comment`;
/// - `sync=1`: wait for the stamp and answer with it.
public struct StampQuery: Sendable, Equatable {
    public var ra: Double
    public var dec: Double
    public var width: Double
    public var height: Double
    public var sizeInPixels: Bool
    public var imageType: String
    public var filter: String?
    public var mjdMin: Double
    public var mjdMax: Double
    public var optionMask: OptionMask
    public var project: String
    public var email: String?
    public var dataGroup: String?
    public var survey: String?
    public var release: String?
    public var comment: String?
    public var sync: Bool

    /// The image types a `bycoord` row may ask for.
    public static let imageTypes = ["raw", "chip", "warp", "stack", "diff"]
    /// The largest side accepted, in arcsec and in pixels.
    public static let maximumArcsec = 3600.0
    public static let maximumPixels = 8000.0
    static let optionNames: [String: OptionMask] = [
        "image": .image, "mask": .mask, "variance": .variance, "weight": .variance, "sources": .sources,
        "cmf": .sources, "psf": .psf, "jpeg": .jpeg, "uncompressed": .uncompressed,
    ]

    /// A refused parameter: which one (the form shows the message beside it) and why.
    public struct Refusal: Error, Sendable, Equatable {
        /// The parameter's name as the form names it (`ra`, `size`, `mjd_min` …).
        public var field: String
        public var error: PStampError
        public init(field: String, error: PStampError) {
            self.field = field
            self.error = error
        }
    }

    /// Reads the parameters; a missing or bad one is PSTAMP_INVALID_REQUEST (21) naming it.
    public static func parse(_ raw: [String: String]) throws(PStampError) -> StampQuery {
        do { return try check(raw) } catch { throw error.error }
    }

    /// `parse`, telling which parameter was refused.
    public static func check(_ raw: [String: String]) throws(Refusal) -> StampQuery {
        var p: [String: String] = [:]
        for (k, v) in raw {
            let value = v.trimmingSpaces
            if !value.isEmpty { p[k.lowercased()] = value }
        }
        func invalid(_ field: String, _ message: String) -> Refusal { Refusal(field: field, error: PStampError(.invalidRequest, message)) }
        func number(_ key: String) throws(Refusal) -> Double? {
            guard let text = p[key] else { return nil }
            guard let value = Double(text), value.isFinite else { throw invalid(key, "\(key) '\(text)' is not a number") }
            return value
        }
        func token(_ key: String) throws(Refusal) -> String? {
            guard let text = p[key] else { return nil }
            guard text.count <= 64, !text.contains(where: { $0 == " " || $0 == "|" || $0 == "'" || $0.isNewline }) else {
                throw invalid(key, "\(key) '\(text)' must be one word of at most 64 characters")
            }
            return text
        }
        func coordinate(_ key: String, _ read: (String) throws(PStampError) -> Double) throws(Refusal) -> Double {
            do { return try read(p[key] ?? "") } catch { throw Refusal(field: key, error: error) }
        }

        let ra = try coordinate("ra", SkyCoordinateText.rightAscension)
        let dec = try coordinate("dec", SkyCoordinateText.declination)

        let unit = (p["unit"] ?? "arcsec").lowercased()
        guard ["arcsec", "pixels", "pixel", "px"].contains(unit) else { throw invalid("unit", "unit '\(unit)' is not arcsec or pixels") }
        let inPixels = unit != "arcsec"
        let size = try number("size")
        guard let width = try number("width") ?? size, let height = try number("height") ?? size else {
            throw invalid("size", "size (or width and height) is required")
        }
        let limit = inPixels ? maximumPixels : maximumArcsec
        for (name, side) in [("width", width), ("height", height)] {
            guard side > 0, side <= limit else {
                throw invalid(
                    p[name] == nil ? "size" : name,
                    "\(name) \(side) must be above 0 and at most \(String(format: "%.0f", limit)) \(inPixels ? "pixels" : "arcsec")")
            }
        }

        let type = (p["type"] ?? p["img_type"] ?? "warp").lowercased()
        guard imageTypes.contains(type) else { throw invalid("type", "type '\(type)' is not one of \(imageTypes.joined(separator: " "))") }

        // An MJD, or a UTC date (YYYY-MM-DD: its MJD at 0h).
        func mjd(_ key: String) throws(Refusal) -> Double? {
            if let text = p[key], let date = Self.dateMJD(text) { return date }
            return try number(key)
        }
        let mjdMin = try mjd("mjd_min") ?? 0, mjdMax = try mjd("mjd_max") ?? 0
        guard mjdMin >= 0, mjdMax >= 0 else { throw invalid(mjdMin < 0 ? "mjd_min" : "mjd_max", "mjd_min and mjd_max may not be negative") }
        if mjdMin > 0, mjdMax > 0, mjdMin > mjdMax { throw invalid("mjd_min", "mjd_min \(mjdMin) is after mjd_max \(mjdMax)") }

        var mask: OptionMask = []
        if let text = p["option_mask"] {
            guard let value = Int64(text), value > 0, value <= Int64(Int32.max) else {
                throw invalid("option_mask", "option_mask '\(text)' is not a positive number of at most \(Int32.max)")
            }
            mask = OptionMask(rawValue: value)
        } else if let list = p["options"] {
            for name in list.lowercased().split(separator: ",").map({ $0.trimmingSpaces }) where !name.isEmpty {
                guard let bit = optionNames[name] else {
                    throw invalid("options", "option '\(name)' is not one of \(optionNames.keys.sorted().joined(separator: " "))")
                }
                mask.insert(bit)
            }
        }
        mask.insert(.image)

        if let email = p["email"] {
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, try token("email") != nil else {
                throw invalid("email", "email '\(email)' is not user@domain")
            }
        }
        let sync = ["1", "true", "yes"].contains((p["sync"] ?? "0").lowercased())
        let comment = p["comment"].map { String($0.prefix(63)) }
        if let comment, comment.contains("|") || comment.contains(where: \.isNewline) {
            throw invalid("comment", "comment may not hold | or a line break")
        }
        return StampQuery(
            ra: ra, dec: dec, width: width, height: height, sizeInPixels: inPixels, imageType: type,
            filter: try token("filter"), mjdMin: mjdMin, mjdMax: mjdMax, optionMask: mask,
            project: try token("project") ?? "gpc1", email: p["email"], dataGroup: try token("data_group"),
            survey: try token("survey"), release: try token("release"), comment: comment, sync: sync)
    }

    /// The MJD at 0h UTC of a `YYYY-MM-DD` date, or nil when the text is not one.
    static func dateMJD(_ text: String) -> Double? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return ExposureMJD.unixEpochMJD + Double(ExposureMJD.unixDays(year: year, month: month, day: day))
    }

    /// The request-file columns of the one row (v2 names; absent optional values are `null`, as the
    /// IPP's text format writes them).
    public func requestColumns(rownum: Int = 1) -> [String: String] {
        func text(_ d: Double) -> String {
            if abs(d) < 1e15, let whole = Int64(exactly: d) { return String(whole) }
            return String(d)
        }
        return [
            "ROWNUM": String(rownum),
            "PROJECT": project,
            "SURVEY_NAME": survey ?? "null",
            "IPP_RELEASE": release ?? "null",
            "JOB_TYPE": "stamp",
            "OPTION_MASK": String(optionMask.rawValue),
            "REQ_TYPE": "bycoord",
            "IMG_TYPE": imageType,
            "ID": "null",
            "TESS_ID": "null",
            "COMPONENT": "null",
            "COORD_MASK": String(sizeInPixels ? CoordMask.rangeInPixels.rawValue : 0),
            "CENTER_X": String(ra),
            "CENTER_Y": String(dec),
            "WIDTH": text(width),
            "HEIGHT": text(height),
            "DATA_GROUP": dataGroup ?? "null",
            "REQFILT": filter ?? "null",
            "MJD_MIN": text(mjdMin),
            "MJD_MAX": text(mjdMax),
            "RUN_TYPE": "null",
            "FWHM_MIN": "0",
            "FWHM_MAX": "0",
            "COMMENT": comment ?? "null",
        ]
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
