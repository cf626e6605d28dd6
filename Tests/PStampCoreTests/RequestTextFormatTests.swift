import Foundation
import Testing

@testable import PStampCore

/// The text request format of `pstamp_request_file` (formats-and-cutouts.md §2).
@Suite("Request text format (§2)")
struct RequestTextFormatTests {
    static let v2Header = "CHANGEME 2 PROCESS myemail@myinstitution.edu\n"
    static let sample1 =
        "1 18.876667 -0.861489 100 100 2 stamp 1 gpc1 3PI 3PI.PV3 bycoord chip null null null null null 55249 0 null 0 0 |search by coords\n"

    static func parseError(_ text: String) -> RequestTextFormat.ParseError? {
        do { _ = try RequestTextFormat.parse(text); return nil } catch let e as RequestTextFormat.ParseError { return e } catch {
            Issue.record("unexpected error \(error)"); return nil
        }
    }

    @Test("header line, comments and blank lines; every v2 column typed")
    func v2Row() throws {
        let text = "# a comment\n\n" + Self.v2Header + "# ROWNUM …\n" + Self.sample1
        let doc = try RequestTextFormat.parse(text)
        #expect(doc.header == RequestHeader(reqName: "CHANGEME", version: 2, action: "PROCESS", email: "myemail@myinstitution.edu"))
        #expect(doc.rows.count == 1)
        let r = doc.rows[0]
        #expect(r.values.count == 24)
        #expect(r["ROWNUM"] == .integer(1))
        #expect(r["CENTER_X"] == .real(18.876667) && r["CENTER_Y"] == .real(-0.861489))
        #expect(r["COORD_MASK"] == .integer(2) && r["OPTION_MASK"] == .integer(1))
        #expect(r["IPP_RELEASE"] == .text("3PI.PV3") && r["TESS_ID"] == .text("null"))
        #expect(r["MJD_MIN"] == .real(55249) && r["FWHM_MAX"] == .real(0))
        #expect(r["COMMENT"] == .text("search by coords"))
    }

    @Test("v1 rows have 18 fields; short rows inherit from the row above; ROWNUM 0 counts automatic rows")
    func v1InheritAndAutoNumber() throws {
        let text = """
            test1 1
            0 135.49921 34.92035 100 100 2 stamp 63 gpc1 byid chip 62326 null XY62 null null 0 0 |image,mask,weight,cmf, psf,backmdl
            0 135.63231 34.92165 100 100 2 | different coords in same images of interest
            7 135.6 34.9 50 50 2 |explicit number
            0 135.7 34.9 50 50 2
            """
        let doc = try RequestTextFormat.parse(text)
        #expect(doc.header == RequestHeader(reqName: "test1", version: 1))
        #expect(doc.rows.map { $0["ROWNUM"] } == [.integer(1), .integer(2), .integer(7), .integer(3)])
        #expect(doc.rows[0].values.count == 19)
        #expect(doc.rows[0]["SURVEY_NAME"] == .missing)
        #expect(doc.rows[1]["CENTER_X"] == .real(135.63231))
        #expect(doc.rows[1]["ID"] == .text("62326") && doc.rows[1]["COMPONENT"] == .text("XY62"))
        #expect(doc.rows[1]["OPTION_MASK"] == .integer(63))
        #expect(doc.rows[1]["COMMENT"] == .text("different coords in same images of interest"))
        #expect(doc.rows[3]["COMMENT"] == .text("null"))  // no '|': comment null
        #expect(doc.rows[3]["WIDTH"] == .real(50))
    }

    @Test("comments: leading blanks trimmed, first # replaced with a warning, cut to 63, empty is null, second | dropped")
    func comments() throws {
        let long = String(repeating: "x", count: 70)
        let text =
            Self.v2Header
            + Self.sample1.replacingOccurrences(of: "|search by coords", with: "|   has # two # hashes")
            + "2 1 1 10 10 2 |\(long)\n"
            + "3 1 1 10 10 2 |   \n"
            + "4 1 1 10 10 2 |first|second\n"
        let doc = try RequestTextFormat.parse(text)
        #expect(doc.rows[0]["COMMENT"] == .text("has   two # hashes"))
        #expect(doc.rows[1]["COMMENT"] == .text(String(repeating: "x", count: 63)))
        #expect(doc.rows[2]["COMMENT"] == .text("null"))
        #expect(doc.rows[3]["COMMENT"] == .text("first"))
        #expect(doc.warnings.count == 2)
        #expect(doc.warnings[0].hasPrefix("line 2:"))
    }

