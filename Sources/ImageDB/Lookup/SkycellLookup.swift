import Foundation
import PStampCore

/// Warp lookups: skyfiles of warp runs, reached from the exposure through fakeRun → camRun → chipRun.
extension GPC1Lookup {
    static let warpSelect = """
        SELECT w.warp_id, w.state AS run_state, w.label, w.data_group, s.skycell_id, s.tess_id, s.data_state,
               s.path_base, s.fault, s.quality, wi.warp_skyfile_id, c.cam_id,
               e.exp_id, e.exp_name, e.filter, e.dateobs, e.ra, e.decl, e.exp_time
        FROM warpRun w
        JOIN warpSkyfile s ON s.warp_id = w.warp_id
        JOIN fakeRun f ON f.fake_id = w.fake_id
        JOIN camRun c ON c.cam_id = f.cam_id
        JOIN chipRun ch ON ch.chip_id = c.chip_id
        JOIN rawExp e ON e.exp_id = ch.exp_id
        LEFT JOIN warpImfile wi ON wi.warp_id = s.warp_id AND wi.skycell_id = s.skycell_id
        """

    mutating func warps() throws -> [LocatedImage] {
        let q = query
        switch q.requestType {
        case .byid:
            let id = try q.numericID()
            return q.useImfileID ? try warpRows(warpID: nil, imfileID: id) : try warpRows(warpID: id, imfileID: nil)
        case .byexp:
            guard let name = q.id else { throw PStampError(.invalidRequest, "byexp needs an exposure name") }
            return try warpRows(expName: name)
        case .byskycell:
            return try warpRows(tessID: q.tessID, skycellID: q.component, newestPerExposure: true)
        case .bycoord:
            var images: [LocatedImage] = []
            for cell in try skycellsAtCenter() {
                images += try warpRows(tessID: cell.tess, skycellID: cell.skycell, newestPerExposure: true)
            }
            return images
        case .bydiff:
            let input = try diffInput(skyfileID: try q.numericID())
            guard input.diffMode != 4 else { throw PStampError(.invalidRequest, "a stack−stack diff has no input warp") }
            guard let warpID = q.inverse ? input.template.warpID : input.input.warpID else {
                throw PStampError(.invalidRequest, "diff skyfile \(input.diffSkyfileID) has no warp on that side")
            }
            return try warpRows(warpID: warpID, skycellID: input.skycellID)
        }
    }

    mutating func warpRows(
        warpID: Int64? = nil, imfileID: Int64? = nil, expName: String? = nil, tessID: String? = nil,
        skycellID: String? = nil, newestPerExposure: Bool = false
    ) throws -> [LocatedImage] {
        var w = WhereClause()
        if let warpID { w.add("w.warp_id = ?", .int(warpID)) }
        if let imfileID { w.add("wi.warp_skyfile_id = ?", .int(imfileID)) }
        if let expName { w.add("e.exp_name = ?", .text(expName)) }
        let explicitSkycell = skycellID ?? (imfileID == nil && query.requestType != .bycoord ? query.component : nil)
        if let explicitSkycell { w.add("s.skycell_id = ?", .text(explicitSkycell)) }
        if let tess = tessID ?? query.tessID { w.add("s.tess_id = ?", .text(tess)) }
        if expName != nil || skycellID != nil, query.requestType != .bydiff, let release {
            w.add(release.exposureRuns(column: "c.cam_id", relExpColumn: "cam_id", fwhmMin: query.fwhmMin, fwhmMax: query.fwhmMax))
            w.add("w.state <> 'drop'")
        }
        exposureCuts(&w, exposure: "e", run: "w")
        let rows = try db.query(Self.warpSelect + w.sql + " ORDER BY e.exp_id, w.warp_id DESC, s.skycell_id", w.arguments)
        var images = rows.compactMap { row -> LocatedImage? in
            guard let warp = row.int64("warp_id"), let skycell = row.string("skycell_id") else { return nil }
            let base = row.string("path_base")
            return LocatedImage(
                stage: .warp, stageID: warp, component: skycell, imfileID: row.int64("warp_skyfile_id"),
                files: ImageFiles.skycell(base: base ?? ""), pathBase: base, expID: row.int64("exp_id"),
                expName: row.string("exp_name"), camID: row.int64("cam_id"), filter: row.string("filter"),
                dateobs: row.string("dateobs"), ra: row.degrees("ra"), dec: row.degrees("decl"), expTime: row.double("exp_time"),
                tessID: row.string("tess_id"), runState: row.string("run_state") ?? "", dataState: row.string("data_state") ?? "",
                fault: row.int("fault") ?? 0, quality: row.int("quality") ?? 0,
                label: row.string("label"), dataGroup: row.string("data_group"))
        }
        if newestPerExposure || expName != nil { images = newestRunPerExposure(images) }
        if explicitSkycell == nil && imfileID == nil { images = try chooseSkycells(images) }
        return images
    }

    /// With a sky centre and no COMPONENT, only the skycells holding the centre (code 23 when none does, as Job.pm).
    mutating func chooseSkycells(_ images: [LocatedImage]) throws -> [LocatedImage] {
        guard let point = query.skyCenter, !images.isEmpty, query.requestType != .bycoord else { return images }
        var cells: [String: Set<String>] = [:]
        let chosen = try images.filter { image in
            let tess = image.tessID ?? ""
            if cells[tess] == nil { cells[tess] = try footprints.skycellIDs(containing: point, tessID: tess) }
            return cells[tess]?.contains(image.component) == true
        }
        if chosen.isEmpty { throw PStampError(.noImageMatch, "RA \(point.ra) Dec \(point.dec) is on no skycell of the run") }
        return chosen
    }
}
