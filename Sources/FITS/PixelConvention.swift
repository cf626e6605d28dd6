// THE place that defines pixel conventions. Every other file converts through these types.
//
// Two coordinate systems meet in this project:
//
//  * FITS pixel coordinates (`FITSPixel`): 1-based, pixel centres at integers. The first pixel of an
//    image is (1, 1) and covers [0.5, 1.5) × [0.5, 1.5). CRPIX, wcslib's `pixcrd`, cfitsio's
//    fpixel/lpixel and `fits_read_subset` all use this.
//  * IPP pixel coordinates (`IPPPixel`): 0-based, pixel corners at integers (psLib: pixel i covers
//    [i, i+1), its centre is i + 0.5). Request rows with a pixel centre (COORD_MASK bit 1), region
//    bounds x0/x1, and the stamp-to-parent offsets of ppstamp use this.
//
//  The same point:   fits = ipp + 0.5      ipp = fits − 0.5
//  Array index i (0-based, as in a Swift [Float] row) is IPP pixel i, FITS pixel i + 1.
//
// `PixelRegion` is a rectangle of whole pixels by 0-based index, half-open: columns x0 ..< x0+width,
// rows y0 ..< y0+height (exactly the IPP's [x0, x1) × [y0, y1)). Its FITS corners are
// fpixel = (x0+1, y0+1) and lpixel = (x0+width, y0+height), inclusive.
//
// A stamp cut at region origin (x0, y0) keeps the parent's WCS with CRPIX shifted by (−x0, −y0): that
// holds in both systems, since a shift does not care where the origin is (`WCS.shifted(byPixels:)`).

import PStampCore

/// A point in FITS pixel coordinates (1-based, integer = pixel centre).
public struct FITSPixel: Sendable, Hashable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
    /// The same point in IPP coordinates.
    public var ipp: IPPPixel { IPPPixel(x: x - 0.5, y: y - 0.5) }
    /// The 0-based index of the pixel containing the point (x, y).
    public var index: (x: Int, y: Int) { ipp.index }
    public var description: String { "FITS(\(x), \(y))" }
}

/// A point in IPP pixel coordinates (0-based, integer = pixel corner).
public struct IPPPixel: Sendable, Hashable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
    /// The same point in FITS coordinates.
    public var fits: FITSPixel { FITSPixel(x: x + 0.5, y: y + 0.5) }
    /// The 0-based index of the pixel containing the point (floor of each coordinate). A coordinate
    /// beyond ±2^31 is held there (NaN: −2^31), a pixel off every image; it never traps.
    public var index: (x: Int, y: Int) {
        (WholeNumber.saturatingFloor(x), WholeNumber.saturatingFloor(y))
    }
    /// The centre of the pixel with 0-based index (i, j).
    public static func centre(ofIndex i: Int, _ j: Int) -> IPPPixel {
        IPPPixel(x: Double(i) + 0.5, y: Double(j) + 0.5)
    }
    public var description: String { "IPP(\(x), \(y))" }
}

/// A rectangle of whole pixels by 0-based index, half-open: [x0, x0+width) × [y0, y0+height).
public struct PixelRegion: Sendable, Hashable, CustomStringConvertible {
    public var x0: Int
    public var y0: Int
    public var width: Int
    public var height: Int
    public init(x0: Int, y0: Int, width: Int, height: Int) {
        self.x0 = x0; self.y0 = y0; self.width = width; self.height = height
    }
    /// Exclusive upper bounds (the IPP's x1, y1).
    public var x1: Int { x0 + width }
    public var y1: Int { y0 + height }
    public var pixelCount: Int { width * height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    /// cfitsio's first pixel (1-based, inclusive).
    public var fitsFirstPixel: (x: Int, y: Int) { (x0 + 1, y0 + 1) }
    /// cfitsio's last pixel (1-based, inclusive).
    public var fitsLastPixel: (x: Int, y: Int) { (x0 + width, y0 + height) }
    /// The whole of an image of the given size.
    public static func whole(width: Int, height: Int) -> PixelRegion {
        PixelRegion(x0: 0, y0: 0, width: width, height: height)
    }
    /// The overlap with another region (possibly empty).
    public func intersection(_ other: PixelRegion) -> PixelRegion {
        let ax = max(x0, other.x0), ay = max(y0, other.y0)
        let bx = min(x1, other.x1), by = min(y1, other.y1)
        return PixelRegion(x0: ax, y0: ay, width: max(0, bx - ax), height: max(0, by - ay))
    }
    /// True when `other` lies wholly inside this region.
    public func contains(_ other: PixelRegion) -> Bool {
        other.x0 >= x0 && other.y0 >= y0 && other.x1 <= x1 && other.y1 <= y1
    }
    public var description: String { "[\(x0):\(x1), \(y0):\(y1)]" }
}
