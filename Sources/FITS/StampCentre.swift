/// The sky centre a stamp file records (`RA_DEG`, `DEC_DEG`), read as pstamp_finish.pl reads it for the
/// results table: from the first extension (where a compressed stamp keeps its header), else from the
/// primary header; (0, 0) when neither has it or the file is not FITS (a JPEG).
public enum StampCentre {
    public static func read(_ path: String) -> (ra: Double, dec: Double) {
        guard let f = try? FITSFile.open(path, extendedSyntax: false) else { return (0, 0) }
        defer { f.closeQuietly() }
        func centre(hdu: Int) -> (Double?, Double?) {
            guard (try? f.moveTo(hdu: hdu)) != nil else { return (nil, nil) }
            return ((try? f.readDouble("RA_DEG")) ?? nil, (try? f.readDouble("DEC_DEG")) ?? nil)
        }
        // Moving to the extension fails when there is none; counting the HDUs first would read the
        // whole file to its end (cfitsio looks for an HDU after the last).
        var (ra, dec) = centre(hdu: 2)
        if ra == nil { (ra, dec) = centre(hdu: 1) }
        return (ra ?? 0, dec ?? 0)
    }
}
