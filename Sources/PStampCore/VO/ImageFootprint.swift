import Foundation

/// Where an image lies on the sky, as the image database knows it: its centre and its corners (in order
/// around the edge), ICRS degrees. SIA 2 asks whether a `POS` region overlaps it, and SODA whether a
/// cut-out can have pixels.
///
/// Circles are tested exactly on the sphere. Polygons are tested in the gnomonic projection at the
/// image centre, where great-circle edges are straight lines, so the test is exact too; a polygon with
/// a vertex 90° or more from the image centre is tested around its own centre instead, and counts as
/// overlapping when no common projection exists. `RANGE` boxes are tested in (RA, Dec) with the image's
/// corners unwrapped around its centre: exact for the box, and for image edges short enough to be
/// straight in RA and Dec (a PS1 exposure spans 3°; the error grows only near the poles).
public struct ImageFootprint: Sendable, Equatable {
    public var center: ICRSPoint
    public var corners: [ICRSPoint]

    public init(center: ICRSPoint, corners: [ICRSPoint]) {
        self.center = center
        self.corners = corners
    }

    /// The footprint as an ObsCore `s_region` (`POLYGON ra1 dec1 …`, DALI form).
    public var sRegion: String { DALIShape.polygon(corners).daliText }

    /// True when the region shares sky with the image.
    public func overlaps(_ shape: DALIShape) -> Bool {
        guard corners.count >= 3 else { return false }
        switch shape {
        case .circle(let ra, let dec, let radius): return overlapsCircle(ICRSPoint(ra: ra, dec: dec), radius: radius)
        case .polygon(let points): return overlapsPolygon(points)
        case .range(let ra1, let ra2, let dec1, let dec2): return overlapsRange(ra1: ra1, ra2: ra2, dec1: dec1, dec2: dec2)
        }
    }

    /// True when any of the regions overlaps (SIA 2 combines repeated POS with OR).
    public func overlapsAny(_ shapes: [DALIShape]) -> Bool { shapes.isEmpty || shapes.contains(where: overlaps) }

    // MARK: circle

    private func overlapsCircle(_ c: ICRSPoint, radius: Double) -> Bool {
        let p = UnitVector(c)
        let r = radius * .pi / 180
        let vertices = corners.map(UnitVector.init)
        if vertices.contains(where: { p.angle(to: $0) <= r }) || p.angle(to: UnitVector(center)) <= r { return true }
        if let plane = Gnomonic(center: center), let q = plane.project(c),
            Planar.contains(corners.compactMap(plane.project), q)
        {
            return true
        }
        for i in vertices.indices where p.distance(toArc: vertices[i], vertices[(i + 1) % vertices.count]) <= r {
            return true
        }
        return false
    }

    // MARK: polygon

    private func overlapsPolygon(_ points: [ICRSPoint]) -> Bool {
        for origin in [center, UnitVector.mean(points.map(UnitVector.init)).point] {
            guard let plane = Gnomonic(center: origin) else { continue }
            let a = corners.compactMap(plane.project), b = points.compactMap(plane.project)
            if a.count == corners.count && b.count == points.count { return Planar.intersects(a, b) }
        }
        return true
    }

    // MARK: range

    private func overlapsRange(ra1: Double, ra2: Double, dec1 low1: Double, dec2 high2: Double) -> Bool {
        let dec1 = max(low1, -90), dec2 = min(high2, 90)
        let unwrapped = corners.map { Planar.Point(x: center.ra + Self.signedDelta($0.ra - center.ra), y: $0.dec) }
        let decs = unwrapped.map(\.y)
        guard let low = decs.min(), let high = decs.max(), low <= dec2, high >= dec1 else { return false }
        let openRA = !ra1.isFinite || !ra2.isFinite || abs(ra2 - ra1) >= 360
        if openRA { return true }
        var intervals: [(Double, Double)] = []
        let a = ICRSPoint.normalizedRA(ra1), b = ICRSPoint.normalizedRA(ra2)
        if a <= b { intervals.append((a, b)) } else { intervals += [(a, 360), (0, b)] }
        for (lo, hi) in intervals {
            for shift in [-360.0, 0, 360] {
                let box = [
                    Planar.Point(x: lo + shift, y: dec1), Planar.Point(x: hi + shift, y: dec1),
                    Planar.Point(x: hi + shift, y: dec2), Planar.Point(x: lo + shift, y: dec2),
                ]
                if Planar.intersects(unwrapped, box) { return true }
            }
        }
        return false
    }

    /// An RA difference folded into (−180, 180].
    static func signedDelta(_ d: Double) -> Double {
        var v = d.truncatingRemainder(dividingBy: 360)
        if v > 180 { v -= 360 } else if v <= -180 { v += 360 }
        return v
    }
}

/// A direction as a unit vector, for exact spherical distances.
struct UnitVector {
    var x, y, z: Double

    init(x: Double, y: Double, z: Double) { (self.x, self.y, self.z) = (x, y, z) }

    init(_ p: ICRSPoint) {
        let a = p.ra * .pi / 180, d = p.dec * .pi / 180
        self.init(x: cos(d) * cos(a), y: cos(d) * sin(a), z: sin(d))
    }

