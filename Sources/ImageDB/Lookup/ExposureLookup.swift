import Foundation
import PStampCore

/// Raw and chip lookups: the images of one exposure, one per chip (class_id).
extension GPC1Lookup {
    static let chipSelect = """
        SELECT r.chip_id, r.state AS run_state, r.label, r.data_group, p.class_id, p.data_state, p.path_base,
               p.fault, p.quality, ci.chip_imfile_id, e.exp_id, e.exp_name, e.filter, e.dateobs, e.ra, e.decl, e.exp_time
        FROM chipRun r
        JOIN chipProcessedImfile p ON p.chip_id = r.chip_id
        JOIN rawExp e ON e.exp_id = r.exp_id
        LEFT JOIN chipImfile ci ON ci.chip_id = p.chip_id AND ci.class_id = p.class_id
        """

    static let rawSelect = """
        SELECT i.exp_id, i.class_id, i.uri, i.data_state, i.fault, i.quality, i.raw_image_id, e.state AS run_state,
               e.exp_name, e.filter, e.dateobs, e.ra, e.decl, e.exp_time
        FROM rawImfile i
        JOIN rawExp e ON e.exp_id = i.exp_id
        """

    mutating func exposureStage() throws -> [LocatedImage] {
        let q = query
        switch q.requestType {
        case .bycoord:
            return try exposuresAtCenter()
        case .bydiff:
            let input = try diffInput(skyfileID: try q.numericID())
            guard input.diffMode != 4 else {
                throw PStampError(.invalidRequest, "a stack−stack diff has no input exposure for \(q.imageType.rawValue)")
            }
            let side = q.inverse ? input.template : input.input
            guard let expID = side.expID, let chipID = side.chipID else {
                throw PStampError(.invalidRequest, "diff skyfile \(input.diffSkyfileID) has no exposure on that side")
            }
            return q.imageType == .raw
                ? try raw(expID: expID, byName: nil, imfileID: nil)
                : try chips(chipID: chipID, expName: nil, imfileID: nil)
        case .byid:
            let id = try q.numericID()
            if q.imageType == .raw {
                return q.useImfileID ? try raw(expID: nil, byName: nil, imfileID: id) : try raw(expID: id, byName: nil, imfileID: nil)
            }
            return q.useImfileID ? try chips(chipID: nil, expName: nil, imfileID: id) : try chips(chipID: id, expName: nil, imfileID: nil)
        case .byexp:
            guard let name = q.id else { throw PStampError(.invalidRequest, "byexp needs an exposure name") }
            return q.imageType == .raw
                ? try raw(expID: nil, byName: name, imfileID: nil)
                : try chips(chipID: nil, expName: name, imfileID: nil)
        case .byskycell:
            return []
        }
    }

    /// Chip components of a run (by chip_id), of an exposure's newest run (by exp_name), or one imfile.
    /// `classIDs` comes from a bycoord search, whose DATA_GROUP was already applied to the camera run.
    mutating func chips(
        chipID: Int64?, expName: String?, imfileID: Int64?, classIDs: [String]? = nil, expID: Int64? = nil
    ) throws -> [LocatedImage] {
        var w = WhereClause()
        if let chipID { w.add("r.chip_id = ?", .int(chipID)) }
        if let expID { w.add("r.exp_id = ?", .int(expID)) }
        if let expName {
            w.add("e.exp_name = ?", .text(expName))
            if let release {
                w.add(release.exposureRuns(column: "r.chip_id", relExpColumn: "chip_id", fwhmMin: query.fwhmMin, fwhmMax: query.fwhmMax))
            }
        }
        if let imfileID { w.add("ci.chip_imfile_id = ?", .int(imfileID)) }
        if let classIDs {
            w.add("p.class_id IN (\(classIDs.map { _ in "?" }.joined(separator: ", ")))"); w.arguments += classIDs.map { .text($0) }
        } else if let component = query.component, imfileID == nil {
            w.add("p.class_id = ?", .text(component))
        }
        exposureCuts(&w, exposure: "e", run: "r", applyGroup: classIDs == nil)
        let rows = try db.query(Self.chipSelect + w.sql + " ORDER BY e.exp_id, r.chip_id DESC, p.class_id", w.arguments)
        var cams: [Int64: (camID: Int64, base: String)?] = [:]
        var images: [LocatedImage] = []
        for row in rows {
            guard let chip = row.int64("chip_id"), let expID = row.int64("exp_id"), let classID = row.string("class_id") else { continue }
            if cams[expID] == nil { cams[expID] = .some(try astrometry(expID: expID)) }
            let cam = cams[expID] ?? nil
            let base = row.string("path_base")
            images.append(
                LocatedImage(
                    stage: .chip, stageID: chip, component: classID, imfileID: row.int64("chip_imfile_id"),
                    files: ImageFiles.chip(base: base ?? "", classID: classID, camBase: cam?.base), pathBase: base,
                    expID: expID, expName: row.string("exp_name"), camID: cam?.camID, filter: row.string("filter"),
                    dateobs: row.string("dateobs"), ra: row.degrees("ra"), dec: row.degrees("decl"), expTime: row.double("exp_time"),
                    runState: row.string("run_state") ?? "", dataState: row.string("data_state") ?? "",
                    fault: row.int("fault") ?? 0, quality: row.int("quality") ?? 0,
                    label: row.string("label"), dataGroup: row.string("data_group")))
        }
        if expName != nil { images = newestRunPerExposure(images) }
        if classIDs == nil && query.component == nil && imfileID == nil {
            images = try chooseChips(images)
        }
        return images
    }

