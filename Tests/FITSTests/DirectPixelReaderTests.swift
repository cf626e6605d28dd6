import Foundation
import Testing

@testable import FITS

@Suite("Uncompressed sections read straight from the file")
struct DirectPixelReaderTests {
    @Test(
        "float images and unsigned 16-bit masks read the same pixels as cfitsio, NaN included, mapped or by pread",
        arguments: [true, false])
    func sameAsCFITSIO(mapped: Bool) throws {
        let dir = try TemporaryDirectory()
        let w = 300, h = 120
        var pixels = (0..<(w * h)).map { Float($0 % w) * 1.5 - Float($0 / w) * 1000 }
        pixels[5 * w + 7] = .nan
        let floatPath = dir.path("float.fits"), maskPath = dir.path("mask.fits")
        var f = try FITSFile.create(floatPath)
        try f.appendImage(pixels, width: w, height: h)
        try f.write("OBJECT", "direct")  // a keyword after the data: data start moves with the header
        try f.close()
        let mask = (0..<(w * h)).map { UInt16(($0 * 7919) % 65536) }
        f = try FITSFile.create(maskPath)
        try f.appendImage(mask, width: w, height: h)
        try f.close()

        let regions = [
            PixelRegion(x0: 0, y0: 0, width: w, height: h), PixelRegion(x0: 3, y0: 2, width: 100, height: 10),
            PixelRegion(x0: 299, y0: 119, width: 1, height: 1), PixelRegion(x0: 7, y0: 5, width: 1, height: 1),
        ]
        let image = try FITSFile.open(floatPath)
        let imageReader = try #require(try DirectPixelReader(file: image))
        if mapped { #expect(imageReader.map()) }
        #expect(imageReader.layout == .float32)
        for r in regions {
            let a = try imageReader.readFloat(r), b = try image.readSection(r)
            #expect(a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(r)")
        }
        #expect(try imageReader.readFloat(PixelRegion(x0: 7, y0: 5, width: 1, height: 1))[0].isNaN)
        let m = try FITSFile.open(maskPath)
        let maskReader = try #require(try DirectPixelReader(file: m))
        if mapped { #expect(maskReader.map()) }
        #expect(maskReader.layout == .uint16)
        for r in regions { #expect(try maskReader.readUInt16(r) == m.readSection(r, as: UInt16.self), "\(r)") }
        #expect(throws: FITSError.self) { try imageReader.readFloat(PixelRegion(x0: 250, y0: 0, width: 51, height: 1)) }
    }

    @Test("layouts whose bytes are not the values are left to cfitsio: compressed, scaled, BLANK, integers")
    func declines() throws {
        let dir = try TemporaryDirectory()
        let pixels = (0..<100).map { Float($0) }
        let cases: [(String, (FITSFile) throws -> Void)] = [
            ("rice", { f in try f.appendImage(pixels, width: 10, height: 10, compression: .ippImage) }),
            (
                "scaled",
                { f in
                    try f.appendImage(pixels, width: 10, height: 10); try f.write("BSCALE", 2)
                }
            ),
            (
                "blank",
                { f in
                    try f.appendImage((0..<100).map { UInt16($0) }, width: 10, height: 10); try f.write("BLANK", 7)
                }
            ),
            ("int32", { f in try f.appendImage((0..<100).map { Int32($0) }, width: 10, height: 10) }),
        ]
        for (name, make) in cases {
            let path = dir.path("\(name).fits")
            let f = try FITSFile.create(path)
            try make(f)
            try f.close()
            let g = try FITSFile.open(path)
            if name == "rice" { try g.moveTo(hdu: 2) }
            #expect(try DirectPixelReader(file: g) == nil, "\(name)")
        }
    }
}
