import Foundation
import PStampCore
import Testing

@testable import FITS

@Suite("Results files: results.fits and results.mdc (§3)")
struct ResultsFileTests {
    /// A request row (sample warp.byid) answered with an image and a JPEG, a failed row, and a request-level fault.
    static func rows() throws -> [ResultRow] {
        let doc = try RequestTextFormat.parse(RequestSamples.all[1].text)
        let request = doc.rows[0]
        var image = ResultRow(
            request: request, errorCode: .success, imgName: "1_1_i_o6136g0055o.wrp.1234.skycell.085.fits",
            jobID: 9_000_000_001, raDeg: 241.54949, decDeg: 55.4273, mjdObs: 56136.512345678,
            raObs: 241.6, decObs: 55.3, filter: "i.00000", exptime: 240, fpaID: "o6136g0055o")
        var jpeg = image
        jpeg.imgName = "1_1_i_o6136g0055o.wrp.1234.skycell.085.jpg"
        image.comment = "a comment with spaces"
        let failed = ResultRow(request: request, errorCode: .bgRestoreNotAvailable, jobID: 9_000_000_002)
        let requestLevel = ResultRow.requestLevel(errorCode: .dupRequest, jobID: 7)
        return [image, jpeg, failed, requestLevel]
    }

    @Test("results.fits: layout, header, the 31 columns with their TFORMs, read back column by column")
    func resultsFits() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("results.fits")
        let rows = try Self.rows()
        try ResultsFile.write(reqName: "my'req", reqID: 123_456_789_012, rows: rows, to: path)
        try expectFitsverifyClean(path)

        let f = try FITSFile.open(path)
        #expect(try f.hduCount() == 2)
        #expect(try f.readInt("NAXIS") == 0 && f.readInt("BITPIX") == 16)
        try f.moveTo(hdu: 2)
        #expect(try f.readString("EXTNAME") == "PS1_PS_RESULTS")
        #expect(try f.readString("REQ_NAME") == "myreq")  // quotes removed
        #expect(try f.readInt("REQ_ID") == 123_456_789_012)
        #expect(try f.hasKey("EXTVER") == false)
        let keys = try f.headerCards().map { String($0.prefix(8)).trimmingCharacters(in: .whitespaces) }
        #expect(keys.firstIndex(of: "REQ_NAME")! < keys.firstIndex(of: "REQ_ID")!)
        #expect(try f.columnNames() == ResultsFileFormat.columns.map(\.name))
        #expect(try f.columnNames().count == 31)
        for (i, (_, tform)) in ResultsFileFormat.columns.enumerated() {
            let written = try f.readValueText("TFORM\(i + 1)") ?? ""
            if tform == "V" {
                #expect(written == "1J" || written == "J")
                #expect(try f.readDouble("TZERO\(i + 1)") == 2_147_483_648)
            } else {
                #expect(written == tform || written == "1" + tform, "column \(i + 1): \(written) vs \(tform)")
            }
        }
        #expect(try f.readIntegers("ROWNUM") == [1, 1, 1, 0])
        #expect(try f.readIntegers("ERROR_CODE") == [0, 0, 31, 20])
        // pstamp_results_file.pl: ERROR_STR 24A; 31 is `unknown` in RequestFile.pm's list.
        #expect(try f.readValueText("TFORM3") == "24A")
        #expect(try f.readStrings("ERROR_STR") == ["PSTAMP_SUCCESS", "PSTAMP_SUCCESS", "unknown", "PSTAMP_DUP_REQUEST"])
        #expect(try f.readStrings("IMG_NAME")[2...] == ["0", "0"])
        #expect(try f.readIntegers("JOB_ID") == [9_000_000_001, 9_000_000_001, 9_000_000_002, 7])
        #expect(try f.readDoubles("RA_DEG") == [241.54949, 241.54949, 0, 0])
        #expect(try f.readDoubles("MJD_OBS")[0] == 56136.512345678)
        #expect(try f.readStrings("FILTER") == ["i.00000", "i.00000", "0", "0"])
        #expect(try f.readStrings("FPA_ID")[0] == "o6136g0055o")
        #expect(try f.readStrings("PROJECT") == ["gpc1", "gpc1", "gpc1", "0"])
        #expect(try f.readStrings("REQ_TYPE") == ["byexp", "byexp", "byexp", "0"])
        #expect(try f.readStrings("ID")[0] == "o6136g0055o")
        #expect(try f.readStrings("REQFILT")[0] == "i")  // as requested, not i%
        #expect(try f.readIntegers("OPTION_MASK") == [65, 65, 65, 0])
        #expect(try f.readIntegers("COORD_MASK") == [2, 2, 2, 0])
        #expect(try f.readDoubles("WIDTH") == [1500, 1500, 1500, 0])
        #expect(try f.readDoubles("MJD_MAX") == [0, 0, 0, 0])
        #expect(try f.readStrings("COMMENT") == ["a comment with spaces", "null", "null", "0"])
        try f.close()

