import Foundation
import PStampCore

/// The inputs of one diff skycell (diffInputSkyfile, with diffRun.diff_mode): the input side (warp1
/// or stack1) and the template side (warp2 or stack2), each with its current state — what
/// pstamp_checkdependent.pl's check_states_diff reads with `difftool -diffskyfile`, `warptool -warped`
/// and `stacktool -sumskyfile` before a cleaned diff may be updated.
public struct DiffSkyfileInputs: Sendable, Equatable {
    /// 1 warp−warp, 2 warp−stack, 3 stack−warp, 4 stack−stack.
    public var diffMode: Int
    public var warp1: Int64?
    public var stack1: Int64?
    public var warp2: Int64?
    public var stack2: Int64?
    /// The input warps' skyfiles of the diff's skycell (nil when the diff has no such warp or the image
    /// database has no such skyfile).
    public var warp1State: ComponentState?
    public var warp2State: ComponentState?
    /// The input stacks' run states.
    public var stack1State: GPC1State?
    public var stack2State: GPC1State?
}

extension ImageDatabase {
    /// The inputs of diff `diffID` on `skycellID`, or nil when the diff has no such skycell.
    public func diffSkyfileInputs(diffID: Int64, skycellID: String) throws -> DiffSkyfileInputs? {
        try connection.read { db in
            guard
                let row = try db.queryOne(
                    """
                    SELECT r.diff_mode, i.warp1, i.stack1, i.warp2, i.stack2
                    FROM diffRun r JOIN diffInputSkyfile i ON i.diff_id = r.diff_id
                    WHERE r.diff_id = ? AND i.skycell_id = ?
                    ORDER BY i.diff_skyfile_id
                    """, [.int(diffID), .text(skycellID)])
            else { return nil }
            var inputs = DiffSkyfileInputs(
                diffMode: row.int("diff_mode") ?? 0, warp1: row.int64("warp1"),
                stack1: row.int64("stack1"), warp2: row.int64("warp2"), stack2: row.int64("stack2"))
            inputs.warp1State = try inputs.warp1.flatMap { try Self.componentState(db, .warp, id: $0, component: skycellID) }
            inputs.warp2State = try inputs.warp2.flatMap { try Self.componentState(db, .warp, id: $0, component: skycellID) }
            inputs.stack1State = try inputs.stack1.flatMap { try Self.componentState(db, .stack, id: $0, component: nil)?.state.run }
            inputs.stack2State = try inputs.stack2.flatMap { try Self.componentState(db, .stack, id: $0, component: nil)?.state.run }
            return inputs
        }
    }
}
