import Foundation
import PStampCore

/// A component waiting for the processing side to regenerate it: its run is `update`, it is `update`
/// with fault 0. `pathBase` is the stored path_base (for chips the run's, shared by its imfiles).
public struct PendingUpdate: Sendable, Equatable {
    public var stage: UpdateStage
    public var stageID: Int64
    public var component: String
    public var pathBase: String
    public var label: String?
}

extension ImageDatabase {
    /// The components the processing side may regenerate now (gpc1-image-db.md §2.6):
    /// chips of `update` runs whose imfile is `update`, fault 0 (chiptool -pendingimfile, update branch);
    /// warp skyfiles likewise whose camera run is `full` and whose quality-0 input chips are all `full`
    /// (warptool -towarped); diff skyfiles of `update` runs in `update` with fault 0 (difftool
    /// -todiffskyfile, without its input check: the module has no diff-input query yet).
    /// Chips first, then warps, then diffs; at most `limit` of each stage.
    public func pendingUpdates(limit: Int = 100) throws -> [PendingUpdate] {
        try connection.read { db in
            let chips = try db.query(
                """
                SELECT p.chip_id AS stage_id, p.class_id AS component, p.path_base, r.label
                FROM chipRun r JOIN chipProcessedImfile p ON p.chip_id = r.chip_id
                WHERE r.state = 'update' AND p.data_state = 'update' AND COALESCE(p.fault, 0) = 0
                ORDER BY p.chip_id, p.class_id LIMIT ?
                """, [.init(limit)])
            let warps = try db.query(
                """
                SELECT s.warp_id AS stage_id, s.skycell_id AS component, s.path_base, r.label
                FROM warpRun r JOIN warpSkyfile s ON s.warp_id = r.warp_id
                JOIN fakeRun f ON f.fake_id = r.fake_id
                JOIN camRun c ON c.cam_id = f.cam_id AND c.state = 'full'
                WHERE r.state = 'update' AND s.data_state = 'update' AND COALESCE(s.fault, 0) = 0
                AND NOT EXISTS (
                    SELECT 1 FROM warpSkyCellMap m
                    JOIN chipProcessedImfile p ON p.chip_id = c.chip_id AND p.class_id = m.class_id
                    WHERE m.warp_id = s.warp_id AND m.skycell_id = s.skycell_id AND p.quality = 0
                    AND (p.data_state IS NULL OR p.data_state <> 'full'))
                ORDER BY s.warp_id, s.skycell_id LIMIT ?
                """, [.init(limit)])
            let diffs = try db.query(
                """
                SELECT s.diff_id AS stage_id, s.skycell_id AS component, s.path_base, r.label
                FROM diffRun r JOIN diffSkyfile s ON s.diff_id = r.diff_id
                WHERE r.state = 'update' AND s.data_state = 'update' AND COALESCE(s.fault, 0) = 0
                ORDER BY s.diff_id, s.skycell_id LIMIT ?
                """, [.init(limit)])
            func pending(_ stage: UpdateStage, _ rows: [SQLRow]) -> [PendingUpdate] {
                rows.compactMap { row in
                    guard let id = row.int64("stage_id"), let component = row.string("component") else { return nil }
                    return PendingUpdate(
                        stage: stage, stageID: id, component: component,
                        pathBase: row.string("path_base") ?? "", label: row.string("label"))
                }
            }
            return pending(.chip, chips) + pending(.warp, warps) + pending(.diff, diffs)
        }
    }
}