    /// Raw chip files of an exposure (by exp_id or exp_name) or one raw imfile (raw_image_id).
    mutating func raw(expID: Int64?, byName: String?, imfileID: Int64?, classIDs: [String]? = nil) throws -> [LocatedImage] {
        var w = WhereClause()
        w.add("e.exp_type = 'object'")
        w.add("i.ignored = 0")
        if let expID { w.add("i.exp_id = ?", .int(expID)) }
        if let byName { w.add("e.exp_name = ?", .text(byName)) }
        if let imfileID { w.add("i.raw_image_id = ?", .int(imfileID)) }
        if let classIDs {
            w.add("i.class_id IN (\(classIDs.map { _ in "?" }.joined(separator: ", ")))"); w.arguments += classIDs.map { .text($0) }
        } else if let component = query.component, imfileID == nil {
            w.add("i.class_id = ?", .text(component))
        }
        exposureCuts(&w, exposure: "e", run: nil)
        let rows = try db.query(Self.rawSelect + w.sql + " ORDER BY i.exp_id, i.class_id", w.arguments)
        var cams: [Int64: (camID: Int64, base: String)?] = [:]
        var images: [LocatedImage] = []
        for row in rows {
            guard let exp = row.int64("exp_id"), let classID = row.string("class_id"), let uri = row.string("uri") else { continue }
            if cams[exp] == nil { cams[exp] = .some(try astrometry(expID: exp)) }
            let cam = cams[exp] ?? nil
            images.append(
                LocatedImage(
                    stage: .raw, stageID: exp, component: classID, imfileID: row.int64("raw_image_id"),
                    files: ImageFiles(image: uri, astrometry: cam.map { "\($0.base).smf" }), pathBase: nil,
                    expID: exp, expName: row.string("exp_name"), camID: cam?.camID, filter: row.string("filter"),
                    dateobs: row.string("dateobs"), ra: row.degrees("ra"), dec: row.degrees("decl"), expTime: row.double("exp_time"),
                    runState: row.string("run_state") ?? "", dataState: row.string("data_state") ?? "",
                    fault: row.int("fault") ?? 0, quality: row.int("quality") ?? 0))
        }
        if classIDs == nil && query.component == nil && imfileID == nil {
            images = try chooseChips(images)
        }
        return images
    }

    /// With a sky centre and no COMPONENT, only the chips holding the centre (code 23 when none does, as Job.pm;
    /// 25 when the exposure's chip footprints were never registered). Without a sky centre, all.
    mutating func chooseChips(_ images: [LocatedImage]) throws -> [LocatedImage] {
        guard let point = query.skyCenter, !images.isEmpty else { return images }
        var chosen: [LocatedImage] = []
        var registered = false
        var byExposure: [Int64: Set<String>] = [:]
        for image in images {
            guard let exp = image.expID else { continue }
            if byExposure[exp] == nil {
                let all = try footprints.chips(ofExposure: exp)
                registered = registered || !all.isEmpty
                byExposure[exp] = Set(try all.filter { try footprints.contains($0, point) }.map(\.component))
            }
            if byExposure[exp]?.contains(image.component) == true { chosen.append(image) }
        }
        if chosen.isEmpty {
            if !registered { throw PStampError(.notAvailable, "no astrometry (chip footprints) for the exposure") }
            throw PStampError(.noImageMatch, "RA \(point.ra) Dec \(point.dec) is on no chip of the exposure")
        }
        return chosen
    }

