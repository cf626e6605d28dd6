import FITS
import Foundation

/// The footprint test with wcslib (through the FITS module): the component's stored header is parsed
/// into a WCS and the point converted to pixels. TAN and TAN-SIP headers are handled alike.
public struct WCSFootprintTest: FootprintTest {
    public init() {}

    public func pixel(of point: SkyPoint, wcsHeader: String, memo: LookupMemo?) throws -> (x: Double, y: Double)? {
        let wcs = try memo?.wcs(header: wcsHeader) ?? WCS(header: wcsHeader)
        guard let p = try? wcs.skyToPixel(SkyPosition(ra: point.ra, dec: point.dec)),
            p.x.isFinite, p.y.isFinite
        else { return nil }
        return (p.x, p.y)
    }
}

extension Footprint {
    /// Reads a component's footprint from the header of its image (the current HDU of `file`):
    /// the WCS cards, NAXIS1/2 (ZNAXIS for compressed images as cfitsio maps them), the centre and
    /// the radius to the farthest corner.
    public static func read(
        from file: FITSFile, stage: Stage, stageID: Int64, component: String,
        tessID: String = ""
    ) throws -> Footprint {
        let size = try file.imageSize()
        return try from(
            wcsHeader: Self.wcsCards(try file.headerText()), naxis1: size.width, naxis2: size.height,
            stage: stage, stageID: stageID, component: component, tessID: tessID)
    }

    /// Keeps only the cards a WCS needs (so stored footprints stay small).
    static func wcsCards(_ header: String) -> String {
        let keep = [
            "WCSAXES", "CTYPE", "CRPIX", "CRVAL", "CDELT", "CD1_", "CD2_", "PC1_", "PC2_", "CUNIT", "RADESYS",
            "EQUINOX", "LONPOLE", "LATPOLE", "A_", "B_", "AP_", "BP_", "PV1_", "PV2_", "NAXIS",
        ]
        var cards: [String] = []
        var index = header.startIndex
        while index < header.endIndex {
            let end = header.index(index, offsetBy: 80, limitedBy: header.endIndex) ?? header.endIndex
            let card = String(header[index..<end])
            index = end
            let key = card.prefix(8).trimmingCharacters(in: .whitespaces)
            if keep.contains(where: { key.hasPrefix($0) }) && !key.hasPrefix("ZNAXIS") {
                cards.append(card.padding(toLength: 80, withPad: " ", startingAt: 0))
            }
        }
        return cards.joined()
    }
}

extension Footprint {
    /// A footprint from WCS header cards and the image size (what `read(from:)` does with a file).
    public static func from(
        wcsHeader: String, naxis1: Int, naxis2: Int, stage: Stage, stageID: Int64,
        component: String, tessID: String = ""
    ) throws -> Footprint {
        let wcs = try WCS(header: wcsHeader)
        let w = Double(naxis1), h = Double(naxis2)
        let centre = try wcs.pixelToSky(FITSPixel(x: (w + 1) / 2, y: (h + 1) / 2))
        let corners = try wcs.pixelToSky([
            FITSPixel(x: 0.5, y: 0.5), FITSPixel(x: w + 0.5, y: 0.5),
            FITSPixel(x: 0.5, y: h + 0.5), FITSPixel(x: w + 0.5, y: h + 0.5),
        ])
        let radius = corners.map { $0.distance(to: centre) }.max() ?? 0
        return Footprint(
            stage: stage, stageID: stageID, component: component, tessID: tessID, naxis1: naxis1,
            naxis2: naxis2, center: SkyPoint(ra: centre.ra, dec: centre.dec), radius: radius,
            wcsHeader: wcsHeader)
    }
}
