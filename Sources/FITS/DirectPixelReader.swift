// Sections of an uncompressed image read straight from the file: rows copied from a read-only mapping
// (or one pread per row where mmap fails).
// cfitsio locates the data (header parsed, data start, BITPIX, scaling); this only moves bytes. cfitsio's
// own section reads go through 2880-byte records and stdio buffers: for a 100×100 stamp of a wide
// image, ~180 reads and ~100 seeks moving ~740 KB, where the rows themselves are 40 KB in 100 reads.
//
//   if let direct = try DirectPixelReader(file: f) {      // nil: compressed, scaled, BLANK, not 2-d…
//       let rows: [Float]? = try direct.readFloat(region)
//   }
//
// Only layouts whose bytes map one to one onto the values are taken: BITPIX −32 unscaled (NaN is NaN,
// as cfitsio returns it), and BITPIX 16 with BZERO 32768 (unsigned 16-bit masks) without BLANK.
// Everything else is read by cfitsio (FITSFile.readSection).
import CFITSIO
import Glibc

public final class DirectPixelReader {
    public enum Layout: Sendable { case float32, uint16 }
    public let path: String
    public let layout: Layout
    public let width: Int
    public let height: Int
    private let dataStart: Int
    private let fd: Int32
    /// The file mapped read-only once `map()` was called (for a reader that serves many sections):
    /// rows are then copied from memory, no system call per row. For a section or two, pread is
    /// cheaper than the page faults and the unmapping. (A mapped file truncated under a reader would
    /// fault; image files are replaced, never rewritten in place, by the update processor and the IPP.)
    private var mapping: UnsafeRawPointer?
    private var mappedLength = 0
    private let fileLength: Int

    /// A reader for the current HDU of `file`, or nil when its layout is not one this reads. Rows are
    /// read with pread until `map()` is called.
    public init?(file: FITSFile) throws {
        guard try file.hduType() == .image, !(try file.isCompressedImage()) else { return nil }
        let f = try file.fptr()
        var status: Int32 = 0, bitpix: Int32 = 0, naxis: Int32 = 0
        ffgidt(f, &bitpix, &status)
        ffgidm(f, &naxis, &status)
        try checkStatus(status, "read the image layout of \(file.path)")
        guard naxis == 2 else { return nil }
        let scale = try file.readDouble("BSCALE") ?? 1, zero = try file.readDouble("BZERO") ?? 0
        switch (bitpix, scale, zero) {
        case (-32, 1, 0): layout = .float32
        case (16, 1, 32768) where try file.readInt("BLANK") == nil: layout = .uint16
        default: return nil
        }
        (width, height) = try file.imageSize()
        var headStart: Int64 = 0, dataStart: Int64 = 0, dataEnd: Int64 = 0
        ffghadll(f, &headStart, &dataStart, &dataEnd, &status)
        try checkStatus(status, "locate the data of \(file.path)")
        self.dataStart = Int(dataStart)
        path = file.path
        fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        fileLength = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Maps the file for many sections to come (a batch on one image). Returns false, and keeps to
    /// pread, when the file is shorter than its data or mmap fails.
    @discardableResult
    public func map() -> Bool {
        if mapping != nil { return true }
        let needed = dataStart + width * height * (layout == .float32 ? 4 : 2)
        guard fileLength >= needed, let m = mmap(nil, fileLength, PROT_READ, MAP_SHARED, fd, 0), m != MAP_FAILED else {
            return false
        }
        _ = madvise(m, fileLength, MADV_RANDOM)  // stamps touch scattered rows: no read-ahead, no fault-around
        mapping = UnsafeRawPointer(m)
        mappedLength = fileLength
        return true
    }

    deinit {
        if let mapping { munmap(UnsafeMutableRawPointer(mutating: mapping), mappedLength) }
        close(fd)
    }

    /// The pixels of `region` (0-based, wholly inside the image), row-major, as Float32.
    public func readFloat(_ region: PixelRegion) throws -> [Float] {
        precondition(layout == .float32)
        return try read(region, bytesPerPixel: 4) { raw, out, n in
            let src = raw.bindMemory(to: UInt32.self, capacity: n)
            let dst = UnsafeMutableRawPointer(out).bindMemory(to: Float.self, capacity: n)
            for i in 0..<n { dst[i] = Float(bitPattern: UInt32(bigEndian: src[i])) }
        }
    }

    /// The pixels of `region` as UInt16 (BZERO 32768 applied).
    public func readUInt16(_ region: PixelRegion) throws -> [UInt16] {
        precondition(layout == .uint16)
        return try read(region, bytesPerPixel: 2) { raw, out, n in
            let src = raw.bindMemory(to: UInt16.self, capacity: n)
            let dst = UnsafeMutableRawPointer(out).bindMemory(to: UInt16.self, capacity: n)
            for i in 0..<n { dst[i] = UInt16(bigEndian: src[i]) ^ 0x8000 }
        }
    }

    /// Reads each row of the region into the output's memory (big-endian bytes), then converts in place.
    private func read<T>(
        _ region: PixelRegion, bytesPerPixel: Int,
        convert: (UnsafeMutableRawPointer, UnsafeMutablePointer<T>, Int) -> Void
    ) throws -> [T] {
        guard !region.isEmpty, region.x0 >= 0, region.y0 >= 0, region.x1 <= width, region.y1 <= height else {
            throw FITSError(
                status: FITSError.badPixelNumber, operation: "read section \(region) of \(path)",
                message: "region outside the \(width)×\(height) image")
        }
        let n = region.pixelCount, rowBytes = region.width * bytesPerPixel
        var failure: Int32 = 0
        let pixels = [T](unsafeUninitializedCapacity: n) { buffer, count in
            let base = UnsafeMutableRawPointer(buffer.baseAddress!)
            for (k, y) in (region.y0..<region.y1).enumerated() where failure == 0 {
                let offset = dataStart + (y * width + region.x0) * bytesPerPixel
                if let mapping {
                    memcpy(base + k * rowBytes, mapping + offset, rowBytes)
                    continue
                }
                var done = 0
                while done < rowBytes {
                    let got = pread(fd, base + k * rowBytes + done, rowBytes - done, off_t(offset + done))
                    if got < 0 && errno == EINTR { continue }
                    if got <= 0 { failure = got == 0 ? 107 : 108; break }  // END_OF_FILE / READ_ERROR
                    done += got
                }
            }
            if failure != 0 { memset(base, 0, n * MemoryLayout<T>.stride) } else { convert(base, buffer.baseAddress!, n) }
            count = n
        }
        if failure != 0 {
            throw FITSError(
                status: failure, operation: "read section \(region) of \(path)",
                message: failure == 107 ? "file ends before the image data" : String(cString: strerror(errno)))
        }
        return pixels
    }
}
