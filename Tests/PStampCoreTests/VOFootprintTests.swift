import Foundation
import PStampCore
import Testing

/// Does a POS region overlap an image? And which pixels does a SODA cut-out take?
@Suite struct VOFootprintTests {
    /// A square footprint of side 2·half degrees (half in RA measured on the sky).
    static func square(ra: Double, dec: Double, half: Double) -> ImageFootprint {
        let c = 1 / cos(dec * .pi / 180)
        let corners = [(-1.0, -1.0), (1, -1), (1, 1), (-1, 1)].map {
            ICRSPoint(ra: ICRSPoint.normalizedRA(ra + $0.0 * half * c), dec: dec + $0.1 * half)
        }
        return ImageFootprint(center: ICRSPoint(ra: ra, dec: dec), corners: corners)
    }

    let image = square(ra: 150, dec: 2, half: 0.2)

    @Test func circles() {
        #expect(image.overlaps(.circle(ra: 150.02, dec: 1.98, radius: 0.001)))  // inside
        #expect(image.overlaps(.circle(ra: 150, dec: 2, radius: 10)))  // around
        #expect(image.overlaps(.circle(ra: 150, dec: 2.25, radius: 0.06)))  // crosses the top edge, no corner inside
        #expect(!image.overlaps(.circle(ra: 150, dec: 2.25, radius: 0.04)))
        #expect(!image.overlaps(.circle(ra: 330, dec: -2, radius: 1)))  // the other side of the sky
    }

    @Test func polygons() {
        let inside = DALIShape.polygon([ICRSPoint(ra: 150, dec: 2), ICRSPoint(ra: 150.01, dec: 2), ICRSPoint(ra: 150, dec: 2.01)])
        #expect(image.overlaps(inside))
        let cross = DALIShape.polygon([ICRSPoint(ra: 149.9, dec: 1.5), ICRSPoint(ra: 150.1, dec: 1.5), ICRSPoint(ra: 150.0, dec: 2.5)])
        #expect(image.overlaps(cross))  // a long thin triangle through the image with no vertex inside
        let beside = DALIShape.polygon([ICRSPoint(ra: 151, dec: 1), ICRSPoint(ra: 152, dec: 1), ICRSPoint(ra: 151.5, dec: 2)])
        #expect(!image.overlaps(beside))
    }

    @Test func rangesIncludingOpenAndWrappedOnes() {
        #expect(image.overlaps(.range(ra1: 149, ra2: 151, dec1: 1, dec2: 3)))
        #expect(image.overlaps(.range(ra1: 150.1, ra2: 150.15, dec1: -.infinity, dec2: .infinity)))
        #expect(image.overlaps(.range(ra1: -.infinity, ra2: .infinity, dec1: 2.1, dec2: 2.3)))
        #expect(!image.overlaps(.range(ra1: -.infinity, ra2: .infinity, dec1: 2.3, dec2: 3)))
        #expect(!image.overlaps(.range(ra1: 151, ra2: 152, dec1: 1, dec2: 3)))
        let atZero = VOFootprintTests.square(ra: 0.05, dec: 0, half: 0.1)
        #expect(atZero.overlaps(.range(ra1: 359, ra2: 0.01, dec1: -1, dec2: 1)))  // wraps through RA 0
        #expect(!atZero.overlaps(.range(ra1: 300, ra2: 359, dec1: -1, dec2: 1)))
        #expect(image.overlapsAny([]))
    }

    @Test func theCutIsTheBoundingBoxClippedToTheImage() throws {
        // A plain tangent-plane-like mapping: 0.25 arcsec pixels, image centre at pixel (1000, 1000).
        let scale = 0.25 / 3600
        func project(_ p: ICRSPoint) -> (x: Double, y: Double)? {
            ((p.ra - 150) * cos(2 * .pi / 180) / scale + 1000, (p.dec - 2) / scale + 1000)
        }
        let cut = try #require(
            SODACutRegion.pixels(of: .circle(ra: 150, dec: 2, radius: 10 * scale), imageWidth: 2000, imageHeight: 2000, project: project))
        #expect(cut.width == 20 || cut.width == 21)
        #expect(abs(cut.x0 - 990) <= 1 && abs(cut.y0 - 990) <= 1)
        let edge = try #require(
            SODACutRegion.pixels(
                of: .circle(ra: 150, dec: 2 - 1000 * scale, radius: 10 * scale), imageWidth: 2000, imageHeight: 2000, project: project))
        #expect(edge.y0 == 0 && edge.height <= 11)  // half hangs off the bottom: reduced to the image
        #expect(
            SODACutRegion.pixels(of: .circle(ra: 151, dec: 2, radius: 10 * scale), imageWidth: 2000, imageHeight: 2000, project: project)
                == nil)
        let open = try #require(
            SODACutRegion.pixels(
                of: .range(ra1: -.infinity, ra2: .infinity, dec1: 2, dec2: .infinity), footprint: image, imageWidth: 2000,
                imageHeight: 2000,
                project: project))
        #expect(open.y0 == 1000 && open.y1 == 2000 && open.x0 == 0 && open.x1 == 2000)
    }
}
