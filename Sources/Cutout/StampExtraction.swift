// Pixel extraction with padding (IPP mkstamp `extractStamp`): the stamp always has the requested size;
// what lies off the source is NaN in images and variances and the BLANK bit in masks.
import FITS
import PStampCore

enum StampExtraction {
    /// The stamp's pixels for `overlap`, read from `plane` and padded with `fill`.
    static func extract<P: PixelPlane>(_ plane: P, _ overlap: RegionOverlap, fill: P.Pixel) throws -> [P.Pixel] {
        let copy = PixelRegion(
            x0: overlap.sourceX, y0: overlap.sourceY,
            width: overlap.copyWidth, height: overlap.copyHeight)
        if overlap.isComplete { return try plane.read(copy) }
        var out = [P.Pixel](repeating: fill, count: overlap.stampWidth * overlap.stampHeight)
        if overlap.isEmpty { return out }
        let part = try plane.read(copy)
        out.withUnsafeMutableBufferPointer { dst in
            part.withUnsafeBufferPointer { src in
                for row in 0..<overlap.copyHeight {
                    let d = (overlap.stampY + row) * overlap.stampWidth + overlap.stampX
                    let s = row * overlap.copyWidth
                    for k in 0..<overlap.copyWidth { dst[d + k] = src[s + k] }
                }
            }
        }
        return out
    }

    /// True when at least one pixel is finite (the IPP's `imageHasValidPixels`).
    static func hasFinitePixel(_ pixels: [Float]) -> Bool {
        pixels.contains { $0.isFinite }
    }
}
