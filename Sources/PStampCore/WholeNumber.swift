/// Whole numbers from floating-point values that may have come from outside: a request row, a form, a
/// FITS header, a database row, a WCS projection of such values. Swift's `Int(someDouble)` traps on NaN,
/// on ±infinity and on anything beyond the integer type's range, so one hostile value would take the
/// process down. Every conversion of a floating value in Sources is either `T(exactly:)` (nil when not
/// representable) or one of these; `NumericConversionLintTests` fails on a new unchecked one.
public enum WholeNumber {
    /// The largest magnitude a pixel coordinate, a pixel count along one axis or an offset may take:
    /// 2^31, far beyond any image, and small enough that a sum or a product of two never overflows Int.
    public static let pixelLimit = 1 << 31

    /// ⌊value⌋ when it is finite and within ±`limit`; else nil.
    public static func floor(_ value: Double, limit: Int = pixelLimit) -> Int? {
        guard let n = Int(exactly: value.rounded(.down)), n >= -limit, n <= limit else { return nil }
        return n
    }

    /// The value rounded by `rule` when it is finite and within ±`limit`; else nil.
    public static func rounded(
        _ value: Double, _ rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero,
        limit: Int = pixelLimit
    ) -> Int? {
        guard let n = Int(exactly: value.rounded(rule)), n >= -limit, n <= limit else { return nil }
        return n
    }

    /// ⌊value⌋ held to ±`limit`: beyond it the result is the limit of that sign, and NaN is −`limit`
    /// (a pixel off every image, an empty size). For geometry whose inputs were already checked.
    public static func saturatingFloor(_ value: Double, limit: Int = pixelLimit) -> Int {
        guard !value.isNaN else { return -limit }
        if value >= Double(limit) { return limit }
        if value <= -Double(limit) { return -limit }
        return Int(exactly: value.rounded(.down)) ?? -limit
    }
}
