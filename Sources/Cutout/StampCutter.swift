// One stamp: region → pixels (padded) → products (image, mask, variance, JPEG) with the parent's header,
// the re-centred WCS, RA_DEG/DEC_DEG and HISTORY. Codes: 28 when the centre or the region is off the
// image, 30 when the image stamp has no finite pixel.
import FITS
import Foundation
import PStampCore

/// What to cut: a centre and a size, or the whole image (`center` nil), and where to write it.
public struct StampRequest: Sendable, Equatable {
    public var center: StampCenter?
    public var size: StampSize?
    /// Output path without suffix (`<dir>/<ROWNUM>_<jobnum>_<f>_<base>`); products add `.fits`, `.mk.fits`…
    public var outputBase: String

    public init(center: StampCenter?, size: StampSize?, outputBase: String) {
        self.center = center; self.size = size; self.outputBase = outputBase
    }
}

/// How stamps are written.
public struct StampOptions: Sendable {
    /// Of these, the engine makes image, mask, variance and jpeg (the others are copies made by the job).
    public var products: Set<StampProduct> = [.image]
    /// RICE (image, variance) and GZIP (mask) in extension 1, as the IPP writes stamps; false: plain FITS.
    public var compressed = true
    /// OPTION_MASK 8192: cut even when the centre is off the image.
    public var centerOffChip = false
    /// Fit a linear TAN even when the parent's WCS could be shifted.
    public var forceTANFit = false
    /// The BLANK mask bit for padding.
    public var blankMaskBit: UInt16 = MaskBits.blank
    /// How a compressed image product is written: RICE as the IPP writes stamps; the stack's exposure
    /// maps are GZIP (lossless), as the IPP's `fpack -g` leaves them.
    public var imageCompression: ImageCompression = .ippImage
    /// The largest stamp side in pixels once the size is in pixels (arcseconds converted through the
    /// WCS, and after ppstamp's 8000-pixel half-extent cap): a larger stamp is refused with 21, not
    /// clipped (clipping would silently move the centre and change the size the user asked for; the
    /// stamp is otherwise always the requested size, padded). Whole-image stamps are the image's own size.
    /// The IPP's effective limit was 16000 (a 16000×16000 stamp of a 450×450 image took 34 s and 3 GB).
    public var maxSide = 16_000

    public init(
        products: Set<StampProduct> = [.image], compressed: Bool = true, centerOffChip: Bool = false,
        forceTANFit: Bool = false
    ) {
        self.products = products; self.compressed = compressed
        self.centerOffChip = centerOffChip; self.forceTANFit = forceTANFit
    }

    /// Options from a job's product selection.
    public init(selection: StampProductSelection) {
        self.init(
            products: Set(selection.products), compressed: !selection.uncompressed,
            centerOffChip: selection.centerOffChip)
    }
}

/// What a stamp produced.
public struct StampResult: Sendable {
    public let request: StampRequest
    public let files: [String]
    public let placement: StampPlacement
    /// Where the stamp starts on the parent (0-based) and its size.
    public let start: (x: Int, y: Int)
    public let width: Int
    public let height: Int
    /// Largest error of a fitted TAN (nil when the parent's WCS was shifted).
    public let fitErrorPixels: Double?
    public let fitErrorArcsec: Double?
}

public final class StampCutter {
    public let source: StampSource
    public let options: StampOptions
    /// The source file's name, for the HISTORY lines.
    private let sourceName: String

    /// Where product files are built before their one write (reused stamp after stamp: one cutter, one thread).
    private let memory: FITSMemoryBuffer

    public init(source: StampSource, options: StampOptions, memory: FITSMemoryBuffer = FITSMemoryBuffer()) {
        self.source = source
        self.options = options
        self.memory = memory
        sourceName = StampNaming.lastComponent(source.imagePath)
    }

    /// Where a request lands on this source (throws 28 for a centre off the image).
    public func place(_ request: StampRequest) throws -> StampPlacement {
        try StampGeometry.place(
            center: request.center, size: request.size, width: source.width,
            height: source.height, wcs: source.wcs, centerOffChip: options.centerOffChip)
    }

