import Foundation

/// Times in data-store indexes: UTC, whole seconds, written `YYYY-MM-DDTHH:MM:SSZ` (the IPP scripts
/// glue the MySQL `DATETIME` text around `T` and `Z`).
public enum DataStoreTime {
    private static var calendar: Calendar { UTCTime.calendar }

    /// `2008-10-16T00:35:16Z`.
    public static func format(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return pad(c.year!, 4) + "-" + pad(c.month!, 2) + "-" + pad(c.day!, 2) + "T"
            + pad(c.hour!, 2) + ":" + pad(c.minute!, 2) + ":" + pad(c.second!, 2) + "Z"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` (the client rule `$TIME_FIELD`); nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        guard chars.count == 20, chars[4] == UInt8(ascii: "-"), chars[7] == UInt8(ascii: "-"),
            chars[10] == UInt8(ascii: "T"), chars[13] == UInt8(ascii: ":"), chars[16] == UInt8(ascii: ":"),
            chars[19] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                guard chars[i] >= UInt8(ascii: "0"), chars[i] <= UInt8(ascii: "9") else { return nil }
                n = n * 10 + Int(chars[i] - UInt8(ascii: "0"))
            }
            return n
        }
        guard let y = number(0..<4), let mo = number(5..<7), let d = number(8..<10),
            let h = number(11..<13), let mi = number(14..<16), let s = number(17..<19)
        else { return nil }
        return calendar.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s))
    }

    /// A date cut to whole seconds, as a `DATETIME` column holds it.
    public static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
