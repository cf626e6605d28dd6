/// Least-squares fit of a linear map `value = c0 + c1·u + c2·v` to samples, as the IPP does when it
/// replaces a distorted chip astrometry by a linear TAN over a stamp (`pmAstromLinearizeToSky`, 10×10 grid).
public struct AffineFit: Sendable, Equatable {
    public let c0: Double
    public let c1: Double
    public let c2: Double

    public init(c0: Double, c1: Double, c2: Double) { self.c0 = c0; self.c1 = c1; self.c2 = c2 }

    public func callAsFunction(_ u: Double, _ v: Double) -> Double { c0 + c1 * u + c2 * v }

    /// The fit to `(u, v, value)` samples, or nil when they do not determine a plane (fewer than three
    /// points, or all on one line).
    public init?(samples: [(u: Double, v: Double, value: Double)]) {
        guard samples.count >= 3 else { return nil }
        // Centre the inputs for a well-conditioned system, then solve the 3×3 normal equations.
        let n = Double(samples.count)
        let mu = samples.reduce(0) { $0 + $1.u } / n
        let mv = samples.reduce(0) { $0 + $1.v } / n
        var suu = 0.0, suv = 0.0, svv = 0.0, sz = 0.0, suz = 0.0, svz = 0.0
        for s in samples {
            let u = s.u - mu, v = s.v - mv
            suu += u * u; suv += u * v; svv += v * v
            sz += s.value; suz += u * s.value; svz += v * s.value
        }
        let det = suu * svv - suv * suv
        guard det.isFinite, abs(det) > 1e-12 * max(1, suu * svv) else { return nil }
        let a = (suz * svv - svz * suv) / det
        let b = (svz * suu - suz * suv) / det
        let mean = sz / n
        self.init(c0: mean - a * mu - b * mv, c1: a, c2: b)
    }
}
