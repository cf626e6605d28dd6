import FITS
import Foundation
import GRDB
import PStampCore
import RequestDB
import Testing

/// The crash suite: `pstamp serve` on the fixtures, 20 requests of mixed kinds (every image type, chosen
/// by id, exposure, coordinate, skycell and difference image; some on cleaned images that must be
/// restored first), killed with -9 at random moments at least 10 times and restarted each time. Every
/// request ends `stop` with the results an undisturbed server gives, no fileset is registered twice, no
/// job is cut twice and the request database passes `PRAGMA integrity_check`.
@Suite(.serialized) struct CrashSuiteTests {
    static let samples = [
        "fixture.chip.byid", "fixture.chip.bycoord", "fixture.chip.byexp", "fixture.chip.bydiff",
        "fixture.warp.byid", "fixture.warp.bycoord", "fixture.warp.byexp", "fixture.warp.byskycell",
        "fixture.stack.byid", "fixture.stack.bycoord", "fixture.stack.byskycell", "fixture.stack.bydiff",
        "fixture.diff.byid", "fixture.diff.bycoord", "fixture.diff.bydiff", "fixture.diff.byskycell",
        "fixture.raw.byid", "fixture.raw.bycoord", "fixture.stack_summary.byid", "fixture.warp.bydiff",
    ]
    static let kills = 10

    /// What a user sees of a request's results: each row's ROWNUM, code and image name, in order.
    struct Outcome: Equatable, CustomStringConvertible {
        var rows: [String]
        var description: String { rows.joined(separator: "; ") }
    }

    /// A served site whose server tolerates the test's own kills (poison protection counts them).
    static func site() async throws -> ServedSite {
        let site = try ServedSite()
        let config = site.root.appendingPathComponent("serve.conf")
        try Data("max_crashes = 1000\n".utf8).write(to: config)
        site.serveArguments = ["--config", config.path]
        try await site.start()
        return site
    }

    /// Each row of a sample is asked `copies` times (ROWNUMs renumbered), so a request takes long enough
    /// to be killed under.
    static let copies = 25

    /// The fixture sample's text request, named `name`, its rows repeated `copies` times.
    static func requestText(sample: String, name: String, copies: Int = copies) throws -> String {
        let text = try String(
            contentsOf: ServedSite.fixtures.appendingPathComponent("requests/\(sample).txt"), encoding: .utf8)
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        let header = lines[0].split(separator: " ")
        var out = ([name] + header.dropFirst().map(String.init)).joined(separator: " ") + "\n"
        var rownum = 0
        for _ in 0..<copies {
            for row in lines.dropFirst() {
                rownum += 1
                out += "\(rownum) " + row.split(separator: " ", maxSplits: 1)[1] + "\n"
            }
        }
        return out
    }

    static func submit(_ site: ServedSite, _ samples: ArraySlice<String>, tag: String) throws {
        for sample in samples {
            let file = site.root.appendingPathComponent("\(sample).\(tag).txt")
            try Data(try requestText(sample: sample, name: "\(sample).\(tag)").utf8).write(to: file)
            var submitted = try site.run("pstamp", ["submit", file.path, "--text", "--server", site.base])
            // A kill can come while the upload is under way: the user sends it again.
            for _ in 0..<20 where submitted.status != 0 {
                Thread.sleep(forTimeInterval: 0.5)
                submitted = try site.run("pstamp", ["submit", file.path, "--text", "--server", site.base])
            }
            #expect(submitted.status == 0, "\(sample): \(submitted.stderr)")
        }
    }

    /// Each request's results as its results.fits in the work directory says them, by sample.
    static func outcomes(_ site: ServedSite, tag: String) async throws -> [String: Outcome] {
        var found: [String: Outcome] = [:]
        for sample in samples {
            let request = try #require(
                try await site.waitForStop(name: "\(sample).\(tag)", seconds: 240), "\(sample) never stopped:\n\(site.log.text)")
            let results = try ResultsFile.read(try #require(request.outdir) + "/results.fits")
            found[sample] = Outcome(rows: results.rows.map { "\($0.rownum) \($0.errorCode.rawValue) \($0.imgName)" })
        }
        return found
    }

    @Test("kill -9 ten times during 20 mixed requests: every request ends as undisturbed, nothing lost or done twice")
    func killedTenTimes() async throws {
        // The undisturbed run: what each request's results must be.
        let reference = try await Self.site()
        defer { reference.stop() }
        try Self.submit(reference, Self.samples[...], tag: "ref")
        let expected = try await Self.outcomes(reference, tag: "ref")
        reference.stop()

        let site = try await Self.site()
        defer { site.stop() }
        let started = Date()
        var generator = SystemRandomNumberGenerator()
        var killsDuringWork = 0
        let perKill = Self.samples.count / Self.kills
        for kill in 0..<Self.kills {
            // Two more requests arrive; the kill comes while they are parsed, cut or finished.
            try Self.submit(site, Self.samples[(kill * perKill)..<((kill + 1) * perKill)], tag: "crash")
            let delay = Double.random(in: 0...0.6, using: &generator)
            try await Task.sleep(for: .milliseconds(WholeNumber.rounded(delay * 1000) ?? 500))
            var filter = RequestListFilter()
            filter.label = "%"
            if try site.requests().list(filter).contains(where: { $0.state != .stop }) { killsDuringWork += 1 }
            site.crash()
            try await site.start()
        }
        let found = try await Self.outcomes(site, tag: "crash")
        print(
            "CrashSuiteTests: \(Self.kills) kill(s) survived, \(killsDuringWork) with requests unfinished; \(found.count) requests finished "
                + "\(Int(Date().timeIntervalSince(started))) s after the first submission")
        #expect(killsDuringWork >= Self.kills / 2, "the kills came while the requests were worked on")
        for sample in Self.samples {
            #expect(found[sample] == expected[sample], "\(sample)")
        }

        let database = try DatabaseQueue(path: site.databasePath)
        let (check, duplicateJobs, stopped, requests, faulted) = try await database.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA integrity_check"),
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM (SELECT req_id, rownum, outputBase FROM pstampJob
                        WHERE outputBase IS NOT NULL GROUP BY req_id, rownum, outputBase HAVING COUNT(*) > 1)
                        """),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pstampRequest WHERE state = 'stop'"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pstampRequest"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pstampJob WHERE fault_count > 0")
            )
        }
        #expect(check == "ok")
        #expect(duplicateJobs == 0, "no row's job made twice")
        #expect(requests == Self.samples.count, "no request lost or taken twice")
        #expect(stopped == Self.samples.count)
        #expect(faulted == 0, "no job faulted under the kills")

        // No fileset registered twice: each request's results fileset is listed once.
        let listed = ServedSite.firstColumn(try site.http("/ds/pstampresults/index.txt").text)
        #expect(listed.count == Set(listed).count, "\(listed)")
        #expect(Set(listed).isSuperset(of: Self.samples.map { "\($0).crash" }), "\(listed)")
        // No job cut twice: a job's "done" line appears once in all the servers' logs.
        let done = site.log.text.split(separator: "\n").compactMap { line -> Substring? in
            guard let range = line.range(of: #"job [0-9]+ done"#, options: .regularExpression) else { return nil }
            return line[range]
        }
        #expect(done.count >= Self.samples.count, "the servers' logs name the jobs they cut")
        #expect(done.count == Set(done).count, "a job was cut twice: \(done.count) done lines, \(Set(done).count) jobs")
    }
}
