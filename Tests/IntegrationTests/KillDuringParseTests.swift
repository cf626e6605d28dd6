import FITS
import Foundation
import PStampCore
import RequestDB
import Testing

/// A request's parse is atomic: `pstamp serve` killed with -9 at random moments while it parses a
/// 3000-row request, and restarted each time, ends with each row's job exactly once, no stamp cut twice
/// and no ROWNUM repeated in results.fits. (Before, the jobs were committed one by one and a restart
/// parsed the whole file again: 4447 jobs for 3000 rows.)
@Suite(.serialized) struct KillDuringParseTests {
    static let rows = 3000
    static let kills = 6

    /// Every `stampEvery`-th row is a small stamp of the fixture's stack 30101 at its own centre; the
    /// others ask for a stack that does not exist and get a stand-in job (23): one job per row, and the
    /// stamps stay few enough to cut in seconds.
    static let stampEvery = 20
    static func isStamp(_ n: Int) -> Bool { n % stampEvery == 0 }

    static func requestText(name: String) -> String {
        var text = "\(name) 2 PROCESS fixture@example.org\n"
        for n in 1...rows {
            let ra = 150.021 + Double(n % 20) * 0.0001, dec = 1.979 + Double(n / 20 % 20) * 0.0001
            text +=
                "\(n) \(String(format: "%.6f", ra)) \(String(format: "%.6f", dec)) 8 8 2 stamp 2049 gpc1 null null "
                + "byid stack \(isStamp(n) ? 30101 : 99999) null null null null 0 0 null 0 0 | row \(n)\n"
        }
        return text
    }

    @Test("kill -9 at random moments during a 3000-row parse: every row's job exactly once, results without repeats")
    func killDuringParse() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        // Poison protection would set the request aside after two deaths under its parse: here the
        // deaths are the test's own, so the server is told to tolerate them.
        let config = site.root.appendingPathComponent("serve.conf")
        try Data("max_crashes = 1000\n".utf8).write(to: config)
        site.serveArguments = ["--config", config.path]
        try await site.start()
        let name = "killparse.\(String(UUID().uuidString.prefix(8)).lowercased())"
        let database = try RequestDatabase.open(path: site.databasePath)
        func request() throws -> RequestRecord? {
            var filter = RequestListFilter()
            filter.label = "%"
            return try database.requests.list(filter).last
        }
        func submit(_ name: String) throws {
            let text = site.root.appendingPathComponent("\(name).txt")
            try Data(Self.requestText(name: name).utf8).write(to: text)
            let submitted = try site.run("pstamp", ["submit", text.path, "--text", "--server", site.base])
            #expect(submitted.status == 0, "\(submitted.stderr)")
        }
        // The kills must land inside the parse, however fast this build parses (fixed delays of 0.05–1.5 s
        // came after a 0.3 s parse): the same request, parsed once without a kill, says how long a parse
        // takes here (from the submit's end to the request's move out of `new`, counted as the kills are),
        // and the kills come at random moments inside that time.
        try submit("\(name).calibration")
        let calibrationStart = Date()
        while try request()?.state == .new { try await Task.sleep(for: .milliseconds(5)) }
        let parseTime = Date().timeIntervalSince(calibrationStart)
        print("KillDuringParseTests: one parse of \(Self.rows) rows takes \(String(format: "%.2f", parseTime)) s here")
        try submit(name)
        func jobCount(_ reqID: Int64) throws -> Int {
            var filter = JobListFilter()
            filter.reqID = reqID
            return try database.jobs.list(filter).count
        }
        let started = Date()
        var killsDuringParse = 0
        var running = true
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<Self.kills {
            let delay = Double.random(in: (0.1 * parseTime)...(0.8 * parseTime), using: &generator)
            try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            let before = try request()
            site.crash()
            running = false
            let after = try #require(try request(), "the upload was stored")
            if after.state == .new {
                killsDuringParse += before?.state == .new ? 1 : 0
                // Atomic: a request still `new` has no jobs at all, whatever moment the kill came.
                #expect(try jobCount(after.reqID) == 0, "a half parse was left behind after a kill \(delay) s in")
            } else {
                #expect(try jobCount(after.reqID) == Self.rows)
                break
            }
            try await site.start()
            running = true
        }
        if !running { try await site.start() }
        print("KillDuringParseTests: \(killsDuringParse) kill(s) during the parse, \(Int(Date().timeIntervalSince(started))) s")
        #expect(killsDuringParse >= 1, "no kill came during the parse")

        let reqID = try #require(try request()?.reqID)
        let done = try #require(try await site.waitForStop(name: name, seconds: 240), "log: \(site.log.text)")
        #expect(done.state == .stop, "log: \(site.log.text)")
        var filter = JobListFilter()
        filter.reqID = reqID
        let jobs = try database.jobs.list(filter).map(\.job)
        #expect(jobs.count == Self.rows, "each row has exactly its one job")
        #expect(Set(jobs.compactMap(\.rownum)).count == Self.rows)
        let outputs = jobs.compactMap(\.outputBase)
        #expect(outputs.count == Self.rows / Self.stampEvery)
        #expect(Set(outputs).count == outputs.count, "no stamp cut twice")
        #expect(jobs.allSatisfy { $0.state == .stop && ($0.faultCount ?? 0) == 0 })
        let stamped = jobs.filter { Self.isStamp(Int($0.rownum ?? "") ?? 0) }
        #expect(stamped.count == Self.rows / Self.stampEvery)
        #expect(stamped.allSatisfy { $0.fault == .success }, "\(stamped.filter { $0.fault != .success }.prefix(3))")
        #expect(jobs.filter { !Self.isStamp(Int($0.rownum ?? "") ?? 0) }.allSatisfy { $0.fault == .noImageMatch })

        let results = try site.fetchResults(name)
        let rownums = results.rows.map(\.rownum)
        #expect(rownums.count == Self.rows)
        #expect(Set(rownums).count == rownums.count, "no ROWNUM repeated in results.fits")
        print("KillDuringParseTests: finished \(Int(Date().timeIntervalSince(started))) s after the first kill")
    }
}
