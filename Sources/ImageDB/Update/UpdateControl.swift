import Foundation
import PStampCore

/// A chip feeding a warp skycell (warptool -scmap): its state and its camera run's state.
public struct SkycellInputChip: Sendable, Equatable {
    public var chipID: Int64
    public var classID: String
    public var chipRunState: String
    public var dataState: String
    public var fault: Int
    public var camID: Int64
    public var camRunState: String
    public var camFault: Int

    /// The chip as a component (chiptool -processedimfile's view of it).
    public var chip: ComponentState {
        ComponentState(
            stage: .chip, stageID: chipID, component: classID, runState: chipRunState, dataState: dataState,
            fault: fault, quality: 0)
    }
}

/// Update control: the equivalents of the IPP tool modes that queue cleaned components for
/// regeneration and record the processing side's progress. Each call is one transaction whose
/// UPDATEs carry their guards (the states they move from), so two callers cannot both act.
extension ImageDatabase {
    /// `chiptool -setimfiletoupdate`, `warptool -setskyfiletoupdate`, `difftool -setskyfiletoupdate`:
    /// in a run that is `cleaned` or `update`, cleaned components (warp: cleaned or update; diff: cleaned
    /// or update) of quality 0 and fault ≠ 26 go to `update` with fault 0, and the run goes to `update`
    /// (chip: update_mode := `updateMode`, 0 when nil) with label `label` when given. Without a
    /// component (chip, warp), bad-quality components not yet full are set `full` so they do not hold
    /// the run back. Returns the number of components queued.
    @discardableResult
    public func setComponentToUpdate(
        _ stage: UpdateStage, id: Int64, component: String? = nil,
        label: String? = nil, updateMode: Int? = nil
    ) throws -> Int {
        guard stage != .stack else { throw PStampError(.invalidRequest, "stacks are never updated") }
        guard let key = stage.componentKey else { return 0 }
        if stage == .diff && component == nil { throw PStampError(.invalidRequest, "difftool -setskyfiletoupdate needs -skycell_id") }
        return try connection.transaction { db in
            guard let run = try db.queryOne("SELECT state FROM \(stage.runTable) WHERE \(stage.runKey) = ?", [.int(id)]),
                let state = run.string("state").flatMap(GPC1State.init(rawValue:)), [.cleaned, .update].contains(state)
            else { return 0 }
            let fromStates = stage == .chip ? "('cleaned')" : "('cleaned', 'update')"
            var sql = """
                UPDATE \(stage.componentTable) SET data_state = 'update', fault = 0
                WHERE \(stage.runKey) = ? AND data_state IN \(fromStates) AND quality = 0 AND COALESCE(fault, 0) <> 26
                """
            var args: [SQLValue] = [.int(id)]
            if let component { sql += " AND \(key) = ?"; args.append(.text(component)) }
            let queued = try db.execute(sql, args)
            if component == nil {
                try db.execute(
                    """
                    UPDATE \(stage.componentTable) SET data_state = 'full', fault = 0
                    WHERE \(stage.runKey) = ? AND quality <> 0 AND data_state IN ('cleaned', 'update')
                    """, [.int(id)])
            }
            if queued > 0 {
                var set = "state = 'update'"
                var setArgs: [SQLValue] = []
                if stage == .chip { set += ", update_mode = ?"; setArgs.append(.init(updateMode ?? 0)) }
                if let label { set += ", label = ?"; setArgs.append(.text(label)) }
                try db.execute(
                    "UPDATE \(stage.runTable) SET \(set) WHERE \(stage.runKey) = ? AND state IN ('cleaned', 'update')",
                    setArgs + [.int(id)])
            }
            return queued
        }
    }

    /// `<tool> -updaterun -chip_id/-warp_id/-diff_id N -set_state S -set_label L`: sets the run's state
    /// and/or label. The state must be legal. Returns the number of runs changed (0 or 1).
    @discardableResult
    public func updateRun(
        _ stage: UpdateStage, id: Int64, setState: GPC1State? = nil, setLabel: String? = nil,
        whereState: GPC1State? = nil
    ) throws -> Int {
        try updateRuns(
            stage, selector: ("\(stage.runKey) = ?", [.int(id)]), setState: setState, setLabel: setLabel,
            whereState: whereState)
    }

