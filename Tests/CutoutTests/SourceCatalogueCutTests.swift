import FITS
import Foundation
import PStampCore
import Testing

@testable import Cutout

@Suite("Source catalogues cut to a stamp (OPTION_MASK 8)")
struct SourceCatalogueCutTests {
    static func catalogue(_ path: String, xs: [Double], ys: [Double], extended: Bool = false) throws {
        let f = try FITSFile.create(path, overwrite: true)
        try f.appendEmptyPrimary()
        var columns = [TableColumn("X_PSF", "D"), TableColumn("Y_PSF", "D")]
        if extended { columns += [TableColumn("X_EXT", "D"), TableColumn("Y_EXT", "D")] }
        try f.appendBinaryTable(extname: "XY01.psf", columns: columns, rows: xs.count)
        try f.writeColumn("X_PSF", xs)
        try f.writeColumn("Y_PSF", ys)
        if extended {
            try f.writeColumn("X_EXT", xs.map { $0 + 0.25 })
            try f.writeColumn("Y_EXT", ys.map { $0 - 0.25 })
        }
        try f.close()
    }

    @Test("sources within the stamp grown by 16 px are kept, every position pair shifted by (−x0, −y0); fitsverify clean")
    func keepsAndShifts() throws {
        let dir = try TestImages.directory()
        let input = dir + "/in.cmf", output = dir + "/out.cmf"
        // Stamp x 100..<150, y 200..<230; grown: x 84..<166, y 184..<246.
        try Self.catalogue(input, xs: [84, 83.99, 165.99, 166, 120, 120], ys: [200, 200, 245.99, 200, 183.99, 184], extended: true)
        let kept = try SourceCatalogueCut.cut(input, region: PixelRegion(x0: 100, y0: 200, width: 50, height: 30), to: output)
        #expect(kept == 3)
        let f = try FITSFile.open(output)
        defer { f.closeQuietly() }
        _ = try f.moveTo(hdu: 2)
        #expect(try f.rowCount() == 3)
        #expect(try f.readDoubles("X_PSF").map { ($0 * 100).rounded() / 100 } == [-16, 65.99, 20])
        #expect(try f.readDoubles("Y_PSF").map { ($0 * 100).rounded() / 100 } == [0, 45.99, -16])
        #expect(try f.readDoubles("X_EXT").map { ($0 * 100).rounded() / 100 } == [-15.75, 66.24, 20.25])
        #expect(try f.readInt("PSTAMPY0") == 200)
        let report = try #require(TestImages.fitsverify(output), "fitsverify is not installed (make deps)")
        #expect(report.contains("verification OK"), "\(report)")
    }

    @Test("no source in the stamp gives an empty table, still a valid file; a missing catalogue is 26")
    func emptyAndMissing() throws {
        let dir = try TestImages.directory()
        let input = dir + "/in.cmf", output = dir + "/out.cmf"
        try Self.catalogue(input, xs: [1000], ys: [1000])
        #expect(try SourceCatalogueCut.cut(input, region: PixelRegion(x0: 0, y0: 0, width: 10, height: 10), to: output) == 0)
        let f = try FITSFile.open(output)
        _ = try f.moveTo(hdu: 2)
        #expect(try f.rowCount() == 0)
        f.closeQuietly()
        let report = try #require(TestImages.fitsverify(output))
        #expect(report.contains("verification OK"), "\(report)")
        #expect(throws: PStampError.self) {
            try SourceCatalogueCut.cut(dir + "/none.cmf", region: PixelRegion(x0: 0, y0: 0, width: 10, height: 10), to: dir + "/x.cmf")
        }
        do {
            try SourceCatalogueCut.cut(dir + "/none.cmf", region: PixelRegion(x0: 0, y0: 0, width: 10, height: 10), to: dir + "/x.cmf")
        } catch let e as PStampError {
            #expect(e.code == .gone)
        }
    }

    @Test("an exposure's smf cut for one chip keeps only that chip's tables (and tables of no chip)")
    func smfForOneChip() throws {
        let dir = try TestImages.directory()
        let input = dir + "/exp.smf", output = dir + "/out.cmf"
        let f = try FITSFile.create(input, overwrite: true)
        try f.appendEmptyPrimary()
        for chip in ["XY01", "XY43"] {
            try f.appendBinaryTable(extname: "\(chip).psf", columns: [TableColumn("X_PSF", "D"), TableColumn("Y_PSF", "D")], rows: 2)
            try f.writeColumn("X_PSF", [10.0, 500.0])
            try f.writeColumn("Y_PSF", [10.0, 500.0])
            try f.appendBinaryTable(extname: "\(chip).hdr", columns: [TableColumn("NAME", "8A")], rows: 1)
            try f.writeColumn("NAME", [chip])
        }
        try f.appendBinaryTable(extname: "FPA.astrom", columns: [TableColumn("NAME", "8A")], rows: 1)
        try f.writeColumn("NAME", ["fpa"])
        try f.close()
        let kept = try SourceCatalogueCut.cut(input, region: PixelRegion(x0: 0, y0: 0, width: 40, height: 40), to: output, chip: "XY43")
        #expect(kept == 1)
        let out = try FITSFile.open(output)
        defer { out.closeQuietly() }
        var names: [String] = []
        for n in 2...(try out.hduCount()) {
            _ = try out.moveTo(hdu: n)
            names.append(try out.readString("EXTNAME") ?? "")
        }
        #expect(names == ["XY43.psf", "XY43.hdr", "FPA.astrom"])
    }
}
