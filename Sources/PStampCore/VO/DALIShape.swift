/// A sky region of a DALI 1.1 query (ICRS degrees): the values of SIA 2 and SODA `POS`, `CIRCLE` and
/// `POLYGON`.
///
/// - `POS=CIRCLE <ra> <dec> <radius>`, `POS=RANGE <ra1> <ra2> <dec1> <dec2>` (`-Inf`/`+Inf` open a side),
///   `POS=POLYGON <ra1> <dec1> <ra2> <dec2> <ra3> <dec3> …` (at least three vertices, implicitly closed);
/// - `CIRCLE=<ra> <dec> <radius>` and `POLYGON=<ra1> <dec1> …` (the DALI circle and polygon types,
///   without the shape word).
public enum DALIShape: Sendable, Equatable {
    case circle(ra: Double, dec: Double, radius: Double)
    /// Bounds may be infinite; `ra1 > ra2` (for example `350 10`) wraps through RA 0.
    case range(ra1: Double, ra2: Double, dec1: Double, dec2: Double)
    case polygon([ICRSPoint])

    /// Parses a `POS` value: the shape word (any case) and its numbers.
    public static func parsePOS(_ text: String) throws(DALIError) -> DALIShape {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        guard let first = words.first else { throw .usage("POS is empty: expected CIRCLE, RANGE or POLYGON") }
        let rest = words.dropFirst().map(String.init)
        switch first.uppercased() {
        case "CIRCLE": return try circle(rest, parameter: "POS")
        case "RANGE": return try range(rest)
        case "POLYGON": return try polygon(rest, parameter: "POS")
        default: throw .usage("POS shape '\(first)' is not CIRCLE, RANGE or POLYGON")
        }
    }

    /// Parses a `CIRCLE` parameter value: `<ra> <dec> <radius>`.
    public static func parseCircle(_ text: String) throws(DALIError) -> DALIShape {
        try circle(text.split(separator: " ").map(String.init), parameter: "CIRCLE")
    }

    /// Parses a `POLYGON` parameter value: `<ra1> <dec1> <ra2> <dec2> …`.
    public static func parsePolygon(_ text: String) throws(DALIError) -> DALIShape {
        try polygon(text.split(separator: " ").map(String.init), parameter: "POLYGON")
    }

    /// The shape as DALI writes it (`CIRCLE 150 2 0.1`), the form an `s_region` or a `POS` takes.
    public var daliText: String {
        switch self {
        case .circle(let ra, let dec, let r): "CIRCLE \(VOXML.number(ra)) \(VOXML.number(dec)) \(VOXML.number(r))"
        case .range(let a, let b, let c, let d):
            "RANGE \(VOXML.number(a)) \(VOXML.number(b)) \(VOXML.number(c)) \(VOXML.number(d))"
        case .polygon(let points):
            "POLYGON " + points.map { "\(VOXML.number($0.ra)) \(VOXML.number($0.dec))" }.joined(separator: " ")
        }
    }

    private static func numbers(_ words: [String], parameter: String, allowInfinite: Bool = false) throws(DALIError) -> [Double] {
        var values: [Double] = []
        for word in words {
            let value: Double? =
                switch word {
                case "-Inf": allowInfinite ? -.infinity : nil
                case "+Inf", "Inf": allowInfinite ? .infinity : nil
                default: Double(word).flatMap { $0.isFinite ? $0 : nil }
                }
            guard let value else { throw .usage("\(parameter): '\(word)' is not a number of degrees") }
            values.append(value)
        }
        return values
    }

    private static func checkDec(_ dec: Double, _ parameter: String) throws(DALIError) {
        guard dec >= -90, dec <= 90 else { throw .usage("\(parameter): declination \(VOXML.number(dec)) is outside -90 to 90") }
    }

    private static func circle(_ words: [String], parameter: String) throws(DALIError) -> DALIShape {
        let v = try numbers(words, parameter: parameter)
        guard v.count == 3 else { throw .usage("\(parameter) CIRCLE needs 3 numbers (ra dec radius), got \(v.count)") }
        try checkDec(v[1], parameter)
        guard v[2] > 0, v[2] <= 180 else { throw .usage("\(parameter) CIRCLE radius \(VOXML.number(v[2])) is not in (0, 180] degrees") }
        return .circle(ra: ICRSPoint.normalizedRA(v[0]), dec: v[1], radius: v[2])
    }

    private static func range(_ words: [String]) throws(DALIError) -> DALIShape {
        let v = try numbers(words, parameter: "POS", allowInfinite: true)
        guard v.count == 4 else { throw .usage("POS RANGE needs 4 numbers (ra1 ra2 dec1 dec2), got \(v.count)") }
        guard v[2] <= v[3] else { throw .usage("POS RANGE declination \(VOXML.number(v[2])) is above \(VOXML.number(v[3]))") }
        guard v[2] <= 90, v[3] >= -90 else { throw .usage("POS RANGE declinations lie outside -90 to 90") }
        return .range(ra1: v[0], ra2: v[1], dec1: max(v[2], -90), dec2: min(v[3], 90))
    }

    private static func polygon(_ words: [String], parameter: String) throws(DALIError) -> DALIShape {
        let v = try numbers(words, parameter: parameter)
        guard v.count >= 6, v.count % 2 == 0 else {
            throw .usage("\(parameter) POLYGON needs at least 3 vertices as ra dec pairs, got \(v.count) numbers")
        }
        var points: [ICRSPoint] = []
        for i in stride(from: 0, to: v.count, by: 2) {
            try checkDec(v[i + 1], parameter)
            points.append(ICRSPoint(ra: ICRSPoint.normalizedRA(v[i]), dec: v[i + 1]))
        }
        return .polygon(points)
    }
}

/// A position on the sky, ICRS degrees.
public struct ICRSPoint: Sendable, Equatable {
    public var ra: Double
    public var dec: Double
    public init(ra: Double, dec: Double) {
        self.ra = ra
        self.dec = dec
    }

    /// RA folded into [0, 360).
    public static func normalizedRA(_ ra: Double) -> Double {
        let r = ra.truncatingRemainder(dividingBy: 360)
        return r < 0 ? r + 360 : r
    }
}

/// A DALI interval (`BAND`, `TIME`, `CALIB` bounds): two numbers, either of which may be `-Inf`/`+Inf`;
/// a single number is the degenerate interval [v, v].
public struct DALIInterval: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public init(_ lower: Double, _ upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// Parses `lo hi` (or `v`); `parameter` names the parameter in the error.
    public static func parse(_ text: String, parameter: String) throws(DALIError) -> DALIInterval {
        let words = text.split(separator: " ")
        var v: [Double] = []
        for word in words {
            switch word {
            case "-Inf": v.append(-.infinity)
            case "+Inf", "Inf": v.append(.infinity)
            default:
                guard let d = Double(word), d.isFinite else { throw .usage("\(parameter): '\(word)' is not a number, -Inf or +Inf") }
                v.append(d)
            }
        }
        guard v.count == 1 || v.count == 2 else { throw .usage("\(parameter) needs one or two numbers (lower upper), got \(v.count)") }
        let interval = DALIInterval(v[0], v.count == 2 ? v[1] : v[0])
        guard interval.lower <= interval.upper else {
            throw .usage("\(parameter): lower bound \(VOXML.number(interval.lower)) is above upper \(VOXML.number(interval.upper))")
        }
        return interval
    }

    /// True when the two closed intervals share a point.
    public func overlaps(_ other: DALIInterval) -> Bool { lower <= other.upper && other.lower <= upper }
    /// True when the value lies in the interval.
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}