        let back = try ResultsFile.read(path)
        #expect(back.reqName == "myreq" && back.reqID == 123_456_789_012)
        #expect(back.rows == rows)
    }

    @Test("ERROR_STR for every code as the IPP's list: names, undefined for 7–9 and 13–19, unknown otherwise (31 too); 24A")
    func errorStrings() throws {
        let dir = try TemporaryDirectory()
        let codes = Array(0...32) + [200, 104]
        let rows = codes.map { ResultRow.requestLevel(errorCode: PStampCode($0), jobID: Int64($0)) }
        let path = dir.path("codes.fits")
        try ResultsFile.write(reqName: "codes", reqID: 1, rows: rows, to: path)
        let strings = try FITSFile.withOpen(path) { f -> [String] in
            try f.moveTo(extname: "PS1_PS_RESULTS")
            return try f.readStrings("ERROR_STR")
        }
        for (code, text) in zip(codes, strings) {
            switch code {
            case 7...9, 13...19: #expect(text == "undefined", "\(code)")
            case 0...6, 10...12, 20...30: #expect(text == PStampCode(code).name, "\(code)")
            default: #expect(text == "unknown", "\(code)")
            }
        }
        try expectFitsverifyClean(path)
    }

    @Test("an empty results table (no jobs) is still a valid file")
    func emptyResults() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("empty.fits")
        try ResultsFile.write(reqName: "none", reqID: 2, rows: [], to: path)
        try expectFitsverifyClean(path)
        #expect(try ResultsFile.read(path).rows.isEmpty)
    }

    @Test("results.mdc: ROW_n METADATA blocks with NAME TYPE VALUE lines, END")
    func metadataDump() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("results.mdc")
        let rows = try Self.rows()
        try ResultsFile.writeMetadataDump(rows: rows, to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "ROW_1 METADATA")
        #expect(lines[1] == "ROWNUM           U32       1              ")
        #expect(lines[2] == "ERROR_CODE       U32       0              ")
        #expect(lines[3] == "ERROR_STR        STR       PSTAMP_SUCCESS  ")
        #expect(lines[5] == "JOB_ID           S64       9000000001     ")
        #expect(lines[6] == "RA_DEG           F64       241.54949      ")
        #expect(lines[8] == "MJD_OBS          F64       56136.512345678")
        #expect(lines[22] == "OPTION_MASK      S32       65             ")
        #expect(lines[31] == "COMMENT          STR       a comment with spaces ")
        #expect(lines[32] == "END")
        #expect(lines[33] == "ROW_2 METADATA")
        #expect(text.components(separatedBy: "\nEND\n").count == rows.count + 1)
        #expect(text.contains("ERROR_STR        STR       unknown         \n"))
        #expect(text.hasSuffix("END\n"))
    }
}
