/// The legal state changes of requests, jobs, dependents and incoming data stores — the one table
/// every state change in PStamp goes through (server-internals.md §2).
///
/// Staying in the same state (for example a job that stays `run` while its fault is set) is always
/// legal. A row is created only in one of the `initial` states.
public struct TransitionTable<State: PStampState>: Sendable {
    /// One legal change, with who makes it in the IPP (documentation for operators and tests).
    public struct Edge: Sendable, Hashable {
        public let from: State
        public let to: State
        public let by: String
    }

    public let initial: Set<State>
    public let edges: [Edge]

    public init(initial: Set<State>, edges: [Edge]) {
        self.initial = initial
        self.edges = edges
    }

    public func isLegal(from: State, to: State) -> Bool {
        from == to || edges.contains { $0.from == from && $0.to == to }
    }

    /// Refuses an illegal change with a message naming both states.
    public func check(from: State, to: State) throws(PStampError) {
        guard isLegal(from: from, to: to) else {
            throw PStampError(.dataError, "illegal \(State.kind) state change from '\(from)' to '\(to)'")
        }
    }

    /// Refuses to create a row in a state a row cannot start in.
    public func checkInitial(_ state: State) throws(PStampError) {
        guard initial.contains(state) else {
            let legal = State.allCases.filter { initial.contains($0) }.map(\.rawValue).joined(separator: ", ")
            throw PStampError(.dataError, "a \(State.kind) cannot start in state '\(state)' (only: \(legal))")
        }
    }

    /// Every state from which `to` can be reached: the guard of an `UPDATE … WHERE state IN (…)`.
    public func sources(to: State) -> [State] {
        State.allCases.filter { isLegal(from: $0, to: to) }
    }
}

/// The transition tables, one per state column.
public enum StateTransitions {
    public static let request = TransitionTable<RequestState>(
        initial: [.new],
        edges: [
            .init(from: .new, to: .run, by: "parser: request parsed, ACTION PROCESS (or fault 21)"),
            .init(from: .new, to: .parsed, by: "parser: ACTION PREVIEW"),
            .init(from: .parsed, to: .run, by: "operator / web: preview accepted"),
            .init(from: .parsed, to: .stop, by: "operator / web: preview finished"),
            .init(from: .run, to: .stop, by: "finisher: results fileset registered"),
            .init(from: .new, to: .hold, by: "operator: park a troubled request"),
            .init(from: .run, to: .hold, by: "operator: park a troubled request"),
            .init(from: .parsed, to: .hold, by: "operator: park a troubled request"),
            .init(from: .hold, to: .run, by: "operator: release a held request"),
            .init(from: .hold, to: .new, by: "operator: release a held request that was not parsed yet"),
            .init(from: .stop, to: .gotoCleaned, by: "cleanup queue: older than PSTAMP_PRESERVE_DAYS"),
            .init(from: .new, to: .gotoCleaned, by: "operator: make a request and its jobs go away"),
            .init(from: .run, to: .gotoCleaned, by: "operator: make a request and its jobs go away"),
            .init(from: .parsed, to: .gotoCleaned, by: "operator: make a request and its jobs go away"),
            .init(from: .hold, to: .gotoCleaned, by: "operator: make a request and its jobs go away"),
            .init(from: .gotoCleaned, to: .cleaned, by: "cleaner: fileset, files and workdir deleted"),
        ])

    public static let job = TransitionTable<JobState>(
        initial: [.run, .parsed, .stop],
        edges: [
            .init(from: .run, to: .stop, by: "job runner: done (fault 0 or a reported code); stopfaulted; dependent gone"),
            .init(from: .parsed, to: .run, by: "operator / web: preview accepted"),
            .init(from: .parsed, to: .stop, by: "operator / web: preview finished"),
            .init(from: .run, to: .cancel, by: "operator / web: job cancelled"),
            .init(from: .parsed, to: .cancel, by: "operator / web: job cancelled"),
        ])

    public static let dependent = TransitionTable<DependentState>(
        initial: [.new, .hold],
        edges: [
            .init(from: .hold, to: .new, by: "-getdependent without -hold finds a held dependent"),
            .init(from: .new, to: .full, by: "dependency checker: component updated and full"),
            .init(from: .new, to: .hold, by: "operator: park a dependent"),
        ])

    public static let dataStore = TransitionTable<DataStoreState>(
        initial: [.enabled, .disabled],
        edges: [
            .init(from: .enabled, to: .disabled, by: "operator: stop polling"),
            .init(from: .disabled, to: .enabled, by: "operator: resume polling"),
        ])
}
