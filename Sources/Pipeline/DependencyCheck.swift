import Foundation
import ImageDB
import PStampCore

/// What one pass of the dependency checker concluded about a dependent.
public enum DependencyVerdict: Sendable, Equatable {
    /// The component is `full` again: the dependent goes `full` and its jobs are released.
    case full
    /// Update processing is queued or running: look again later.
    case waiting
    /// A transient failure: the dependent is faulted with this system fault (fault_count + 1).
    case faulted(PStampCode)
    /// The image will not come back (26) or not now (25): the dependent's jobs stop with this code.
    case stopJobs(PStampCode)
}

extension DependencyVerdict: CustomStringConvertible {
    /// As the checkdep log writes it: `full`, `waiting`, `faulted(2)`, `stopJobs(26)`.
    public var description: String {
        switch self {
        case .full: "full"
        case .waiting: "waiting"
        case .faulted(let code): "faulted(\(code.rawValue))"
        case .stopJobs(let code): "stopJobs(\(code.rawValue))"
        }
    }
}

/// One pass of pstamp_checkdependent.pl (server-internals §5.3) over one dependent: reads the component
/// and its inputs and queues what is missing — chips before the warps built from them, warps and stacks
/// before the diffs. It is idempotent: every pass re-queues what is missing and waits.
///
/// The component's `ImageState.availability` decides first: full releases the jobs, gone stops them
/// with 26, a failed cleaning with 25, an updatable component has its inputs checked and queued.
///
/// Fixes of IPP quirks: an error_cleaned chip answers 25 and a purged/scrubbed/dropped one 26 (the IPP's
/// test was an assignment and always answered 25); a faulted warp skyfile faults the dependent (the IPP
/// returned its fault as the exit status without recording it).
struct DependencyCheck {
    let images: any ImageDatabase
    /// ps_ud_<request label>: the label given to the update runs.
    let updateLabel: String?
    /// The dependent's fault_count before this pass, and the limit (PSTAMP_MAX_FAULT_COUNT).
    let faultCount: Int
    let maxFaultCount: Int
    private(set) var log: [String] = []

    init(images: any ImageDatabase, updateLabel: String?, faultCount: Int, maxFaultCount: Int) {
        self.images = images
        self.updateLabel = updateLabel
        self.faultCount = faultCount
        self.maxFaultCount = maxFaultCount
    }

    mutating func check(stage: UpdateStage?, stageID: Int64, component: String) throws -> DependencyVerdict {
        guard let updatable = stage, updatable != .stack else {
            note("stage \(stage?.rawValue ?? "NULL") cannot be updated")
            return .faulted(.progError)
        }
        let stage = updatable.rawValue
        guard let it = try images.componentState(updatable, id: stageID, component: component) else {
            note("\(stage) \(stageID) \(component) not found in the image database")
            return .faulted(.progError)
        }
        note("\(stage) \(stageID) \(component): run \(it.runState), data \(it.dataState), fault \(it.fault), quality \(it.quality)")
        switch it.state.dependentAvailability {
        case .full:
            note("component is full")
            return .full
        case .gone:
            note("component is gone (\(it.runState), fault \(it.fault))")
            return .stopJobs(.gone)
        case .errorCleaned:
            return .stopJobs(.notAvailable)
        case .pending:
            if it.state.run == .new {
                note("run state new: should never happen")
                return .faulted(.progError)
            }
            note("waiting (run state \(it.runState))")
            return .waiting
        case .updatable:
            if it.state.run == .update && it.fault != 0 {
                return countFault(PStampCode(it.fault), what: "update of the component")
            }
            let result: PStampCode
            switch updatable {
            case .chip: result = try checkChips([it])
            case .warp: result = try checkWarp(it)
            case .diff, .stack: result = try checkDiff(it)
            }
            if result.isReported { return .stopJobs(result) }
            if result != .success { return countFault(result, what: "an input") }
            return .waiting
        }
    }

    /// A failed update: the dependent is faulted (transient) until the limit, then its jobs stop with 25.
    private mutating func countFault(_ fault: PStampCode, what: String) -> DependencyVerdict {
        let count = faultCount + 1
        if count >= maxFaultCount {
            note("\(what) failed with \(fault.rawValue) \(count) times: giving up")
            return .stopJobs(.notAvailable)
        }
        note("\(what) failed with \(fault.rawValue) (attempt \(count) of \(maxFaultCount))")
        return .faulted(fault.isRetryable ? fault : .sysError)
    }

    /// A component whose run or data is in an error state or gone: no input of an update.
    private func isBad(_ state: ImageState) -> Bool {
        [state.run, state.data].contains { $0?.isError == true || $0?.isGone == true }
    }

    /// 25 for error_cleaned, 26 for purged/scrubbed/drop (and other error states).
    private func badCode(_ state: ImageState) -> PStampCode {
        state.run == .errorCleaned || state.data == .errorCleaned ? .notAvailable : .gone
    }

