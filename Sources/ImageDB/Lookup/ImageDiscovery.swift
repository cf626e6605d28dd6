import FITS
import Foundation
import PStampCore

/// One image the discovery query found (SIA 2, DataLink and SODA): the image as a request row would
/// locate it, and where it lies (its stored footprint and the footprint's corners on the sky).
public struct DiscoveredImage: Sendable, Equatable {
    public var image: LocatedImage
    public var footprint: Footprint
    /// The corners in order around the edge, ICRS degrees.
    public var corners: [ICRSPoint]

    /// The footprint as the VO documents use it.
    public var sky: ImageFootprint {
        ImageFootprint(center: ICRSPoint(ra: footprint.center.ra, dec: footprint.center.dec), corners: corners)
    }

    /// The identifier the VO face gives the image.
    public var voID: VOImageID {
        VOImageID(
            stage: image.stage, id: image.stageID,
            component: VOImageID.componentColumn(of: image.stage) == nil ? nil : image.component)
    }
}

/// The image stages the discovery lists (stack summaries are cut whole, not by region).
extension ImageType {
    public static let discoverable: [ImageType] = [.raw, .chip, .warp, .stack, .diff]
}

extension ImageDatabase {
    /// The images of `stages` whose footprint overlaps any of `shapes` (every registered footprint when
    /// `shapes` is empty), in footprint order, for which `admit` is true, at most `limit` of them.
    /// Faulted and gone images, and images that cannot be cut (no astrometry, no path), are left out;
    /// cleaned ones are kept: a cut-out restores them first. Footprints are pre-selected by declination
    /// in SQL and tested exactly on the sphere (`ImageFootprint.overlaps`).
    public func discover(
        stages: [ImageType], shapes: [DALIShape], limit: Int, admit: (DiscoveredImage) -> Bool = { _ in true }
    ) throws -> [DiscoveredImage] {
        let wanted = Set(stages.isEmpty ? ImageType.discoverable : stages)
        return try connection.read { db in
            let index = FootprintIndex(db: db, test: footprintTest)
            var found: [DiscoveredImage] = []
            for footprint in try Self.candidates(db, shapes: shapes) {
                let corners = try footprint.skyCorners()
                let sky = ImageFootprint(center: ICRSPoint(ra: footprint.center.ra, dec: footprint.center.dec), corners: corners)
                guard sky.overlapsAny(shapes) else { continue }
                for image in try Self.images(on: footprint, stages: wanted, db: db, index: index) {
                    let discovered = DiscoveredImage(image: image, footprint: footprint, corners: corners)
                    guard admit(discovered) else { continue }
                    found.append(discovered)
                    if found.count >= limit { return found }
                }
            }
            return found
        }
    }

    /// The image an identifier names (nil when the image database has no cuttable image of that name,
    /// or no footprint for it).
    public func discover(_ id: VOImageID) throws -> DiscoveredImage? {
        guard ImageType.discoverable.contains(id.stage) else { return nil }
        return try connection.read { db in
            let index = FootprintIndex(db: db, test: footprintTest)
            var lookup = GPC1Lookup(
                db: db, footprints: index,
                query: ImageQuery(requestType: .byid, imageType: id.stage, id: String(id.id), component: id.component))
            let images: [LocatedImage]
            do { images = try lookup.run() } catch is PStampError { return nil }
            guard let image = images.first(where: { Self.isListed($0) && (id.component == nil || $0.component == id.component) }),
                let footprint = try Self.footprint(of: image, db: db)
            else { return nil }
            return DiscoveredImage(image: image, footprint: footprint, corners: try footprint.skyCorners())
        }
    }

    /// Stored footprints whose declination band can meet one of the shapes.
    static func candidates(_ db: any SQLExecutor, shapes: [DALIShape]) throws -> [Footprint] {
        var sql = "SELECT \(FootprintIndex.columns) FROM pstampFootprint"
        var args: [SQLValue] = []
        let bands = shapes.map(Self.declinationBand)
        if !bands.isEmpty {
            sql += " WHERE " + bands.map { _ in "(dec_center + radius >= ? AND dec_center - radius <= ?)" }.joined(separator: " OR ")
            for band in bands { args += [.double(band.lowerBound), .double(band.upperBound)] }
        }
        sql += " ORDER BY stage DESC, tess_id, component, stage_id"
        return try db.query(sql, args).compactMap(FootprintIndex.footprint)
    }