    /// The newest full, good camera run of an exposure: its cam_id and path_base (Job.pm find_astrometry).
    func astrometry(expID: Int64) throws -> (camID: Int64, base: String)? {
        let row = try db.queryOne(
            """
            SELECT c.cam_id, cp.path_base FROM camRun c
            JOIN camProcessedExp cp ON cp.cam_id = c.cam_id
            JOIN chipRun ch ON ch.chip_id = c.chip_id
            WHERE ch.exp_id = ? AND c.state = 'full' AND cp.quality = 0 AND cp.fault = 0
            ORDER BY c.cam_id DESC
            """, [.int(expID)])
        guard let row, let cam = row.int64("cam_id"), let base = row.string("path_base") else { return nil }
        return (cam, base)
    }

    /// raw/chip bycoord: exposures within 1.6° whose newest good camera run exists, then the chips
    /// that hold the point (camtool -processedexp -ra -decl -radius 1.6, then dvoImagesAtCoords).
    mutating func exposuresAtCenter() throws -> [LocatedImage] {
        guard let point = query.skyCenter else { return [] }
        let radius = 1.6
        let d2r = Double.pi / 180
        var w = WhereClause()
        w.add("e.decl >= ?", .double((point.dec - radius) * d2r))
        w.add("e.decl <= ?", .double((point.dec + radius) * d2r))
        if abs(point.dec) + radius < 89 {
            // An RA band too (rawExp.ra in radians, 0 to 2π), split where it wraps through 0.
            let dra = radius / cos(point.dec * d2r)
            let low = point.ra - dra, high = point.ra + dra
            if low >= 0 && high < 360 {
                w.add("e.ra >= ? AND e.ra <= ?", .double(low * d2r), .double(high * d2r))
            } else {
                w.add(
                    "(e.ra >= ? OR e.ra <= ?)", .double((low < 0 ? low + 360 : low) * d2r),
                    .double((high >= 360 ? high - 360 : high) * d2r))
            }
        }
        w.add("cp.fault = 0")
        exposureCuts(&w, exposure: "e", run: "c")
        if let release {
            w.add(release.exposureRuns(column: "c.cam_id", relExpColumn: "cam_id", fwhmMin: query.fwhmMin, fwhmMax: query.fwhmMax))
        }
        let rows = try db.query(
            """
            SELECT c.cam_id, c.chip_id, cp.quality, e.exp_id, e.ra, e.decl
            FROM camRun c JOIN camProcessedExp cp ON cp.cam_id = c.cam_id
            JOIN chipRun ch ON ch.chip_id = c.chip_id JOIN rawExp e ON e.exp_id = ch.exp_id
            """ + w.sql + " ORDER BY e.exp_id, c.cam_id DESC", w.arguments)
        var seen: Set<Int64> = []
        var exposures: [(expID: Int64, chipID: Int64)] = []
        for row in rows {
            guard let exp = row.int64("exp_id"), let chip = row.int64("chip_id"), !seen.contains(exp),
                let ra = row.degrees("ra"), let dec = row.degrees("decl")
            else { continue }
            guard SkyPoint(ra: ra, dec: dec).distance(to: point) <= radius else { continue }
            seen.insert(exp)
            if (row.int("quality") ?? 0) != 0 { continue }
            exposures.append((exp, chip))
        }
        guard !exposures.isEmpty else { throw PStampError(.noImageMatch, "no exposure within \(radius)° of the point") }
        var images: [LocatedImage] = []
        var anyRegistered = false
        for exposure in exposures {
            let chipFootprints = try footprints.chips(ofExposure: exposure.expID)
            anyRegistered = anyRegistered || !chipFootprints.isEmpty
            let classIDs = try chipFootprints.filter { try footprints.contains($0, point) }.map(\.component)
            guard !classIDs.isEmpty else { continue }
            if query.imageType == .raw {
                images += try raw(expID: exposure.expID, byName: nil, imfileID: nil, classIDs: classIDs)
            } else {
                images += try chips(chipID: exposure.chipID, expName: nil, imfileID: nil, classIDs: classIDs)
            }
        }
        if images.isEmpty && dropped.isEmpty {
            if !anyRegistered { throw PStampError(.notAvailable, "no astrometry for the exposures near the point") }
            throw PStampError(.noImageMatch, "RA \(point.ra) Dec \(point.dec) is on no chip")
        }
        return images
    }
}
