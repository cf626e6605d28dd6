/// pstampparse.pl's watch for big requests on the high-priority channels: a request whose label
/// contains `WEB` or `PSI` (and not already `BIG`) that has more than 100 rows, or that has made more
/// than 400 jobs so far (stand-in jobs of rejected rows included), moves to the low-priority label
/// `WEB.BIG` (labels containing WEB) or `PSI.BIG` — once.
public struct BigRequestWatch: Sendable {
    public static let rowLimit = 100
    public static let jobLimit = 400
    public private(set) var watching: Bool
    let label: String

    public init(label: String?) {
        let label = label ?? ""
        self.label = label
        watching = !label.contains("BIG") && (label.contains("PSI") || label.contains("WEB"))
    }

    /// The label to move to once the row count is known, or nil.
    public mutating func rows(_ count: Int) -> String? { check(count > Self.rowLimit) }

    /// The label to move to after a row, given the jobs made so far, or nil.
    public mutating func jobs(_ count: Int) -> String? { check(count > Self.jobLimit) }

    private mutating func check(_ over: Bool) -> String? {
        guard watching, over else { return nil }
        watching = false
        return label.contains("WEB") ? "WEB.BIG" : "PSI.BIG"
    }
}
