/// One cut-out of a SODA request (sync, or one result of an async job) as a row of a PStamp request
/// file: `byid` on the image the ID names, centred on the region and wide enough to hold all of it.
///
/// A sky region becomes its circumscribed circle (the circle itself; a polygon's, or a range's
/// clipped to the image, around the mean of its vertices), cut as a square of the circle's diameter in
/// arcsec: whatever the image's orientation, the square holds the region, and the stamp engine
/// clips it to the image (SODA 1.0 §3.3). `PIXELS` (PStamp's own parameter) cuts a box in the image's
/// pixels: `PIXELS=<x> <y> <width> <height>`, the centre in IPP 0-based pixel coordinates.
public struct SODACut: Sendable, Equatable {
    public enum Region: Sendable, Equatable {
        /// Centre and side of the square, arcsec.
        case sky(center: ICRSPoint, side: Double)
        /// Centre (IPP 0-based pixels) and size (pixels).
        case pixels(x: Double, y: Double, width: Double, height: Double)
    }

    public var id: VOImageID
    public var region: Region

    public init(id: VOImageID, region: Region) {
        self.id = id
        self.region = region
    }

    /// The cut of a sky region on an image whose footprint is `footprint`, nil when they share no sky.
    public init?(id: VOImageID, shape: DALIShape, footprint: ImageFootprint) {
        guard footprint.overlaps(shape) else { return nil }
        let circle = Self.circumscribed(shape, footprint: footprint)
        self.init(id: id, region: .sky(center: circle.center, side: 2 * circle.radius * 3600))
    }

    /// The smallest circle PStamp uses around a region: centre and radius in degrees.
    public static func circumscribed(_ shape: DALIShape, footprint: ImageFootprint? = nil) -> (center: ICRSPoint, radius: Double) {
        if case .circle(let ra, let dec, let r) = shape { return (ICRSPoint(ra: ra, dec: dec), r) }
        let points = SODACutRegion.outline(of: shape, within: footprint)
        let vectors = points.map(UnitVector.init)
        let center = UnitVector.mean(vectors).point
        let c = UnitVector(center)
        let radius = vectors.map { c.angle(to: $0) }.max().map { $0 * 180 / .pi } ?? 0
        return (center, radius)
    }

    /// Reads `PIXELS=<x> <y> <width> <height>` (whole or fractional pixels; the sizes above 0 and at
    /// most `maxSide`).
    public static func parsePixels(_ text: String, maxSide: Double = 8000) throws(DALIError) -> Region {
        let words = text.split(separator: " ")
        let values = words.compactMap { Double($0) }.filter(\.isFinite)
        guard words.count == 4, values.count == 4 else {
            throw .usage("PIXELS needs 4 numbers (x y width height, IPP 0-based pixels), got '\(text)'")
        }
        guard values[2] > 0, values[3] > 0, values[2] <= maxSide, values[3] <= maxSide else {
            throw .usage("PIXELS width and height must be above 0 and at most \(VOXML.number(maxSide)) pixels")
        }
        return .pixels(x: values[0], y: values[1], width: values[2], height: values[3])
    }

    /// The request-file columns of the cut (v2 names), row `rownum`, products `optionMask`.
    public func requestColumns(rownum: Int, optionMask: OptionMask) -> [String: String] {
        let center: (Double, Double), size: (Double, Double), mask: CoordMask
        switch region {
        case .sky(let c, let side):
            center = (c.ra, c.dec)
            size = (side, side)
            mask = []
        case .pixels(let x, let y, let w, let h):
            center = (x, y)
            size = (w, h)
            mask = [.centerInPixels, .rangeInPixels]
        }
        return [
            "ROWNUM": String(rownum), "PROJECT": id.project, "SURVEY_NAME": "null", "IPP_RELEASE": "null", "JOB_TYPE": "stamp",
            "OPTION_MASK": String(optionMask.rawValue), "REQ_TYPE": "byid", "IMG_TYPE": id.stage.rawValue, "ID": String(id.id),
            "TESS_ID": "null", "COMPONENT": id.component ?? "null", "COORD_MASK": String(mask.rawValue),
            "CENTER_X": VOXML.number(center.0), "CENTER_Y": VOXML.number(center.1), "WIDTH": VOXML.number(size.0),
            "HEIGHT": VOXML.number(size.1), "DATA_GROUP": "null", "REQFILT": "null", "MJD_MIN": "0", "MJD_MAX": "0",
            "RUN_TYPE": "null", "FWHM_MIN": "0", "FWHM_MAX": "0", "COMMENT": id.localPart,
        ]
    }
}
