// The stamp's WCS (IPP mkstamp `convertWCS`): the parent's WCS re-centred by shifting CRPIX, which keeps
// SIP and TPV distortions valid; or, for a projection the IPP could not shift (anything but TAN and its
// SIP/TPV-distorted forms) or on request, a linear TAN fitted by least squares on a 10×10 grid over the
// stamp, with the fit error logged and written as keywords.
import FITS
import PStampCore

enum StampWCS {
    /// What to do with the parent's WCS cards for one stamp.
    struct Result {
        /// Replaces the parent's cards (WCS keywords adjusted or removed).
        var cards: [String]
        /// Largest error of a fitted TAN over the stamp, in pixels and arcseconds (nil when shifted).
        var fitErrorPixels: Double?
        var fitErrorArcsec: Double?
    }

    /// True when the parent's WCS can simply be shifted: TAN, TAN-SIP and TPV.
    static func isShiftable(_ wcs: WCS) -> Bool {
        guard let c = wcs.ctype.first, c.count >= 8 else { return false }
        let projection = String(c.dropFirst(5).prefix(3))
        return projection == "TAN" || projection == "TPV"
    }

    /// Keywords of a WCS description (removed when a fitted TAN replaces the parent's).
    static func isWCSKeyword(_ key: String) -> Bool {
        if ["LONPOLE", "LATPOLE", "WCSAXES", "NPLYTERM"].contains(key) { return true }
        for p in [
            "CTYPE", "CRVAL", "CRPIX", "CDELT", "CROTA", "CUNIT", "CD1_", "CD2_", "PC1_", "PC2_", "PC00",
            "PV1_", "PV2_", "A_", "B_", "AP_", "BP_", "PCA1", "PCA2", "CPDIS", "CQDIS", "DP1", "DP2", "DQ1", "DQ2",
        ]
        where key.hasPrefix(p) { return true }
        return false
    }

    /// Cards with CRPIX1/CRPIX2 shifted by (−dx, −dy).
    static func shifted(_ cards: [String], wcs: WCS, dx: Int, dy: Int) -> [String] {
        let crpix = wcs.crpix
        return cards.map { card in
            if card.utf8.starts(with: "CRPIX1  ".utf8) { return HeaderCard.card("CRPIX1", .double(crpix.x - Double(dx))) }
            if card.utf8.starts(with: "CRPIX2  ".utf8) { return HeaderCard.card("CRPIX2", .double(crpix.y - Double(dy))) }
            return card
        }
    }

    /// A linear TAN for a `width × height` stamp whose first pixel is the parent's 0-based (dx, dy),
    /// with CRVAL at `centre`. The fit maps stamp pixels to tangent-plane coordinates sampled from the
    /// parent's WCS on a 10×10 grid; the error is the largest distance, in stamp pixels, between where
    /// the fitted TAN and the parent put the sky positions of a denser 21×21 grid.
    static func fittedTAN(
        _ cards: [String], parent: WCS, centre: SkyPosition, dx: Int, dy: Int,
        width: Int, height: Int
    ) throws -> Result {
        let plane = try StampGeometry.tangentPlane(at: centre, scale: 3600)  // 1 unit = 1 degree, x = −ξ
        func grid(_ n: Int) -> [FITSPixel] {
            var points: [FITSPixel] = []
            for j in 0..<n {
                for i in 0..<n {
                    let p = 0.5 + Double(width) * Double(i) / Double(n - 1)
                    let q = 0.5 + Double(height) * Double(j) / Double(n - 1)
                    points.append(FITSPixel(x: p, y: q))
                }
            }
            return points
        }
        let fitPoints = grid(10)
        let sky = try parent.pixelToSky(fitPoints.map { FITSPixel(x: $0.x + Double(dx), y: $0.y + Double(dy)) })
        let tp = try plane.skyToPixel(sky)
        guard let xi = AffineFit(samples: zip(fitPoints, tp).map { ($0.x, $0.y, -$1.x) }),
            let eta = AffineFit(samples: zip(fitPoints, tp).map { ($0.x, $0.y, $1.y) })
        else {
            throw PStampError(.dataError, "cannot fit a linear WCS over the stamp")
        }
        let det = xi.c1 * eta.c2 - xi.c2 * eta.c1
        guard det != 0, det.isFinite else { throw PStampError(.dataError, "the fitted WCS is singular") }
        // CRPIX where ξ = η = 0.
        let crpix1 = (-xi.c0 * eta.c2 + xi.c2 * eta.c0) / det
        let crpix2 = (-eta.c0 * xi.c1 + eta.c1 * xi.c0) / det
        var out = cards.filter { !isWCSKeyword(String($0.prefix(8)).trimmingTrailingBlanks) }
        let wcsCards = HeaderCard.cards([
            ("CTYPE1", .string("RA---TAN")), ("CTYPE2", .string("DEC--TAN")),
            ("CRVAL1", .double(centre.ra)), ("CRVAL2", .double(centre.dec)),
            ("CRPIX1", .double(crpix1)), ("CRPIX2", .double(crpix2)),
            ("CD1_1", .double(xi.c1)), ("CD1_2", .double(xi.c2)),
            ("CD2_1", .double(eta.c1)), ("CD2_2", .double(eta.c2)),
        ])
        let fitted = try WCS(header: (wcsCards + [HeaderCard.card("WCSAXES", .int(2))]).joined())
        let check = grid(21)
        let checkSky = try parent.pixelToSky(check.map { FITSPixel(x: $0.x + Double(dx), y: $0.y + Double(dy)) })
        let back = try fitted.skyToPixel(checkSky)
        var worst = 0.0
        for (a, b) in zip(check, back) {
            worst = max(worst, ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot())
        }
        let scale = ((xi.c1 * xi.c1 + eta.c1 * eta.c1).squareRoot() * 3600)
        out.append(contentsOf: wcsCards)
        return Result(cards: out, fitErrorPixels: worst, fitErrorArcsec: worst * scale)
    }
}

extension String {
    var trimmingTrailingBlanks: String {
        let bytes = utf8
        guard let last = bytes.lastIndex(where: { $0 != UInt8(ascii: " ") }) else { return "" }
        return String(decoding: bytes[...last], as: UTF8.self)
    }
}
