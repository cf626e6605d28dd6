import Foundation

/// Where a registered component lies on the sky: its WCS (the FITS header cards of the image it
/// was read from) and size, with a centre and radius for the cone pre-filter. Chips are keyed by
/// exposure (stage `exp`, stage_id = exp_id, component = class_id) so raw and every chip run of the
/// exposure share them; skycells by tessellation (stage `skycell`, stage_id 0, component = skycell_id).
public struct Footprint: Sendable, Equatable {
    public enum Stage: String, Sendable { case exp, skycell }
    public var stage: Stage
    public var stageID: Int64
    public var component: String
    public var tessID: String
    public var naxis1: Int
    public var naxis2: Int
    public var center: SkyPoint
    /// Degrees from the centre to the farthest corner.
    public var radius: Double
    /// The header cards holding the WCS (80-character cards, concatenated).
    public var wcsHeader: String

    public init(
        stage: Stage, stageID: Int64, component: String, tessID: String = "", naxis1: Int, naxis2: Int,
        center: SkyPoint, radius: Double, wcsHeader: String
    ) {
        self.stage = stage; self.stageID = stageID; self.component = component; self.tessID = tessID
        self.naxis1 = naxis1; self.naxis2 = naxis2; self.center = center; self.radius = radius; self.wcsHeader = wcsHeader
    }
}

/// Converts a sky point to pixels with a component's WCS. The real one (`WCSFootprintTest`) uses
/// wcslib through the FITS module.
public protocol FootprintTest: Sendable {
    /// The FITS pixel position (1-based, pixel centres at integers) of `point`, or nil when the
    /// projection has no solution there. With a `memo`, a header the parse parsed before is not parsed again.
    func pixel(of point: SkyPoint, wcsHeader: String, memo: LookupMemo?) throws -> (x: Double, y: Double)?
}

extension FootprintTest {
    public func pixel(of point: SkyPoint, wcsHeader: String) throws -> (x: Double, y: Double)? {
        try pixel(of: point, wcsHeader: wcsHeader, memo: nil)
    }

    /// A point lies on a component when its pixel position is inside the image (edges included).
    public func contains(_ footprint: Footprint, _ point: SkyPoint, memo: LookupMemo? = nil) throws -> Bool {
        guard point.distance(to: footprint.center) <= footprint.radius + 1e-6,
            let p = try pixel(of: point, wcsHeader: footprint.wcsHeader, memo: memo)
        else { return false }
        return p.x >= 0.5 && p.x <= Double(footprint.naxis1) + 0.5 && p.y >= 0.5 && p.y <= Double(footprint.naxis2) + 0.5
    }
}

/// Reads footprints from the `pstampFootprint` table.
struct FootprintIndex {
    let db: any SQLExecutor
    let test: any FootprintTest
    /// The parse's memo of parsed WCS headers, when the lookup runs in a parse.
    var memo: LookupMemo? = nil

    static let columns = "stage, stage_id, component, tess_id, naxis1, naxis2, ra_center, dec_center, radius, wcs_header"

    static func footprint(_ row: SQLRow) -> Footprint? {
        guard let stage = row.string("stage").flatMap(Footprint.Stage.init(rawValue:)),
            let id = row.int64("stage_id"), let component = row.string("component"),
            let n1 = row.int("naxis1"), let n2 = row.int("naxis2"), let ra = row.double("ra_center"),
            let dec = row.double("dec_center"), let radius = row.double("radius"),
            let header = row.string("wcs_header")
        else { return nil }
        return Footprint(
            stage: stage, stageID: id, component: component, tessID: row.string("tess_id") ?? "",
            naxis1: n1, naxis2: n2, center: SkyPoint(ra: ra, dec: dec), radius: radius, wcsHeader: header)
    }

    /// The chips of an exposure (empty when its astrometry was never registered).
    func chips(ofExposure expID: Int64) throws -> [Footprint] {
        try db.query(
            "SELECT \(Self.columns) FROM pstampFootprint WHERE stage = 'exp' AND stage_id = ? ORDER BY component",
            [.int(expID)]
        ).compactMap(Self.footprint)
    }

