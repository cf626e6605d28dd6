import Cutout
import FITS
import Foundation
import PStampCore
import Testing

@Suite("Stamp engine on generated images")
struct StampEngineTests {
    func cutter(
        _ image: String, mask: String? = nil, variance: String? = nil,
        options: StampOptions = StampOptions(compressed: false)
    ) throws -> StampCutter {
        StampCutter(source: try StampSource(image: image, mask: mask, variance: variance), options: options)
    }

    @Test("the centre pixel of a stamp is the source pixel, for pixel and sky centres")
    func centrePixel() throws {
        let dir = try TestImages.directory()
        let image = try TestImages.image(dir + "/chip.fits")
        let c = try cutter(image)
        let r = try c.cut(StampRequest(center: .pixel(x: 120, y: 70), size: .pixels(21, 10), outputBase: dir + "/a"))
        #expect(r.start == (110, 65) && r.width == 21 && r.height == 10)
        let f = try TestImages.openStamp(dir + "/a.fits")
        let px = try f.readImage()
        #expect(px[5 * 21 + 10] == TestImages.value(120, 70))  // stamp index (floor(W/2), floor(H/2))
        #expect(px[0] == TestImages.value(110, 65))
        // Sky centre: the sky position of pixel (120, 70)'s centre.
        let wcs = try WCS(file: try FITSFile.open(image))
        let sky = try wcs.pixelToSky(IPPPixel.centre(ofIndex: 120, 70).fits)
        let s = try c.cut(StampRequest(center: .sky(ra: sky.ra, dec: sky.dec), size: .pixels(21, 10), outputBase: dir + "/b"))
        #expect(s.start == (110, 65))
        let g = try TestImages.openStamp(dir + "/b.fits")
        #expect(abs(try g.readDouble("RA_DEG")! - sky.ra) < 1e-9)
        #expect(try g.readImage()[5 * 21 + 10] == TestImages.value(120, 70))
    }

    @Test("HISTORY: each stamp's own time, and a source name longer than a card continued over HISTORY cards")
    func historyTimeAndLongSourceName() throws {
        let dir = try TestImages.directory()
        let long = "o5000g0101o.123456.cm.98765.ch.XY33.a-very-long-source-file-name-that-passes-one-card.ch.fits"
        #expect(long.count > 72)
        let c = try cutter(try TestImages.image(dir + "/" + long), options: StampOptions(compressed: true))
        func history(_ base: String) throws -> [String] {
            _ = try c.cut(StampRequest(center: .pixel(x: 100, y: 70), size: .pixels(10, 10), outputBase: dir + "/" + base))
            let f = try TestImages.openStamp(dir + "/" + base + ".fits")
            defer { f.closeQuietly() }
            return try f.headerCards().filter { $0.hasPrefix("HISTORY ") }.map { String($0.dropFirst(8)) }
        }
        let first = try history("h1")
        Thread.sleep(forTimeInterval: 1.1)
        let second = try history("h2")
        // cfitsio reads the cards back; the name is the next HISTORY cards, joined as written.
        let at = try #require(first.firstIndex { $0.hasPrefix("pstamp cutout at ") })
        #expect(first[at].trimmingCharacters(in: .whitespaces).hasSuffix(" from"))
        let name = first[(at + 1)...].prefix { !$0.hasPrefix("pstamp:") }
        #expect(name.count == 2)
        #expect(name.joined().trimmingCharacters(in: .whitespaces) == long)
        // The time is the stamp's, not the first stamp's of the process.
        let when = { (lines: [String]) in lines.first { $0.hasPrefix("pstamp cutout at ") } ?? "" }
        #expect(when(first) != when(second), "\(when(first)) \(when(second))")
    }

