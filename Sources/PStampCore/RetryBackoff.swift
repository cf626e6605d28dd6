/// When a faulted row (a request, job or dependent) is tried again: about `firstWait` seconds after its
/// first fault, the wait doubling with each further fault and never longer than `cap` (the IPP's revert
/// period for that kind of row). Each wait is spread by ±`jitter` of itself, so rows that faulted
/// together (one outage) do not all come back in the same second.
public struct RetryBackoff: Sendable, Equatable {
    /// Seconds before the first retry; 0 retries at once.
    public var firstWait: Double
    /// The longest wait, in seconds.
    public var cap: Double
    /// The spread, as a fraction of the wait (0.2: ±20 %).
    public var jitter: Double

    public init(firstWait: Double = 10, cap: Double, jitter: Double = 0.2) {
        self.firstWait = firstWait
        self.cap = cap
        self.jitter = min(max(jitter, 0), 1)
    }

    /// pstamp.request.revert ran every 1200 s.
    public static let request = RetryBackoff(cap: 1200)
    /// pstamp.job.revert ran every 300 s.
    public static let job = RetryBackoff(cap: 300)
    /// pstamp.dependent.revert ran every 900 s.
    public static let dependent = RetryBackoff(cap: 900)

    /// The wait before retrying a row that has faulted `faults` times (1 or less: its first fault);
    /// `unit` (0 ..< 1, from a random source) places it inside the spread.
    public func delay(faults: Int, unit: Double) -> Double {
        guard firstWait > 0, cap > 0, firstWait.isFinite, cap.isFinite else { return 0 }
        var wait = min(firstWait, cap)
        var n = 1
        while n < faults && wait < cap {
            wait = min(cap, wait * 2)
            n += 1
        }
        let u = unit.isFinite ? min(max(unit, 0), 1) : 0.5
        return min(cap, max(0, wait * (1 + jitter * (2 * u - 1))))
    }
}
