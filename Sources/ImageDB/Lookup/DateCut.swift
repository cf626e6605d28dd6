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
        return format(unixSeconds: seconds)
    }

    /// The MJD of a 'YYYY-MM-DD HH:MM:SS' UTC text (no TAI correction), for fixtures and reports.
    public static func mjd(dateobs: String) -> Double? {
        let parts = dateobs.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" || $0 == "T" }).compactMap { Int($0) }
        guard parts.count >= 6 else { return nil }
        var t = tm()
        t.tm_year = Int32(parts[0] - 1900); t.tm_mon = Int32(parts[1] - 1); t.tm_mday = Int32(parts[2])
        t.tm_hour = Int32(parts[3]); t.tm_min = Int32(parts[4]); t.tm_sec = Int32(parts[5])
        return Double(timegm(&t)) / 86400 + 40587
    }

    /// 'YYYY-MM-DD HH:MM:SS' UTC of a Unix time (whole seconds, rounded down); thread-safe (gmtime_r).
    static func format(unixSeconds: Double) -> String {
        var time = time_t(unixSeconds.rounded(.down))
        var t = tm()
        gmtime_r(&time, &t)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", Int(t.tm_year) + 1900, Int(t.tm_mon) + 1, Int(t.tm_mday),
                      Int(t.tm_hour), Int(t.tm_min), Int(t.tm_sec))
    }
}
