import Foundation
import Testing

@testable import FITS

@Suite("FITS files: open, HDUs, header keywords, checksums, errors")
struct FITSFileTests {
    /// A file with an empty primary and two named extensions.
    static func makeMultiHDU(_ path: String) throws {
        let out = try FITSFile.create(path)
        try out.appendEmptyPrimary()
        try out.write("ORIGIN", "PStamp")
        try out.appendImage([Float](repeating: 2, count: 12), width: 4, height: 3, extname: "SCI")
        try out.appendBinaryTable(extname: "CAT", columns: [TableColumn("N", "J")])
        try out.writeColumn("N", [Int64(7)])
        try out.close()
    }

    @Test("moves between HDUs by number and by EXTNAME; bad moves give cfitsio's status")
    func hduMoves() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("multi.fits")
        try Self.makeMultiHDU(path)
        let f = try FITSFile.open(path)
        #expect(try f.hduCount() == 3)
        #expect(f.currentHDU == 1)
        #expect(try f.moveTo(hdu: 3) == .binaryTable)
        #expect(try f.readIntegers("N") == [7])
        try f.moveTo(extname: "sci")  // case-insensitive, as cfitsio matches
        #expect(f.currentHDU == 2)
        #expect(try f.hduType() == .image)
        try f.moveTo(extname: "CAT")
        #expect(f.currentHDU == 3)
        do { try f.moveTo(hdu: 9); Issue.record("expected an error") } catch let e as FITSError {
            #expect(e.status == 107)  // END_OF_FILE: tried to move past the end
            #expect(!e.message.isEmpty)
        }
        do { try f.moveTo(extname: "NOPE"); Issue.record("expected an error") } catch let e as FITSError {
            #expect(e.status == 301)  // BAD_HDU_NUM
        }
        #expect(throws: FITSError.self) { try f.moveTo(hdu: 0) }
        try expectFitsverifyClean(path)
    }

    @Test("cfitsio extended file names select an HDU when reading")
    func extendedNames() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("multi.fits")
        try Self.makeMultiHDU(path)
        let f = try FITSFile.open(path + "[CAT]")
        #expect(f.currentHDU == 3)
        let g = try FITSFile.open(path + "[1]")
        #expect(g.currentHDU == 2)
        #expect(try g.readSection(PixelRegion(x0: 0, y0: 0, width: 4, height: 3)).allSatisfy { $0 == 2 })
    }

    @Test("typed keywords: write, update, read, delete, long strings, quoted integers")
    func keywords() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("keys.fits")
        let out = try FITSFile.create(path)
        try out.appendEmptyPrimary()
        try out.write("REQ_NAME", "it's_mine", comment: "Postage Stamp request name")
        try out.write("NUMSTR", "2")
        try out.write("REQ_ID", 123_456_789_012)
        try out.write("REFVAL", 1234.5678)
        try out.write("DVOCALIB", false)
        try out.write("LONGSTR", String(repeating: "abcdefghij", count: 30))
        try out.write("REQ_ID", 42)  // update in place
        try out.writeHistory("made by a test")
        try out.write("GONE", 1)
        try out.deleteKey("GONE")
        try out.deleteKey("NEVER")  // absent: no error
        try out.close()

        let f = try FITSFile.open(path)
        #expect(try f.readString("REQ_NAME") == "it's_mine")
        #expect(try f.readInt("NUMSTR") == 2)  // '2' written as a string reads as integer
        #expect(try f.readValueText("NUMSTR") == "2")
        #expect(try f.readInt("REQ_ID") == 42)
        #expect(try f.readDouble("REFVAL") == 1234.5678)
        #expect(try f.readBool("DVOCALIB") == false)
        #expect(try f.readString("LONGSTR") == String(repeating: "abcdefghij", count: 30))
        #expect(try f.readString("GONE") == nil)
        #expect(try f.readInt("MISSING") == nil)
        #expect(try f.hasKey("REQ_ID"))
        #expect(try f.headerCards().contains { $0.hasPrefix("HISTORY made by a test") })
        do { _ = try f.readInt("REQ_NAME"); Issue.record("expected an error") } catch let e as FITSError {
            #expect(e.status == 407)
        }
        try expectFitsverifyClean(path)
    }

    @Test("copyUserKeywords copies content keywords and leaves structure alone")
    func copyKeywords() throws {
        let dir = try TemporaryDirectory()
        let src = try FITSFile.create(dir.path("src.fits"))
        try src.appendImage([Float](repeating: 0, count: 4), width: 2, height: 2)
        try src.write("FILTER", "i.00000")
        try src.write("EXPTIME", 45.0)
        try src.writeChecksum()
        let dst = try FITSFile.create(dir.path("dst.fits"))
        try dst.appendImage([Float](repeating: 1, count: 9), width: 3, height: 3)
        try dst.copyUserKeywords(from: src)
        #expect(try dst.readString("FILTER") == "i.00000")
        #expect(try dst.readDouble("EXPTIME") == 45)
        #expect(try dst.readInt("NAXIS1") == 3)
        #expect(try dst.hasKey("CHECKSUM") == false)
        try src.close(); try dst.close()
        try expectFitsverifyClean(dir.path("dst.fits"))
    }

    @Test("DATASUM/CHECKSUM are written, verify, and a changed byte is caught")
    func checksums() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("sum.fits")
        try Self.makeMultiHDU(path)
        let rw = try FITSFile.open(path, mode: .readWrite)
        try rw.writeChecksumsInAllHDUs()
        try rw.close()
        let f = try FITSFile.open(path)
        for n in 1...3 {
            try f.moveTo(hdu: n)
            let s = try f.verifyChecksum()
            #expect(s.data == .valid && s.hdu == .valid, "HDU \(n)")
        }
        try f.close()
        try expectFitsverifyClean(path)

        // Flip one byte in the image data of HDU 2 (it starts after two 2880-byte header blocks).
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[2880 * 2 + 3] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: path))
        let g = try FITSFile.open(path)
        try g.moveTo(hdu: 2)
        #expect(try g.verifyChecksum().data == .invalid)
        let unsummed = dir.path("plain.fits")
        try Self.makeMultiHDU(unsummed)
        #expect(try FITSFile.open(unsummed).verifyChecksum().hdu == .missing)
    }

    @Test("not a FITS file, a missing file, a truncated file: coded errors with cfitsio's messages")
    func badFiles() throws {
        let dir = try TemporaryDirectory()
        let text = dir.path("notfits.fits")
        try "hello, this is not FITS\n".write(toFile: text, atomically: true, encoding: .utf8)
        do { _ = try FITSFile.open(text); Issue.record("expected an error") } catch let e as FITSError {
            #expect(e.status != 0)
            #expect(e.description.contains("notfits.fits"))
        }
        do { _ = try FITSFile.open(dir.path("missing.fits")); Issue.record("expected an error") } catch let e as FITSError {
            #expect(e.status == 104)
        }  // FILE_NOT_OPENED

        let good = dir.path("good.fits")
        try FITSImageTestsSupport.writePlain(good, width: 200, height: 200)
        let cut = dir.path("cut.fits")
        let data = try Data(contentsOf: URL(fileURLWithPath: good))
        try data.prefix(2880 + 1000).write(to: URL(fileURLWithPath: cut))
        let f = try FITSFile.open(cut)
        #expect(throws: FITSError.self) { try f.readSection(PixelRegion(x0: 0, y0: 190, width: 10, height: 10)) }
        #expect(throws: FITSError.self) { try FITSFile.create(good) }  // exists: not overwritten
    }

    @Test("closing is deterministic: data is on disk after close, and use after close throws")
    func closing() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("closed.fits")
        let out = try FITSFile.create(path)
        try out.appendImage([Float](repeating: 3, count: 4), width: 2, height: 2)
        try out.close()
        #expect(!out.isOpen)
        #expect(throws: FITSError.self) { try out.write("X", 1) }
        try out.close()  // closing twice is harmless
        let v = try FITSFile.withOpen(path) { try $0.readImage() }
        #expect(v == [3, 3, 3, 3])
        do {
            // Dropped without close: deinit closes it, and the data is there.
            let f = try FITSFile.create(dir.path("dropped.fits"))
            try f.appendImage([Float](repeating: 5, count: 4), width: 2, height: 2)
        }
        #expect(try FITSFile.withOpen(dir.path("dropped.fits")) { try $0.readImage() } == [5, 5, 5, 5])
    }
}

enum FITSImageTestsSupport {
    static func writePlain(_ path: String, width: Int, height: Int) throws {
        let out = try FITSFile.create(path)
        try out.appendImage([Float](repeating: 1, count: width * height), width: width, height: height)
        try out.close()
    }
}
