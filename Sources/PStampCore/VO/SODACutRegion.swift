/// The pixels a SODA cut-out takes from one image: the bounding box of the region's outline in the
/// image's pixels, reduced to the image (SODA 1.0 §3.3: a region larger than the data is cut to its
/// extent). Built on `RegionOfInterest.boundingRegion` and `RegionOverlap`, the arithmetic every stamp uses.
///
/// A route projects with the image's WCS and answers 204 No Content when the result is nil:
/// ```
/// guard let cut = SODACutRegion.pixels(of: shape, imageWidth: w, imageHeight: h, project: wcs.skyToPixel)
/// else { return .noContent }
/// ```
public enum SODACutRegion {
    /// Points along the outline of a shape (a circle as 32 points, a range's open sides limited to the
    /// image footprint's extent by `footprint`), in ICRS degrees.
    public static func outline(of shape: DALIShape, within footprint: ImageFootprint? = nil) -> [ICRSPoint] {
        switch shape {
        case .polygon(let points): return points
        case .circle(let ra, let dec, let radius):
            let c = UnitVector(ICRSPoint(ra: ra, dec: dec))
            return (0..<32).map { k in
                c.offset(by: radius, bearing: Double(k) * 360 / 32).point
            }
        case .range(var ra1, var ra2, var dec1, var dec2):
            if let footprint {
                let ras = footprint.corners.map { footprint.center.ra + ImageFootprint.signedDelta($0.ra - footprint.center.ra) }
                let decs = footprint.corners.map(\.dec)
                if !ra1.isFinite || !ra2.isFinite { (ra1, ra2) = (max(ra1, ras.min() ?? 0), min(ra2, ras.max() ?? 360)) }
                dec1 = max(dec1, decs.min() ?? -90)
                dec2 = min(dec2, decs.max() ?? 90)
            }
            if ra1 > ra2 { ra2 += 360 }
            let steps = 8
            var points: [ICRSPoint] = []
            for k in 0...steps { points.append(ICRSPoint(ra: ra1 + (ra2 - ra1) * Double(k) / Double(steps), dec: dec1)) }
            for k in 0...steps { points.append(ICRSPoint(ra: ra2 - (ra2 - ra1) * Double(k) / Double(steps), dec: dec2)) }
            return points.map { ICRSPoint(ra: ICRSPoint.normalizedRA($0.ra), dec: $0.dec) }
        }
    }

    /// The clipped pixel region (IPP 0-based coordinates) of a shape on an image, or nil when no pixel
    /// of the image falls inside its bounding box. `project` maps sky to IPP pixel coordinates and
    /// answers nil for a point it cannot place.
    public static func pixels(
        of shape: DALIShape, footprint: ImageFootprint? = nil, imageWidth: Int, imageHeight: Int,
        project: (ICRSPoint) -> (x: Double, y: Double)?
    ) -> StampRegion? {
        let placed = outline(of: shape, within: footprint).compactMap(project)
        guard !placed.isEmpty else { return nil }
        var box = RegionOfInterest.boundingRegion(of: placed)
        box.x0 = box.x0.rounded(.down); box.y0 = box.y0.rounded(.down)
        box.x1 = box.x1.rounded(.up); box.y1 = box.y1.rounded(.up)
        guard box.isRepresentable else { return nil }
        let overlap = RegionOverlap(region: box, imageWidth: imageWidth, imageHeight: imageHeight)
        guard !overlap.isEmpty else { return nil }
        let x0 = Double(overlap.sourceX), y0 = Double(overlap.sourceY)
        return StampRegion(x0: x0, y0: y0, x1: x0 + Double(overlap.copyWidth), y1: y0 + Double(overlap.copyHeight))
    }
}