    /// check_states_chip: queues each chip; returns success (wait), a code >= 10, or a chip's system fault.
    mutating func checkChips(_ chips: [ComponentState]) throws -> PStampCode {
        for chip in chips {
            if isBad(chip.state) || chip.fault == PStampCode.gone.rawValue {
                note("chip \(chip.stageID) \(chip.component) is \(chip.runState)/\(chip.dataState)")
                return chip.fault == PStampCode.gone.rawValue ? .gone : badCode(chip.state)
            }
            if chip.state.run == .gotoCleaned {
                note("chipRun \(chip.stageID): goto_cleaned -> update")
                try setRunToUpdate(.chip, chip.stageID)
            }
            if chip.state.data != .update && chip.state.data != .full {
                note("chip \(chip.stageID) \(chip.component): queue update")
                _ = try images.setComponentToUpdate(.chip, id: chip.stageID, component: chip.component, label: updateLabel)
            } else if chip.state.run == .cleaned && chip.state.data == .update {
                note("chipRun \(chip.stageID): cleaned with an imfile in update -> update")
                try setRunToUpdate(.chip, chip.stageID)
            }
            if chip.fault != 0 {
                note("chip \(chip.stageID) \(chip.component) faulted \(chip.fault)")
                return PStampCode(chip.fault)
            }
        }
        return .success
    }

    /// check_states_warp: chips first, then the warp skyfile.
    mutating func checkWarp(_ warp: ComponentState) throws -> PStampCode {
        if isBad(warp.state) { return badCode(warp.state) }
        if (warp.state.data == .full || warp.state.data == .update) && warp.fault != 0 {
            note("warp \(warp.stageID) \(warp.component) faulted \(warp.fault)")
            return PStampCode(warp.fault)
        }
        if warp.quality != 0 { return .gone }
        if warp.state.run == .gotoCleaned {
            note("warpRun \(warp.stageID): goto_cleaned -> update")
            try setRunToUpdate(.warp, warp.stageID)
            return .success
        }
        let inputs = try images.skycellInputChips(warpID: warp.stageID, skycellID: warp.component)
        if inputs.isEmpty {
            note("warp \(warp.stageID) \(warp.component) has no input chips")
            return .gone
        }
        if inputs.contains(where: { $0.camRunState == GPC1State.cleaned.rawValue || $0.camFault > 0 }) {
            note("warp \(warp.stageID): a camera run is cleaned or faulted")
            return .gone
        }
        let notReady = inputs.map(\.chip).filter { $0.state.data != .full }
        if notReady.isEmpty {
            if warp.state.data != .update {
                note("warp \(warp.stageID) \(warp.component): inputs full, queue update")
                _ = try images.setComponentToUpdate(.warp, id: warp.stageID, component: warp.component, label: updateLabel)
            } else if warp.state.run != .update {
                note("warpRun \(warp.stageID) -> update")
                try setRunToUpdate(.warp, warp.stageID)
            }
            return .success
        }
        note("warp \(warp.stageID): \(notReady.count) input chip(s) not full")
        return try checkChips(notReady)
    }

    /// check_states_diff: input warps and stacks first, then the diff skyfile.
    mutating func checkDiff(_ diff: ComponentState) throws -> PStampCode {
        if diff.state.run == .gotoCleaned {
            note("diffRun \(diff.stageID): goto_cleaned -> update")
            try setRunToUpdate(.diff, diff.stageID)
            return .success
        }
        // difftool -diffskyfile: a diff the image database does not know is PS_EXIT_PROG_ERROR (4), as
        // the IPP's "no row".
        guard let inputs = try images.diffSkyfileInputs(diffID: diff.stageID, skycellID: diff.component) else {
            note("diff \(diff.stageID) has no skycell \(diff.component) in the image database")
            return .progError
        }
        var waiting = false
        func stackFull(_ state: GPC1State?) -> Bool { state == .full }
        switch inputs.diffMode {
        case 2:
            guard stackFull(inputs.stack2State) else { return .gone }
            let r = try warpReady(inputs.warp1State, &waiting)
            if r != .success { return r }
        case 1:
            for warp in [inputs.warp1State, inputs.warp2State] {
                let r = try warpReady(warp, &waiting)
                if r != .success { return r }
            }
        case 3:
            guard stackFull(inputs.stack1State) else { return .gone }
            let r = try warpReady(inputs.warp2State, &waiting)
            if r != .success { return r }
        case 4:
            guard stackFull(inputs.stack1State), stackFull(inputs.stack2State) else { return .gone }
        default:
            note("diff \(diff.stageID): unknown diff_mode \(inputs.diffMode)")
            return .progError
        }
        if waiting {
            note("diff \(diff.stageID): waiting for its input warps")
            return .success
        }
        if diff.state.data != .update || diff.state.run != .update {
            note("diff \(diff.stageID) \(diff.component): inputs ready, queue update")
            _ = try images.setComponentToUpdate(.diff, id: diff.stageID, component: diff.component, label: updateLabel)
        }
        return .success
    }

    /// An input warp of a diff: success when full (or queued: then `waiting`), else its code.
    private mutating func warpReady(_ warp: ComponentState?, _ waiting: inout Bool) throws -> PStampCode {
        guard let warp else { return .gone }
        if warp.state.data == .full && warp.fault == 0 { return warp.quality != 0 ? .gone : .success }
        let r = try checkWarp(warp)
        if r == .success { waiting = true }
        return r
    }

    /// `<tool> -updaterun -set_state update -set_label ps_ud_<label>` on one run.
    private func setRunToUpdate(_ stage: UpdateStage, _ id: Int64) throws {
        _ = try images.updateRun(stage, id: id, setState: .update, setLabel: updateLabel)
    }

    private mutating func note(_ line: String) { log.append(line) }
}
