import FITS
import Foundation

/// Generated test images with a known WCS and pixel values that name their position:
/// pixel (i, j) (0-based) holds `i + 1000·j`, exact in Float32.
enum TestImages {
    static func directory(_ name: String = #function) throws -> String {
        let dir = NSTemporaryDirectory() + "cutout-tests-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func value(_ i: Int, _ j: Int) -> Float { Float(i + 1000 * j) }

    static func pixels(width: Int, height: Int, nanBox: (x: Range<Int>, y: Range<Int>)? = nil) -> [Float] {
        var p = [Float](repeating: 0, count: width * height)
        for j in 0..<height {
            for i in 0..<width {
                if let box = nanBox, box.x.contains(i), box.y.contains(j) { p[j * width + i] = .nan; continue }
                p[j * width + i] = value(i, j)
            }
        }
        return p
    }

    enum Projection { case tan, sip, zea }

    /// WCS keywords: 0.25″/px, slightly rotated, centred on (150.1, 2.2).
    static func writeWCS(_ f: FITSFile, width: Int, height: Int, projection: Projection = .tan) throws {
        let s = 0.25 / 3600, r = 0.3 * Double.pi / 180
        let code = projection == .zea ? "ZEA" : "TAN"
        let suffix = projection == .sip ? "-SIP" : ""
        try f.write("CTYPE1", "RA---\(code)\(suffix)")
        try f.write("CTYPE2", "DEC--\(code)\(suffix)")
        try f.write("CRVAL1", 150.1)
        try f.write("CRVAL2", 2.2)
        try f.write("CRPIX1", Double(width) / 2 + 0.5)
        try f.write("CRPIX2", Double(height) / 2 + 0.5)
        try f.write("CD1_1", -s * cos(r))
        try f.write("CD1_2", s * sin(r))
        try f.write("CD2_1", s * sin(r))
        try f.write("CD2_2", s * cos(r))
        if projection == .sip {
            try f.write("A_ORDER", 2)
            try f.write("B_ORDER", 2)
            try f.write("A_2_0", 2.0e-5)
            try f.write("A_0_2", -1.5e-5)
            try f.write("A_1_1", 1.0e-5)
            try f.write("B_2_0", -1.0e-5)
            try f.write("B_0_2", 2.5e-5)
            try f.write("B_1_1", 0.5e-5)
        }
        try f.write("FILTER", "i.00000")
        try f.write("EXPTIME", 30.0)
    }

    /// A float image (uncompressed, or tile-compressed) with a WCS.
    @discardableResult
    static func image(
        _ path: String, width: Int = 200, height: Int = 150, projection: Projection = .tan,
        compression: ImageCompression = .none, nanBox: (x: Range<Int>, y: Range<Int>)? = nil
    ) throws -> String {
        let f = try FITSFile.create(path, overwrite: true)
        try f.appendImage(
            pixels(width: width, height: height, nanBox: nanBox), width: width, height: height,
            compression: compression)
        try writeWCS(f, width: width, height: height, projection: projection)
        try f.close()
        return path
    }

    /// A 16-bit mask whose pixel (i, j) holds `(i + j) % 4` (bit 0x8, BLANK, never set in the source).
    @discardableResult
    static func mask(_ path: String, width: Int = 200, height: Int = 150) throws -> String {
        var m = [UInt16](repeating: 0, count: width * height)
        for j in 0..<height { for i in 0..<width { m[j * width + i] = UInt16((i + j) % 4) } }
        let f = try FITSFile.create(path, overwrite: true)
        try f.appendImage(m, width: width, height: height)
        try f.close()
        return path
    }

    /// `fitsverify -q` output, or nil when fitsverify is not installed.
    static func fitsverify(_ path: String) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/fitsverify")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/fitsverify") else { return nil }
        p.arguments = ["-q", path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try? p.run()
        p.waitUntilExit()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    /// The stamp's image HDU (extension 1 when compressed) opened read-only.
    static func openStamp(_ path: String) throws -> FITSFile {
        let f = try FITSFile.open(path)
        if try f.hduCount() > 1 { try f.moveTo(hdu: 2) }
        return f
    }
}
