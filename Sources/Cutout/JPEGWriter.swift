// Greyscale JPEG previews through libjpeg-turbo (TurboJPEG API), scaled by the IPP jpeg recipe's robust
// range (PStampCore/StampJPEGScale.swift).
import CJPEG
import PStampCore

#if canImport(Glibc)
    import Glibc
#endif

enum JPEGWriter {
    /// Writes `grey` (8-bit, top row first) as a baseline greyscale JPEG.
    static func write(grey: [UInt8], width: Int, height: Int, to path: String, quality: Int32 = 90) throws {
        guard let handle = tjInitCompress() else {
            throw PStampError(.sysError, "libjpeg-turbo: cannot initialise the compressor")
        }
        defer { tjDestroy(handle) }
        guard let jpegWidth = Int32(exactly: width), let jpegHeight = Int32(exactly: height), width * height <= grey.count else {
            throw PStampError(.invalidRequest, "a \(width)×\(height) preview is too large for a JPEG")
        }
        var jpeg: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let status = grey.withUnsafeBufferPointer { p in
            tjCompress2(
                handle, p.baseAddress, jpegWidth, 0, jpegHeight, Int32(TJPF_GRAY.rawValue),
                &jpeg, &size, Int32(TJSAMP_GRAY.rawValue), quality, 0)
        }
        defer { if let jpeg { tjFree(jpeg) } }
        guard status == 0, let jpeg else {
            let message = tjGetErrorStr2(handle).map { String(cString: $0) } ?? "unknown error"
            throw PStampError(.sysError, "libjpeg-turbo: \(message)")
        }
        guard let f = fopen(path, "wb") else { throw PStampError(.sysError, "cannot create \(path)") }
        let written = fwrite(jpeg, 1, Int(size), f)
        let closed = fclose(f)
        guard written == Int(size), closed == 0 else { throw PStampError(.sysError, "cannot write \(path)") }
    }

    /// The stamp's preview: robust range per the recipe, north up.
    static func writePreview(_ pixels: [Float], width: Int, height: Int, to path: String) throws {
        let grey = pixels.withUnsafeBufferPointer { p in
            StampJPEGScale(pixels: p).greyImage(p, width: width, height: height)
        }
        try write(grey: grey, width: width, height: height, to: path)
    }
}
