import Foundation
import PStampCore

/// A few images the database says are on disk (`pstamp check-site`): per stage, the newest components
/// in data_state `full` (stacks: run `full`) with quality 0 and no fault, and their image file as stored.
public struct SampledImage: Sendable, Equatable {
    public var stage: String
    public var stageID: Int64
    public var component: String
    /// The image path as the database names it (`path://…`, `file://…` or plain).
    public var image: String
}

extension ImageDatabase {
    /// Up to `perStage` images of each stage (raw, chip, warp, stack, diff).
    public func sampleImages(perStage: Int = 2) throws -> [SampledImage] {
        let n = max(1, perStage)
        return try connection.read { db in
            var found: [SampledImage] = []
            for row in try db.query(
                """
                SELECT exp_id, class_id, uri FROM rawImfile WHERE uri IS NOT NULL AND COALESCE(ignored, 0) = 0
                ORDER BY exp_id DESC, class_id LIMIT \(n)
                """)
            {
                if let uri = row.string("uri") {
                    found.append(
                        SampledImage(stage: "raw", stageID: row.int64("exp_id") ?? 0, component: row.string("class_id") ?? "", image: uri))
                }
            }
            for row in try db.query(
                """
                SELECT chip_id, class_id, path_base FROM chipProcessedImfile
                WHERE data_state = 'full' AND quality = 0 AND COALESCE(fault, 0) = 0 AND path_base IS NOT NULL
                ORDER BY chip_id DESC, class_id LIMIT \(n)
                """)
            {
                let classID = row.string("class_id") ?? ""
                found.append(
                    SampledImage(
                        stage: "chip", stageID: row.int64("chip_id") ?? 0, component: classID,
                        image: ImageFiles.chip(base: row.string("path_base") ?? "", classID: classID, camBase: nil).image))
            }
            for (stage, table, key) in [("warp", "warpSkyfile", "warp_id"), ("diff", "diffSkyfile", "diff_id")] {
                for row in try db.query(
                    """
                    SELECT \(key) AS id, skycell_id, path_base FROM \(table)
                    WHERE data_state = 'full' AND quality = 0 AND COALESCE(fault, 0) = 0 AND path_base IS NOT NULL
                    ORDER BY \(key) DESC, skycell_id LIMIT \(n)
                    """)
                {
                    found.append(
                        SampledImage(
                            stage: stage, stageID: row.int64("id") ?? 0, component: row.string("skycell_id") ?? "",
                            image: ImageFiles.skycell(base: row.string("path_base") ?? "").image))
                }
            }
            for row in try db.query(
                """
                SELECT s.stack_id AS id, r.skycell_id AS skycell_id, s.path_base AS path_base
                FROM stackSumSkyfile s JOIN stackRun r ON r.stack_id = s.stack_id
                WHERE r.state = 'full' AND s.quality = 0 AND COALESCE(s.fault, 0) = 0 AND s.path_base IS NOT NULL
                ORDER BY s.stack_id DESC LIMIT \(n)
                """)
            {
                found.append(
                    SampledImage(
                        stage: "stack", stageID: row.int64("id") ?? 0, component: row.string("skycell_id") ?? "",
                        image: ImageFiles.stack(base: row.string("path_base") ?? "", unconvolved: false).image))
            }
            return found
        }
    }

    /// Rows per IPP table of the lookups (what check-site reports as "found").
    public func tableCounts() throws -> [(table: String, rows: Int)] {
        let tables = try connection.tableNames()
        return try [
            "rawExp", "rawImfile", "chipRun", "chipProcessedImfile", "camRun", "warpRun", "warpSkyfile",
            "stackRun", "stackSumSkyfile", "diffRun", "diffSkyfile", "pstampFootprint",
        ].filter { tables.contains($0) }.map { table in
            (table, try connection.read { try $0.queryOne("SELECT COUNT(*) AS n FROM \(table)")?.int("n") ?? 0 })
        }
    }
}
