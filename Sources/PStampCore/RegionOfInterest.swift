/// The region of interest of a stamp, in the IPP's pixel convention (`ppstamp` `findROI`).
///
/// Pixel coordinates here are **0-based with pixel i covering [i, i+1)** (psLib's convention). A FITS pixel
/// coordinate p (1-based, pixel centres at integers) is the IPP coordinate p − 0.5, so FITS pixel 1 is index 0.
/// The stamp's pixel k (0-based) along x is the source pixel `startX + k`.
public struct StampRegion: Sendable, Equatable, CustomStringConvertible {
    public var x0: Double
    public var y0: Double
    public var x1: Double
    public var y1: Double

    public init(x0: Double, y0: Double, x1: Double, y1: Double) {
        self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1
    }

    /// Output width: `(int)(x1 − x0 + 0.5)` as the IPP's `extractStamp` computes it. A region whose
    /// bounds are not finite pixel numbers (`isRepresentable` false) is empty or absurd, never a trap.
    public var width: Int { WholeNumber.saturatingFloor(x1 - x0 + 0.5) }
    /// Output height: `(int)(y1 − y0 + 0.5)`.
    public var height: Int { WholeNumber.saturatingFloor(y1 - y0 + 0.5) }
    /// First source column of the stamp. QUIRK: the IPP truncated toward zero (`(int)x0`), which moves
    /// a stamp hanging off the left edge by one pixel; we take the floor so the centre pixel stays put.
    public var startX: Int { WholeNumber.saturatingFloor(x0) }
    /// First source row of the stamp (floor, see `startX`).
    public var startY: Int { WholeNumber.saturatingFloor(y0) }

    /// True when every bound is a finite pixel number within ±2^31 (so widths, starts and their sums
    /// are exact whole numbers). A WCS that projects a corner to NaN or to 1e30 gives a region that is not.
    public var isRepresentable: Bool {
        [x0, y0, x1, y1].allSatisfy { WholeNumber.floor($0) != nil }
            && WholeNumber.floor(x1 - x0 + 0.5) != nil && WholeNumber.floor(y1 - y0 + 0.5) != nil
    }

    /// The region as the IPP prints it in the HISTORY line: `[x0:x1,y0:y1]`.
    public var description: String {
        "[\(Self.format(x0)):\(Self.format(x1)),\(Self.format(y0)):\(Self.format(y1))]"
    }

    static func format(_ v: Double) -> String {
        if abs(v) < 1e15, let whole = Int(exactly: v) { return String(whole) }
        return String(v)
    }
}

/// What the region-of-interest computation tells the operator besides the region (size caps).
public struct RegionWarning: Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The region arithmetic of `ppstamp` (`findROI`, `findBoundingBox`), free of any I/O.
public enum RegionOfInterest {
    /// Widths, heights and sky half-extents above this many pixels are reduced to it, with a warning.
    public static let maximumSide = 8000

    /// A pixel-sized region around a centre: `x0 = floor(cx) − floor(W/2)`, `x1 = x0 + W` (same in y).
    /// `centerX`/`centerY` are IPP 0-based coordinates; a fractional centre lies in pixel `floor(c)`.
    /// Sizes above 8000 are capped with a warning; negative sizes are taken as their absolute value
    /// (the IPP's `-pixrange` does the same).
    public static func pixelRegion(
        centerX: Double, centerY: Double, width: Int, height: Int
    )
        -> (region: StampRegion, warnings: [RegionWarning])
    {
        var warnings: [RegionWarning] = []
        var w = abs(width), h = abs(height)
        if w > maximumSide {
            warnings.append(RegionWarning("requested width \(w) too large reducing to \(maximumSide)"))
            w = maximumSide
        }
        if h > maximumSide {
            warnings.append(RegionWarning("requested height \(h) too large reducing to \(maximumSide)"))
            h = maximumSide
        }
        let x0 = centerX.rounded(.down) - Double(w / 2)
        let y0 = centerY.rounded(.down) - Double(h / 2)
        return (StampRegion(x0: x0, y0: y0, x1: x0 + Double(w), y1: y0 + Double(h)), warnings)
    }

    /// Half-extents in pixels of a sky-sized region: `0.5 · size / scale`, each capped at 8000 with a warning.
    /// `scaleX`/`scaleY` are the plate scale at the centre in arcseconds per pixel.
    public static func skyHalfExtents(
        widthArcsec: Double, heightArcsec: Double, scaleX: Double, scaleY: Double
    )
        -> (dx: Double, dy: Double, warnings: [RegionWarning])
    {
        var warnings: [RegionWarning] = []
        var dx = 0.5 * abs(widthArcsec) / abs(scaleX)
        var dy = 0.5 * abs(heightArcsec) / abs(scaleY)
        if !(dx <= Double(maximumSide)) {
            warnings.append(RegionWarning("requested width \(dx) too large reducing to \(maximumSide)"))
            dx = Double(maximumSide)
        }
        if !(dy <= Double(maximumSide)) {
            warnings.append(RegionWarning("requested height \(dy) too large reducing to \(maximumSide)"))
            dy = Double(maximumSide)
        }
        return (dx, dy, warnings)
    }

    /// The bounding box (as floats) of the chip positions of a sky region's corners (`findBoundingBox`).
    public static func boundingRegion(of corners: [(x: Double, y: Double)]) -> StampRegion {
        var r = StampRegion(x0: .infinity, y0: .infinity, x1: -.infinity, y1: -.infinity)
        for c in corners {
            r.x0 = min(r.x0, c.x); r.x1 = max(r.x1, c.x)
            r.y0 = min(r.y0, c.y); r.y1 = max(r.y1, c.y)
        }
        return r
    }

    /// A whole-file job: the region is the image bounds, the centre is `((x1 + x0 + 1)/2, (y1 + y0 + 1)/2)`.
    public static func wholeImage(width: Int, height: Int) -> (region: StampRegion, centerX: Double, centerY: Double) {
        let r = StampRegion(x0: 0, y0: 0, x1: Double(width), y1: Double(height))
        return (r, (r.x1 + r.x0 + 1) / 2, (r.y1 + r.y0 + 1) / 2)
    }

    /// True when the point lies on an image of the given size: `[0, width) × [0, height)` (`regionContainsPoint`).
    public static func contains(width: Int, height: Int, x: Double, y: Double) -> Bool {
        x >= 0 && x < Double(width) && y >= 0 && y < Double(height)
    }
}
