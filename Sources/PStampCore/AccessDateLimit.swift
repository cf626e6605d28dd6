/// The date cut an access level puts on a request row (pstampparse.pl `adjustDateCuts`): a level whose
/// project row has `mjd_max` ≠ 0 may see exposures up to that MJD only (negative: nothing at all).
public enum AccessDateLimit {
    /// The newest MJD the row may see, or nil when the level does not narrow the row: the cap is 0
    /// (unlimited), or the row already asks for no later than the cap.
    public static func limit(levelMJDMax cap: Double, rowMJDMax requested: Double) -> Double? {
        guard cap != 0 else { return nil }
        return requested == 0 || requested > cap ? cap : nil
    }

    /// MJD_MIN given to bycoord rows of non-stack images that set none (2009-04-01): older data predates
    /// the survey's usable period.
    public static let bycoordMJDMin = 54922.0

    /// The MJD of a diff for the access check, estimated as the IPP does from its input exposure's name:
    /// 50000 + the four digits after the first character (`o6136g0055o` → 56136). Nil when the name has
    /// no such digits (stack−stack diffs).
    public static func diffMJD(expName: String?) -> Double? {
        guard let expName, expName.count >= 5 else { return nil }
        let digits = expName.dropFirst().prefix(4)
        guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let n = Int(digits) else { return nil }
        return Double(50000 + n)
    }
}
