import Foundation

/// The UTC text forms of a moment the server writes: the request database's times, the work
/// directory's day folders, and the stamp of a renamed request.
public enum UTCTime {
    /// The Gregorian calendar in UTC.
    public static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// `YYYY-MM-DD HH:MM:SS`: how the request database stores times (MySQL `DATETIME` text).
    public static func databaseText(_ date: Date) -> String {
        let d = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", d.year!, d.month!, d.day!, d.hour!, d.minute!, d.second!)
    }

    /// A `databaseText` read back (nil for none or a malformed text).
    public static func date(databaseText text: String?) -> Date? {
        guard let text, text.count >= 19 else { return nil }
        let iso = String(text.prefix(10)) + "T" + String(text.dropFirst(11).prefix(8)) + "Z"
        return ISO8601DateFormatter().date(from: iso)
    }

    /// `YYYY/MM/DD`: the day folders of the work directory (requests and web uploads).
    public static func dayFolder(_ date: Date) -> String {
        let d = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d/%02d/%02d", d.year!, d.month!, d.day!)
    }

    /// `YYYYmmddHHMMSS`: the stamp in the name of a request renamed `ERROR.<stamp>.<req_id>`.
    public static func compact(_ date: Date) -> String {
        let d = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d%02d%02d%02d", d.year!, d.month!, d.day!, d.hour!, d.minute!, d.second!)
    }
}

extension MetadataTime {
    /// `date` in UTC, to the whole second (as a `DATETIME` column holds it).
    public init(_ date: Date) {
        let d = UTCTime.calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        self.init(year: d.year!, month: d.month!, day: d.day!, hour: d.hour!, minute: d.minute!, second: d.second!)
    }

    /// The moment, read as UTC (nil for a time no calendar holds, such as month 13).
    public var date: Date? {
        let components = DateComponents(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanosecond: microsecond * 1000)
        return UTCTime.calendar.date(from: components)
    }
}
