import PStampCore
import Testing

@Suite("Region of interest (pure)")
struct RegionOfInterestTests {
    @Test("x0 = cx − floor(W/2), x1 = x0 + W, for odd and even sizes")
    func pixelRegion() {
        let (odd, _) = RegionOfInterest.pixelRegion(centerX: 100, centerY: 200, width: 11, height: 11)
        #expect(odd == StampRegion(x0: 95, y0: 195, x1: 106, y1: 206))
        #expect(odd.width == 11 && odd.height == 11)
        let (even, _) = RegionOfInterest.pixelRegion(centerX: 100, centerY: 200, width: 100, height: 50)
        #expect(even.startX == 50 && even.startY == 175)
        #expect(even.width == 100 && even.height == 50)
        // The centre pixel lands at stamp index floor(W/2).
        #expect(100 - even.startX == 50)
    }

    @Test("a fractional centre lies in pixel floor(c)")
    func fractionalCenter() {
        let (r, _) = RegionOfInterest.pixelRegion(centerX: 100.7, centerY: 9.2, width: 10, height: 4)
        #expect(r.startX == 95 && r.startY == 7)
    }

    @Test("QUIRK fixed: a stamp hanging off the left edge keeps its centre (IPP truncated toward zero)")
    func negativeStartIsFloored() {
        let (r, _) = RegionOfInterest.pixelRegion(centerX: 2.5, centerY: 2.5, width: 10, height: 10)
        #expect(r.startX == -3)  // floor(2.5) − 5; the IPP's (int)(−2.5) would have given −2
        let b = RegionOfInterest.boundingRegion(of: [(-3.7, 0), (6.3, 10)])
        #expect(b.startX == -4 && b.width == 10)
    }

    @Test("sizes above 8000 are capped with a warning; negative sizes are made positive")
    func caps() {
        let (r, w) = RegionOfInterest.pixelRegion(centerX: 0, centerY: 0, width: 9000, height: -20)
        #expect(r.width == 8000 && r.height == 20)
        #expect(w.count == 1 && w[0].message.contains("9000"))
        let sky = RegionOfInterest.skyHalfExtents(widthArcsec: 10_000, heightArcsec: 5, scaleX: 0.25, scaleY: 0.25)
        #expect(sky.dx == 8000 && sky.dy == 10 && sky.warnings.count == 1)
    }

    @Test("whole file: the image bounds, centred as the IPP does")
    func wholeFile() {
        let w = RegionOfInterest.wholeImage(width: 600, height: 400)
        #expect(w.region.width == 600 && w.region.height == 400 && w.region.startX == 0)
        #expect(w.centerX == 300.5 && w.centerY == 200.5)
    }

    @Test("a point is on the image in [0, W) × [0, H)")
    func contains() {
        #expect(RegionOfInterest.contains(width: 10, height: 10, x: 0, y: 9.99))
        #expect(!RegionOfInterest.contains(width: 10, height: 10, x: 10, y: 5))
        #expect(!RegionOfInterest.contains(width: 10, height: 10, x: -0.01, y: 5))
    }

    @Test("the history text of a region")
    func description() {
        #expect(StampRegion(x0: 5, y0: 6, x1: 15, y1: 16).description == "[5:15,6:16]")
    }
}

@Suite("Region overlap (padding bookkeeping)")
struct RegionOverlapTests {
    @Test("inside: everything is copied")
    func inside() {
        let o = RegionOverlap(startX: 10, startY: 20, width: 5, height: 6, imageWidth: 100, imageHeight: 100)
        #expect(o.isComplete && !o.isEmpty)
        #expect(o.sourceX == 10 && o.stampX == 0 && o.copyWidth == 5 && o.copyHeight == 6)
    }

    @Test("off the bottom-left corner: the copy lands inside the stamp, the rest is padding")
    func corner() {
        let o = RegionOverlap(startX: -3, startY: -4, width: 10, height: 10, imageWidth: 100, imageHeight: 100)
        #expect(o.sourceX == 0 && o.stampX == 3 && o.copyWidth == 7)
        #expect(o.sourceY == 0 && o.stampY == 4 && o.copyHeight == 6)
        #expect(!o.isComplete)
    }

    @Test("larger than the image on both sides")
    func larger() {
        let o = RegionOverlap(startX: -5, startY: 0, width: 20, height: 3, imageWidth: 10, imageHeight: 10)
        #expect(o.stampX == 5 && o.copyWidth == 10 && o.stampWidth == 20)
    }

    @Test("wholly off the image in x or in y: empty")
    func off() {
        #expect(RegionOverlap(startX: 100, startY: 0, width: 5, height: 5, imageWidth: 100, imageHeight: 100).isEmpty)
        #expect(RegionOverlap(startX: 0, startY: -5, width: 5, height: 5, imageWidth: 100, imageHeight: 100).isEmpty)
        #expect(RegionOverlap(startX: 0, startY: -4, width: 5, height: 5, imageWidth: 100, imageHeight: 100).copyHeight == 1)
    }
}

@Suite("Centre and size parsing")
struct RegionParsingTests {
    @Test("decimal and sexagesimal sky centres")
    func sky() throws {
        #expect(try RegionParsing.rightAscension("150.25") == 150.25)
        #expect(try RegionParsing.rightAscension("10:01:00") == 150.25)
        #expect(abs(try RegionParsing.declination("-02:30:36") - -2.51) < 1e-12)
        #expect(abs(try RegionParsing.declination("-00:30:00") - -0.5) < 1e-12)  // sign of a zero-degree value
        #expect(try RegionParsing.declination("+45") == 45)
    }

    @Test("bad sky centres give code 21 with a message")
    func badSky() {
        for (text, isRA) in [("abc", true), ("25:00:00", true), ("10:61:00", true), ("95", false), ("nan", false), ("", true)] {
            #expect(throws: PStampError.self) {
                if isRA { _ = try RegionParsing.rightAscension(text) } else { _ = try RegionParsing.declination(text) }
            }
        }
        do { _ = try RegionParsing.declination("91"); Issue.record("no error") } catch {
            #expect(error.code == .invalidRequest && error.message.contains("91"))
        }
    }

    @Test("sizes in pixels and arcseconds")
    func sizes() throws {
        #expect(try RegionParsing.size("100") == .pixels(100, 100))
        #expect(try RegionParsing.size("120x80px") == .pixels(120, 80))
        #expect(try RegionParsing.size("30arcsec") == StampSize(width: 30, height: 30, unit: .arcseconds))
        #expect(try RegionParsing.size("20.5x10ARCSEC") == StampSize(width: 20.5, height: 10, unit: .arcseconds))
        for bad in ["", "0", "-5", "10x", "x10", "10.5px", "10y10", "1x2x3"] {
            #expect(throws: PStampError.self) { try RegionParsing.size(bad) }
        }
    }
}
