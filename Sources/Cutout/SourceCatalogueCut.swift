// OPTION_MASK bit 8 (SELECT_SOURCES): the source catalogue (cmf/smf) cut to a stamp, as mkstamp's
// `copySources` does: detections within the stamp grown by 16 pixels on each side are kept, their
// positions shifted into stamp pixels (−x0, −y0); tables without positions (analysis metadata) and the
// primary header are copied whole.
//
// Positions are the columns of the first pair found in `positionColumns`; every pair present in a
// table is shifted. The offset is recorded as PSTAMPX0/PSTAMPY0 in each cut table's header.
import FITS
import Foundation
import PStampCore

public enum SourceCatalogueCut {
    /// Pixels added on each side of the stamp (mkstamp).
    public static let margin = 16
    /// Position column pairs, in order of preference for the selection (psphot PSF-model, extended-model
    /// and peak positions; plain X/Y).
    public static let positionColumns = [("X_PSF", "Y_PSF"), ("X_EXT", "Y_EXT"), ("X_PEAK", "Y_PEAK"), ("X", "Y")]

    /// Cuts `catalogue` to `region` (parent pixels, 0-based, the stamp's extent) into a new file at
    /// `path`. Returns the number of sources kept over all tables. A catalogue that cannot be read is
    /// code 5 (data error); one that is missing, 26.
    ///
    /// With `chip`, the catalogue is an exposure's (a camera-stage smf holding every chip's tables as
    /// `<class_id>.<table>`): only that chip's tables are kept, the other chips' are left out.
    @discardableResult
    public static func cut(_ catalogue: String, region: PixelRegion, to path: String, chip: String? = nil) throws -> Int {
        let input = try StampSource.open(catalogue)
        defer { input.closeQuietly() }
        do {
            let out = try FITSFile.create(path, overwrite: true)
            var kept = 0
            do {
                let count = try input.hduCount()
                for n in 1...count {
                    let type = try input.moveTo(hdu: n)
                    if let chip, n > 1, let owner = try chipOf(input), owner != chip.lowercased() { continue }
                    let names = type == .binaryTable ? Set(try input.columnNames()) : []
                    let pairs = positionColumns.filter { names.contains($0.0) && names.contains($0.1) }
                    guard let select = pairs.first else {
                        try input.copyHDU(to: out)
                        continue
                    }
                    let xs = try input.readDoubles(select.0), ys = try input.readDoubles(select.1)
                    let x0 = Double(region.x0 - margin), x1 = Double(region.x1 + margin)
                    let y0 = Double(region.y0 - margin), y1 = Double(region.y1 + margin)
                    let rows = xs.indices.filter { xs[$0] >= x0 && xs[$0] < x1 && ys[$0] >= y0 && ys[$0] < y1 }.map { $0 + 1 }
                    try input.copyEmptyTable(to: out)
                    try input.copyRows(rows, to: out)
                    for (xName, yName) in pairs where !rows.isEmpty {
                        try out.writeColumn(xName, try out.readDoubles(xName).map { $0 - Double(region.x0) })
                        try out.writeColumn(yName, try out.readDoubles(yName).map { $0 - Double(region.y0) })
                    }
                    try out.write("PSTAMPX0", region.x0, comment: "stamp x0 on the parent: positions are shifted by -x0")
                    try out.write("PSTAMPY0", region.y0, comment: "stamp y0 on the parent: positions are shifted by -y0")
                    kept += rows.count
                }
                try out.close()
            } catch {
                out.closeQuietly()
                unlink(path)
                throw error
            }
            return kept
        } catch let e as PStampError {
            throw e
        } catch {
            throw PStampError(.dataError, "cannot cut the source catalogue \(catalogue): \(error)")
        }
    }

    /// The chip an smf extension belongs to (`XY43.psf` → `xy43`), nil for one named after no chip.
    static func chipOf(_ file: FITSFile) throws -> String? {
        guard let name = try file.readString("EXTNAME")?.trimmingCharacters(in: .whitespaces),
            let dot = name.firstIndex(of: ".")
        else { return nil }
        let prefix = name[..<dot].lowercased()
        let isChip = prefix.count == 4 && prefix.hasPrefix("xy") && prefix.dropFirst(2).allSatisfy(\.isNumber)
        return isChip ? prefix : nil
    }
}
