import Foundation
import Testing

@testable import FITS

@Suite("WCS through wcslib: TAN, SIP, TPV, pixel scale, shifted WCS")
struct WCSTests {
    static let scale = 0.25 / 3600  // 0.25 arcsec per pixel
    static let tanLines = [
        "NAXIS   = 2", "NAXIS1  = 1000", "NAXIS2  = 1000",
        "CTYPE1  = 'RA---TAN'", "CTYPE2  = 'DEC--TAN'",
        "CRVAL1  = 150.0", "CRVAL2  = 2.0", "CRPIX1  = 500.5", "CRPIX2  = 400.5",
        "CD1_1   = \(-scale)", "CD1_2   = 0.0", "CD2_1   = 0.0", "CD2_2   = \(scale)",
    ]
    static var tan: String { header(tanLines) }
    static var sip: String {
        header(
            tanLines.map {
                $0.replacingOccurrences(of: "'RA---TAN'", with: "'RA---TAN-SIP'")
                    .replacingOccurrences(of: "'DEC--TAN'", with: "'DEC--TAN-SIP'")
            }
                + ["A_ORDER = 2", "A_2_0   = 1.0E-5", "B_ORDER = 2", "B_0_2   = 2.0E-5"])
    }
    static var tpv: String {
        header(
            tanLines.map {
                $0.replacingOccurrences(of: "'RA---TAN'", with: "'RA---TPV'")
                    .replacingOccurrences(of: "'DEC--TAN'", with: "'DEC--TPV'")
            }
                + [
                    "PV1_0   = 0.0", "PV1_1   = 1.0", "PV1_2   = 0.0", "PV1_4   = 10.0",
                    "PV2_0   = 0.0", "PV2_1   = 1.0", "PV2_2   = 0.0",
                ])
    }

    static func close(_ a: SkyPosition, _ b: SkyPosition, arcsec: Double = 1e-6) -> Bool {
        a.distance(to: b) * 3600 < arcsec
    }
    static func close(_ a: FITSPixel, _ b: FITSPixel, pixels: Double = 1e-6) -> Bool {
        abs(a.x - b.x) < pixels && abs(a.y - b.y) < pixels
    }

    @Test("TAN: CRPIX maps to CRVAL, round trips, pixel scale")
    func tanBasics() throws {
        let wcs = try WCS(header: Self.tan)
        #expect(wcs.ctype == ["RA---TAN", "DEC--TAN"])
        #expect(!wcs.hasDistortion)
        let centre = try wcs.pixelToSky(FITSPixel(x: 500.5, y: 400.5))
        #expect(abs(centre.ra - 150) < 1e-12 && abs(centre.dec - 2) < 1e-12)
        let p = try wcs.skyToPixel(SkyPosition(ra: 150, dec: 2))
        #expect(Self.close(p, FITSPixel(x: 500.5, y: 400.5)))
        // East is left: RA grows as x decreases (CD1_1 < 0).
        #expect(try wcs.pixelToSky(FITSPixel(x: 400.5, y: 400.5)).ra > 150)
        for q in [FITSPixel(x: 1, y: 1), FITSPixel(x: 1000, y: 17.25), FITSPixel(x: -300, y: 2000)] {
            #expect(Self.close(try wcs.skyToPixel(try wcs.pixelToSky(q)), q))
        }
        #expect(abs(try wcs.pixelScale(at: FITSPixel(x: 500.5, y: 400.5)) - 0.25) < 1e-6)
        let s = try wcs.pixelScales(at: FITSPixel(x: 10, y: 10))
        #expect(abs(s.x - 0.25) < 1e-5 && abs(s.y - 0.25) < 1e-5)
        // 100 pixels along y is 25 arcsec on the sky.
        let a = try wcs.pixelToSky(FITSPixel(x: 500.5, y: 400.5))
        let b = try wcs.pixelToSky(FITSPixel(x: 500.5, y: 500.5))
        #expect(abs(a.distance(to: b) * 3600 - 25) < 1e-4)
    }