    @Test("off the edge: NaN in image and variance, BLANK (0x8) in the mask, full size kept")
    func padding() throws {
        let dir = try TestImages.directory()
        let image = try TestImages.image(dir + "/chip.fits")
        let variance = try TestImages.image(dir + "/chip.wt.fits")
        let mask = try TestImages.mask(dir + "/chip.mk.fits")
        let c = try cutter(
            image, mask: mask, variance: variance,
            options: StampOptions(products: [.image, .mask, .variance], compressed: true))
        let r = try c.cut(StampRequest(center: .pixel(x: 2, y: 148), size: .pixels(10, 10), outputBase: dir + "/edge"))
        #expect(r.files.count == 3 && r.start == (-3, 143))
        for (suffix, isMask) in [(".fits", false), (".wt.fits", false), (".mk.fits", true)] {
            let f = try TestImages.openStamp(dir + "/edge" + suffix)
            #expect(try f.imageSize() == (10, 10))
            if isMask {
                let m = try f.readSection(PixelRegion.whole(width: 10, height: 10), as: UInt16.self)
                #expect(m[0] == MaskBits.blank)  // x = −3: off the image
                #expect(m[3] == UInt16((0 + 143) % 4))  // x = 0, y = 143
                #expect(m[9 * 10 + 5] == MaskBits.blank)  // y = 152: off the top
            } else {
                let p = try f.readImage()
                #expect(p[0].isNaN && p[9 * 10 + 5].isNaN)
                #expect(p[3].isFinite)
            }
        }
    }

