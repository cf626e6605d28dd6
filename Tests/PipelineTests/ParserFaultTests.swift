import FITS
import Foundation
import ImageDB
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

/// A parse that fails half-way (the image database is unusable) leaves no half-made request behind.
@Suite("Parser faults")
struct ParserFaultTests {
    @Test("a system failure mid-parse faults the request (still new); the revert drops its jobs and the next parse makes each job once")
    func systemFailureMidParse() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        // An image database without tables: every lookup fails with an SQL error.
        let empty = try SQLiteImageDatabase(path: s.f.root.appendingPathComponent("empty.sqlite").path)
        let broken = Parser(database: s.f.database, settings: s.f.settings, images: { _ in empty })
        let reqID = try s.submitText(
            """
            fault.midparse 2 PROCESS fixture@example.org
            1 150.021054 1.978958 100 100 2 stamp 7 nosuch null null byid chip 211 null null null null 0 0 null 0 0 | unknown project
            2 150.021054 1.978958 100 100 2 stamp 7 gpc1 null null byid chip 211 null null null null 0 0 null 0 0 | chip 211
            """)
        let request = try s.f.request(reqID)
        await #expect(throws: (any Error).self) { try await broken.parse(request) }
        #expect(try s.f.request(reqID).state == .new)
        #expect(try s.f.request(reqID).fault == PStampCode.unknownError)
        #expect(
            try s.f.database.jobs.list(JobSelectorHelper.jobs(reqID)).isEmpty,
            "nothing of the half parse was written (the parse is one transaction)")
        #expect(try s.f.database.requests.pending().isEmpty, "not parsed again before its revert")

        let clock = TestClock()
        let reverter = RequestReverter(database: s.f.database, settings: s.f.settings, now: { clock.now })
        #expect(try await reverter.revertDue().isEmpty, "its retry is scheduled about 10 s on")
        clock.advance(12)
        #expect(try await reverter.revertDue() == [reqID])
        #expect(try s.f.database.jobs.list(JobSelectorHelper.jobs(reqID)).isEmpty, "the half parse's jobs are gone")
        try await s.drain()
        #expect(try s.f.request(reqID).state == .stop)
        let rows = try s.results(reqID)
        #expect(rows.filter { $0.rownum == 1 }.map(\.errorCode) == [.unknownProject])
        #expect(!rows.filter { $0.rownum == 2 }.isEmpty)
        #expect(rows.filter { $0.rownum == 2 }.allSatisfy { $0.errorCode == .success })
    }

    @Test(
        "a request file that is not a FITS request table ends stop/21 with one 21 row in its results fileset req.<req_id> (it once faulted forever in the finisher)"
    )
    func unreadableRequestFileFinishes() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        let path = s.f.root.appendingPathComponent("garbage.fits")
        try Data("request file".utf8).write(to: path)
        let reqID = try s.f.database.requests.add(NewRequest(uri: path.path, label: "MOPS"))
        try await s.drain()
        let request = try s.f.request(reqID)
        #expect(request.state == .stop)
        #expect(request.reqType == .unknown)
        #expect(request.fault == PStampCode.invalidRequest, "stop/21 as the IPP's request_finish.pl leaves it")
        #expect(try s.results(reqID).map(\.errorCode) == [.invalidRequest])
        #expect(try s.parseErrors(reqID).contains("not a FITS file"))
        #expect(try s.registry.store.fileset(product: "pstampresults", name: "req.\(reqID)") != nil)
    }
}
