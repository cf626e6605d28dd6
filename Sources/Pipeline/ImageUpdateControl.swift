import Foundation

/// An image component as the dependency checker sees it (chiptool -processedimfile, warptool -warped,
/// difftool -diffskyfile): its run's state and its own data_state, fault and quality.
public struct ComponentState: Sendable, Equatable {
    public var stage: String
    public var stageID: Int64
    public var component: String
    public var runState: String
    public var dataState: String
    public var fault: Int
    public var quality: Int
    public var dataGroup: String?

    public init(stage: String, stageID: Int64, component: String, runState: String, dataState: String,
                fault: Int = 0, quality: Int = 0, dataGroup: String? = nil) {
        self.stage = stage; self.stageID = stageID; self.component = component; self.runState = runState
        self.dataState = dataState; self.fault = fault; self.quality = quality; self.dataGroup = dataGroup
    }
}

/// The input chips of a warp skycell (warptool -scmap): each chip and its camera run.
public struct WarpInput: Sendable, Equatable {
    public var chip: ComponentState
    public var camRunState: String
    public var camFault: Int
    public init(chip: ComponentState, camRunState: String, camFault: Int = 0) {
        self.chip = chip; self.camRunState = camRunState; self.camFault = camFault
    }
}

/// The inputs of a diff skycell by diff_mode (1 warp−warp, 2 warp−stack, 3 stack−warp, 4 stack−stack):
/// the input warp skyfiles and the input stacks' run states.
public struct DiffInputs: Sendable, Equatable {
    public var mode: Int
    public var warp1: ComponentState?
    public var warp2: ComponentState?
    public var stack1State: String?
    public var stack2State: String?
    public init(mode: Int, warp1: ComponentState? = nil, warp2: ComponentState? = nil,
                stack1State: String? = nil, stack2State: String? = nil) {
        self.mode = mode; self.warp1 = warp1; self.warp2 = warp2
        self.stack1State = stack1State; self.stack2State = stack2State
    }
}

/// What the dependency checker and the update processor need from the image database: read a
/// component and its inputs, and queue update processing (the chiptool/warptool/difftool modes of
/// gpc1-image-db.md §2.5). The image-database module implements it for its SQLite and MySQL drivers.
public protocol ImageUpdateControl: Sendable {
    /// The component, or nil when the image database has no such row.
    func component(stage: String, stageID: Int64, component: String) throws -> ComponentState?
    /// warptool -scmap: the input chips of one warp skycell.
    func warpInputs(warpID: Int64, skycell: String) throws -> [WarpInput]
    /// The inputs of one diff skycell.
    func diffInputs(diffID: Int64, skycell: String) throws -> DiffInputs
    /// `<tool> -updaterun -set_state <state> [-set_label <label>]` on one run.
    func setRunState(stage: String, stageID: Int64, state: String, label: String?) throws
    /// chiptool -setimfiletoupdate / warptool -setskyfiletoupdate / difftool -setskyfiletoupdate.
    func queueUpdate(stage: String, stageID: Int64, component: String, label: String?) throws
    /// Clears a system fault (< 10, never 26) of a component being updated, so it is processed again
    /// (chiptool -revertprocessedimfile and its warp/diff twins). Returns whether a fault was cleared.
    func revertComponent(stage: String, stageID: Int64, component: String) throws -> Bool
}
