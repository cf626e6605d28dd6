import Foundation
import Testing

@testable import FITS

@Suite("FITS images: write, read sections, compression")
struct FITSImageTests {
    static func ramp(width: Int, height: Int) -> [Float] {
        (0..<(width * height)).map { Float($0 % width) + 1000 * Float($0 / width) }
    }

    @Test("an uncompressed float image reads back exactly, by section, as Float32 and natively")
    func uncompressedRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("plain.fits")
        let pixels = Self.ramp(width: 100, height: 80)
        let out = try FITSFile.create(path)
        try out.appendImage(pixels, width: 100, height: 80)
        try out.write("OBJECT", "ramp", comment: "test image")
        try out.close()

        let f = try FITSFile.open(path)
        #expect(try f.hduCount() == 1)
        let size = try f.imageSize()
        #expect(size.width == 100 && size.height == 80)
        #expect(try f.imageBitpix() == -32)
        let region = PixelRegion(x0: 10, y0: 20, width: 5, height: 3)
        let section = try f.readSection(region)
        #expect(section.count == 15)
        #expect(section[0] == 10 + 20_000)  // 0-based (10, 20) is FITS pixel (11, 21)
        #expect(section[14] == 14 + 22_000)
        guard case .float32(let native) = try f.readSectionNative(region) else {
            Issue.record("native type of a BITPIX -32 image should be Float32"); return
        }
        #expect(native == section)
        #expect(try f.readImage() == pixels)
        try expectFitsverifyClean(path)
    }

    @Test("a RICE row-tiled float image keeps values within the quantisation step and NaN stays NaN")
    func riceRowTiles() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("rice.fits")
        var rng = TestRandom(seed: 7)
        let (w, h) = (120, 90)
        var pixels = (0..<(w * h)).map { i in Float(100 + 10 * rng.gaussian() + (i % w == 60 ? 500 : 0)) }
        pixels[5] = .nan
        let out = try FITSFile.create(path)
        try out.appendImage(pixels, width: w, height: h, compression: .ippImage)
        try out.close()

        let f = try FITSFile.open(path)
        #expect(try f.hduCount() == 2)  // empty primary + compressed extension
        try f.moveTo(hdu: 2)
        #expect(try f.isCompressedImage())
        #expect(try f.readString("ZCMPTYPE") == "RICE_1")
        #expect(try f.readInt("ZTILE1") == w)
        #expect(try f.readInt("ZTILE2") == 1)
        let size = try f.imageSize()
        #expect(size.width == w && size.height == h)
        let back = try f.readImage()
        #expect(back[5].isNaN)
        var worst: Float = 0
        for i in 0..<pixels.count where i != 5 { worst = max(worst, abs(back[i] - pixels[i])) }
        #expect(worst < 10.0 / 16 * 1.5)  // σ = 10, q = 16: step ≈ σ/16
        #expect(worst > 0)  // it really is quantised
        let section = try f.readSection(PixelRegion(x0: 58, y0: 40, width: 5, height: 2))
        #expect(section[2] > 550)  // column 60 carries +500
        try expectFitsverifyClean(path)
    }

    @Test("the same pixels compress to the same bytes (fixed dither seed)")
    func deterministicCompression() throws {
        let dir = try TemporaryDirectory()
        var rng = TestRandom(seed: 3)
        let pixels = (0..<(64 * 64)).map { _ in Float(rng.gaussian()) }
        for name in ["a.fits", "b.fits"] {
            let out = try FITSFile.create(dir.path(name))
            try out.appendImage(pixels, width: 64, height: 64, compression: .ippImage)
            try out.close()
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: dir.path("a.fits")))
        let b = try Data(contentsOf: URL(fileURLWithPath: dir.path("b.fits")))
        #expect(a == b)
    }

    @Test("a GZIP mask with square tiles is lossless, read as UInt16 and natively")
    func gzipMaskSquareTiles() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("mask.fits")
        let (w, h) = (70, 50)
        let mask: [UInt16] = (0..<(w * h)).map { UInt16(($0 * 37) % 65535) }
        let out = try FITSFile.create(path)
        try out.appendImage(mask, width: w, height: h, compression: .gzip(tiles: .square(32)))
        try out.close()

        let f = try FITSFile.open(path)
        try f.moveTo(hdu: 2)
        #expect(try f.readString("ZCMPTYPE") == "GZIP_1")
        #expect(try f.readInt("ZTILE1") == 32)
        #expect(try f.readInt("ZTILE2") == 32)
        #expect(try f.imageBitpix() == 20)
        let region = PixelRegion(x0: 30, y0: 30, width: 40, height: 20)
        let back = try f.readSection(region, as: UInt16.self)
        #expect(back[0] == mask[30 * w + 30])
        #expect(back.last == mask[49 * w + 69])
        guard case .uint16(let native) = try f.readSectionNative(region) else {
            Issue.record("an unsigned 16-bit mask should read natively as UInt16"); return
        }
        #expect(native == back)
        try expectFitsverifyClean(path)
    }

    @Test("an Int16 mask with IPP row tiles round-trips; floats read from it convert")
    func int16Mask() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("mask16.fits")
        let mask: [Int16] = (0..<(40 * 30)).map { Int16($0 % 300) - 100 }
        let out = try FITSFile.create(path)
        try out.appendImage(mask, width: 40, height: 30, compression: .ippMask)
        try out.write("MSKNAME", "TEST")
        try out.writeChecksum()
        try out.close()
        let f = try FITSFile.open(path)
        try f.moveTo(hdu: 2)
        #expect(try f.readSection(.whole(width: 40, height: 30), as: Int16.self) == mask)
        #expect(try f.readSection(PixelRegion(x0: 0, y0: 0, width: 2, height: 1)) == [-100, -99])
        #expect(try f.readString("MSKNAME") == "TEST")
        try expectFitsverifyClean(path)
    }

    @Test("a section outside the image is a FITSError (BAD_PIX_NUM), not a crash")
    func sectionOutside() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("small.fits")
        let out = try FITSFile.create(path)
        try out.appendImage([Float](repeating: 1, count: 100), width: 10, height: 10)
        try out.close()
        let f = try FITSFile.open(path)
        #expect(throws: FITSError.self) { try f.readSection(PixelRegion(x0: 5, y0: 5, width: 10, height: 2)) }
        do {
            _ = try f.readSection(PixelRegion(x0: -1, y0: 0, width: 2, height: 2))
            Issue.record("expected an error")
        } catch let e as FITSError {
            #expect(e.status == FITSError.badPixelNumber)
        }
        #expect(throws: FITSError.self) { try f.appendImage([Float](), width: 0, height: 0) }
    }

    @Test("PixelRegion: FITS corners, intersection, containment")
    func regions() {
        let r = PixelRegion(x0: 10, y0: 20, width: 5, height: 3)
        #expect(r.fitsFirstPixel.x == 11 && r.fitsFirstPixel.y == 21)
        #expect(r.fitsLastPixel.x == 15 && r.fitsLastPixel.y == 23)
        #expect(r.x1 == 15 && r.y1 == 23)
        let clipped = PixelRegion(x0: -3, y0: -3, width: 10, height: 10).intersection(.whole(width: 5, height: 5))
        #expect(clipped == PixelRegion(x0: 0, y0: 0, width: 5, height: 5))
        #expect(PixelRegion(x0: 8, y0: 8, width: 4, height: 4).intersection(.whole(width: 5, height: 5)).isEmpty)
        #expect(PixelRegion.whole(width: 5, height: 5).contains(PixelRegion(x0: 1, y0: 1, width: 4, height: 4)))
    }

    @Test("pixel conventions: FITS 1-based centres vs IPP 0-based corners")
    func conventions() {
        #expect(IPPPixel(x: 0, y: 0).fits == FITSPixel(x: 0.5, y: 0.5))  // corner of the first pixel
        #expect(IPPPixel.centre(ofIndex: 0, 0).fits == FITSPixel(x: 1, y: 1))
        #expect(FITSPixel(x: 1, y: 1).index == (0, 0))
        #expect(FITSPixel(x: 1.49, y: 0.51).index == (0, 0))
        #expect(FITSPixel(x: 1.51, y: 2.0).index == (1, 1))
        #expect(IPPPixel(x: 99.99, y: 0).index.x == 99)
        #expect(IPPPixel(x: -0.01, y: 0).index.x == -1)
    }
}
