import PStampCore

/// A state of a gpc1 run or of a component's data (`data_state`): the states the IPP accepts
/// (pxIsValidState).
public enum GPC1State: String, Sendable, CaseIterable, CustomStringConvertible {
    case new, reg, full, drop, wait, keep, ignore, cleaned, update, purged, scrubbed
    case gotoCleaned = "goto_cleaned", errorCleaned = "error_cleaned", gotoPurged = "goto_purged"
    case errorPurged = "error_purged", gotoScrubbed = "goto_scrubbed", errorScrubbed = "error_scrubbed"

    public var description: String { rawValue }

    /// Purged, scrubbed or dropped (or on the way there): the data will not come back.
    public var isGone: Bool {
        switch self {
        case .drop, .purged, .scrubbed, .gotoPurged, .errorPurged, .gotoScrubbed, .errorScrubbed: true
        default: false
        }
    }

    /// A failed cleaning, purge or scrub.
    public var isError: Bool { [.errorCleaned, .errorPurged, .errorScrubbed].contains(self) }

    /// `text` as a state, or code 21 naming the states.
    public static func parse(_ text: String) throws -> GPC1State {
        guard let state = GPC1State(rawValue: text) else {
            let legal = allCases.map(\.rawValue).sorted().joined(separator: ", ")
            throw PStampError(.invalidRequest, "'\(text)' is not a valid state (one of \(legal))")
        }
        return state
    }
}

/// What the server decides on about an image component: its run's state, its data_state, fault and
/// quality, and the run's label and data group.
public struct ImageState: Sendable, Equatable {
    /// The run's state (for stacks it also stands in for the data_state); nil for a text the IPP does
    /// not know (or none).
    public var run: GPC1State?
    /// The component's data_state.
    public var data: GPC1State?
    public var fault: Int
    public var quality: Int
    public var label: String?
    public var dataGroup: String?

    /// A state read from the image database's columns.
    public init(runState: String, dataState: String, fault: Int = 0, quality: Int = 0, label: String? = nil, dataGroup: String? = nil) {
        run = GPC1State(rawValue: runState); data = GPC1State(rawValue: dataState); self.fault = fault; self.quality = quality
        self.label = label; self.dataGroup = dataGroup
    }

    /// The run's state as the IPP tools print it (empty when unknown).
    public var runState: String { run?.rawValue ?? "" }
    /// The data_state as the IPP tools print it.
    public var dataState: String { data?.rawValue ?? "" }

    /// Where the component stands (server-internals §5.1 and §5.3), decided in this order: gone
    /// (faulted 26, or its run purged, scrubbed or dropped), errorCleaned (its cleaning failed), full
    /// (its data on disk and its run not being cleaned), updatable (its run cleaned, being cleaned or
    /// in update: update processing can bring the data back), else pending.
    public var availability: ImageAvailability {
        if fault == PStampCode.gone.rawValue || run?.isGone == true { return .gone }
        if run == .errorCleaned || data == .errorCleaned { return .errorCleaned }
        if data == .full && run != .gotoCleaned { return .full }
        if let run, [.cleaned, .gotoCleaned, .update].contains(run) { return .updatable }
        return .pending
    }

    /// Where the component stands for the dependency check (pstamp_checkdependent, server-internals
    /// §5.3). Its "done" test comes first and is stricter than the parser's: the run too must be `full`
    /// (or in `update`) with the data `full`, whatever the component's fault. Full data of a run in any
    /// other state is not done: a run being cleaned or cleaned is still updatable, any other run (reg,
    /// wait, keep …) is waited on, as the IPP does.
    public var dependentAvailability: ImageAvailability {
        if let run, [.full, .update].contains(run), data == .full { return .full }
        let parsed = availability
        guard parsed == .full else { return parsed }
        if let run, [.cleaned, .gotoCleaned, .update].contains(run) { return .updatable }
        return .pending
    }
}

/// Where an image component stands: the one classification the parser and the dependency check act on.
public enum ImageAvailability: Sendable, Equatable {
    /// Its data is on disk: stamps can be cut now.
    case full
    /// Cleaned (or being cleaned, or being updated): update processing regenerates it.
    case updatable
    /// Its run is in none of those states (new, reg, wait …): the IPP has not finished with it.
    case pending
    /// Its cleaning failed: it cannot be regenerated now.
    case errorCleaned
    /// Purged, scrubbed, dropped or faulted 26: it will not come back.
    case gone
}
