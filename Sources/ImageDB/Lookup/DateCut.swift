import Foundation

/// The IPP's conversion of a request's MJD limits to `rawExp.dateobs` cuts (Job.pm mjd_to_dateobs):
/// the MJD is taken as TAI, so 34 s are subtracted from MJD 54832 (2009-01-01) on and 33 s before;
/// MJDs below 54000 count as 54000. 0 means "no limit".
public enum DateCut {
    /// The UTC date-time text for an MJD, as 'YYYY-MM-DD HH:MM:SS', or nil for 0 (no limit).
    /// (The IPP wrote 'YYYY-MM-DDTHH:MM:SSZ'; MySQL compares both the same, and this form also
    /// compares correctly with SQLite's text dates.)
    public static func dateobs(mjd: Double) -> String? {
        guard mjd != 0, mjd.isFinite else { return nil }
        let m = max(mjd, 54000)
        let leap: Double = m >= 54832 ? 34 : 33
        let seconds = (m - 40587) * 86400 - leap
        let date = Date(timeIntervalSince1970: seconds.rounded(.down))
        return formatter.string(from: date)
    }

    /// The MJD of a 'YYYY-MM-DD HH:MM:SS' UTC text (no TAI correction), for fixtures and reports.
    public static func mjd(dateobs: String) -> Double? {
        guard let date = formatter.date(from: dateobs) else { return nil }
        return date.timeIntervalSince1970 / 86400 + 40587
    }

    nonisolated(unsafe) private static let formatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f
    }()
}
