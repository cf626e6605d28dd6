import Cutout
import FITS
import Foundation
import PStampCore
import Testing

/// A centre or size that passed no validation (an old job's parameters, a form) must end the
/// stamp with a code, never trap the process in the pixel arithmetic.
@Suite("Hostile stamp geometry")
struct HostileGeometryTests {
    func cutter(_ image: String, centerOffChip: Bool = false) throws -> StampCutter {
        StampCutter(
            source: try StampSource(image: image),
            options: StampOptions(compressed: false, centerOffChip: centerOffChip))
    }

    @Test(
        "a pixel centre of 1e308, ±inf or NaN is 21 (it trapped in PixelConvention from StampGeometry.place)",
        arguments: [1e308, -1e308, Double.infinity, Double.nan])
    func hugePixelCentre(x: Double) throws {
        let dir = try TestImages.directory("hugePixelCentre\(x)")
        let image = try TestImages.image(dir + "/chip.fits")
        for offChip in [false, true] {
            let c = try cutter(image, centerOffChip: offChip)
            let error = #expect(throws: PStampError.self) {
                try c.cut(StampRequest(center: .pixel(x: x, y: 10), size: .pixels(10, 10), outputBase: dir + "/a"))
            }
            #expect(error?.code == .invalidRequest)
        }
    }

    @Test("a pixel size of NaN or 1e308 is 21, and a sky centre that projects nowhere is 28, even with MULTI_OVERLAP")
    func hugeSizesAndSkyCentres() throws {
        let dir = try TestImages.directory()
        let image = try TestImages.image(dir + "/chip.fits")
        let c = try cutter(image)
        for w in [Double.nan, 1e308, -1e308] {
            let error = #expect(throws: PStampError.self) {
                try c.cut(
                    StampRequest(
                        center: .pixel(x: 100, y: 70), size: StampSize(width: w, height: 10, unit: .pixels),
                        outputBase: dir + "/w"))
            }
            #expect(error?.code == .invalidRequest)
        }
        let offChip = try cutter(image, centerOffChip: true)
        for (ra, dec) in [(1e308, 0.0), (Double.nan, 0), (10, 1e308), (190, -80)] {
            let error = #expect(throws: PStampError.self) {
                try offChip.cut(StampRequest(center: .sky(ra: ra, dec: dec), size: .pixels(10, 10), outputBase: dir + "/s"))
            }
            #expect(error.map { [.noOverlap, .invalidRequest, .dataError].contains($0.code) } == true, "\(String(describing: error))")
        }
    }

    @Test("arcsecond sizes of 1e308 or NaN are capped or refused, never a trap")
    func hugeArcsec() throws {
        let dir = try TestImages.directory()
        let image = try TestImages.image(dir + "/chip.fits")
        let c = try cutter(image)
        for w in [Double.nan, 1e308, Double.infinity] {
            do {
                _ = try c.place(
                    StampRequest(
                        center: .pixel(x: 100, y: 70), size: StampSize(width: w, height: w, unit: .arcseconds),
                        outputBase: dir + "/x"))
            } catch let error as PStampError {
                #expect(error.code.isReported, "\(error)")
            }
        }
    }
}
