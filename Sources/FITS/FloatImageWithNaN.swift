// Writing float images that contain NaN (stamps padded off the image edge).
//
// cfitsio's quantising compressors (RICE or GZIP with q > 0) do not treat NaN as "undefined" when pixels
// are written with fits_write_img: a tile holding one NaN is quantised with NaN statistics and reads
// back as all NaN. Here NaN pixels are swapped for a sentinel and written with fits_write_imgnull, so
// cfitsio stores them as ZBLANK and every other pixel survives; readers get NaN back for them.
//
//   try f.appendFloatImage(pixels, width: w, height: h, compression: .ippImage)
import CFITSIO

extension FITSFile {
    /// Like `appendImage` for Float32 pixels, but NaN-safe when the image is tile-compressed.
    public func appendFloatImage(_ pixels: [Float], width: Int, height: Int,
                                 compression: ImageCompression = .none, extname: String? = nil) throws {
        guard compression.isCompressed, pixels.contains(where: { $0.isNaN }) else {
            try appendImage(pixels, width: width, height: height, compression: compression, extname: extname)
            return
        }
        guard width > 0, height > 0, pixels.count == width * height else {
            throw FITSError(status: FITSError.badDimension, operation: "write a \(width)×\(height) image to \(path)",
                            message: "\(pixels.count) pixels given for \(width)×\(height)")
        }
        let f = try fptr()
        var status: Int32 = 0
        var dims: [Int]
        switch compression {
        case .none:
            return
        case .rice(let tiles, let q, let seed):
            fits_set_compression_type(f, RICE_1, &status)
            dims = tiles.dimensions(imageWidth: width)
            fits_set_tile_dim(f, 2, &dims, &status)
            fits_set_quantize_level(f, q > 0 ? q : 16, &status)
            fits_set_quantize_method(f, SUBTRACTIVE_DITHER_1, &status)
            fits_set_dither_seed(f, Int32(min(max(seed, 1), 10000)), &status)
        case .gzip(let tiles, let q):
            fits_set_compression_type(f, GZIP_1, &status)
            dims = tiles.dimensions(imageWidth: width)
            fits_set_tile_dim(f, 2, &dims, &status)
            fits_set_quantize_level(f, q, &status)
            if q > 0 {
                fits_set_quantize_method(f, SUBTRACTIVE_DITHER_1, &status)
                fits_set_dither_seed(f, 1, &status)
            }
        }
        try checkStatus(status, "set compression \(compression) for \(path)")
        var naxes = [width, height]
        ffcrim(f, FLOAT_IMG, 2, &naxes, &status)
        var resetStatus: Int32 = 0
        fits_set_compression_type(f, 0, &resetStatus)
        try checkStatus(status, "create a \(width)×\(height) image in \(path)")
        if let extname { try write("EXTNAME", extname) }
        // A sentinel no finite pixel uses.
        var sentinel: Float = -Float.greatestFiniteMagnitude
        while pixels.contains(sentinel) { sentinel = sentinel.nextUp }
        var data = pixels.map { $0.isNaN ? sentinel : $0 }
        data.withUnsafeMutableBufferPointer { buffer in
            _ = ffppne(f, 1, 1, Int64(buffer.count), buffer.baseAddress, sentinel, &status)
        }
        try checkStatus(status, "write a \(width)×\(height) image to \(path)")
    }
}
