// Copying HDUs and table rows from one open file to another (the stamp engine cuts source catalogues):
//
//   try cmf.copyHDU(to: out)                    // the whole current HDU, appended to `out`
//   try cmf.copyEmptyTable(to: out)             // the current table's header, no rows yet
//   try cmf.copyRows([3, 4, 9], to: out)        // those rows (1-based) appended to out's current table
import CFITSIO

extension FITSFile {
    /// Appends the whole current HDU (header and data) to `out`, which then sits on it.
    public func copyHDU(to out: FITSFile) throws {
        var status: Int32 = 0
        ffcopy(try fptr(), try out.fptr(), 0, &status)
        try checkStatus(status, "copy HDU \(currentHDU) of \(path) to \(out.path)")
    }

    /// Appends the current table's header to `out` with no rows (NAXIS2 = 0, no heap), ready for `copyRows`.
    public func copyEmptyTable(to out: FITSFile) throws {
        var status: Int32 = 0
        let o = try out.fptr()
        ffcphd(try fptr(), o, &status)
        ffmkyj(o, "NAXIS2", 0, nil, &status)
        ffmkyj(o, "PCOUNT", 0, nil, &status)
        ffrdef(o, &status)
        try checkStatus(status, "copy the table header of HDU \(currentHDU) of \(path) to \(out.path)")
    }

    /// Appends rows of the current table (1-based, any order is kept) to the current table of `out`,
    /// which must have the same columns. Consecutive rows are copied in one call.
    public func copyRows(_ rows: [Int], to out: FITSFile) throws {
        let f = try fptr(), o = try out.fptr()
        var status: Int32 = 0
        var k = 0
        while k < rows.count && status == 0 {
            var n = 1
            while k + n < rows.count && rows[k + n] == rows[k] + n { n += 1 }
            ffcprw(f, o, Int64(rows[k]), Int64(n), &status)
            k += n
        }
        try checkStatus(status, "copy \(rows.count) rows of \(path) to \(out.path)")
    }
}

extension FITSFile {
    /// Writes one file whose empty primary HDU is followed by the image of each part as an extension
    /// named `extname` (a tile-compressed image stays compressed): how several stamps, or a stamp with
    /// its mask and variance, travel as one FITS file.
    public static func writeImageExtensions(_ parts: [(path: String, extname: String)], to path: String) throws {
        let out = try FITSFile.create(path, overwrite: true)
        do {
            try out.appendEmptyPrimary()
            for part in parts {
                try FITSFile.withOpen(part.path) { source in
                    let count = try source.hduCount()
                    var hdu = 1
                    _ = try source.moveTo(hdu: 1)
                    if try source.readInt("NAXIS") == 0 && count > 1 { hdu = 2 }
                    _ = try source.moveTo(hdu: hdu)
                    try source.copyHDU(to: out)
                    try out.write("EXTNAME", part.extname, comment: "what this extension holds")
                }
            }
            try out.close()
        } catch {
            out.closeQuietly()
            throw error
        }
    }
}