    /// Whether the footprint holds the point (through the parse's memo, when there is one).
    func contains(_ footprint: Footprint, _ point: SkyPoint) throws -> Bool {
        try test.contains(footprint, point, memo: memo)
    }

    /// The chips of an exposure that hold the point.
    func chips(ofExposure expID: Int64, containing point: SkyPoint) throws -> [String] {
        try chips(ofExposure: expID).filter { try contains($0, point) }.map(\.component)
    }

    /// Footprints of skycells in the given tessellations (all when nil) near the point that hold it. The
    /// query asks for the point's declination band (`bandHeight` degrees), the same SELECT for every point
    /// of the band, so a parse's memo answers nearby rows; the exact declination cut follows.
    func skycells(containing point: SkyPoint, tessellations: [String]?) throws -> [Footprint] {
        let band = (point.dec / Self.bandHeight).rounded(.down) * Self.bandHeight
        var sql =
            "SELECT \(Self.columns) FROM pstampFootprint WHERE stage = 'skycell' AND dec_center - radius <= ? AND dec_center + radius >= ?"
        var args: [SQLValue] = [.double(band + Self.bandHeight + Self.bandMargin), .double(band - Self.bandMargin)]
        if let tessellations, !tessellations.isEmpty {
            sql += " AND tess_id IN (\(tessellations.map { _ in "?" }.joined(separator: ", ")))"
            args += tessellations.map { .text($0) }
        }
        sql += " ORDER BY tess_id, component"
        let inBand: [Footprint] = try db.query(sql, args).compactMap(Self.footprint)
        let near = inBand.filter { (cell: Footprint) in abs(cell.center.dec - point.dec) <= cell.radius }
        return try near.filter { (cell: Footprint) in try contains(cell, point) }
    }

    /// Declination bands of the skycell query, and the margin that keeps rounding from losing a skycell at a band's edge.
    static let bandHeight = 0.1
    static let bandMargin = 1e-9

    /// The skycells of one tessellation holding the point, by skycell_id.
    func skycellIDs(containing point: SkyPoint, tessID: String) throws -> Set<String> {
        Set(try skycells(containing: point, tessellations: [tessID]).map(\.component))
    }
}

extension ImageDatabase {
    /// Records (or replaces) a component's footprint, in one transaction.
    public func register(_ footprint: Footprint) throws {
        try connection.transaction { db in
            try db.execute(
                "DELETE FROM pstampFootprint WHERE stage = ? AND stage_id = ? AND component = ? AND tess_id = ?",
                [.text(footprint.stage.rawValue), .int(footprint.stageID), .text(footprint.component), .text(footprint.tessID)])
            try db.execute(
                """
                INSERT INTO pstampFootprint (stage, stage_id, component, tess_id, naxis1, naxis2, ra_center, dec_center, radius, wcs_header)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(footprint.stage.rawValue), .int(footprint.stageID), .text(footprint.component), .text(footprint.tessID),
                    .init(footprint.naxis1), .init(footprint.naxis2), .double(footprint.center.ra), .double(footprint.center.dec),
                    .double(footprint.radius), .text(footprint.wcsHeader),
                ])
        }
    }

    /// The footprints stored for an exposure's chips or a tessellation's skycells.
    public func footprints(stage: Footprint.Stage, stageID: Int64 = 0, tessID: String? = nil) throws -> [Footprint] {
        try connection.read { db in
            var sql = "SELECT \(FootprintIndex.columns) FROM pstampFootprint WHERE stage = ?"
            var args: [SQLValue] = [.text(stage.rawValue)]
            if stage == .exp { sql += " AND stage_id = ?"; args.append(.int(stageID)) }
            if let tessID { sql += " AND tess_id = ?"; args.append(.text(tessID)) }
            return try db.query(sql + " ORDER BY tess_id, component", args).compactMap(FootprintIndex.footprint)
        }
    }
}
