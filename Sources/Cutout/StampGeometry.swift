// From a stamp's centre and size to its region on the source (IPP `findROI`, `findBoundingBox`), through
// the source's WCS (wcslib) when the centre or the size is on the sky.
import FITS
import PStampCore

/// Where a stamp is cut and what was asked.
public struct StampPlacement: Sendable {
    /// The region in IPP 0-based coordinates (floats, as the IPP computes it).
    public let region: StampRegion
    /// The centre in IPP coordinates.
    public let center: IPPPixel
    /// The centre on the sky, when the source has a WCS.
    public let sky: SkyPosition?
    public let warnings: [RegionWarning]
}

enum StampGeometry {
    /// The placement of a stamp on `source`. `center` nil means the whole image. A centre off the image
    /// is code 28 unless `centerOffChip` (OPTION_MASK 8192); sky units without a WCS are code 5.
    static func place(
        center: StampCenter?, size: StampSize?, width: Int, height: Int, wcs: WCS?,
        centerOffChip: Bool = false
    ) throws -> StampPlacement {
        guard let center else {
            let whole = RegionOfInterest.wholeImage(width: width, height: height)
            let c = IPPPixel(x: whole.centerX, y: whole.centerY)
            return StampPlacement(region: whole.region, center: c, sky: try? wcs?.pixelToSky(c.fits), warnings: [])
        }
        let c: IPPPixel
        var sky: SkyPosition?
        switch center {
        case .sky(let ra, let dec):
            guard let wcs else { throw PStampError(.dataError, "a sky centre needs a WCS and the image has none") }
            let s = SkyPosition(ra: ra, dec: dec)
            do { c = try wcs.skyToPixel(s).ipp } catch {
                throw PStampError(.noOverlap, "(\(ra), \(dec)) does not project onto the image: \(error)")
            }
            sky = s
            guard WholeNumber.floor(c.x) != nil, WholeNumber.floor(c.y) != nil else {
                throw PStampError(.noOverlap, "(\(ra), \(dec)) projects to no pixel of the image (\(c.x), \(c.y))")
            }
        case .pixel(let x, let y):
            // Checked before any pixel arithmetic: a centre of 1e308 or NaN is no pixel position (21).
            guard WholeNumber.floor(x) != nil, WholeNumber.floor(y) != nil else {
                throw PStampError(.invalidRequest, "the pixel centre (\(x), \(y)) is not a pixel position")
            }
            c = IPPPixel(x: x, y: y)
            sky = try? wcs?.pixelToSky(IPPPixel.centre(ofIndex: c.index.x, c.index.y).fits)
        }
        if !centerOffChip && !RegionOfInterest.contains(width: width, height: height, x: c.x, y: c.y) {
            throw PStampError(.noOverlap, "the centre \(Self.describe(center)) is not on the \(width)×\(height) image")
        }
        let size = size ?? .pixels(0, 0)
        switch size.unit {
        case .pixels:
            // The IPP's `(int)` of the size; NaN or beyond 2^31 is no size at all.
            guard let w = WholeNumber.rounded(size.width, .towardZero), let h = WholeNumber.rounded(size.height, .towardZero) else {
                throw PStampError(.invalidRequest, "the stamp size \(size.width) × \(size.height) pixels is not a pixel size")
            }
            let (region, warnings) = RegionOfInterest.pixelRegion(centerX: c.x, centerY: c.y, width: w, height: h)
            return StampPlacement(region: region, center: c, sky: sky, warnings: warnings)
        case .arcseconds:
            guard let wcs else { throw PStampError(.dataError, "a size in arcseconds needs a WCS and the image has none") }
            let centreSky = try sky ?? wcs.pixelToSky(c.fits)
            let scales = try wcs.pixelScales(at: c.fits)
            let half = RegionOfInterest.skyHalfExtents(
                widthArcsec: size.width, heightArcsec: size.height,
                scaleX: scales.x, scaleY: scales.y)
            // The corners, ± half-extents on the tangent plane at the centre (north up, east left),
            // taken to the sky by a TAN projection and back onto the image by its own WCS.
            let plane = try tangentPlane(at: centreSky, scale: (scales.x * scales.y).squareRoot())
            let offsets = [(-half.dx, -half.dy), (half.dx, -half.dy), (half.dx, half.dy), (-half.dx, half.dy)]
            let cornersSky = try plane.pixelToSky(offsets.map { FITSPixel(x: $0.0, y: $0.1) })
            let corners = try wcs.skyToPixel(cornersSky).map { (x: $0.ipp.x, y: $0.ipp.y) }
            let region = RegionOfInterest.boundingRegion(of: corners)
            // A corner the WCS takes to NaN or far off (a region wrapping the projection's edge).
            guard region.isRepresentable else {
                throw PStampError(
                    .noOverlap,
                    "the region of \(size.width) × \(size.height) arcsec around \(Self.describe(center)) does not land on the image (\(region))"
                )
            }
            return StampPlacement(region: region, center: c, sky: centreSky, warnings: half.warnings)
        }
    }

    /// A TAN WCS centred on `sky` with CRPIX (0, 0) and `scale` arcsec per unit, north up and east left.
    static func tangentPlane(at sky: SkyPosition, scale: Double, crpix: (Double, Double) = (0, 0)) throws -> WCS {
        let d = scale / 3600
        return try WCS(
            header: HeaderCard.cards([
                ("WCSAXES", .int(2)), ("CTYPE1", .string("RA---TAN")), ("CTYPE2", .string("DEC--TAN")),
                ("CRVAL1", .double(sky.ra)), ("CRVAL2", .double(sky.dec)),
                ("CRPIX1", .double(crpix.0)), ("CRPIX2", .double(crpix.1)),
                ("CD1_1", .double(-d)), ("CD1_2", .double(0)), ("CD2_1", .double(0)), ("CD2_2", .double(d)),
            ]).joined())
    }

    static func describe(_ c: StampCenter) -> String {
        switch c {
        case .sky(let ra, let dec): return "RA \(ra) Dec \(dec)"
        case .pixel(let x, let y): return "pixel (\(x), \(y))"
        }
    }
}

/// 80-character header cards built in Swift (for WCS descriptions handed to wcslib).
enum HeaderCard {
    enum Value { case int(Int), double(Double), string(String) }

    static func card(_ key: String, _ value: Value) -> String {
        let v: String
        switch value {
        case .int(let i): v = String(i)
        case .double(let d): v = Self.real(d)
        case .string(let s): v = "'" + s.padding(8) + "'"
        }
        let text = key.padding(8) + "= " + String(repeating: " ", count: max(0, 20 - v.utf8.count)) + v
        return text.padding(80)
    }

    static func cards(_ list: [(String, Value)]) -> [String] { list.map { card($0.0, $0.1) } }

    static func real(_ d: Double) -> String {
        var s = "\(d)".uppercased()
        if !s.contains(".") && !s.contains("E") { s += ".0" }
        return s
    }
}

extension String {
    /// Cut or blank-padded to `n` characters. Header cards are ASCII, so bytes are characters (counting
    /// Characters would walk grapheme clusters for every card of every stamp).
    func padding(_ n: Int) -> String {
        let length = utf8.count
        if length == n { return self }
        if length > n { return String(decoding: utf8.prefix(n), as: UTF8.self) }
        return self + String(repeating: " ", count: n - length)
    }
}
