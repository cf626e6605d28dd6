import Foundation
import PStampCore

/// One side (input or template) of a diff skyfile: its warp or stack and the exposure behind a warp.
struct DiffSide: Sendable {
    var warpID: Int64?
    var stackID: Int64?
    var expID: Int64?
    var chipID: Int64?
    var camID: Int64?
    var expName: String?
    var filter: String?
    var dateobs: String?
    var ra: Double?
    var dec: Double?
    var expTime: Double?
}

/// The inputs of one diff skyfile (difftool -diffskyfile -diff_skyfile_id).
struct DiffInput: Sendable {
    var diffSkyfileID: Int64
    var diffID: Int64
    var skycellID: String
    var tessID: String?
    var diffMode: Int
    var input: DiffSide
    var template: DiffSide
}

extension GPC1Lookup {
    static func sideColumns(_ n: Int) -> String {
        "di.warp\(n), di.stack\(n), e\(n).exp_id AS exp_id_\(n), h\(n).chip_id AS chip_id_\(n), c\(n).cam_id AS cam_id_\(n), "
            + "e\(n).exp_name AS exp_name_\(n), e\(n).filter AS filter_\(n), e\(n).dateobs AS dateobs_\(n), e\(n).ra AS ra_\(n), "
            + "e\(n).decl AS decl_\(n), e\(n).exp_time AS exp_time_\(n)"
    }

    static func sideJoins(_ n: Int) -> String {
        """
        LEFT JOIN warpRun w\(n) ON w\(n).warp_id = di.warp\(n)
        LEFT JOIN fakeRun f\(n) ON f\(n).fake_id = w\(n).fake_id
        LEFT JOIN camRun c\(n) ON c\(n).cam_id = f\(n).cam_id
        LEFT JOIN chipRun h\(n) ON h\(n).chip_id = c\(n).chip_id
        LEFT JOIN rawExp e\(n) ON e\(n).exp_id = h\(n).exp_id
        """
    }

    static let diffSelect = """
        SELECT d.diff_id, d.state AS run_state, d.label, d.data_group, d.bothways, d.diff_mode, ds.skycell_id,
               ds.data_state, ds.path_base, ds.fault, ds.quality, di.diff_skyfile_id, di.tess_id,
               \(sideColumns(1)), \(sideColumns(2))
        FROM diffRun d
        JOIN diffSkyfile ds ON ds.diff_id = d.diff_id
        JOIN diffInputSkyfile di ON di.diff_id = ds.diff_id AND di.skycell_id = ds.skycell_id
        \(sideJoins(1))
        \(sideJoins(2))
        """

    /// A BIGINT id that is NULL, 0 or the tools' printed NULL (9223372036854775807) means "none".
    static func id(_ row: SQLRow, _ name: String) -> Int64? {
        guard let v = row.int64(name), v != 0, v != Int64.max else { return nil }
        return v
    }

    static func side(_ row: SQLRow, _ n: Int) -> DiffSide {
        DiffSide(
            warpID: id(row, "warp\(n)"), stackID: id(row, "stack\(n)"), expID: row.int64("exp_id_\(n)"),
            chipID: row.int64("chip_id_\(n)"), camID: row.int64("cam_id_\(n)"), expName: row.string("exp_name_\(n)"),
            filter: row.string("filter_\(n)"), dateobs: row.string("dateobs_\(n)"), ra: row.degrees("ra_\(n)"),
            dec: row.degrees("decl_\(n)"), expTime: row.double("exp_time_\(n)"))
    }

    func diffInput(skyfileID: Int64) throws -> DiffInput {
        guard let row = try db.queryOne(Self.diffSelect + " WHERE di.diff_skyfile_id = ?", [.int(skyfileID)]),
            let diffID = row.int64("diff_id"), let skycell = row.string("skycell_id")
        else {
            throw PStampError(.noImageMatch, "no diff skyfile \(skyfileID)")
        }
        return DiffInput(
            diffSkyfileID: skyfileID, diffID: diffID, skycellID: skycell, tessID: row.string("tess_id"),
            diffMode: row.int("diff_mode") ?? 0, input: Self.side(row, 1), template: Self.side(row, 2))
    }

    mutating func diffs() throws -> [LocatedImage] {
        let q = query
        let n = q.inverse ? 2 : 1
        var w = WhereClause()
        var newestPerExposure = false
        var explicitSkycell = true
        switch q.requestType {
        case .byid:
            // Job.pm's lookup_diff takes ID as diff_id and does not honour USE_IMFILE_ID.
            w.add("d.diff_id = ?", .int(try q.numericID()))
            if let c = q.component { w.add("ds.skycell_id = ?", .text(c)) } else { explicitSkycell = false }
        case .bydiff:
            w.add("di.diff_skyfile_id = ?", .int(try q.numericID()))
        case .byexp:
            guard let name = q.id else { throw PStampError(.invalidRequest, "byexp needs an exposure name") }
            w.add("e\(n).exp_name = ?", .text(name))
            if let c = q.component { w.add("ds.skycell_id = ?", .text(c)) } else { explicitSkycell = false }
            newestPerExposure = true
        case .byskycell:
            w.add("ds.skycell_id = ?", .text(q.component ?? ""))
            w.add("di.tess_id = ?", .text(q.tessID ?? ""))
            newestPerExposure = true
        case .bycoord:
            var images: [LocatedImage] = []
            for cell in try skycellsAtCenter() {
                var cellQuery = q
                cellQuery.requestType = .byskycell
                cellQuery.tessID = cell.tess
                cellQuery.component = cell.skycell
                var sub = GPC1Lookup(db: db, footprints: footprints, query: cellQuery)
                images += try sub.diffs()
                dropped += sub.dropped
            }
            return images
        }
        if let mode = q.diffMode { w.add("d.diff_mode = ?", .init(mode)) }
        if q.requestType != .bydiff { exposureCuts(&w, exposure: "e\(n)", run: "d") }
        let rows = try db.query(Self.diffSelect + w.sql + " ORDER BY d.diff_id DESC, ds.skycell_id", w.arguments)
        var images: [LocatedImage] = []
        for row in rows {
            guard let diff = row.int64("diff_id"), let skycell = row.string("skycell_id") else { continue }
            let bothways = (row.int("bothways") ?? 0) != 0
            // As Job.pm: INVERSE picks the template side; only a bothways diff has inverse products, any
            // other diff found that way is given with its forward products.
            let inverseFiles = q.inverse && bothways
            let side = Self.side(row, n)
            let base = row.string("path_base")
            images.append(
                LocatedImage(
                    stage: .diff, stageID: diff, component: skycell, imfileID: row.int64("diff_skyfile_id"),
                    files: ImageFiles.diff(base: base ?? "", inverse: inverseFiles), pathBase: base, expID: side.expID,
                    expName: side.expName, camID: side.camID, filter: side.filter, dateobs: side.dateobs, ra: side.ra,
                    dec: side.dec, expTime: side.expTime, tessID: row.string("tess_id"), runState: row.string("run_state") ?? "",
                    dataState: row.string("data_state") ?? "", fault: row.int("fault") ?? 0, quality: row.int("quality") ?? 0,
                    label: row.string("label"), dataGroup: row.string("data_group"), diffMode: row.int("diff_mode"),
                    bothways: bothways, inverse: inverseFiles))
        }
        if newestPerExposure { images = newestRunPerExposure(images) }
        if !explicitSkycell { images = try chooseSkycells(images) }
        return images
    }
}
