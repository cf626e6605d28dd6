import Cutout
import FITS
import Foundation
import PStampCore
import Testing

@Suite("Stamp WCS: shifted SIP to 0.01 px, fitted TAN within its recorded error")
struct StampWCSTests {
    /// For every stamp pixel: stamp WCS → sky → parent WCS must land on the parent pixel it came from.
    func worstError(stamp path: String, parent: WCS, start: (x: Int, y: Int)) throws -> (error: Double, header: FITSFile) {
        let f = try TestImages.openStamp(path)
        let wcs = try WCS(file: f)
        let (w, h) = try f.imageSize()
        var points: [FITSPixel] = []
        for j in 1...h { for i in 1...w { points.append(FITSPixel(x: Double(i), y: Double(j))) } }
        let back = try parent.skyToPixel(try wcs.pixelToSky(points))
        var worst = 0.0
        for (p, q) in zip(points, back) {
            worst = max(worst, hypot(q.x - (p.x + Double(start.x)), q.y - (p.y + Double(start.y))))
        }
        return (worst, f)
    }

    @Test("a SIP chip: the shifted WCS agrees with the parent's to 0.01 px at every pixel")
    func sip() throws {
        let dir = try TestImages.directory()
        let image = try TestImages.image(dir + "/sip.fits", width: 400, height: 300, projection: .sip)
        let parent = try WCS(file: try FITSFile.open(image))
        #expect(parent.hasDistortion)
        let c = StampCutter(source: try StampSource(image: image), options: StampOptions(compressed: true))
        for (x, y) in [(10, 10), (390, 290), (200, 150), (0, 299)] {
            let r = try c.cut(
                StampRequest(
                    center: .pixel(x: Double(x), y: Double(y)), size: .pixels(60, 40),
                    outputBase: dir + "/s\(x)_\(y)"))
            #expect(r.fitErrorPixels == nil)
            let (err, f) = try worstError(stamp: r.files[0], parent: parent, start: r.start)
            #expect(err < 0.01, "stamp at (\(x), \(y)): \(err) px")
            #expect(try f.readString("CTYPE1") == "RA---TAN-SIP")
            #expect(try f.readInt("A_ORDER") == 2)
        }
    }

    @Test("a ZEA chip gets a linear TAN; each pixel lands within the recorded fit error")
    func fittedTAN() throws {
        let dir = try TestImages.directory()
        let image = try TestImages.image(dir + "/zea.fits", width: 400, height: 300, projection: .zea)
        let parent = try WCS(file: try FITSFile.open(image))
        let c = StampCutter(source: try StampSource(image: image), options: StampOptions(compressed: false))
        let r = try c.cut(StampRequest(center: .pixel(x: 300, y: 100), size: .pixels(80, 50), outputBase: dir + "/z"))
        let recorded = try #require(r.fitErrorPixels)
        let (err, f) = try worstError(stamp: r.files[0], parent: parent, start: r.start)
        #expect(try f.readString("CTYPE1") == "RA---TAN")
        let keyword = try #require(try f.readDouble("WCSFITPX"))
        #expect(abs(keyword - recorded) < 1e-9)
        #expect(err <= recorded + 1e-6, "error \(err) px above the recorded \(recorded) px")
        #expect(recorded < 0.05)
    }

    @Test("forced TAN fit on a SIP chip stays within its recorded error")
    func forcedFit() throws {
        let dir = try TestImages.directory()
        let image = try TestImages.image(dir + "/sip.fits", width: 400, height: 300, projection: .sip)
        let parent = try WCS(file: try FITSFile.open(image))
        let c = StampCutter(source: try StampSource(image: image), options: StampOptions(compressed: false, forceTANFit: true))
        let r = try c.cut(StampRequest(center: .pixel(x: 50, y: 250), size: .pixels(100, 100), outputBase: dir + "/f"))
        let recorded = try #require(r.fitErrorPixels)
        let (err, f) = try worstError(stamp: r.files[0], parent: parent, start: r.start)
        #expect(err <= recorded + 1e-6)
        #expect(try f.readInt("A_ORDER") == nil)
    }

    @Test("sizes in arcseconds: the sky box's corners bound the region")
    func arcsecSize() throws {
        let dir = try TestImages.directory()
        let image = try TestImages.image(dir + "/t.fits", width: 400, height: 300)
        let c = StampCutter(source: try StampSource(image: image), options: StampOptions(compressed: false))
        let r = try c.cut(
            StampRequest(
                center: .pixel(x: 200, y: 150), size: StampSize(width: 10, height: 5, unit: .arcseconds),
                outputBase: dir + "/a"))
        // 10″ × 5″ at 0.25″/px, rotated 0.3°: about 40 × 20 px (the rotation adds a fraction of a pixel).
        #expect((40...41).contains(r.width) && (20...21).contains(r.height))
    }
}
