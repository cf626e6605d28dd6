import FITS
import Foundation
import PStampCore
import RequestDB
import Testing

/// Poison protection with real deaths: `pstamp serve` with PSTAMP_TEST_ABORT aborts whenever it starts
/// the parse of request 1. After two deaths in a row the next start sets that request aside — its
/// results fileset says 10 (PSTAMP_SYSTEM_ERROR) and the log names it — and the server keeps working.
@Suite(.serialized) struct PoisonProtectionTests {
    @Test("a request whose parse kills the server twice is set aside with 10; the server stays up and serves the next")
    func parseThatKillsTheServer() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        site.serveEnvironment = ["PSTAMP_TEST_ABORT": "parse:request 1"]
        try await site.start()
        try site.requestFile(sample: "fixture.stack.byid", name: "poison.parse", at: "poison.fits")
        let r = try site.run("pstamp", ["submit", "poison.fits", "--server", site.base])
        #expect(r.status == 0, "\(r.stderr)")
        for death in 1...2 {
            let deadline = Date().addingTimeInterval(60)
            while site.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(!site.isRunning, "death \(death): the server did not die")
            site.crash()
            try await Task.sleep(for: .milliseconds(300))
            #expect(site.log.text.contains("aborting during the parse of request 1"), "\(site.log.text)")
            if death == 1 { try site.launch() }
        }
        try await site.start()
        var filter = RequestListFilter()
        filter.reqID = 1
        var poisoned: RequestRecord? = nil
        let deadline = Date().addingTimeInterval(60)
        repeat {
            poisoned = try site.requests().list(filter).first
            if poisoned?.state == .stop { break }
            try await Task.sleep(for: .milliseconds(200))
        } while Date() < deadline
        let request = try #require(poisoned)
        #expect(request.state == .stop, "\(site.log.text)")
        #expect(request.fault == PStampCode.systemError)
        #expect(
            site.log.text.contains("request 1 set aside: the process died 2 time(s) in a row during its parse"),
            "\(site.log.text)")
        let name = try #require(request.name)
        let files = try #require(try site.filesetFiles(product: "pstampresults", fileset: name))
        #expect(files.contains("results.fits"))
        #expect(files.contains("parse_error.txt"))
        let results = try site.fetchResults(name)
        #expect(results.rows.map(\.errorCode) == [.systemError])

        // The same server, still up, serves the next request.
        try site.requestFile(sample: "fixture.stack.byid", name: "after.poison", at: "after.fits")
        let next = try site.run(
            "pstamp",
            [
                "submit", "after.fits", "--server", site.base, "--wait", "--outdir", "after",
                "--wait-limit", "120",
            ])
        #expect(next.status == 0, "\(next.stderr)\n\(site.log.text)")
        #expect(site.isRunning)
    }
}