    /// `<tool> -updaterun -label PATTERN -set_state S -set_label L` (pstamp_queue_update_cleanup's
    /// `-label ps_ud% -set_state goto_cleaned -set_label goto_cleaned`): every run whose label matches
    /// the LIKE pattern, optionally only those in `whereState`. A label pattern is required: selecting
    /// by state alone is refused, as in the IPP.
    @discardableResult
    public func updateRuns(
        _ stage: UpdateStage, labelLike: String, setState: GPC1State? = nil, setLabel: String? = nil,
        whereState: GPC1State? = nil
    ) throws -> Int {
        guard !labelLike.isEmpty else { throw PStampError(.invalidRequest, "-updaterun needs a run selector") }
        return try updateRuns(
            stage, selector: ("label LIKE ?", [.text(labelLike)]), setState: setState,
            setLabel: setLabel, whereState: whereState)
    }

    private func updateRuns(
        _ stage: UpdateStage, selector: (String, [SQLValue]), setState: GPC1State?, setLabel: String?,
        whereState: GPC1State?
    ) throws -> Int {
        var sets: [String] = []
        var args: [SQLValue] = []
        if let setState { sets.append("state = ?"); args.append(.text(setState.rawValue)) }
        if let setLabel { sets.append("label = ?"); args.append(.text(setLabel)) }
        guard !sets.isEmpty else { throw PStampError(.invalidRequest, "-updaterun needs -set_state or -set_label") }
        var sql = "UPDATE \(stage.runTable) SET \(sets.joined(separator: ", ")) WHERE \(selector.0)"
        args += selector.1
        if let whereState { sql += " AND state = ?"; args.append(.text(whereState.rawValue)) }
        return try connection.transaction { db in try db.execute(sql, args) }
    }

    /// `warptool -scmap -warp_id -skycell_id`: the quality-0 chips that feed a warp skycell, with their
    /// camera runs (warptool_scmap.sql).
    public func skycellInputChips(warpID: Int64, skycellID: String) throws -> [SkycellInputChip] {
        try connection.read { db in
            try db.query(
                """
                SELECT ch.chip_id, p.class_id, ch.state AS chip_state, p.data_state, p.fault, c.cam_id,
                       c.state AS cam_state, cp.fault AS cam_fault
                FROM warpSkyCellMap m
                JOIN warpRun w ON w.warp_id = m.warp_id
                JOIN fakeRun f ON f.fake_id = w.fake_id
                JOIN camRun c ON c.cam_id = f.cam_id
                JOIN camProcessedExp cp ON cp.cam_id = c.cam_id
                JOIN chipRun ch ON ch.chip_id = c.chip_id
                JOIN chipProcessedImfile p ON p.chip_id = ch.chip_id AND p.class_id = m.class_id
                WHERE m.warp_id = ? AND m.skycell_id = ? AND p.quality = 0
                ORDER BY p.class_id
                """, [.int(warpID), .text(skycellID)]
            ).compactMap { row in
                guard let chip = row.int64("chip_id"), let cls = row.string("class_id"), let cam = row.int64("cam_id") else { return nil }
                return SkycellInputChip(
                    chipID: chip, classID: cls, chipRunState: row.string("chip_state") ?? "",
                    dataState: row.string("data_state") ?? "", fault: row.int("fault") ?? 0,
                    camID: cam, camRunState: row.string("cam_state") ?? "", camFault: row.int("cam_fault") ?? 0)
            }
        }
    }

