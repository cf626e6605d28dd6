/// The spectral extent of the Pan-STARRS1 filters, for ObsCore `em_min`/`em_max` and SIA 2 `BAND`.
///
/// The edges are the filter ranges the PS1 papers give: gP1 400–550 nm, rP1 550–700 nm, iP1 690–820 nm,
/// zP1 820–920 nm, yP1 920–1100 nm, and the wide wP1 400–820 nm (≈ gP1 + rP1 + iP1) — Tonry et al. 2012,
/// ApJ 750, 99, "The Pan-STARRS1 Photometric System" (§1 and the passbands of Table 4), and Chambers et
/// al. 2016, arXiv:1612.05560 §3. Filter names in the image database look like `r.00000`; the letter
/// before the dot is the band.
public enum PS1Band: String, Sendable, CaseIterable {
    case g, r, i, z, y, w

    /// Lower and upper wavelength in metres.
    public var interval: DALIInterval {
        switch self {
        case .g: DALIInterval(400e-9, 550e-9)
        case .r: DALIInterval(550e-9, 700e-9)
        case .i: DALIInterval(690e-9, 820e-9)
        case .z: DALIInterval(820e-9, 920e-9)
        case .y: DALIInterval(920e-9, 1100e-9)
        case .w: DALIInterval(400e-9, 820e-9)
        }
    }

    /// The band of an image database filter name (`r.00000`, `i`, `w.00000`), nil for an unknown one.
    public init?(filter: String) {
        guard let letter = filter.split(separator: ".").first, let band = PS1Band(rawValue: letter.lowercased()) else { return nil }
        self = band
    }

    /// The bands whose range meets any of the asked intervals (SIA 2 BAND; none asked means all).
    public static func matching(_ intervals: [DALIInterval]) -> [PS1Band] {
        allCases.filter { band in intervals.isEmpty || intervals.contains { $0.overlaps(band.interval) } }
    }
}
