/// The grey-scale mapping of stamp previews (IPP recipe `ippconfig/recipes/jpeg.mdc`: COLORMAP greyscale,
/// SCALE.MODE RANGE, SCALE.MIN −5, SCALE.MAX +10): black at `mean + MIN·σ`, white at `mean + MAX·σ`,
/// with the mean and σ measured robustly (median, and the interquartile range / 1.349) over finite pixels.
///
/// The recipe's comment writes the limits as mean − 2·σ·MIN … mean + 2·σ·MAX, which with a negative MIN
/// would put black above the mean; we read MIN and MAX as signed multiples of σ, which keeps the sky
/// dark-grey and the stars white.
public struct StampJPEGScale: Sendable, Equatable {
    public static let recipeMin = -5.0
    public static let recipeMax = 10.0

    public let black: Double
    public let white: Double

    public init(black: Double, white: Double) { self.black = black; self.white = white }

    /// The robust range of a stamp's pixels; NaN and infinities are ignored. A stamp with no finite pixel,
    /// or a flat one, gets a range of one unit around its level so the mapping stays defined.
    public init(pixels: UnsafeBufferPointer<Float>, minSigma: Double = recipeMin, maxSigma: Double = recipeMax) {
        var values: [Float] = []
        values.reserveCapacity(pixels.count)
        for v in pixels where v.isFinite { values.append(v) }
        guard !values.isEmpty else { self.init(black: 0, white: 1); return }
        values.sort()
        func quantile(_ q: Double) -> Double {
            let pos = q * Double(values.count - 1)
            let i = min(max(WholeNumber.saturatingFloor(pos), 0), values.count - 1)
            let f = pos - Double(i)
            let a = Double(values[i]), b = Double(values[min(i + 1, values.count - 1)])
            return a + (b - a) * f
        }
        let median = quantile(0.5)
        var sigma = (quantile(0.75) - quantile(0.25)) / 1.349
        if !(sigma > 0) { sigma = 0 }
        if sigma == 0 {
            self.init(black: median - 0.5, white: median + 0.5)
        } else {
            self.init(black: median + minSigma * sigma, white: median + maxSigma * sigma)
        }
    }

    /// The 8-bit grey level of a pixel: 0 at or below `black`, 255 at or above `white`; NaN is black.
    @inline(__always)
    public func grey(_ v: Float) -> UInt8 {
        guard v.isFinite else { return 0 }
        let t = (Double(v) - black) / (white - black)
        if t <= 0 { return 0 }
        if t >= 1 { return 255 }
        return UInt8(exactly: (t * 255).rounded()) ?? 255
    }

    /// Grey levels of a `width × height` stamp in JPEG order: top row first, FITS row 0 at the bottom so
    /// north stays up as in a FITS viewer.
    public func greyImage(_ pixels: UnsafeBufferPointer<Float>, width: Int, height: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width * height)
        for row in 0..<height {
            let src = (height - 1 - row) * width
            let dst = row * width
            for x in 0..<width { out[dst + x] = grey(pixels[src + x]) }
        }
        return out
    }
}
