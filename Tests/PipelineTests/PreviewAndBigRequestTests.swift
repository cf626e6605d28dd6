import FITS
import Foundation
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

/// PREVIEW requests and their promotion by the operator, and the relabelling of big web requests.
@Suite("PREVIEW promotion and big requests")
struct PreviewAndBigRequestTests {
    static let chipByID = """
        prev.chip 2 PROCESS fixture@example.org
        1 150.021054 1.978958 100 100 2 stamp 7 gpc1 null null byid chip 211 null null null null 0 0 null 0 0 | chip 211
        """

    @Test("a PREVIEW request ends parsed with parsed jobs; promoted with -updatereq -set_state run it is stamped and finished")
    func previewThenPromote() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        let reqID = try s.submitText(Self.chipByID, action: "PREVIEW")
        try await s.drain()
        #expect(try s.f.request(reqID).state == .parsed)
        let jobs = try s.f.database.jobs.list(JobSelectorHelper.jobs(reqID))
        #expect(!jobs.isEmpty)
        #expect(jobs.allSatisfy { $0.job.state == .parsed })
        #expect(try s.f.database.jobs.pending(labels: .any, limit: nil).isEmpty, "a preview's jobs do not run")

        var selector = RequestSelector()
        selector.reqID = reqID
        selector.state = .parsed
        #expect(try s.f.database.requests.update(selector, RequestChange(state: .run)) == 1)
        #expect(try s.f.database.jobs.list(JobSelectorHelper.jobs(reqID)).allSatisfy { $0.job.state == .run })
        try await s.drain()
        #expect(try s.f.request(reqID).state == .stop)
        let rows = try s.results(reqID)
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0.errorCode == .success }, "\(rows.map(\.errorString))")
    }

    @Test("promotion moves only parsed jobs: a preview's stopped stand-in jobs keep their code")
    func promotionKeepsStoppedJobs() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        let reqID = try s.submitText(
            """
            prev.mixed 2 PROCESS fixture@example.org
            1 150.021054 1.978958 100 100 2 stamp 7 gpc1 null null byid chip 211 null null null null 0 0 null 0 0 | chip 211
            2 150.021054 1.978958 100 100 2 stamp 7 nosuch null null byid chip 211 null null null null 0 0 null 0 0 | unknown project
            """, action: "PREVIEW")
        try await s.drain()
        var selector = RequestSelector()
        selector.reqID = reqID
        _ = try s.f.database.requests.update(selector, RequestChange(state: .run))
        try await s.drain()
        let rows = try s.results(reqID)
        #expect(rows.filter { $0.rownum == 2 }.map(\.errorCode) == [.unknownProject])
        #expect(rows.filter { $0.rownum == 1 }.allSatisfy { $0.errorCode == .success })
    }

    /// 101 rows naming an unknown project: cheap rows, each one stand-in job.
    static func manyRows(_ name: String, count: Int) -> String {
        var text = "\(name) 2 PROCESS fixture@example.org\n"
        for n in 1...count {
            text += "\(n) 150.02 1.98 10 10 2 stamp 1 nosuch null null byid raw 101 null null null null 0 0 null 0 0 | row \(n)\n"
        }
        return text
    }

    func parsedLabel(_ label: String, rows: Int) async throws -> String? {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        let reqID = try s.submitText(Self.manyRows("big.\(rows)", count: rows), label: label)
        for item in try await s.parser.pending(limit: 5) { try await item.run() }
        #expect(try s.f.request(reqID).state == .run)
        return try s.f.request(reqID).label
    }

    @Test(
        "WEB/PSI requests of more than 100 rows move to WEB.BIG / PSI.BIG; others keep their label",
        arguments: [
            ("WEB.UP", 101, "WEB.BIG"), ("PSI", 101, "PSI.BIG"), ("PSI.WEB", 101, "WEB.BIG"),
            ("WEB.UP", 100, "WEB.UP"), ("MOPS", 101, "MOPS"), ("WEB.BIG", 101, "WEB.BIG"),
        ])
    func bigByRows(_ label: String, _ rows: Int, _ expected: String) async throws {
        #expect(try await parsedLabel(label, rows: rows) == expected)
    }

    @Test("the job rule: more than 400 jobs so far moves the request once; the row rule counts rows first")
    func bigWatchRules() {
        var watch = BigRequestWatch(label: "PSI")
        #expect(watch.rows(100) == nil)
        #expect(watch.jobs(400) == nil)
        #expect(watch.jobs(401) == "PSI.BIG")
        #expect(watch.jobs(800) == nil, "moved once")
        var web = BigRequestWatch(label: "WEB.UP")
        #expect(web.rows(101) == "WEB.BIG")
        #expect(web.jobs(1000) == nil)
        var other = BigRequestWatch(label: nil)
        #expect(other.rows(1000) == nil && other.jobs(1000) == nil)
    }
}
