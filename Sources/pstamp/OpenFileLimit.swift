import Glibc

/// The server's open-file limit: the soft limit (often 1024) raised to the hard one at start, so that many
/// clients at once (each connection a descriptor, until the idle timeout drops the silent ones) do not
/// make the server unreachable while the machine allows more.
enum OpenFileLimit {
    /// Raises the soft limit to the hard limit; returns the limit now in force (nil if it cannot be read).
    @discardableResult
    static func raise() -> UInt64? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { return UInt64(raised.rlim_cur) }
        }
        return UInt64(limit.rlim_cur)
    }
}
