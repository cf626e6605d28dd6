import Foundation
import Testing

@testable import FITS

@Suite("FITS binary tables by column name")
struct BinaryTableTests {
    @Test("strings, integers (signed, unsigned 32-bit, 64-bit) and doubles round-trip by name")
    func roundTrip() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("table.fits")
        let out = try FITSFile.create(path)
        try out.appendEmptyPrimary()
        try out.appendBinaryTable(
            extname: "T",
            columns: [
                TableColumn("ROWNUM", "V"), TableColumn("JOB_ID", "K"), TableColumn("MASK", "J"),
                TableColumn("RA_DEG", "D"), TableColumn("NAME", "16A"), TableColumn("DATA_GROUP ", "64A"),
            ])
        try out.writeColumn("ROWNUM", [1, 4_000_000_000] as [Int64])
        try out.writeColumn("JOB_ID", [Int64(9_000_000_000), -1])
        try out.writeColumn("MASK", [3, 2049])
        try out.writeColumn("RA_DEG", [18.876667, .nan])
        try out.writeColumn("NAME", ["chip", "a name longer than sixteen"])
        try out.writeColumn("DATA_GROUP", ["LAP.ThreePi.20120706%", ""])
        try out.close()

        let f = try FITSFile.open(path)
        try f.moveTo(extname: "T")
        #expect(try f.rowCount() == 2)
        #expect(try f.columnNames() == ["ROWNUM", "JOB_ID", "MASK", "RA_DEG", "NAME", "DATA_GROUP"])
        #expect(try f.columnNumber("data_group") == 6)
        #expect(try f.columnNumber("LABEL") == nil)
        #expect(try f.readValueText("TFORM1") == "J")  // V is stored as J with TZERO 2^31
        #expect(try f.readDouble("TZERO1") == 2_147_483_648)
        #expect(try f.readIntegers("ROWNUM") == [1, 4_000_000_000])
        #expect(try f.readIntegers("JOB_ID") == [9_000_000_000, -1])
        #expect(try f.readIntegers("MASK") == [3, 2049])
        let ra = try f.readDoubles("RA_DEG")
        #expect(ra[0] == 18.876667 && ra[1].isNaN)
        #expect(try f.readStrings("NAME") == ["chip", "a name longer th"])  // cut to the width
        #expect(try f.readStrings("DATA_GROUP") == ["LAP.ThreePi.20120706%", ""])
        #expect(try f.readDoubles("MASK") == [3, 2049])
        try expectFitsverifyClean(path)
    }

    @Test("TNULL marks undefined integers as nil")
    func nulls() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("nulls.fits")
        let out = try FITSFile.create(path)
        try out.appendBinaryTable(extname: "T", columns: [TableColumn("N", "J")])
        try out.write("TNULL1", -99)
        try out.writeColumn("N", [Int64(5), -99, 6])
        try out.close()
        let f = try FITSFile.open(path + "[T]")
        #expect(try f.readIntegers("N") == [5, nil, 6])
        #expect(try f.readDoubles("N")[1].isNaN)
        try expectFitsverifyClean(path)
    }

    @Test("wrong types, missing columns and over-wide strings are FITSErrors")
    func errors() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("t.fits")
        let out = try FITSFile.create(path)
        try out.appendBinaryTable(extname: "T", columns: [TableColumn("S", "200A"), TableColumn("N", "J")])
        try out.writeColumn("S", ["x"])
        try out.writeColumn("N", [Int64(1)])
        try out.close()
        let f = try FITSFile.open(path + "[T]")
        do { _ = try f.readDoubles("S"); Issue.record("expected an error") } catch let e as FITSError {
            #expect(e.status == 312)
        }
        do { _ = try f.readStrings("N"); Issue.record("expected an error") } catch let e as FITSError {
            #expect(e.status == 312)
        }
        do { _ = try f.readStrings("MISSING"); Issue.record("expected an error") } catch let e as FITSError {
            #expect(e.status == FITSError.columnNotFound)
        }
        do { _ = try f.readStrings("S", maxStringWidth: 100); Issue.record("expected an error") } catch let e as FITSError {
            #expect(e.status == FITSError.arrayTooBig)
        }
        #expect(try f.readStrings("S") == ["x"])
    }
}