    @Test("codes: 28 for a centre off the image or a region wholly off it, 30 without a finite pixel")
    func codes() throws {
        let dir = try TestImages.directory()
        let image = try TestImages.image(dir + "/chip.fits", nanBox: (x: 50..<80, y: 50..<80))
        let c = try cutter(image)
        func code(_ r: StampRequest) -> PStampCode? {
            do { _ = try c.cut(r); return nil } catch let e as PStampError { return e.code } catch { return nil }
        }
        #expect(code(StampRequest(center: .sky(ra: 10, dec: 10), size: .pixels(10, 10), outputBase: dir + "/x")) == .noOverlap)
        #expect(code(StampRequest(center: .pixel(x: 500, y: 10), size: .pixels(10, 10), outputBase: dir + "/x")) == .noOverlap)
        #expect(code(StampRequest(center: .pixel(x: 65, y: 65), size: .pixels(10, 10), outputBase: dir + "/x")) == .noValidPixels)
        // With OPTION_MASK 8192 a centre off the image is cut; a region wholly off is still 28.
        let off = try cutter(image, options: StampOptions(compressed: false, centerOffChip: true))
        #expect(throws: PStampError(.noOverlap, "the region [300:310,5:15] lies wholly off the 200×150 image")) {
            try off.cut(StampRequest(center: .pixel(x: 305, y: 10), size: .pixels(10, 10), outputBase: dir + "/x"))
        }
        let r = try off.cut(StampRequest(center: .pixel(x: 203, y: 10), size: .pixels(10, 10), outputBase: dir + "/y"))
        #expect(r.width == 10 && !FileManager.default.fileExists(atPath: dir + "/x.fits"))
    }

    @Test("compressed and uncompressed copies of a lossless input give identical stamps")
    func compressedInput() throws {
        let dir = try TestImages.directory()
        let plain = try TestImages.image(dir + "/plain.fits")
        let packed = try TestImages.image(dir + "/packed.fits", compression: .gzip(tiles: .rows, quantizeLevel: 0))
        let packedSquare = try TestImages.image(dir + "/square.fits", compression: .gzip(tiles: .square(32), quantizeLevel: 0))
        let requests = [(37, 41), (0, 0), (199, 149), (100, 75)]
        for (x, y) in requests {
            var stamps: [[Float]] = []
            for (n, src) in [plain, packed, packedSquare].enumerated() {
                let base = dir + "/s\(n)_\(x)_\(y)"
                _ = try cutter(src).cut(
                    StampRequest(
                        center: .pixel(x: Double(x), y: Double(y)),
                        size: .pixels(15, 12), outputBase: base))
                stamps.append(try TestImages.openStamp(base + ".fits").readImage())
            }
            #expect(stamps[0].elementsEqual(stamps[1]) { $0 == $1 || ($0.isNaN && $1.isNaN) })
            #expect(stamps[0].elementsEqual(stamps[2]) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        }
    }

    @Test("every kind of output passes fitsverify")
    func fitsverify() throws {
        let dir = try TestImages.directory()
        let image = try TestImages.image(dir + "/chip.fits", projection: .sip)
        let zea = try TestImages.image(dir + "/zea.fits", projection: .zea)
        let mask = try TestImages.mask(dir + "/chip.mk.fits")
        let variance = try TestImages.image(dir + "/chip.wt.fits")
        var files: [String] = []
        for compressed in [true, false] {
            let c = try cutter(
                image, mask: mask, variance: variance,
                options: StampOptions(products: [.image, .mask, .variance], compressed: compressed))
            files += try c.cut(
                StampRequest(
                    center: .pixel(x: 3, y: 5), size: .pixels(20, 20),
                    outputBase: dir + "/v\(compressed)")
            ).files
        }
        files += try cutter(zea).cut(
            StampRequest(
                center: .pixel(x: 100, y: 100), size: .pixels(30, 30),
                outputBase: dir + "/fit")
        ).files
        #expect(files.count == 7)
        for f in files {
            let report = try #require(TestImages.fitsverify(f), "fitsverify is not installed (make deps)")
            #expect(report.contains("verification OK"), "\(f): \(report)")
        }
    }

    @Test("JPEG preview: a greyscale JFIF of the stamp size")
    func jpeg() throws {
        let dir = try TestImages.directory()
        let image = try TestImages.image(dir + "/chip.fits")
        let r = try cutter(image, options: StampOptions(products: [.image, .jpeg], compressed: false))
            .cut(StampRequest(center: .pixel(x: 50, y: 50), size: .pixels(33, 17), outputBase: dir + "/j"))
        #expect(r.files == [dir + "/j.fits", dir + "/j.jpg"])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/j.jpg")))
        #expect(bytes.prefix(2) == [0xFF, 0xD8] && bytes.suffix(2) == [0xFF, 0xD9])
        // Start-of-frame: height 17, width 33, one component (greyscale).
        let sof = try #require((0..<(bytes.count - 9)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        #expect(Int(bytes[sof + 5]) << 8 | Int(bytes[sof + 6]) == 17)
        #expect(Int(bytes[sof + 7]) << 8 | Int(bytes[sof + 8]) == 33)
        #expect(bytes[sof + 9] == 1)
    }

    @Test("get_image: a tgz bundle of image, mask and variance; a missing file is code 26")
    func bundle() throws {
        let dir = try TestImages.directory()
        let files = [
            try TestImages.image(dir + "/c.fits"), try TestImages.mask(dir + "/c.mk.fits"),
            try TestImages.image(dir + "/c.wt.fits"),
        ]
        let out = try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        _ = out
        let bundle = try ImageBundle.write(files: files, outputBase: dir + "/out/3_1")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/tar")
        p.arguments = ["-tzf", bundle]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run(); p.waitUntilExit()
        let names = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        #expect(names == ["c.fits", "c.mk.fits", "c.wt.fits"])
        #expect(throws: PStampError.self) { try ImageBundle.write(files: [dir + "/none.fits"], outputBase: dir + "/out/x") }
        do { try ImageBundle.write(files: [dir + "/none.fits"], outputBase: dir + "/out/x") } catch let e as PStampError {
            #expect(e.code == .gone)
        }
    }

    @Test("a missing input is code 26")
    func missing() {
        do { _ = try StampSource(image: "/nonexistent/x.fits"); Issue.record("opened") } catch let e as PStampError {
            #expect(e.code == .gone)
        } catch { Issue.record("\(error)") }
    }
}
