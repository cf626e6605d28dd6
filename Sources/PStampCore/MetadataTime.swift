/// A UTC time as the request database stores it (`YYYY-MM-DD HH:MM:SS[.ffffff]`) and as the IPP tools
/// print it (ISO `YYYY-MM-DDThh:mm:ss.ffffff`, six decimals, no zone letter).
public struct MetadataTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year, month, day, hour, minute, second, microsecond: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, microsecond: Int = 0) {
        (self.year, self.month, self.day) = (year, month, day)
        (self.hour, self.minute, self.second, self.microsecond) = (hour, minute, second, microsecond)
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DDTHH:MM:SS`, with optional fraction and a
    /// trailing `Z`. Returns nil for anything else (including impossible field values).
    public init?(_ text: String) {
        var s = Substring(text.trimmingSpaces())
        if s.hasSuffix("Z") { s = s.dropLast() }
        let bytes = Array(s.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= bytes.count else { return nil }
            var value = 0
            for b in bytes[from..<(from + count)] {
                guard b >= 48 && b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == 45, bytes[7] == 45,
            let y = number(0, 4), let mo = number(5, 2), let d = number(8, 2)
        else { return nil }
        var h = 0, mi = 0, se = 0, us = 0
        if bytes.count > 10 {
            guard bytes.count >= 19, bytes[10] == 32 || bytes[10] == 84, bytes[13] == 58, bytes[16] == 58,
                let hh = number(11, 2), let mm = number(14, 2), let ss = number(17, 2)
            else { return nil }
            (h, mi, se) = (hh, mm, ss)
            if bytes.count > 19 {
                guard bytes[19] == 46, bytes.count > 20, bytes.count <= 26, let f = number(20, bytes.count - 20) else { return nil }
                var scale = 1
                for _ in 0..<(6 - (bytes.count - 20)) { scale *= 10 }
                us = f * scale
            }
        }
        guard (1...12).contains(mo), (1...31).contains(d), (0...23).contains(h), (0...59).contains(mi),
            (0...60).contains(se)
        else { return nil }
        self.init(year: y, month: mo, day: d, hour: h, minute: mi, second: se, microsecond: us)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// The ISO form psLib prints: `2025-05-02T10:11:12.000000`.
    public var iso: String {
        "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))T\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):"
            + "\(Self.pad(second, 2)).\(Self.pad(microsecond, 6))"
    }

    /// The form stored in the database: `2025-05-02 10:11:12` (fraction only when not zero).
    public var sqlText: String {
        let base =
            "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2)) \(Self.pad(hour, 2)):"
            + "\(Self.pad(minute, 2)):\(Self.pad(second, 2))"
        return microsecond == 0 ? base : base + "." + Self.pad(microsecond, 6)
    }

    public var description: String { iso }

    public static func < (a: MetadataTime, b: MetadataTime) -> Bool {
        let l = [a.year, a.month, a.day, a.hour, a.minute, a.second, a.microsecond]
        let r = [b.year, b.month, b.day, b.hour, b.minute, b.second, b.microsecond]
        return l.lexicographicallyPrecedes(r)
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\n" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" { s = s.dropLast() }
        return String(s)
    }
}

extension MetadataTime {
    /// Encoded as its database text (`2025-05-02 10:11:12`); decoded from any form `init?(_:)` reads.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let time = MetadataTime(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a time")
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(sqlText)
    }
}
