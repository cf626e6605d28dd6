/// The results table's MJD_OBS of an exposure, in the IPP's convention (pstamp_finish.pl
/// `dateobs_to_mjd`): the exposure's start, `rawExp.dateobs` (UTC), turned into TAI by adding 34 s for
/// dates from 2009 on and 33 s before (the leap seconds of 2009-01-01 and 2006-01-01; the IPP counts no
/// others), as an MJD: 40587 + (Unix seconds + leap) / 86400. Stacks are not converted: their MJD_OBS is
/// the stack's own `mjd_obs`.
///
///     ExposureMJD.tai(dateobs: "2009-06-04 10:00:00")   // 54986.41706018518… (UTC would be 54986.416666…)
public enum ExposureMJD {
    /// The MJD of 1970-01-01 (the Unix epoch).
    static let unixEpochMJD = 40587.0

    /// The TAI MJD of a UTC date-time text (`YYYY-MM-DD HH:MM:SS` or with `T`), or nil when it is not one.
    public static func tai(dateobs: String) -> Double? {
        guard let t = MetadataTime(dateobs) else { return nil }
        let seconds =
            Double(
                unixDays(year: t.year, month: t.month, day: t.day) * 86400
                    + t.hour * 3600 + t.minute * 60 + t.second) + Double(t.microsecond) / 1e6
        return unixEpochMJD + (seconds + leapSeconds(year: t.year)) / 86400
    }

    /// The TAI MJD for a UTC MJD (parameters written before the date text was kept).
    public static func tai(utcMJD mjd: Double) -> Double {
        mjd + leapSeconds(year: mjd >= 54832 ? 2009 : 2008) / 86400
    }

    /// TAI − UTC as pstamp_finish.pl takes it: 34 s from 2009 on, else 33 s.
    static func leapSeconds(year: Int) -> Double { year >= 2009 ? 34 : 33 }

    /// Days since 1970-01-01 of a proleptic Gregorian date (what timegm counts).
    static func unixDays(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }
}