    /// Cuts one stamp and writes its products.
    public func cut(_ request: StampRequest, placement known: StampPlacement? = nil) throws -> StampResult {
        let placement = try known ?? place(request)
        let region = placement.region
        guard region.width > 0, region.height > 0 else {
            throw PStampError(.invalidRequest, "empty region of interest \(region)")
        }
        if request.center != nil, region.width > options.maxSide || region.height > options.maxSide {
            throw PStampError(
                .invalidRequest,
                "the stamp would be \(region.width)×\(region.height) pixels; this server cuts at most \(options.maxSide)×\(options.maxSide) (max_stamp_pixels)"
            )
        }
        let overlap = RegionOverlap(region: region, imageWidth: source.width, imageHeight: source.height)
        if overlap.isEmpty {
            throw PStampError(.noOverlap, "the region \(region) lies wholly off the \(source.width)×\(source.height) image")
        }
        let w = overlap.stampWidth, h = overlap.stampHeight
        let sx = region.startX, sy = region.startY
        let pixels = try read { try StampExtraction.extract(source.image, overlap, fill: Float.nan) }
        guard StampExtraction.hasFinitePixel(pixels) else {
            throw PStampError(.noValidPixels, "no finite pixel in the stamp \(region)")
        }

        // Header: the parent's keywords, the WCS re-centred or fitted, the stamp centre, history.
        var cards = source.imageCards
        var fitPixels: Double?, fitArcsec: Double?
        if let wcs = source.wcs {
            if options.forceTANFit || !StampWCS.isShiftable(wcs) {
                let centre = try wcs.pixelToSky(IPPPixel(x: (region.x0 + region.x1) / 2, y: (region.y0 + region.y1) / 2).fits)
                let fit = try StampWCS.fittedTAN(cards, parent: wcs, centre: centre, dx: sx, dy: sy, width: w, height: h)
                cards = fit.cards
                fitPixels = fit.fitErrorPixels
                fitArcsec = fit.fitErrorArcsec
            } else {
                cards = StampWCS.shifted(cards, wcs: wcs, dx: sx, dy: sy)
            }
        }
        var extra: [(String, HeaderCard.Value, String)] = []
        if let sky = placement.sky {
            extra.append(("RA_DEG", .double(sky.ra), "Right Ascension of stamp center"))
            extra.append(("DEC_DEG", .double(sky.dec), "Declination of stamp center"))
        }
        if let fitPixels, let fitArcsec {
            extra.append(("WCSFITPX", .double(fitPixels), "max error of the fitted TAN WCS [pixels]"))
            extra.append(("WCSFITAS", .double(fitArcsec), "max error of the fitted TAN WCS [arcsec]"))
        }
        cards += extra.map { HeaderCard.card($0.0, $0.1, comment: $0.2) }
        // When this stamp was cut (as ppstamp's "processing at <time>"), and from which file: a name longer
        // than a HISTORY card holds continues on the next HISTORY cards, cut nowhere else.
        cards.append(HeaderCard.history("pstamp cutout at \(Date().formatted(.iso8601)) from"))
        cards += HeaderCard.histories(sourceName)
        cards.append(HeaderCard.history("pstamp: region of interest: \(region)"))
        for warning in placement.warnings { cards.append(HeaderCard.history("pstamp: \(warning)")) }

        var files: [String] = []
        let base = request.outputBase
        /// Writes one FITS product `<base><suffix>`, compressed as the IPP writes that kind unless asked not to.
        func writeProduct<T: FITSPixelValue>(_ pixels: [T], _ suffix: String, _ compression: ImageCompression) throws {
            let path = base + suffix
            try StampWriter.write(
                pixels, width: w, height: h, to: path,
                compression: options.compressed ? compression : .none, cards: cards, memory: memory)
            files.append(path)
        }
        if options.products.contains(.image) {
            try writeProduct(pixels, ".fits", options.imageCompression)
        }
        if options.products.contains(.mask), let plane = source.mask {
            try writeProduct(
                try read { try StampExtraction.extract(plane, overlap, fill: options.blankMaskBit) },
                ".mk.fits", .ippMask)
        }
        if options.products.contains(.variance), let plane = source.variance {
            try writeProduct(
                try read { try StampExtraction.extract(plane, overlap, fill: Float.nan) },
                ".wt.fits", .ippImage)
        }
        if options.products.contains(.jpeg) {
            let path = base + ".jpg"
            try JPEGWriter.writePreview(pixels, width: w, height: h, to: path)
            files.append(path)
        }
        return StampResult(
            request: request, files: files, placement: placement, start: (sx, sy), width: w,
            height: h, fitErrorPixels: fitPixels, fitErrorArcsec: fitArcsec)
    }

    private func read<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as PStampError { throw e } catch {
            throw PStampError(.dataError, "cannot read pixels of \(source.imagePath): \(error)")
        }
    }
}

/// Writing one product file: built in memory, written in one go (stamps are small and many).
enum StampWriter {
    static func write<T: FITSPixelValue>(
        _ pixels: [T], width: Int, height: Int, to path: String,
        compression: ImageCompression, cards: [String],
        memory: FITSMemoryBuffer = FITSMemoryBuffer()
    ) throws {
        do {
            try FITSFile.writeBuiltInMemory(to: path, using: memory) { f in
                try f.appendImage(pixels, width: width, height: height, compression: compression, cards: cards)
            }
        } catch {
            throw PStampError(.sysError, "cannot write \(path): \(error)")
        }
    }
}

extension HeaderCard {
    static func card(_ key: String, _ value: Value, comment: String) -> String {
        let c = card(key, value).trimmingTrailingBlanks
        return (c + " / " + comment).padding(80)
    }

    static func history(_ text: String) -> String { ("HISTORY " + text).padding(80) }

    /// `text` over as many HISTORY cards as it needs (72 bytes each; FITS headers are ASCII, so other
    /// characters are written as `?`). Joining the cards' texts gives `text` back.
    static func histories(_ text: String) -> [String] {
        let ascii = Array(text.unicodeScalars.map { $0.isASCII && $0.value >= 32 ? UInt8($0.value) : UInt8(ascii: "?") })
        guard !ascii.isEmpty else { return [history("")] }
        return stride(from: 0, to: ascii.count, by: 72).map {
            history(String(decoding: ascii[$0..<min($0 + 72, ascii.count)], as: UTF8.self))
        }
    }
}