    @Test("SIP distortion is applied: SIP(x, y) equals TAN at the SIP-corrected pixel")
    func sip() throws {
        let sip = try WCS(header: Self.sip), tan = try WCS(header: Self.tan)
        #expect(sip.hasDistortion)
        for (x, y) in [(700.5, 150.5), (100.0, 900.0), (500.5, 400.5)] {
            let u = x - 500.5, v = y - 400.5
            let corrected = FITSPixel(x: 500.5 + u + 1e-5 * u * u, y: 400.5 + v + 2e-5 * v * v)
            #expect(Self.close(try sip.pixelToSky(FITSPixel(x: x, y: y)), try tan.pixelToSky(corrected)))
            let back = try sip.skyToPixel(try sip.pixelToSky(FITSPixel(x: x, y: y)))
            #expect(Self.close(back, FITSPixel(x: x, y: y), pixels: 1e-4))
        }
        // The distortion is large enough to matter (about 0.4 px at u = 200).
        #expect(
            !Self.close(
                try sip.pixelToSky(FITSPixel(x: 700.5, y: 400.5)),
                try tan.pixelToSky(FITSPixel(x: 700.5, y: 400.5)), arcsec: 0.05))
    }

    @Test("TPV distortion is applied: TPV(x, y) equals TAN at the TPV-corrected pixel")
    func tpv() throws {
        let tpv = try WCS(header: Self.tpv), tan = try WCS(header: Self.tan)
        #expect(tpv.hasDistortion)
        for (x, y) in [(800.5, 400.5), (200.0, 700.0)] {
            let xi = (x - 500.5) * -Self.scale, eta = (y - 400.5) * Self.scale
            let xi2 = xi + 10 * xi * xi
            let corrected = FITSPixel(x: 500.5 + xi2 / -Self.scale, y: 400.5 + eta / Self.scale)
            #expect(Self.close(try tpv.pixelToSky(FITSPixel(x: x, y: y)), try tan.pixelToSky(corrected), arcsec: 1e-5))
            let back = try tpv.skyToPixel(try tpv.pixelToSky(FITSPixel(x: x, y: y)))
            #expect(Self.close(back, FITSPixel(x: x, y: y), pixels: 1e-4))
        }
    }

    @Test("a shifted WCS gives the parent's sky at the stamp's pixel, for TAN, SIP and TPV", arguments: ["tan", "sip", "tpv"])
    func shifted(kind: String) throws {
        let text = kind == "tan" ? Self.tan : (kind == "sip" ? Self.sip : Self.tpv)
        let parent = try WCS(header: text)
        let stamp = try parent.shifted(byPixels: 300, 250)
        #expect(stamp.crpix.x == 200.5 && stamp.crpix.y == 150.5)
        for q in [FITSPixel(x: 1, y: 1), FITSPixel(x: 50.5, y: 80.25)] {
            let inParent = FITSPixel(x: q.x + 300, y: q.y + 250)
            #expect(Self.close(try stamp.pixelToSky(q), try parent.pixelToSky(inParent)))
        }
        // Written into a stamp file (wcshdo) and read back, it is the same WCS.
        let dir = try TemporaryDirectory()
        let path = dir.path("stamp-\(kind).fits")
        let out = try FITSFile.create(path)
        try out.appendImage([Float](repeating: 0, count: 100 * 100), width: 100, height: 100)
        try stamp.write(to: out)
        try out.close()
        let reread = try WCS(file: try FITSFile.open(path))
        for q in [FITSPixel(x: 1, y: 1), FITSPixel(x: 99, y: 3)] {
            #expect(Self.close(try reread.pixelToSky(q), try stamp.pixelToSky(q), arcsec: 1e-4))
        }
        try expectFitsverifyClean(path)
    }

    @Test("shiftCRPIX on a copied header keeps SIP keywords as written and matches the shifted WCS")
    func shiftCRPIXInHeader() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("copied.fits")
        let out = try FITSFile.create(path)
        try out.appendImage([Float](repeating: 0, count: 50 * 40), width: 50, height: 40, compression: .ippImage)
        for i in stride(from: 0, to: Self.sip.utf8.count, by: 80) {
            let c = String(Array(Self.sip.utf8)[i..<(i + 80)].map { Character(UnicodeScalar($0)) })
            let key = c.prefix(8).trimmingCharacters(in: .whitespaces)
            if ["NAXIS", "NAXIS1", "NAXIS2", "END"].contains(key) { continue }
            try out.appendCard(c)
        }
        try out.shiftCRPIX(byPixels: 480, 380)
        try out.close()
        let f = try FITSFile.open(path)
        try f.moveTo(hdu: 2)
        #expect(try f.readDouble("CRPIX1") == 20.5)
        #expect(try f.readDouble("A_2_0") == 1e-5)
        let fromFile = try WCS(file: f)
        let expected = try WCS(header: Self.sip).shifted(byPixels: 480, 380)
        #expect(Self.close(try fromFile.pixelToSky(FITSPixel(x: 3, y: 7)), try expected.pixelToSky(FITSPixel(x: 3, y: 7))))
        try expectFitsverifyClean(path)
    }

    @Test("a header without a celestial WCS, or with an unknown projection, is a FITSError")
    func badHeaders() throws {
        #expect(throws: FITSError.self) { try WCS(header: header(["NAXIS   = 2", "OBJECT  = 'x'"])) }
        #expect(throws: FITSError.self) {
            try WCS(header: header(Self.tanLines.map { $0.replacingOccurrences(of: "RA---TAN", with: "RA---QQQ") }))
        }
        #expect(throws: FITSError.self) { try WCS(header: "garbage") }
    }
}
