import Foundation

/// The fixture sky: a small, fixed field near RA 150°, Dec +2° observed by four GPC1-like
/// exposures of 2×2 chips (600×600 px at 0.25″/px) that overlap each other, resampled onto four
/// skycells of one projection cell of a `RINGS.V3`-named tessellation. Everything here is pure
/// layout (ids, names, WCS keyword values); images are written by `pstamp fixtures build`.
public enum FixtureSky {
    public static let center = SkyPoint(ra: 150.0, dec: 2.0)
    /// Degrees per pixel (0.25″).
    public static let pixelScale = 0.25 / 3600
    public static let chipSize = 600
    public static let skycellSize = 450
    public static let tessID = "RINGS.V3"
    public static let projectionCell = "skycell.1405"
    /// The DATAPATH name the fixture's paths use (`path://FIXTURES/…`).
    public static let datapathName = "FIXTURES"

    public struct Exposure: Sendable {
        public var expID: Int64
        public var name: String
        public var dateobs: String
        public var filter: String
        /// Pointing centre (degrees).
        public var pointing: SkyPoint
        public var expTime: Double
        public var seed: UInt64
    }

    /// The chips of every exposure: class_id and its offset from the pointing in chip widths.
    public static let chips: [(classID: String, dx: Double, dy: Double)] = [
        ("XY33", -0.5, -0.5), ("XY34", -0.5, 0.5), ("XY43", 0.5, -0.5), ("XY44", 0.5, 0.5),
    ]

    /// The skycells: id and offset of their centre from the projection centre in skycell widths.
    public static let skycells: [(skycellID: String, dx: Double, dy: Double)] = [
        ("skycell.1405.044", -0.5, -0.5), ("skycell.1405.045", 0.5, -0.5),
        ("skycell.1405.054", -0.5, 0.5), ("skycell.1405.055", 0.5, 0.5),
    ]

    public static let exposures: [Exposure] = [
        Exposure(
            expID: 101, name: "o5000g0101o", dateobs: "2009-06-01 10:00:00", filter: "r.00000",
            pointing: SkyPoint(ra: 150.0, dec: 2.0), expTime: 45, seed: 101),
        Exposure(
            expID: 102, name: "o5001g0102o", dateobs: "2009-06-02 11:30:00", filter: "i.00000",
            pointing: SkyPoint(ra: 150.0 + 0.008, dec: 2.0 + 0.006), expTime: 45, seed: 102),
        Exposure(
            expID: 103, name: "o5208g0103o", dateobs: "2009-12-27 12:00:00", filter: "r.00000",
            pointing: SkyPoint(ra: 150.0 - 0.006, dec: 2.0 + 0.010), expTime: 40, seed: 103),
        Exposure(
            expID: 104, name: "o5573g0104o", dateobs: "2010-12-27 13:15:00", filter: "r.00000",
            pointing: SkyPoint(ra: 150.0 + 0.004, dec: 2.0 - 0.007), expTime: 40, seed: 104),
    ]

    /// The chip that carries a SIP distortion (the others are plain TAN).
    public static let sipChip = (expID: Int64(101), classID: "XY33")

    /// The sky position of a chip's centre.
    public static func chipCenter(_ e: Exposure, _ chip: (classID: String, dx: Double, dy: Double)) -> SkyPoint {
        let width = Double(chipSize) * pixelScale * 1.01  // 1% gaps between chips
        return SkyPoint(
            ra: e.pointing.ra + chip.dx * width / cos(e.pointing.dec * .pi / 180),
            dec: e.pointing.dec + chip.dy * width)
    }

    /// The WCS header cards (80 characters each) of a chip: TAN centred on the chip (SIP for one).
    public static func chipWCS(_ e: Exposure, classID: String) -> String {
        let chip = chips.first { $0.classID == classID }!
        let c = chipCenter(e, chip)
        let sip = e.expID == sipChip.expID && classID == sipChip.classID
        var cards = tanCards(crval: c, crpix: (Double(chipSize + 1) / 2, Double(chipSize + 1) / 2), sip: sip)
        if sip {
            cards += [
                card("A_ORDER", 2), card("A_2_0", 2.0e-6), card("A_0_2", -1.0e-6), card("A_1_1", 1.5e-6),
                card("B_ORDER", 2), card("B_2_0", -1.2e-6), card("B_0_2", 2.5e-6), card("B_1_1", 0.8e-6),
            ]
        }
        return cards.joined()
    }

    /// The WCS of a skycell: the projection cell's tangent point, shifted reference pixel.
    public static func skycellWCS(_ skycellID: String) -> String {
        let cell = skycells.first { $0.skycellID == skycellID }!
        let n = Double(skycellSize)
        // The projection centre lies at the shared corner of the four skycells.
        let crpix = (n / 2 + 0.5 - cell.dx * n, n / 2 + 0.5 - cell.dy * n)
        return tanCards(crval: center, crpix: crpix, sip: false).joined()
    }

    static func tanCards(crval: SkyPoint, crpix: (Double, Double), sip: Bool) -> [String] {
        let suffix = sip ? "-SIP" : ""
        return [
            card("WCSAXES", 2), card("CTYPE1", "RA---TAN\(suffix)"), card("CTYPE2", "DEC--TAN\(suffix)"),
            card("CRVAL1", crval.ra), card("CRVAL2", crval.dec), card("CRPIX1", crpix.0), card("CRPIX2", crpix.1),
            card("CD1_1", -pixelScale), card("CD1_2", 0.0), card("CD2_1", 0.0), card("CD2_2", pixelScale),
            card("CUNIT1", "deg"), card("CUNIT2", "deg"), card("RADESYS", "ICRS"),
        ]
    }

    /// One 80-character header card.
    public static func card(_ key: String, _ value: Any) -> String {
        let text: String
        switch value {
        case let s as String: text = "'" + s.padding(toLength: max(8, s.count), withPad: " ", startingAt: 0) + "'"
        case let i as Int: text = String(i).leftPadded(20)
        case let d as Double: text = String(format: "%.12E", d).leftPadded(20)
        default: text = "\(value)".leftPadded(20)
        }
        return (key.padding(toLength: 8, withPad: " ", startingAt: 0) + "= " + text).padding(toLength: 80, withPad: " ", startingAt: 0)
    }

    /// Chips (class_id) of an exposure that overlap a skycell, from the layout (rectangles on the sky).
    public static func chipsFeeding(skycellID: String, exposure e: Exposure) -> [String] {
        let cell = skycells.first { $0.skycellID == skycellID }!
        let cw = Double(skycellSize) * pixelScale
        let cRA = center.ra - cell.dx * cw / cos(center.dec * .pi / 180)
        let cDec = center.dec + cell.dy * cw
        let chipW = Double(chipSize) * pixelScale
        return chips.filter { chip in
            let p = chipCenter(e, chip)
            let dra = abs(p.ra - cRA) * cos(center.dec * .pi / 180), ddec = abs(p.dec - cDec)
            return dra < (cw + chipW) / 2 && ddec < (cw + chipW) / 2
        }.map(\.classID)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
