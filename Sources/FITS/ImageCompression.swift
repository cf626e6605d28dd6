// How an image is written: uncompressed, or tile-compressed as the IPP writes its products.
//
//   .none                                   plain image HDU
//   .rice(tiles: .rows, quantizeLevel: 16)  float images (image, variance): RICE_1, quantised with
//                                           subtractive dithering; q = 16 keeps σ/16 (the IPP's
//                                           STDEV.BITS 4); row tiles as the IPP writes (TILE 0×1)
//   .gzip(tiles: .rows)                     masks: GZIP_1, lossless
//   .rice(tiles: .square(64))               square tiles, the option for faster sub-image reads
//
// cfitsio puts a compressed image in a BINTABLE extension (ZIMAGE = T) after an empty primary HDU;
// readers (cfitsio, astropy, fitsverify) see it as an image. The dither seed is fixed (1 by default) so the
// same pixels always give the same bytes.
import CFITSIO

public enum TileShape: Sendable, Hashable {
    /// One image row per tile (the IPP's TILE 0×1×1).
    case rows
    /// Square tiles of n × n pixels (edge tiles are smaller).
    case square(Int)
    /// Explicit tile dimensions, x first.
    case custom(width: Int, height: Int)

    func dimensions(imageWidth: Int) -> [Int] {
        switch self {
        case .rows: return [max(1, imageWidth), 1]
        case .square(let n): return [max(1, n), max(1, n)]
        case .custom(let w, let h): return [max(1, w), max(1, h)]
        }
    }
}

public enum ImageCompression: Sendable, Hashable {
    case none
    /// RICE_1. For float pixels, `quantizeLevel` (cfitsio's q: the quantisation step is σ/q) applies;
    /// 0 means lossless float compression is not possible with RICE, so a q ≤ 0 is taken as 16.
    case rice(tiles: TileShape = .rows, quantizeLevel: Float = 16, ditherSeed: Int32 = 1)
    /// GZIP_1, lossless (masks and integer images; floats are then quantised as for RICE unless q ≤ 0
    /// is given, which keeps them lossless).
    case gzip(tiles: TileShape = .rows, quantizeLevel: Float = 0)

    /// The IPP's choice for a product kind: image/variance RICE row tiles, mask GZIP row tiles.
    public static let ippImage = ImageCompression.rice(tiles: .rows, quantizeLevel: 16)
    public static let ippMask = ImageCompression.gzip(tiles: .rows)

    public var isCompressed: Bool { self != .none }
}

extension FITSFile {
    /// Creates a new image HDU at the end of the file and writes `pixels` (row-major, width × height).
    /// A first image in an empty file becomes the primary HDU when uncompressed; compressed images go
    /// to extension 1 behind an empty primary. After the call the new HDU is current, so keywords can be
    /// written to it (they land in the compressed HDU's header as cfitsio maps them). `cards` are written
    /// before the pixels, so a long header never makes cfitsio move the data to make room.
    public func appendImage<T: FITSPixelValue>(
        _ pixels: [T], width: Int, height: Int,
        compression: ImageCompression = .none,
        extname: String? = nil, cards: [String] = []
    ) throws {
        guard width > 0, height > 0, pixels.count == width * height else {
            throw FITSError(
                status: FITSError.badDimension, operation: "write a \(width)×\(height) image to \(path)",
                message: "\(pixels.count) pixels given for \(width)×\(height)")
        }
        let f = try fptr()
        var status: Int32 = 0
        try configureCompression(compression, datatype: T.fitsDatatype, width: width)
        var naxes = [width, height]
        ffcrim(f, T.fitsImageType, 2, &naxes, &status)
        // Settings are per file in cfitsio: reset them so the next HDU is not compressed by accident.
        var resetStatus: Int32 = 0
        fits_set_compression_type(f, 0, &resetStatus)
        try checkStatus(status, "create a \(width)×\(height) image in \(path)")
        if let extname { try write("EXTNAME", extname) }
        if !cards.isEmpty { try appendCards(cards) }
        var data = pixels
        if compression.isCompressed, T.self == Float.self || T.self == Double.self,
            let sentinel = FITSFile.nullSentinel(for: data)
        {
            // Quantised floats keep NaN only as cfitsio's null value (ZBLANK): mark NaNs with a value
            // the data does not hold and hand it to cfitsio as the null.
            var null = sentinel
            FITSFile.markNaN(&data, with: sentinel)
            data.withUnsafeMutableBytes { buffer in
                withUnsafeMutableBytes(of: &null) { nul in
                    _ = ffppn(f, T.fitsDatatype, 1, Int64(pixels.count), buffer.baseAddress, nul.baseAddress, &status)
                }
            }
        } else {
            data.withUnsafeMutableBytes { buffer in
                _ = ffppr(f, T.fitsDatatype, 1, Int64(pixels.count), buffer.baseAddress, &status)
            }
        }
        try checkStatus(status, "write a \(width)×\(height) image to \(path)")
    }

