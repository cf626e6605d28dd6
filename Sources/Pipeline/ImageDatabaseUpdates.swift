import Foundation
import ImageDB
import PStampCore

/// The image-database module's update control (ImageDB `Update/`) seen through `ImageUpdateControl`.
public struct ImageDatabaseUpdates: ImageUpdateControl {
    public let database: any ImageDatabase

    public init(_ database: any ImageDatabase) { self.database = database }

    static func stage(_ name: String) throws -> UpdateStage {
        guard let stage = UpdateStage(rawValue: name) else {
            throw PStampError(.progError, "stage \(name) cannot be updated")
        }
        return stage
    }

    static func convert(_ s: ImageDB.ComponentState) -> Pipeline.ComponentState {
        Pipeline.ComponentState(stage: s.stage.rawValue, stageID: s.stageID, component: s.component,
                                runState: s.runState, dataState: s.dataState, fault: s.fault, quality: s.quality,
                                dataGroup: s.dataGroup)
    }

    public func component(stage: String, stageID: Int64, component: String) throws -> Pipeline.ComponentState? {
        try database.componentState(Self.stage(stage), id: stageID, component: component).map(Self.convert)
    }

    public func warpInputs(warpID: Int64, skycell: String) throws -> [WarpInput] {
        try database.skycellInputChips(warpID: warpID, skycellID: skycell).map { chip in
            WarpInput(chip: Pipeline.ComponentState(stage: "chip", stageID: chip.chipID, component: chip.classID,
                                                    runState: chip.chipRunState, dataState: chip.dataState,
                                                    fault: chip.fault),
                      camRunState: chip.camRunState, camFault: chip.camFault)
        }
    }

    /// difftool -diffskyfile + warptool -warped + stacktool -sumskyfile: the diff skycell's inputs. A diff
    /// the image database does not know answers PS_EXIT_PROG_ERROR (4), as the IPP's "no row" does.
    public func diffInputs(diffID: Int64, skycell: String) throws -> DiffInputs {
        guard let inputs = try database.diffSkyfileInputs(diffID: diffID, skycellID: skycell) else {
            throw PStampError(.progError, "diff \(diffID) has no skycell \(skycell) in the image database")
        }
        return DiffInputs(mode: inputs.diffMode, warp1: inputs.warp1State.map(Self.convert),
                          warp2: inputs.warp2State.map(Self.convert),
                          stack1State: inputs.stack1State, stack2State: inputs.stack2State)
    }

    public func setRunState(stage: String, stageID: Int64, state: String, label: String?) throws {
        _ = try database.updateRun(Self.stage(stage), id: stageID, setState: state, setLabel: label)
    }

    public func queueUpdate(stage: String, stageID: Int64, component: String, label: String?) throws {
        _ = try database.setComponentToUpdate(Self.stage(stage), id: stageID, component: component, label: label)
    }

    public func revertComponent(stage: String, stageID: Int64, component: String) throws -> Bool {
        // The module reverts a whole run's faulted components; those of this run are what we want.
        try database.revertComponents(Self.stage(stage), id: stageID) > 0
    }
}
