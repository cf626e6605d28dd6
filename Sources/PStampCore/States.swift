/// A state column of the request database (`pstampRequest.state`, `pstampJob.state`, …).
/// Every state change is checked against the one transition table, `StateTransitions`.
public protocol PStampState: RawRepresentable, CaseIterable, Codable, Hashable, Sendable, CustomStringConvertible
where RawValue == String {
    /// What the state belongs to, in the field's words: "request", "job", "dependent", "data store".
    static var kind: String { get }
}

extension PStampState {
    public var description: String { rawValue }

    /// Parses a state as an operator types it; a state that does not exist is refused with the list of states.
    public static func parse(_ text: String) throws(PStampError) -> Self {
        if let state = Self(rawValue: text) { return state }
        let known = allCases.map(\.rawValue).joined(separator: ", ")
        throw PStampError(.configError, "'\(text)' is not a \(kind) state (states: \(known))")
    }
}

/// `pstampRequest.state`. `hold` parks a troubled request: its jobs and dependents are not pending
/// until `-set_state run` releases it.
public enum RequestState: String, PStampState {
    case new, run, parsed, stop, hold
    case gotoCleaned = "goto_cleaned"
    case cleaned
    public static let kind = "request"
}

/// `pstampJob.state`. `cancel` is recognised as finished, like `stop`.
public enum JobState: String, PStampState {
    case run, parsed, stop, cancel
    public static let kind = "job"
}

/// `pstampDependent.state`. `new` and `hold` are open: at most one open dependent per image component.
public enum DependentState: String, PStampState {
    case new, hold, full
    public static let kind = "dependent"
    /// The states in which a dependent is open (reused by `-getdependent`).
    public static let open: [DependentState] = [.new, .hold]
}

/// `pstampDataStore.state`: only `enabled` stores are polled.
public enum DataStoreState: String, PStampState {
    case enabled, disabled
    public static let kind = "data store"
}
