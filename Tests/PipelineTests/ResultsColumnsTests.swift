import FITS
import Foundation
import ImageDB
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

/// The results table's columns as the IPP's finish step fills them (pstamp_finish.pl), on the fixture.
@Suite("Results columns as the IPP writes them")
struct ResultsColumnsTests {
    /// The IPP's MJD_OBS convention: rawExp.dateobs (UTC) + 34 s (from 2009; 33 s before), i.e. TAI.
    @Test func exposureMJDIsTAIAsPstampFinishComputesIt() throws {
        // The exposure: UTC MJD 54983.416667 is 54983.417060 in the IPP's results.
        let utc = try #require(DateCut.mjd(dateobs: "2009-06-01 10:00:00"))
        let tai = try #require(ExposureMJD.tai(dateobs: "2009-06-01 10:00:00"))
        #expect(String(format: "%.6f", utc) == "54983.416667")
        #expect(String(format: "%.6f", tai) == "54983.417060")
        #expect(tai == 40587.0 + Double(1_243_850_400 + 34) / 86400)  // timegm + 34, as the IPP
        #expect(abs((try #require(ExposureMJD.tai(dateobs: "2008-12-31T23:59:59")) - 54831.999988426) * 86400 - 33) < 0.01)
        #expect(ExposureMJD.tai(dateobs: "2009-06-01 10:00:00") == ExposureMJD.tai(dateobs: "2009-06-01T10:00:00"))
        #expect(ExposureMJD.tai(dateobs: "not a date") == nil)
        #expect(abs(ExposureMJD.tai(utcMJD: utc) - tai) < 1e-9)
    }

    @Test("stamp rows carry RA_DEG/DEC_DEG from the stamp header and MJD_OBS in TAI")
    func stampCentreAndTAI() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        let reqID = try s.submit("fixture.chip.byexp", name: "cols.chip.byexp")
        try await s.drain()
        let outdir = try #require(try s.f.request(reqID).outdir)
        let results = try ResultsFile.read(outdir + "/results.fits")
        let stamps = results.rows.filter { $0.imgName.hasSuffix(".fits") }
        #expect(!stamps.isEmpty, "\(results.rows.map(\.errorString))")
        let exposure = try #require(FixtureSky.exposures.first { $0.name == "o5000g0101o" })
        let tai = try #require(ExposureMJD.tai(dateobs: exposure.dateobs))
        for row in stamps {
            let header = try FITSFile.withOpen(outdir + "/" + row.imgName) { f -> (Double?, Double?) in
                _ = try f.moveTo(hdu: try f.hduCount() >= 2 ? 2 : 1)
                return (try f.readDouble("RA_DEG"), try f.readDouble("DEC_DEG"))
            }
            #expect(row.raDeg != 0 && row.raDeg == header.0, "\(row.imgName)")
            #expect(row.decDeg != 0 && row.decDeg == header.1, "\(row.imgName)")
            #expect(abs(row.mjdObs - tai) < 1e-9, "\(row.mjdObs) vs \(tai)")
            #expect(row.fpaID == "o5000g0101o" && row.filter == exposure.filter && row.exptime > 0)
        }
        // A JPEG row has no header: 0, as the IPP's `fields` finds nothing in it.
        for row in results.rows where row.imgName.hasSuffix(".jpg") { #expect(row.raDeg == 0 && row.decDeg == 0) }
    }

    @Test("rows stopped at parse with 25 or 26 still carry the exposure's MJD_OBS, FILTER, FPA_ID, EXPTIME")
    func stoppedAtParseKeepsTheExposure() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        // Chip run 212 of o5001g0102o is cleaned, 202 purged; 32769 = image + no wait for an update.
        let text = """
            cols.gone 2 PROCESS fixture@example.org
            1 100 100 20 20 3 stamp 32769 gpc1 null null byid chip 212 null XY33 null null 0 0 null 0 0 | cleaned, no wait
            2 100 100 20 20 3 stamp 1 gpc1 null null byid chip 202 null XY33 null null 0 0 null 0 0 | purged, gone

            """
        let document = try RequestTextFormat.parse(text, reqName: "cols.gone", email: nil)
        let path = s.f.root.appendingPathComponent("cols.gone.fits").path
        try RequestFile.write(header: document.header, rows: document.rows, to: path)
        let reqID = try s.f.database.requests.add(NewRequest(uri: path, label: "WEB"))
        try await s.drain()
        let outdir = try #require(try s.f.request(reqID).outdir)
        let rows = try ResultsFile.read(outdir + "/results.fits").rows.sorted { $0.rownum < $1.rownum }
        #expect(rows.map(\.errorCode.rawValue) == [25, 26], "\(rows.map(\.errorString))")
        let exposure = try #require(FixtureSky.exposures.first { $0.name == "o5001g0102o" })
        let tai = try #require(ExposureMJD.tai(dateobs: exposure.dateobs))
        for row in rows {
            #expect(row.imgName == "0" && row.raDeg == 0)
            #expect(abs(row.mjdObs - tai) < 1e-9, "\(row.mjdObs)")
            #expect(row.filter == exposure.filter && row.fpaID == exposure.name && row.exptime > 0, "\(row)")
        }
    }
}
