import FITS
import Foundation

/// A small deterministic random generator (SplitMix64), so fixture pixels are the same bytes on every build
/// (and a test's random inputs replay exactly from their seed).
public struct FixtureRandom: Sendable {
    public var state: UInt64
    /// The fixture sky's seeding: `seed` mixed before the first draw.
    public init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 0x1234_5678 }
    /// Starts from `state` as it is.
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in 0..<n.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    /// One element of `list`, uniformly.
    public mutating func pick<T>(_ list: [T]) -> T { list[below(list.count)] }
    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// Standard normal (Box–Muller).
    mutating func gaussian() -> Double {
        let u1 = max(uniform(), 1e-300), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}

/// A star of the fixture sky.
struct FixtureStar {
    var position: SkyPosition
    var flux: Double
}

/// Renders fixture images: sky, Gaussian stars placed through the image's WCS, and noise.
enum FixturePixels {
    /// 80 stars over the field, the same on every build; one transient appears only in exposure 104.
    static let stars: [FixtureStar] = {
        var rng = FixtureRandom(seed: 2026)
        return (0..<80).map { _ in
            let ra = FixtureSky.center.ra + (rng.uniform() - 0.5) * 0.14
            let dec = FixtureSky.center.dec + (rng.uniform() - 0.5) * 0.14
            return FixtureStar(position: SkyPosition(ra: ra, dec: dec), flux: 2000 + 60000 * pow(rng.uniform(), 3))
        }
    }()
    static let transient = FixtureStar(position: SkyPosition(ra: 150.0208, dec: 1.9792), flux: 30000)

    /// PSF sigma in pixels (FWHM ≈ 4 px ≈ 1″).
    static let psfSigma = 1.7

    /// An image of `width`×`height` with the given WCS: sky + stars (+ the transient) + Gaussian noise.
    static func render(
        width: Int, height: Int, wcsHeader: String, sky: Double, noise: Double, seed: UInt64,
        starScale: Double = 1, stars: [FixtureStar] = FixturePixels.stars
    ) throws -> [Float] {
        var pixels = [Double](repeating: sky, count: width * height)
        try addStars(&pixels, width: width, height: height, wcsHeader: wcsHeader, stars: stars, scale: starScale)
        var rng = FixtureRandom(seed: seed)
        return pixels.map { Float($0 + noise * rng.gaussian()) }
    }

    static func addStars(
        _ pixels: inout [Double], width: Int, height: Int, wcsHeader: String,
        stars: [FixtureStar], scale: Double
    ) throws {
        guard !stars.isEmpty else { return }
        let wcs = try WCS(header: wcsHeader)
        let positions = try wcs.skyToPixel(stars.map(\.position))
        let r = 8
        let norm = 1 / (2 * Double.pi * psfSigma * psfSigma)
        for (star, p) in zip(stars, positions) {
            // FITS pixel (1-based) -> 0-based array index.
            let cx = p.x - 1, cy = p.y - 1
            guard cx > Double(-r), cy > Double(-r), cx < Double(width + r), cy < Double(height + r) else { continue }
            let x0 = max(0, Int(cx.rounded()) - r), x1 = min(width - 1, Int(cx.rounded()) + r)
            let y0 = max(0, Int(cy.rounded()) - r), y1 = min(height - 1, Int(cy.rounded()) + r)
            guard x0 <= x1, y0 <= y1 else { continue }
            for y in y0...y1 {
                for x in x0...x1 {
                    let dx = Double(x) - cx, dy = Double(y) - cy
                    pixels[y * width + x] += scale * star.flux * norm * exp(-(dx * dx + dy * dy) / (2 * psfSigma * psfSigma))
                }
            }
        }
    }

    /// A mask: 0 good, a bad column (bit 1) and a saturated block (bit 2), placed by the seed.
    static func mask(width: Int, height: Int, seed: UInt64) -> [Int16] {
        var rng = FixtureRandom(seed: seed &+ 7)
        var m = [Int16](repeating: 0, count: width * height)
        let column = 20 + Int(rng.uniform() * Double(width - 40))
        for y in 0..<height { m[y * width + column] = 1 }
        let bx = 10 + Int(rng.uniform() * Double(width - 30)), by = 10 + Int(rng.uniform() * Double(height - 30))
        for y in by..<(by + 6) { for x in bx..<(bx + 6) { m[y * width + x] |= 2 } }
        return m
    }

    /// A variance image for an image of sky level `sky` and noise σ: σ² plus the stars' Poisson part.
    static func variance(width: Int, height: Int, wcsHeader: String, noise: Double, gain: Double = 1) throws -> [Float] {
        var pixels = [Double](repeating: 0, count: width * height)
        try addStars(&pixels, width: width, height: height, wcsHeader: wcsHeader, stars: stars, scale: 1)
        return pixels.map { Float(noise * noise + $0 / gain) }
    }

    /// Writes one image HDU with the WCS cards and a few GPC1-like keywords (no DATE, no checksums,
    /// so rebuilding gives the same bytes).
    static func write<T: FITSPixelValue>(
        _ pixels: [T], to path: String, width: Int, height: Int, wcsHeader: String?,
        compression: ImageCompression, keywords: [(String, String)] = []
    ) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let file = try FITSFile.create(path, overwrite: true)
        do {
            try file.appendImage(pixels, width: width, height: height, compression: compression)
            try writeCards(file, wcsHeader: wcsHeader, keywords: keywords)
            try file.close()
        } catch {
            file.closeQuietly()
            throw error
        }
    }

    static func writeCards(_ file: FITSFile, wcsHeader: String?, keywords: [(String, String)]) throws {
        for (key, value) in keywords { try file.write(key, value) }
        guard let wcsHeader else { return }
        var index = wcsHeader.startIndex
        while index < wcsHeader.endIndex {
            let end = wcsHeader.index(index, offsetBy: 80, limitedBy: wcsHeader.endIndex) ?? wcsHeader.endIndex
            try file.appendCard(String(wcsHeader[index..<end]))
            index = end
        }
    }
}
