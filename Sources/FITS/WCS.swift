// World coordinates through wcslib (no projection maths here).
//
//   let wcs = try WCS(file: f)                 // from the current HDU's header (compressed images too)
//   let wcs = try WCS(header: text)            // from 80-char cards, e.g. FITSFile.headerText()
//   let p = try wcs.skyToPixel(SkyPosition(ra: 18.87, dec: -0.86))   // -> FITSPixel (1-based centres)
//   let s = try wcs.pixelToSky(FITSPixel(x: 50, y: 50))              // -> SkyPosition (degrees)
//   let ipp = p.ipp                            // 0-based corner coordinates: see PixelConvention.swift
//   try wcs.pixelScale(at: p)                  // arcsec per pixel, √(local pixel area)
//   let stamp = try wcs.shifted(byPixels: 100, 200)   // CRPIX − (100, 200): the WCS of a stamp cut at (100, 200)
//   try stamp.write(to: outFile)               // the WCS keywords (wcshdo) into outFile's current header
//   try outFile.shiftCRPIX(byPixels: 100, 200) // or: shift CRPIX1/2 of a header copied whole (keeps SIP/TPV as written)
//
// TAN, and TAN with SIP (`RA---TAN-SIP`, A_p_q/B_p_q) or TPV (`RA---TPV`, PVi_m) distortions are handled by
// wcslib. A WCS is not Sendable (wcslib updates its struct lazily); build one per task.
import CFITSIO
import CWCSLIB
import Foundation

/// A sky position in degrees (ICRS/FK5 as the header says).
public struct SkyPosition: Sendable, Hashable, CustomStringConvertible {
    public var ra: Double
    public var dec: Double
    public init(ra: Double, dec: Double) { self.ra = ra; self.dec = dec }
    public var description: String { "(\(ra)°, \(dec)°)" }

    /// Angular distance to another position, in degrees (wcslib `sphdpa`).
    public func distance(to other: SkyPosition) -> Double {
        var lng = other.ra, lat = other.dec, dist = 0.0, pa = 0.0
        sphdpa(1, ra, dec, &lng, &lat, &dist, &pa)
        return dist
    }
}

public final class WCS {
    /// The header cards this WCS was parsed from.
    public let headerText: String
    private var nwcs: Int32 = 0
    private var all: UnsafeMutablePointer<wcsprm>?
    private let prm: UnsafeMutablePointer<wcsprm>

    private static let parseLock = NSLock()

    public convenience init(file: FITSFile) throws {
        try self.init(header: try file.headerText())
    }

    public init(header: String) throws {
        headerText = header
        var cards = Array(header.utf8CString)
        let nkeyrec = Int32(header.utf8.count / 80)
        var nreject: Int32 = 0, n: Int32 = 0
        var list: UnsafeMutablePointer<wcsprm>?
        WCS.parseLock.lock()
        wcserr_enable(1)
        let status = wcspih(&cards, nkeyrec, WCSHDR_all, 0, &nreject, &n, &list)
        WCS.parseLock.unlock()
        guard status == 0, n > 0, let list else {
            if list != nil { wcsvfree(&n, &list) }
            throw FITSError(
                status: FITSError.wcsError, operation: "read the WCS",
                message: status == 0 ? "no WCS in header" : "wcslib wcspih status \(status)")
        }
        nwcs = n
        all = list
        // The primary description (alternate ' ') when present, else the first.
        var chosen = list
        for i in 0..<Int(n) where (list + i).pointee.alt.0 == 32 || (list + i).pointee.alt.0 == 0 {
            chosen = list + i
            break
        }
        prm = chosen
        guard prm.pointee.naxis >= 2 else {
            throw FITSError(status: FITSError.wcsError, operation: "read the WCS", message: "fewer than 2 axes")
        }
        prm.pointee.flag = 0
        let s = wcsset(prm)
        if s != 0 { throw wcsError(s, "set up the WCS") }
        guard prm.pointee.lng >= 0, prm.pointee.lat >= 0 else {
            throw FITSError(
                status: FITSError.wcsError, operation: "read the WCS",
                message: "no celestial axes (CTYPE \(ctype.joined(separator: ", ")))")
        }
    }

    deinit {
        if all != nil { wcsvfree(&nwcs, &all) }
    }

    private func wcsError(_ status: Int32, _ what: String) -> FITSError {
        var msg = "wcslib status \(status)"
        if let err = prm.pointee.err, let text = err.pointee.msg {
            msg += ": " + String(cString: text)
        }
        return FITSError(status: FITSError.wcsError, operation: what, message: msg)
    }

    // MARK: what the header said