    /// `chiptool -tofullimfile` / `warptool -tofullskyfile` / `difftool -tofullskyfile` (and the
    /// tocleaned/topurged/toscrubbed modes): sets the component's data_state (and quality when given);
    /// then, when every quality-0 component of the run has that data_state, the run takes it too
    /// (chip: update_mode back to 0). Returns the number of components changed.
    @discardableResult
    public func setComponentDataState(
        _ stage: UpdateStage, id: Int64, component: String, to dataState: GPC1State,
        quality: Int? = nil
    ) throws -> Int {
        guard stage != .stack, let key = stage.componentKey else { throw PStampError(.invalidRequest, "stacks have no data_state") }
        guard [GPC1State.full, .cleaned, .purged, .scrubbed, .update, .errorCleaned].contains(dataState) else {
            throw PStampError(.invalidRequest, "'\(dataState)' is not a component data_state")
        }
        return try connection.transaction { db in
            var set = "data_state = ?"
            var args: [SQLValue] = [.text(dataState.rawValue)]
            if let quality { set += ", quality = ?"; args.append(.init(quality)) }
            let changed = try db.execute(
                "UPDATE \(stage.componentTable) SET \(set) WHERE \(stage.runKey) = ? AND \(key) = ?",
                args + [.int(id), .text(component)])
            guard changed > 0 else { return 0 }
            let others =
                try db.queryOne(
                    """
                    SELECT COUNT(*) AS n FROM \(stage.componentTable)
                    WHERE \(stage.runKey) = ? AND quality = 0 AND (data_state IS NULL OR data_state <> ?)
                    """, [.int(id), .text(dataState.rawValue)])?.int("n") ?? 0
            if others == 0 {
                let reset = stage == .chip ? ", update_mode = 0" : ""
                try db.execute(
                    "UPDATE \(stage.runTable) SET state = ?\(reset) WHERE \(stage.runKey) = ?", [.text(dataState.rawValue), .int(id)])
            }
            return changed
        }
    }

    /// `chiptool -updateprocessedimfile -fault F [-set_quality Q]` (warptool -updateskyfile, difftool
    /// -updatediffskyfile): records the processing side's fault on a component. Fails when there is
    /// no such component.
    public func setComponentFault(_ stage: UpdateStage, id: Int64, component: String, fault: Int, quality: Int? = nil) throws {
        guard stage != .stack, let key = stage.componentKey else { throw PStampError(.invalidRequest, "stacks are never updated") }
        try connection.transaction { db in
            var set = "fault = ?"
            var args: [SQLValue] = [.init(fault)]
            if let quality { set += ", quality = ?"; args.append(.init(quality)) }
            let n = try db.execute(
                "UPDATE \(stage.componentTable) SET \(set) WHERE \(stage.runKey) = ? AND \(key) = ?",
                args + [.int(id), .text(component)])
            if n == 0 { throw PStampError(.noImageMatch, "no \(stage.rawValue) component \(id) \(component)") }
        }
    }

    /// `chiptool -revertprocessedimfile` (warptool -revertwarped, difftool -revertdiffskyfile): faulted
    /// components of `new` runs are deleted (to be made again); in `update` runs their fault goes back
    /// to 0, except fault 26 unless `fault` asks for exactly that code. `fault` restricts to one code
    /// (the IPP's warp.revert only reverts fault 2). Returns the number of components reverted.
    @discardableResult
    public func revertComponents(_ stage: UpdateStage, id: Int64? = nil, fault: Int? = nil) throws -> Int {
        guard stage != .stack else { throw PStampError(.invalidRequest, "stacks are never updated") }
        let table = stage.componentTable, key = stage.runKey, runs = stage.runTable
        var faultClause = fault == nil ? "COALESCE(fault, 0) <> 0 AND fault <> 26" : "fault = ?"
        var faultArgs: [SQLValue] = fault.map { [.init($0)] } ?? []
        if let id { faultClause += " AND \(key) = ?"; faultArgs.append(.int(id)) }
        return try connection.transaction { db in
            let deleted = try db.execute(
                """
                DELETE FROM \(table) WHERE \(faultClause)
                AND \(key) IN (SELECT \(key) FROM \(runs) WHERE state = 'new')
                """, faultArgs)
            let reset = try db.execute(
                """
                UPDATE \(table) SET fault = 0 WHERE \(faultClause)
                AND \(key) IN (SELECT \(key) FROM \(runs) WHERE state = 'update')
                """, faultArgs)
            return deleted + reset
        }
    }
}