    var point: ICRSPoint {
        ICRSPoint(ra: ICRSPoint.normalizedRA(atan2(y, x) * 180 / .pi), dec: atan2(z, (x * x + y * y).squareRoot()) * 180 / .pi)
    }

    static func mean(_ vs: [UnitVector]) -> UnitVector {
        vs.reduce(UnitVector(x: 0, y: 0, z: 0)) { UnitVector(x: $0.x + $1.x, y: $0.y + $1.y, z: $0.z + $1.z) }
    }

    func dot(_ o: UnitVector) -> Double { x * o.x + y * o.y + z * o.z }
    func cross(_ o: UnitVector) -> UnitVector { UnitVector(x: y * o.z - z * o.y, y: z * o.x - x * o.z, z: x * o.y - y * o.x) }
    var norm: Double { dot(self).squareRoot() }

    /// The angle between two directions, radians (atan2 form: accurate at small and large angles).
    func angle(to o: UnitVector) -> Double { atan2(cross(o).norm, dot(o)) }

    /// The angular distance to the great-circle arc from `a` to `b` (shorter way), radians.
    func distance(toArc a: UnitVector, _ b: UnitVector) -> Double {
        let n = a.cross(b)
        let len = n.norm
        guard len > 0 else { return angle(to: a) }
        let unit = UnitVector(x: n.x / len, y: n.y / len, z: n.z / len)
        let h = dot(unit)
        let q = UnitVector(x: x - h * unit.x, y: y - h * unit.y, z: z - h * unit.z)
        if a.cross(q).dot(unit) >= 0 && q.cross(b).dot(unit) >= 0 { return asin(min(1, abs(h))) }
        return min(angle(to: a), angle(to: b))
    }
}

/// The gnomonic (tangent-plane) projection at a centre: great circles become straight lines.
struct Gnomonic {
    let center: ICRSPoint
    private let sinD0, cosD0: Double

    init?(center: ICRSPoint) {
        self.center = center
        sinD0 = sin(center.dec * .pi / 180)
        cosD0 = cos(center.dec * .pi / 180)
    }

    /// The plane position of a point, nil for one 90° or more from the centre.
    func project(_ p: ICRSPoint) -> Planar.Point? {
        let d = p.dec * .pi / 180, da = (p.ra - center.ra) * .pi / 180
        let cosC = sinD0 * sin(d) + cosD0 * cos(d) * cos(da)
        guard cosC > 1e-9 else { return nil }
        return Planar.Point(x: cos(d) * sin(da) / cosC, y: (cosD0 * sin(d) - sinD0 * cos(d) * cos(da)) / cosC)
    }
}

/// Polygon arithmetic in a plane.
enum Planar {
    struct Point: Equatable { var x, y: Double }

    /// True when the point lies inside or on the polygon (crossing rule).
    static func contains(_ polygon: [Point], _ p: Point) -> Bool {
        guard polygon.count >= 3 else { return false }
        var inside = false
        var j = polygon.count - 1
        for i in polygon.indices {
            let a = polygon[i], b = polygon[j]
            if onSegment(p, a, b) { return true }
            if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
            j = i
        }
        return inside
    }

    /// True when two polygons share a point: a vertex of one inside the other, or crossing edges.
    static func intersects(_ a: [Point], _ b: [Point]) -> Bool {
        if a.contains(where: { contains(b, $0) }) || b.contains(where: { contains(a, $0) }) { return true }
        for i in a.indices {
            for j in b.indices where segmentsCross(a[i], a[(i + 1) % a.count], b[j], b[(j + 1) % b.count]) { return true }
        }
        return false
    }

    private static func orient(_ a: Point, _ b: Point, _ c: Point) -> Double { (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x) }

    private static func onSegment(_ p: Point, _ a: Point, _ b: Point) -> Bool {
        orient(a, b, p) == 0 && min(a.x, b.x) <= p.x && p.x <= max(a.x, b.x) && min(a.y, b.y) <= p.y && p.y <= max(a.y, b.y)
    }

    private static func segmentsCross(_ p1: Point, _ p2: Point, _ q1: Point, _ q2: Point) -> Bool {
        let d1 = orient(q1, q2, p1), d2 = orient(q1, q2, p2), d3 = orient(p1, p2, q1), d4 = orient(p1, p2, q2)
        return ((d1 > 0) != (d2 > 0)) && ((d3 > 0) != (d4 > 0)) && d1 != 0 && d2 != 0 && d3 != 0 && d4 != 0
    }
}

extension UnitVector {
    /// The point `distance` degrees away along `bearing` degrees east of north.
    func offset(by distance: Double, bearing: Double) -> UnitVector {
        let p = point
        let d = p.dec * .pi / 180, a = p.ra * .pi / 180, r = distance * .pi / 180, b = bearing * .pi / 180
        let dec2 = asin(sin(d) * cos(r) + cos(d) * sin(r) * cos(b))
        let east: Double = sin(b) * sin(r) * cos(d)
        let north: Double = cos(r) - sin(d) * sin(dec2)
        let ra2 = a + atan2(east, north)
        return UnitVector(ICRSPoint(ra: ra2 * 180 / .pi, dec: dec2 * 180 / .pi))
    }
}
