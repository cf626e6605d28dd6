/// Sky coordinates as people type them: decimal degrees (`150.1163`, `-2.2`), or sexagesimal with
/// colons, spaces or unit letters — right ascension in hours (`10:00:27.9`, `10 00 27.9`,
/// `10h00m27.9s`), declination in degrees (`+02:12:00`, `-00 30 00`, `2d12m0s`). A single number is
/// degrees for both; a number with `h` is hours, with `d` or `°` degrees.
///
///     try SkyCoordinateText.rightAscension("10:00:27.9")  // 150.11625
///     try SkyCoordinateText.declination("-00:30:00")      // -0.5
public enum SkyCoordinateText {
    /// Right ascension in degrees, 0 ≤ ra < 360.
    public static func rightAscension(_ text: String) throws(PStampError) -> Double {
        let value = try parse(text, name: "ra", sexagesimalUnit: 15)
        guard value >= 0, value < 360 else { throw invalid("ra \(value) is outside 0 to 360 degrees") }
        return value
    }

    /// Declination in degrees, −90 ≤ dec ≤ 90.
    public static func declination(_ text: String) throws(PStampError) -> Double {
        let value = try parse(text, name: "dec", sexagesimalUnit: 1)
        guard value >= -90, value <= 90 else { throw invalid("dec \(value) is outside -90 to 90 degrees") }
        return value
    }

    /// The value in degrees; `sexagesimalUnit` is degrees per leading unit when the text has more than
    /// one field and no unit letter (15 for hours of right ascension, 1 for degrees of declination).
    static func parse(_ text: String, name: String, sexagesimalUnit: Double) throws(PStampError) -> Double {
        var body = Substring(text.lowercased()).drop { $0 == " " || $0 == "\t" }
        while let last = body.last, last == " " || last == "\t" { body.removeLast() }
        guard !body.isEmpty else { throw invalid("\(name) is required (degrees)") }
        var sign = 1.0
        if let first = body.first, first == "-" || first == "+" || first == "\u{2212}" {
            sign = first == "+" ? 1 : -1
            body.removeFirst()
        }
        var unit = sexagesimalUnit
        if body.contains("h") {
            unit = 15
        } else if body.contains("d") || body.contains("°") {
            unit = 1
        }
        let separators: Set<Character> = [":", " ", "\t", "h", "m", "s", "d", "°", "'", "\""]
        let fields = body.split(whereSeparator: { separators.contains($0) })
        let bad = PStampError(.invalidRequest, "\(name) '\(text)' is not a number")
        guard (1...3).contains(fields.count), fields.allSatisfy({ $0.first != "-" && $0.first != "+" }) else { throw bad }
        var parts: [Double] = []
        for field in fields {
            guard let value = Double(field), value.isFinite, value >= 0 else { throw bad }
            parts.append(value)
        }
        let marked = body.contains(where: { "hdms°'\"".contains($0) })
        if parts.count == 1 && !marked { return sign * parts[0] }
        for later in parts.dropFirst() where later >= 60 { throw bad }
        let leading = parts[0] + (parts.count > 1 ? parts[1] / 60 : 0) + (parts.count > 2 ? parts[2] / 3600 : 0)
        return sign * leading * unit
    }

    static func invalid(_ message: String) -> PStampError { PStampError(.invalidRequest, message) }
}