    /// For float pixels holding NaN: a finite value absent from the data, to stand for NaN; else nil.
    /// The pixels are scanned as concrete Float or Double buffers (one pass for NaN and the candidates):
    /// a scan through the generic `FITSPixelValue` witnesses cost more than the stamp's compression.
    static func nullSentinel<T: FITSPixelValue>(for data: [T]) -> T? {
        if T.self == Float.self {
            let found = data.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: Float.self) {
                    sentinel(in: $0, candidates: [-Float.greatestFiniteMagnitude, Float.greatestFiniteMagnitude, -1.2345678e37])
                }
            }
            return found.map { unsafeBitCast($0, to: T.self) }
        }
        if T.self == Double.self {
            let found = data.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: Double.self) {
                    sentinel(in: $0, candidates: [-Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude, -1.2345678e300])
                }
            }
            return found.map { unsafeBitCast($0, to: T.self) }
        }
        return nil
    }

    /// The first candidate the pixels do not hold, when they hold a NaN; else nil.
    private static func sentinel<F: BinaryFloatingPoint>(in pixels: UnsafeBufferPointer<F>, candidates: [F]) -> F? {
        var hasNaN = false
        var held = [Bool](repeating: false, count: candidates.count)
        for value in pixels {
            if value.isNaN {
                hasNaN = true
            } else {
                for (k, c) in candidates.enumerated() where value == c { held[k] = true }
            }
        }
        guard hasNaN else { return nil }
        return candidates.indices.first { !held[$0] }.map { candidates[$0] }
    }

    /// Replaces every NaN of float pixels with `null`.
    static func markNaN<T: FITSPixelValue>(_ data: inout [T], with null: T) {
        if T.self == Float.self {
            let value = unsafeBitCast(null, to: Float.self)
            data.withUnsafeMutableBufferPointer { buffer in
                buffer.withMemoryRebound(to: Float.self) { pixels in
                    for i in pixels.indices where pixels[i].isNaN { pixels[i] = value }
                }
            }
        } else if T.self == Double.self {
            let value = unsafeBitCast(null, to: Double.self)
            data.withUnsafeMutableBufferPointer { buffer in
                buffer.withMemoryRebound(to: Double.self) { pixels in
                    for i in pixels.indices where pixels[i].isNaN { pixels[i] = value }
                }
            }
        }
    }

    /// Creates an empty primary HDU (BITPIX 16, NAXIS 0), as the IPP's table files start.
    public func appendEmptyPrimary(bitpix: Int32 = SHORT_IMG) throws {
        var status: Int32 = 0
        ffcrim(try fptr(), bitpix, 0, nil, &status)
        try checkStatus(status, "create the primary HDU in \(path)")
    }

    private func configureCompression(_ compression: ImageCompression, datatype: Int32, width: Int) throws {
        let f = try fptr()
        var status: Int32 = 0
        switch compression {
        case .none:
            fits_set_compression_type(f, 0, &status)
        case .rice(let tiles, let q, let seed):
            fits_set_compression_type(f, RICE_1, &status)
            var dims = tiles.dimensions(imageWidth: width)
            fits_set_tile_dim(f, 2, &dims, &status)
            if datatype == TFLOAT || datatype == TDOUBLE {
                fits_set_quantize_level(f, q > 0 ? q : 16, &status)
                fits_set_quantize_method(f, SUBTRACTIVE_DITHER_1, &status)
                fits_set_dither_seed(f, Int32(min(max(seed, 1), 10000)), &status)
            }
        case .gzip(let tiles, let q):
            fits_set_compression_type(f, GZIP_1, &status)
            var dims = tiles.dimensions(imageWidth: width)
            fits_set_tile_dim(f, 2, &dims, &status)
            if datatype == TFLOAT || datatype == TDOUBLE {
                fits_set_quantize_level(f, q, &status)  // 0: lossless
                if q > 0 {
                    fits_set_quantize_method(f, SUBTRACTIVE_DITHER_1, &status)
                    fits_set_dither_seed(f, 1, &status)
                }
            }
        }
        try checkStatus(status, "set compression \(compression) for \(path)")
    }
}
