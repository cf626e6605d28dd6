import Foundation
import PStampCore

/// The gpc1 tables of each stage.
extension UpdateStage {
    var runTable: String {
        switch self {
        case .chip: "chipRun";
        case .warp: "warpRun";
        case .diff: "diffRun";
        case .stack: "stackRun"
        }
    }
    var runKey: String {
        switch self {
        case .chip: "chip_id";
        case .warp: "warp_id";
        case .diff: "diff_id";
        case .stack: "stack_id"
        }
    }
    /// The component table and its component column (stacks have one summed skyfile per run).
    var componentTable: String {
        switch self {
        case .chip: "chipProcessedImfile";
        case .warp: "warpSkyfile";
        case .diff: "diffSkyfile";
        case .stack: "stackSumSkyfile"
        }
    }
    var componentKey: String? {
        switch self {
        case .chip: "class_id";
        case .warp, .diff: "skycell_id";
        case .stack: nil
        }
    }
}

/// A located component of an updatable stage and its state.
@dynamicMemberLookup
public struct ComponentState: Sendable, Equatable {
    public var stage: UpdateStage
    public var stageID: Int64
    public var component: String
    public var state: ImageState

    public init(
        stage: UpdateStage, stageID: Int64, component: String, runState: String, dataState: String, fault: Int, quality: Int,
        label: String? = nil, dataGroup: String? = nil
    ) {
        self.stage = stage; self.stageID = stageID; self.component = component
        state = ImageState(runState: runState, dataState: dataState, fault: fault, quality: quality, label: label, dataGroup: dataGroup)
    }

    /// The state's fields (`runState`, `dataState`, `fault`, …) read as the component's own.
    public subscript<T>(dynamicMember keyPath: WritableKeyPath<ImageState, T>) -> T {
        get { state[keyPath: keyPath] }
        set { state[keyPath: keyPath] = newValue }
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<ImageState, T>) -> T { state[keyPath: keyPath] }
}

extension ImageDatabase {
    /// A component's run state, data_state, fault and quality (chiptool -processedimfile -allfiles,
    /// warptool -warped, difftool -diffskyfile, stacktool -sumskyfile), or nil when there is none.
    public func componentState(_ stage: UpdateStage, id: Int64, component: String?) throws -> ComponentState? {
        try connection.read { db in try Self.componentState(db, stage, id: id, component: component) }
    }

    static func componentState(_ db: any SQLExecutor, _ stage: UpdateStage, id: Int64, component: String?) throws -> ComponentState? {
        let dataState = stage == .stack ? "r.state" : "p.data_state"
        var sql = """
            SELECT r.state AS run_state, \(dataState) AS data_state, p.fault, p.quality, r.label, r.data_group\
            \(stage.componentKey.map { ", p.\($0) AS component" } ?? ", r.skycell_id AS component")
            FROM \(stage.runTable) r JOIN \(stage.componentTable) p ON p.\(stage.runKey) = r.\(stage.runKey)
            WHERE r.\(stage.runKey) = ?
            """
        var args: [SQLValue] = [.int(id)]
        if let key = stage.componentKey {
            guard let component else { throw PStampError(.invalidRequest, "\(stage.rawValue) needs a component") }
            sql += " AND p.\(key) = ?"
            args.append(.text(component))
        }
        guard let row = try db.queryOne(sql, args) else { return nil }
        return ComponentState(
            stage: stage, stageID: id, component: row.string("component") ?? component ?? "",
            runState: row.string("run_state") ?? "", dataState: row.string("data_state") ?? "",
            fault: row.int("fault") ?? 0, quality: row.int("quality") ?? 0,
            label: row.string("label"), dataGroup: row.string("data_group"))
    }
}