    @Test("--req_name and --email override the header; single quotes are removed")
    func overrides() throws {
        let doc = try RequestTextFormat.parse(
            "'my'name 2 PROCESS null\n" + Self.sample1,
            reqName: "other", email: "me@x.org")
        #expect(doc.header.reqName == "other" && doc.header.email == "me@x.org")
        let kept = try RequestTextFormat.parse("'my'name 2 PROCESS null\n" + Self.sample1)
        #expect(kept.header.reqName == "myname" && kept.header.email == "null")
    }

    @Test(
        "errors name their line",
        arguments: [
            ("CHANGEME 2 PROCESS\n", 1, "4 fields"),
            ("CHANGEME\n", 1, "at least"),
            ("CHANGEME 3 PROCESS a@b\n", 1, "EXTVER"),
            ("CHANGEME 2 PROCESS a@b\n1 2 3 4 5\n", 2, "too few"),
            ("CHANGEME 2 PROCESS a@b\n1 2 3 4 5 2 |short first row\n", 2, "first row"),
            (
                "CHANGEME 2 PROCESS a@b\n-1 18.8 -0.8 100 100 2 stamp 1 gpc1 3PI 3PI.PV3 bycoord chip null null null null null 55249 0 null 0 0\n",
                2, "ROWNUM"
            ),
            (
                "CHANGEME 2 PROCESS a@b\n1 18.8 -0.8 100 100 0x2 stamp 1 gpc1 3PI 3PI.PV3 bycoord chip null null null null null 55249 0 null 0 0\n",
                2, "COORD_MASK"
            ),
            (
                "CHANGEME 2 PROCESS a@b\n1 18.8 -0.8 1e 100 2 stamp 1 gpc1 3PI 3PI.PV3 bycoord chip null null null null null 55249 0 null 0 0\n",
                2, "WIDTH"
            ),
            (
                "CHANGEME 2 PROCESS a@b\n1 18.8 -0.8 100 100 2 stamp 1 gpc1 3PI 3PI.PV3 bycoord chip null null null null null 55249 0 null 0 0 extra\n",
                2, "too many"
            ),
            (
                "CHANGEME 2 PROCESS a@b\n1 18.8 -0.8 100 100 2 stamp 1 gpc1 3PI 3PI.PV3 bycoord chip idthatiswaytoolong null null null null 55249 0 null 0 0\n",
                2, "longer than 16"
            ),
            (
                "CHANGEME 2 PROCESS a@b\n\n1 18.8 -0.8 100 100 2 stamp 1 gpc1 3PI 3PI.PV3 bycoord chip null null null null null 55249 0 null 0 0\n# c\n1 1 1 1 1 2\n",
                5, "already been used at line 3"
            ),
            (
                "CHANGEME 2 PROCESS a@b\n1 18.8 -0.8 100 100 2 stamp 1 gpc1 3PI 3PI.PV3 bycoord chip null null null null null 55249 0 null 0 0 |café\n",
                2, "ASCII"
            ),
            ("CHANGEME 2 PROCESS a@b\n| only a comment\n", 2, "improper"),
            ("# nothing\n", 0, "no header"),
            ("CHANGEME 2 PROCESS a@b\n", 0, "no data"),
        ])
    func errors(text: String, line: Int, fragment: String) {
        let e = Self.parseError(text)
        #expect(e?.line == line)
        #expect(e?.message.contains(fragment) == true, "\(e?.message ?? "no error")")
        #expect(e?.pstampError.code == .invalidRequest)
    }

    @Test("indented rows and CRLF line ends are read (the IPP tool shifted indented fields)")
    func tolerant() throws {
        let doc = try RequestTextFormat.parse(
            Self.v2Header.replacingOccurrences(of: "\n", with: "\r\n")
                + "   " + Self.sample1.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(doc.rows[0]["ROWNUM"] == .integer(1))
        #expect(doc.rows[0]["COMMENT"] == .text("search by coords"))
    }
}
