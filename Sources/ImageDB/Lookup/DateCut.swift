import Foundation
import PStampCore

/// The IPP's conversion of a request's MJD limits to `rawExp.dateobs` cuts (Job.pm mjd_to_dateobs):
/// the MJD is taken as TAI, so 34 s are subtracted from MJD 54832 (2009-01-01) on and 33 s before;
/// MJDs below 54000 count as 54000. 0 means "no limit".
public enum DateCut {
    /// The UTC date-time text for an MJD, as 'YYYY-MM-DD HH:MM:SS', or nil for 0 (no limit).
    /// (The IPP wrote 'YYYY-MM-DDTHH:MM:SSZ'; MySQL compares both the same, and this form also
    /// compares correctly with SQLite's text dates.)
    public static func dateobs(mjd: Double) -> String? {
        guard mjd != 0, mjd.isFinite else { return nil }
        // Request validation refuses MJDs past year 9999 (21); here they are held there, so no value
        // can overflow the conversion to `time_t`.
        let m = min(max(mjd, 54000), RequestRow.maximumMJD + 1)
        let leap: Double = m >= 54832 ? 34 : 33
        let seconds = (m - 40587) * 86400 - leap
        return format(unixSeconds: seconds)
    }

    /// The MJD of a 'YYYY-MM-DD HH:MM:SS' UTC text (no TAI correction), for fixtures and reports.
    public static func mjd(dateobs: String) -> Double? {
        let parts = dateobs.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" || $0 == "T" }).compactMap { Int($0) }
        guard parts.count >= 6 else { return nil }
        var t = tm()
        // A date from a database row: fields that do not fit a `tm` make no date (never a trap).
        guard parts.allSatisfy({ abs($0) < 100_000 }) else { return nil }
        t.tm_year = Int32(clamping: parts[0] - 1900); t.tm_mon = Int32(clamping: parts[1] - 1)
        t.tm_mday = Int32(clamping: parts[2])
        t.tm_hour = Int32(clamping: parts[3]); t.tm_min = Int32(clamping: parts[4]); t.tm_sec = Int32(clamping: parts[5])
        return Double(timegm(&t)) / 86400 + 40587
    }

    /// 'YYYY-MM-DD HH:MM:SS' UTC of a Unix time (whole seconds, rounded down); thread-safe (gmtime_r).
    /// Times outside the years 1…9999 (and NaN) are held to those bounds.
    static func format(unixSeconds: Double) -> String {
        let held = unixSeconds.isNaN ? 0 : min(max(unixSeconds, -62_135_596_800), 253_402_300_799)
        var time = time_t(exactly: held.rounded(.down)) ?? 0
        var t = tm()
        gmtime_r(&time, &t)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", Int(t.tm_year) + 1900, Int(t.tm_mon) + 1, Int(t.tm_mday),
            Int(t.tm_hour), Int(t.tm_min), Int(t.tm_sec))
    }
}
