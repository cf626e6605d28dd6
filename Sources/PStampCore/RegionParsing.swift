/// Parsing of stamp centres and sizes as users and request files give them.
///
/// Sky centres: decimal degrees, or sexagesimal `HH:MM:SS.s` for RA (hours) and `±DD:MM:SS.s` for Dec
/// (degrees), as the IPP's `-skycenter` accepts them. Sizes: `W`, `WxH`, with an optional unit `px`
/// (default) or `arcsec` (also `"`), e.g. `100`, `120x80px`, `30arcsec`, `20x10arcsec`.
public enum RegionParsing {
    /// Right ascension in degrees from decimal degrees or `HH:MM:SS` (hours).
    public static func rightAscension(_ text: String) throws(PStampError) -> Double {
        let t = text.regionTrimmed
        let value: Double
        if t.contains(":") || t.contains(" ") {
            value = try sexagesimal(t, what: "right ascension") * 15
        } else {
            guard let v = Double(t), v.isFinite else { throw invalid("right ascension", text) }
            value = v
        }
        guard value >= 0, value <= 360 else {
            throw PStampError(.invalidRequest, "right ascension out of range [0, 360] degrees: \(text)")
        }
        return value
    }

    /// Declination in degrees from decimal degrees or `±DD:MM:SS`.
    public static func declination(_ text: String) throws(PStampError) -> Double {
        let t = text.regionTrimmed
        let value: Double
        if t.contains(":") || t.contains(" ") {
            value = try sexagesimal(t, what: "declination")
        } else {
            guard let v = Double(t), v.isFinite else { throw invalid("declination", text) }
            value = v
        }
        guard value >= -90, value <= 90 else {
            throw PStampError(.invalidRequest, "declination out of range [-90, 90] degrees: \(text)")
        }
        return value
    }

    /// `[+-]A:B:C` (or space separated) as A + B/60 + C/3600 with the sign applied to the whole value.
    public static func sexagesimal(_ text: String, what: String = "angle") throws(PStampError) -> Double {
        var t = Substring(text.regionTrimmed)
        var sign = 1.0
        if t.first == "-" { sign = -1; t = t.dropFirst() } else if t.first == "+" { t = t.dropFirst() }
        let parts = t.split(whereSeparator: { $0 == ":" || $0 == " " })
        guard (1...3).contains(parts.count) else { throw invalid(what, text) }
        var value = 0.0
        var divisor = 1.0
        for (i, p) in parts.enumerated() {
            guard let v = Double(p), v.isFinite, v >= 0, !p.hasPrefix("+") else { throw invalid(what, text) }
            if i > 0 && v >= 60 { throw invalid(what, text) }
            value += v / divisor
            divisor *= 60
        }
        return sign * value
    }

    /// A size `W[xH][px|arcsec]`; a single number means a square stamp.
    public static func size(_ text: String) throws(PStampError) -> StampSize {
        var t = Substring(text.regionTrimmed.lowercased())
        var unit = StampSize.Unit.pixels
        for (suffix, u) in [("arcsec", StampSize.Unit.arcseconds), ("\"", .arcseconds), ("px", .pixels)]
        where t.hasSuffix(suffix) {
            unit = u
            t = t.dropLast(suffix.count)
            break
        }
        let parts = t.split(separator: "x", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
            let w = Double(parts[0]), let h = Double(parts.count == 2 ? parts[1] : parts[0]),
            w.isFinite, h.isFinite, w > 0, h > 0
        else {
            throw PStampError(
                .invalidRequest,
                "invalid stamp size '\(text)': expected W[xH][px|arcsec] with positive numbers")
        }
        if unit == .pixels && (w != w.rounded() || h != h.rounded()) {
            throw PStampError(.invalidRequest, "invalid stamp size '\(text)': pixel sizes are whole numbers")
        }
        return StampSize(width: w, height: h, unit: unit)
    }

    private static func invalid(_ what: String, _ text: String) -> PStampError {
        PStampError(.invalidRequest, "invalid \(what): '\(text)'")
    }
}

/// A stamp's size in pixels or arcseconds.
public struct StampSize: Sendable, Equatable {
    public enum Unit: String, Sendable { case pixels = "px", arcseconds = "arcsec" }
    public var width: Double
    public var height: Double
    public var unit: Unit
    public init(width: Double, height: Double, unit: Unit) {
        self.width = width; self.height = height; self.unit = unit
    }
    public static func pixels(_ w: Int, _ h: Int) -> StampSize { StampSize(width: Double(w), height: Double(h), unit: .pixels) }
}

/// Where a stamp is centred: on the sky (degrees) or on a pixel (IPP 0-based coordinates).
public enum StampCenter: Sendable, Equatable, Codable {
    case sky(ra: Double, dec: Double)
    case pixel(x: Double, y: Double)
}

extension String {
    /// The text without leading and trailing blanks and tabs (no Foundation in PStampCore).
    fileprivate var regionTrimmed: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
