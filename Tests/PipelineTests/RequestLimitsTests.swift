import FITS
import Foundation
import ImageDB
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

/// The site's limits: a request that asks for more than the site's limits is refused with
/// 21 and a message, and its results say so; nothing is cut.
@Suite("Request limits")
struct RequestLimitsTests {
    /// Parses `rows` copies of a one-stamp row under `settings` and checks that the request was refused as
    /// a whole: one 21 job (row 0), `message` in parse_error.txt, and results that say 21.
    func expectRefusedAsAWhole(
        name: String, rows: Int, message: String, _ limit: (inout PipelineSettings) -> Void,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        var settings = s.f.settings
        limit(&settings)
        let images = s.images
        let parser = Parser(
            database: s.f.database, settings: settings,
            datapath: ["FIXTURES": EndToEndTests.fixtures.path], images: { _ in images })
        let lines = (1...rows).map {
            "\($0) 150.021054 1.978958 100 100 2 stamp 7 gpc1 null null byid chip 211 null null null null 0 0 null 0 0 | row \($0)"
        }
        let reqID = try s.submitText((["\(name) 2 PROCESS fixture@example.org"] + lines).joined(separator: "\n"))
        #expect(try await parser.parse(s.f.request(reqID)) == .run, sourceLocation: sourceLocation)
        let jobs = try s.f.database.jobs.list(JobSelectorHelper.jobs(reqID))
        #expect(
            jobs.count == 1 && jobs.first?.job.fault == .invalidRequest && jobs.first?.job.rownum == "0", sourceLocation: sourceLocation)
        let outdir = try #require(try s.f.request(reqID).outdir)
        let text = try String(contentsOfFile: outdir + "/parse_error.txt", encoding: .utf8)
        #expect(text.contains(message), "\(text)", sourceLocation: sourceLocation)
        try await s.drain()
        #expect(try s.f.request(reqID).state == .stop, sourceLocation: sourceLocation)
        #expect(try s.results(reqID).map(\.errorCode) == [.invalidRequest], sourceLocation: sourceLocation)
    }

    @Test("a request file with more rows than max_request_rows ends stop with one 21 row and says why")
    func tooManyRows() async throws {
        try await expectRefusedAsAWhole(name: "rows.limit", rows: 2, message: "at most 1 (max_request_rows)") {
            $0.maxRequestRows = 1
        }
    }

    @Test("a request whose rows make more jobs than max_request_jobs ends stop with one 21 row and says why")
    func tooManyJobs() async throws {
        try await expectRefusedAsAWhole(name: "jobs.limit", rows: 3, message: "at most 2 (max_request_jobs)") {
            $0.maxRequestJobs = 2
        }
    }

    @Test("a stamp larger than max_stamp_pixels after conversion from arcsec is refused with 21, not cut (16000² took 3 GB)")
    func stampSideAfterConversion() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        var settings = s.f.settings
        settings.maxStampPixels = 50
        // 100 arcsec: 400 pixels at the chips' 0.25"/pixel, above the limit of 50; 10 arcsec (40) is below it.
        let reqID = try s.submitText(
            """
            side.limit 2 PROCESS fixture@example.org
            1 150.021054 1.978958 100 100 0 stamp 1 gpc1 null null byid chip 211 null null null null 0 0 null 0 0 | big
            2 150.021054 1.978958 10 10 0 stamp 1 gpc1 null null byid chip 211 null null null null 0 0 null 0 0 | small
            """)
        try await s.parser.parse(s.f.request(reqID))
        let runner = JobRunner(database: s.f.database, settings: settings)
        for item in try await runner.pending(limit: 10) { try await item.run() }
        try await s.drain()
        #expect(try s.f.request(reqID).state == .stop)
        let rows = try s.results(reqID)
        #expect(rows.filter { $0.rownum == 1 }.map(\.errorCode) == [.invalidRequest], "\(rows.map(\.errorString))")
        #expect(rows.filter { $0.rownum == 2 }.map(\.errorCode) == [.success], "\(rows.map(\.errorString))")
    }
}