    /// The declinations a shape reaches (a polygon's great-circle edges may bulge past its vertices:
    /// a degree of margin covers edges of up to ~25°).
    static func declinationBand(_ shape: DALIShape) -> ClosedRange<Double> {
        switch shape {
        case .circle(_, let dec, let r): return max(-90, dec - r)...min(90, dec + r)
        case .range(_, _, let d1, let d2): return d1...d2
        case .polygon(let points):
            let decs = points.map(\.dec)
            return max(-90, (decs.min() ?? -90) - 1)...min(90, (decs.max() ?? 90) + 1)
        }
    }

    /// The listed images on one footprint: warps, stacks and diffs of a skycell; raw and chips of an
    /// exposure's chip.
    static func images(
        on footprint: Footprint, stages: Set<ImageType>, db: any SQLExecutor, index: FootprintIndex
    ) throws
        -> [LocatedImage]
    {
        var images: [LocatedImage] = []
        func lookup(_ type: ImageType, _ requestType: RequestType = .byskycell) -> GPC1Lookup {
            GPC1Lookup(
                db: db, footprints: index,
                query: ImageQuery(requestType: requestType, imageType: type, component: footprint.component, tessID: footprint.tessID))
        }
        switch footprint.stage {
        case .skycell:
            if stages.contains(.warp) {
                var l = lookup(.warp)
                images += try l.warpRows(tessID: footprint.tessID, skycellID: footprint.component)
            }
            if stages.contains(.stack) {
                var l = lookup(.stack)
                images += try l.stackRows(tessID: footprint.tessID, skycellID: footprint.component)
            }
            if stages.contains(.diff) {
                var l = lookup(.diff)
                images += try l.diffs()
            }
        case .exp:
            if stages.contains(.raw) {
                var l = lookup(.raw, .byid)
                images += try l.raw(expID: footprint.stageID, byName: nil, imfileID: nil, classIDs: [footprint.component])
            }
            if stages.contains(.chip) {
                var l = lookup(.chip, .byid)
                images += try l.chips(chipID: nil, expName: nil, imfileID: nil, classIDs: [footprint.component], expID: footprint.stageID)
            }
        }
        return images.filter(isListed)
    }

    /// Whether an image is offered: not faulted, not gone, and cuttable (raw and chips need their
    /// exposure's astrometry, the others a path).
    static func isListed(_ image: LocatedImage) -> Bool {
        guard image.fault == 0, image.availability != .gone, image.availability != .errorCleaned else { return false }
        if image.stage == .raw || image.stage == .chip { return image.camID != nil }
        return image.quality == 0 && !(image.pathBase ?? "").isEmpty
    }

    /// The stored footprint of an image: its skycell's, or its exposure chip's.
    static func footprint(of image: LocatedImage, db: any SQLExecutor) throws -> Footprint? {
        let row: SQLRow?
        switch image.stage {
        case .raw, .chip:
            guard let expID = image.expID else { return nil }
            row = try db.queryOne(
                "SELECT \(FootprintIndex.columns) FROM pstampFootprint WHERE stage = 'exp' AND stage_id = ? AND component = ?",
                [.int(expID), .text(image.component)])
        default:
            row = try db.queryOne(
                "SELECT \(FootprintIndex.columns) FROM pstampFootprint WHERE stage = 'skycell' AND component = ? AND tess_id = ?",
                [.text(image.component), .text(image.tessID ?? "")])
        }
        return row.flatMap(FootprintIndex.footprint)
    }
}

extension Footprint {
    /// The corners of the image on the sky, in order around its edge (pixel edges, wcslib).
    public func skyCorners() throws -> [ICRSPoint] {
        let wcs = try WCS(header: wcsHeader)
        let w = Double(naxis1), h = Double(naxis2)
        let sky = try wcs.pixelToSky([
            FITSPixel(x: 0.5, y: 0.5), FITSPixel(x: w + 0.5, y: 0.5), FITSPixel(x: w + 0.5, y: h + 0.5), FITSPixel(x: 0.5, y: h + 0.5),
        ])
        return sky.map { ICRSPoint(ra: ICRSPoint.normalizedRA($0.ra), dec: $0.dec) }
    }
}