    public var naxis: Int { Int(prm.pointee.naxis) }
    public var ctype: [String] {
        (0..<naxis).map { i in
            withUnsafeBytes(of: prm.pointee.ctype[i]) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
    }
    /// CRPIX (FITS 1-based), after any shift.
    public var crpix: (x: Double, y: Double) { (prm.pointee.crpix[0], prm.pointee.crpix[1]) }
    public var crval: (x: Double, y: Double) { (prm.pointee.crval[0], prm.pointee.crval[1]) }
    /// True when the header carries a SIP or TPV (or other) distortion.
    public var hasDistortion: Bool {
        guard let lin = Optional(prm.pointee.lin) else { return false }
        return lin.dispre != nil || lin.disseq != nil
    }

    // MARK: transformations

    /// Pixel (FITS 1-based) to sky (degrees).
    public func pixelToSky(_ p: FITSPixel) throws -> SkyPosition {
        try pixelToSky([p])[0]
    }

    public func pixelToSky(_ points: [FITSPixel]) throws -> [SkyPosition] {
        let n = naxis, count = points.count
        guard count > 0 else { return [] }
        var pix = [Double](repeating: 0, count: count * n)
        for (i, p) in points.enumerated() { pix[i * n] = p.x; pix[i * n + 1] = p.y }
        var img = [Double](repeating: 0, count: count * n), world = img
        var phi = [Double](repeating: 0, count: count), theta = phi
        var stat = [Int32](repeating: 0, count: count)
        let s = wcsp2s(prm, Int32(count), Int32(n), &pix, &img, &phi, &theta, &world, &stat)
        if s != 0 { throw wcsError(s, "convert pixel to sky") }
        let lng = Int(prm.pointee.lng), lat = Int(prm.pointee.lat)
        return (0..<count).map { SkyPosition(ra: world[$0 * n + lng], dec: world[$0 * n + lat]) }
    }

    /// Sky (degrees) to pixel (FITS 1-based). A point the projection cannot reach is a FITSError.
    public func skyToPixel(_ s: SkyPosition) throws -> FITSPixel {
        try skyToPixel([s])[0]
    }

    public func skyToPixel(_ positions: [SkyPosition]) throws -> [FITSPixel] {
        let n = naxis, count = positions.count
        guard count > 0 else { return [] }
        var world = [Double](repeating: 0, count: count * n)
        let lng = Int(prm.pointee.lng), lat = Int(prm.pointee.lat)
        for (i, s) in positions.enumerated() {
            for k in 0..<n { world[i * n + k] = prm.pointee.crval[k] }
            world[i * n + lng] = s.ra
            world[i * n + lat] = s.dec
        }
        var img = [Double](repeating: 0, count: count * n), pix = img
        var phi = [Double](repeating: 0, count: count), theta = phi
        var stat = [Int32](repeating: 0, count: count)
        let s = wcss2p(prm, Int32(count), Int32(n), &world, &phi, &theta, &img, &pix, &stat)
        if s != 0 { throw wcsError(s, "convert sky to pixel") }
        return (0..<count).map { FITSPixel(x: pix[$0 * n], y: pix[$0 * n + 1]) }
    }

    /// Local pixel scales along x and y at a point, arcsec per pixel (distances to the neighbours).
    public func pixelScales(at p: FITSPixel) throws -> (x: Double, y: Double) {
        let s = try pixelToSky([p, FITSPixel(x: p.x + 1, y: p.y), FITSPixel(x: p.x, y: p.y + 1)])
        return (s[0].distance(to: s[1]) * 3600, s[0].distance(to: s[2]) * 3600)
    }

    /// The pixel scale at a point in arcsec per pixel: √(area of the pixel on the sky).
    public func pixelScale(at p: FITSPixel) throws -> Double {
        let s = try pixelToSky([p, FITSPixel(x: p.x + 1, y: p.y), FITSPixel(x: p.x, y: p.y + 1)])
        func vector(_ to: SkyPosition) -> (Double, Double) {
            var lng = to.ra, lat = to.dec, dist = 0.0, pa = 0.0
            sphdpa(1, s[0].ra, s[0].dec, &lng, &lat, &dist, &pa)
            let r = pa * .pi / 180
            return (dist * sin(r), dist * cos(r))
        }
        let (ax, ay) = vector(s[1]), (bx, by) = vector(s[2])
        return (abs(ax * by - ay * bx)).squareRoot() * 3600
    }

    // MARK: stamps

    /// The WCS of a sub-image whose first pixel is the parent's 0-based pixel (dx, dy):
    /// CRPIX_new = CRPIX_old − (dx, dy). Distortions are kept (SIP and TPV are relative to CRPIX).
    /// The shift is made in the header text (CRPIX1/CRPIX2 cards) and parsed again, because wcslib
    /// ties a SIP distortion's offsets to the CRPIX it was read with.
    public func shifted(byPixels dx: Double, _ dy: Double) throws -> WCS {
        try WCS(header: WCS.shiftingCRPIX(in: headerText, by: dx, dy))
    }

    /// The header text with CRPIX1 and CRPIX2 reduced by (dx, dy) (added before END when absent).
    static func shiftingCRPIX(in text: String, by dx: Double, _ dy: Double) -> String {
        let bytes = Array(text.utf8)
        var cards: [String] = stride(from: 0, to: bytes.count, by: 80).map {
            String(decoding: bytes[$0..<min($0 + 80, bytes.count)], as: UTF8.self)
        }
        func value(of card: String) -> Double {
            guard let eq = card.firstIndex(of: "=") else { return 0 }
            let rest = card[card.index(after: eq)...].split(separator: "/", maxSplits: 1).first ?? ""
            return Double(String(String(rest).fitsTrimmed.map { $0 == "D" ? "E" : $0 })) ?? 0
        }
        func card(_ key: String, _ v: Double) -> String {
            var number = String(format: "%.15G", v)  // upper-case exponent, as FITS wants
            if !number.contains(".") && !number.contains("E") { number += "." }
            let head =
                key.padding(toLength: 8, withPad: " ", startingAt: 0) + "= "
                + String(repeating: " ", count: max(0, 20 - number.count)) + number
            return head.padding(toLength: 80, withPad: " ", startingAt: 0)
        }
        for (key, d) in [("CRPIX1", dx), ("CRPIX2", dy)] {
            if let i = cards.firstIndex(where: { $0.hasPrefix(key.padding(toLength: 8, withPad: " ", startingAt: 0)) }) {
                cards[i] = card(key, value(of: cards[i]) - d)
            } else {
                let end = cards.firstIndex(where: { $0.hasPrefix("END     ") || $0 == "END" }) ?? cards.count
                cards.insert(card(key, -d), at: end)
            }
        }
        return cards.joined()
    }

    /// The WCS as header cards written by wcslib (`wcshdo`), 80 characters each.
    public func headerCards() throws -> [String] {
        var nkey: Int32 = 0
        var text: UnsafeMutablePointer<CChar>?
        let s = wcshdo(WCSHDO_safe, prm, &nkey, &text)
        defer { free(text) }
        if s != 0 { throw wcsError(s, "write the WCS") }
        guard let text else { return [] }
        let all = String(cString: text)
        var cards: [String] = []
        var i = all.startIndex
        while i < all.endIndex {
            let j = all.index(i, offsetBy: 80, limitedBy: all.endIndex) ?? all.endIndex
            cards.append(String(all[i..<j]))
            i = j
        }
        return cards
    }

    /// Writes this WCS into the current header of `file`, replacing keywords of the same name. wcslib
    /// writes the linear part as PCi_j + CDELTi, so CDi_j, legacy PC00i00j and CROTAi cards a copied
    /// header may hold are removed first (a header must not mix them).
    public func write(to file: FITSFile) throws {
        let cards = try headerCards()
        if cards.contains(where: { $0.hasPrefix("PC1_1 ") || $0.hasPrefix("PC2_2 ") || $0.hasPrefix("CDELT1 ") }) {
            for key in [
                "CD1_1", "CD1_2", "CD2_1", "CD2_2", "PC001001", "PC001002", "PC002001", "PC002002",
                "CROTA1", "CROTA2",
            ] {
                try file.deleteKey(key)
            }
        }
        for card in cards {
            let key = String(card.prefix(8)).fitsTrimmed
            if key.isEmpty || key == "COMMENT" || key == "HISTORY" || key == "WCSAXES" { continue }
            var status: Int32 = 0
            var chars = Array(card.utf8CString)
            ffucrd(try file.fptr(), key, &chars, &status)
            try checkStatus(status, "write WCS keyword \(key) in \(file.path)")
        }
    }
}

extension FITSFile {
    /// Shifts CRPIX1/CRPIX2 of the current header by (−dx, −dy): the header of a stamp cut at the parent's
    /// 0-based pixel (dx, dy), with every other WCS keyword (SIP, TPV, CD/PC) left exactly as written.
    public func shiftCRPIX(byPixels dx: Double, _ dy: Double) throws {
        let c1 = try readDouble("CRPIX1") ?? 0, c2 = try readDouble("CRPIX2") ?? 0
        try write("CRPIX1", c1 - dx, comment: "Pixel coordinate of reference point")
        try write("CRPIX2", c2 - dy, comment: "Pixel coordinate of reference point")
    }
}
