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
    case faulted(Int)
    /// The image will not come back (26) or not now (25): the dependent's jobs stop with this code.
    case stopJobs(Int)
}

/// One pass of pstamp_checkdependent.pl (server-internals §5.3) over one dependent: reads the component
/// and its inputs and queues what is missing — chips before the warps built from them, warps and stacks
/// before the diffs. It is idempotent: every pass re-queues what is missing and waits.
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

    mutating func check(stage: String, stageID: Int64, component: String) throws -> DependencyVerdict {
        guard let updatable = UpdateStage(rawValue: stage), updatable != .stack else {
            note("stage \(stage) cannot be updated")
            return .faulted(PStampCode.progError.rawValue)
        }
        guard let it = try images.componentState(updatable, id: stageID, component: component) else {
            note("\(stage) \(stageID) \(component) not found in the image database")
            return .faulted(PStampCode.progError.rawValue)
        }
        note("\(stage) \(stageID) \(component): run \(it.runState), data \(it.dataState), fault \(it.fault), quality \(it.quality)")
        // Case A: done.
        if ["full", "update"].contains(it.runState) && it.dataState == "full" {
            note("component is full")
            return .full
        }
        // Case B: updatable.
        if ["cleaned", "goto_cleaned", "update"].contains(it.runState) {
            if it.fault == PStampCode.gone.rawValue {
                note("component faulted 26: gone")
                return .stopJobs(PStampCode.gone.rawValue)
            }
            if it.runState == "update" && it.fault != 0 {
                return countFault(it.fault, what: "update of the component")
            }
            let result: Int
            switch updatable {
            case .chip: result = try checkChips([it])
            case .warp: result = try checkWarp(it)
            default: result = try checkDiff(it)
            }
            if result >= PStampCode.firstReportedCode { return .stopJobs(result) }
            if result > 0 { return countFault(result, what: "an input") }
            return .waiting
        }
        // Case C: other states.
        if it.runState == "error_cleaned" || it.dataState == "error_cleaned" {
            return .stopJobs(PStampCode.notAvailable.rawValue)
        }
        if isGone(it.runState) { return .stopJobs(PStampCode.gone.rawValue) }
        if it.runState.contains("new") {
            note("run state new: should never happen")
            return .faulted(PStampCode.progError.rawValue)
        }
        note("waiting (run state \(it.runState))")
        return .waiting
    }

    /// A failed update: the dependent is faulted (transient) until the limit, then its jobs stop with 25.
    private mutating func countFault(_ fault: Int, what: String) -> DependencyVerdict {
        let count = faultCount + 1
        if count >= maxFaultCount {
            note("\(what) failed with \(fault) \(count) times: giving up")
            return .stopJobs(PStampCode.notAvailable.rawValue)
        }
        note("\(what) failed with \(fault) (attempt \(count) of \(maxFaultCount))")
        return .faulted(fault < PStampCode.firstReportedCode && fault > 0 ? fault : PStampCode.sysError.rawValue)
    }

    private func isGone(_ state: String) -> Bool {
        state.contains("purged") || state.contains("scrubbed") || state == "drop"
    }

    private func isBad(_ state: String) -> Bool {
        state.contains("error") || isGone(state)
    }

    /// 25 for error_cleaned, 26 for purged/scrubbed/drop (and other error states).
    private func badCode(_ c: ComponentState) -> Int {
        c.runState == "error_cleaned" || c.dataState == "error_cleaned"
            ? PStampCode.notAvailable.rawValue : PStampCode.gone.rawValue
    }

    /// check_states_chip: queues each chip; returns 0 (wait), a code >= 10, or a chip's system fault.
    mutating func checkChips(_ chips: [ComponentState]) throws -> Int {
        for chip in chips {
            if isBad(chip.runState) || isBad(chip.dataState) || chip.fault == PStampCode.gone.rawValue {
                note("chip \(chip.stageID) \(chip.component) is \(chip.runState)/\(chip.dataState)")
                return chip.fault == PStampCode.gone.rawValue ? PStampCode.gone.rawValue : badCode(chip)
            }
            if chip.runState == "goto_cleaned" {
                note("chipRun \(chip.stageID): goto_cleaned -> update")
                try setRunToUpdate(.chip, chip.stageID)
            }
            if chip.dataState != "update" && chip.dataState != "full" {
                note("chip \(chip.stageID) \(chip.component): queue update")
                _ = try images.setComponentToUpdate(.chip, id: chip.stageID, component: chip.component, label: updateLabel)
            } else if chip.runState == "cleaned" && chip.dataState == "update" {
                note("chipRun \(chip.stageID): cleaned with an imfile in update -> update")
                try setRunToUpdate(.chip, chip.stageID)
            }
            if chip.fault != 0 {
                note("chip \(chip.stageID) \(chip.component) faulted \(chip.fault)")
                return chip.fault
            }
        }
        return 0
    }

    /// check_states_warp: chips first, then the warp skyfile.
    mutating func checkWarp(_ warp: ComponentState) throws -> Int {
        if isBad(warp.runState) || isBad(warp.dataState) { return badCode(warp) }
        if (warp.dataState == "full" || warp.dataState == "update") && warp.fault != 0 {
            note("warp \(warp.stageID) \(warp.component) faulted \(warp.fault)")
            return warp.fault
        }
        if warp.quality != 0 { return PStampCode.gone.rawValue }
        if warp.runState == "goto_cleaned" {
            note("warpRun \(warp.stageID): goto_cleaned -> update")
            try setRunToUpdate(.warp, warp.stageID)
            return 0
        }
        let inputs = try images.skycellInputChips(warpID: warp.stageID, skycellID: warp.component)
        if inputs.isEmpty {
            note("warp \(warp.stageID) \(warp.component) has no input chips")
            return PStampCode.gone.rawValue
        }
        if inputs.contains(where: { $0.camRunState == "cleaned" || $0.camFault > 0 }) {
            note("warp \(warp.stageID): a camera run is cleaned or faulted")
            return PStampCode.gone.rawValue
        }
        let notReady = inputs.map(\.chip).filter { $0.dataState != "full" }
        if notReady.isEmpty {
            if warp.dataState != "update" {
                note("warp \(warp.stageID) \(warp.component): inputs full, queue update")
                _ = try images.setComponentToUpdate(.warp, id: warp.stageID, component: warp.component, label: updateLabel)
            } else if warp.runState != "update" {
                note("warpRun \(warp.stageID) -> update")
                try setRunToUpdate(.warp, warp.stageID)
            }
            return 0
        }
        note("warp \(warp.stageID): \(notReady.count) input chip(s) not full")
        return try checkChips(notReady)
    }

    /// check_states_diff: input warps and stacks first, then the diff skyfile.
    mutating func checkDiff(_ diff: ComponentState) throws -> Int {
        if diff.runState == "goto_cleaned" {
            note("diffRun \(diff.stageID): goto_cleaned -> update")
            try setRunToUpdate(.diff, diff.stageID)
            return 0
        }
        // difftool -diffskyfile: a diff the image database does not know is PS_EXIT_PROG_ERROR (4), as
        // the IPP's "no row".
        guard let inputs = try images.diffSkyfileInputs(diffID: diff.stageID, skycellID: diff.component) else {
            note("diff \(diff.stageID) has no skycell \(diff.component) in the image database")
            return PStampCode.progError.rawValue
        }
        let gone = PStampCode.gone.rawValue
        var waiting = false
        func stackFull(_ state: String?) -> Bool { state == "full" }
        switch inputs.diffMode {
        case 2:
            guard stackFull(inputs.stack2State) else { return gone }
            let r = try warpReady(inputs.warp1State, &waiting)
            if r != 0 { return r }
        case 1:
            for warp in [inputs.warp1State, inputs.warp2State] {
                let r = try warpReady(warp, &waiting)
                if r != 0 { return r }
            }
        case 3:
            guard stackFull(inputs.stack1State) else { return gone }
            let r = try warpReady(inputs.warp2State, &waiting)
            if r != 0 { return r }
        case 4:
            guard stackFull(inputs.stack1State), stackFull(inputs.stack2State) else { return gone }
        default:
            note("diff \(diff.stageID): unknown diff_mode \(inputs.diffMode)")
            return PStampCode.progError.rawValue
        }
        if waiting {
            note("diff \(diff.stageID): waiting for its input warps")
            return 0
        }
        if diff.dataState != "update" || diff.runState != "update" {
            note("diff \(diff.stageID) \(diff.component): inputs ready, queue update")
            _ = try images.setComponentToUpdate(.diff, id: diff.stageID, component: diff.component, label: updateLabel)
        }
        return 0
    }

    /// An input warp of a diff: 0 when full (or queued: then `waiting`), else its code.
    private mutating func warpReady(_ warp: ComponentState?, _ waiting: inout Bool) throws -> Int {
        guard let warp else { return PStampCode.gone.rawValue }
        if warp.dataState == "full" && warp.fault == 0 { return warp.quality != 0 ? PStampCode.gone.rawValue : 0 }
        let r = try checkWarp(warp)
        if r == 0 { waiting = true }
        return r
    }

    /// `<tool> -updaterun -set_state update -set_label ps_ud_<label>` on one run.
    private func setRunToUpdate(_ stage: UpdateStage, _ id: Int64) throws {
        _ = try images.updateRun(stage, id: id, setState: "update", setLabel: updateLabel)
    }

    private mutating func note(_ line: String) { log.append(line) }
}
