import FITS
import Foundation
import PStampCore
import RequestDB
import Testing

/// `pstamp serve` started away from the checkout: a copy of the binary in a directory
/// of its own, run from another directory. Without any image database it must say so loudly at start
/// and answer requests with a coded fault (22) instead of leaving them `new`; with `--fixtures DIR`, or
/// the fixtures installed beside the binary (`<prefix>/share/pstamp/fixtures`), it serves the fixture sky.
@Suite(.serialized) struct ServeOutsideCheckoutTests {
    /// `<root>/bin/pstamp` (a copy, so the checkout is not found from the binary) and `<root>/work`.
    struct Install {
        let root: URL
        var bin: URL { root.appendingPathComponent("bin") }
        var work: URL { root.appendingPathComponent("work") }
        var data: URL { work.appendingPathComponent("var") }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-outside-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: BuiltTools.binDirectory.appendingPathComponent("pstamp"),
                to: bin.appendingPathComponent("pstamp"))
        }

        func serve(_ extra: [String]) throws -> (Process, ProcessOutput) {
            let process = Process()
            process.executableURL = bin.appendingPathComponent("pstamp")
            process.arguments = ["serve", "--data-dir", data.path, "--port", "0", "--poll-every", "0"] + extra
            process.currentDirectoryURL = work
            var environment = ProcessInfo.processInfo.environment
            for key in ["PS_DBNAME", "PSTAMP_WORKDIR", "PSTAMP_FIXTURES", "PSTAMP_ARCHIVE", "PSTAMP_DATA_DIR"] {
                environment.removeValue(forKey: key)
            }
            process.environment = environment
            let log = ProcessOutput()
            log.collect(process)
            try process.run()
            return (process, log)
        }

        /// Adds the fixture sample `sample` as request `name` with pstamptool; returns its req_id.
        func add(sample: String, name: String) throws -> Int64 {
            let file = work.appendingPathComponent("\(name).fits")
            let made = try BuiltTools.run(
                "pstamp",
                [
                    "request-file", "-i", ServedSite.fixtures.appendingPathComponent("requests/\(sample).txt").path,
                    "-r", name, "-o", file.path,
                ], in: work)
            guard made.status == 0 else { throw PStampError(.sysError, made.stderr) }
            let r = try BuiltTools.run(
                "pstamptool",
                [
                    "-dbname", data.appendingPathComponent("requestdb.sqlite").path,
                    "-addreq", "-uri", file.path, "-label", "OPS",
                ], in: work)
            guard r.status == 0, let id = Int64(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw PStampError(.sysError, r.stderr)
            }
            return id
        }

        func waitForStop(_ reqID: Int64, seconds: Double) async throws -> RequestRecord? {
            let deadline = Date().addingTimeInterval(seconds)
            var found: RequestRecord? = nil
            repeat {
                found = try? RequestStore(try RequestDatabase.open(path: data.appendingPathComponent("requestdb.sqlite").path).pool)
                    .get(reqID: reqID)
                if found?.state == .stop { return found }
                try await Task.sleep(for: .milliseconds(200))
            } while Date() < deadline
            return found
        }

        func results(_ name: String) throws -> ResultsFile.Contents {
            try ResultsFile.read(data.appendingPathComponent("ds/pstampresults/\(name)/results.fits").path)
        }
    }

    static func waitForLog(_ log: ProcessOutput, _ text: String, _ process: Process) async throws -> Bool {
        for _ in 0..<400 {
            if log.text.contains(text) { return true }
            if !process.isRunning { return log.text.contains(text) }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    static func stop(_ process: Process) {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
    }

    @Test("without an image database the server says so at start and a request ends with 22, not `new` for ever")
    func noImageDatabaseIsLoudAndRequestsEnd() async throws {
        let install = try Install()
        defer { try? FileManager.default.removeItem(at: install.root) }
        try FileManager.default.createDirectory(at: install.data, withIntermediateDirectories: true)
        let (server, log) = try install.serve([])
        defer { Self.stop(server) }
        #expect(try await Self.waitForLog(log, "serving http://", server), "\(log.text)")
        #expect(log.text.contains("NO IMAGE DATABASE"), "\(log.text)")
        let reqID = try install.add(sample: "fixture.chip.byid", name: "nodb.chip")
        let request = try await install.waitForStop(reqID, seconds: 60)
        #expect(request?.state == .stop, "\(log.text)")
        let results = try install.results("nodb.chip")
        #expect(!results.rows.isEmpty)
        #expect(results.rows.allSatisfy { $0.errorCode == .unknownProject }, "\(results.rows.map(\.errorString))")
        let parseErrors = try String(contentsOfFile: (request?.outdir ?? "") + "/parse_error.txt", encoding: .utf8)
        #expect(parseErrors.contains("row 1: unknown project gpc1"), "\(parseErrors)")
    }

    @Test("--fixtures DIR, or the fixtures installed beside the binary, serve the fixture sky from anywhere")
    func fixturesAreFoundWhereverTheBinaryRuns() async throws {
        let install = try Install()
        defer { try? FileManager.default.removeItem(at: install.root) }
        let (server, log) = try install.serve(["--fixtures", ServedSite.fixtures.path])
        #expect(try await Self.waitForLog(log, "serving http://", server), "\(log.text)")
        #expect(log.text.contains("self-contained mode on the fixture sky in \(ServedSite.fixtures.path)"), "\(log.text)")
        let reqID = try install.add(sample: "fixture.stack.byid", name: "fx.stack")
        let request = try await install.waitForStop(reqID, seconds: 90)
        Self.stop(server)
        #expect(request?.state == .stop, "\(log.text)")
        let results = try install.results("fx.stack")
        #expect(results.rows.allSatisfy { $0.errorCode == .success }, "\(results.rows.map(\.errorString))")

        // Installed: <prefix>/bin/pstamp finds <prefix>/share/pstamp/fixtures by itself.
        let share = install.root.appendingPathComponent("share/pstamp")
        try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: share.appendingPathComponent("fixtures"), withDestinationURL: ServedSite.fixtures)
        try FileManager.default.removeItem(at: install.data)
        let (installed, log2) = try install.serve([])
        defer { Self.stop(installed) }
        #expect(try await Self.waitForLog(log2, "serving http://", installed), "\(log2.text)")
        #expect(log2.text.contains("self-contained mode on the fixture sky in \(share.path)/fixtures"), "\(log2.text)")
        #expect(!log2.text.contains("NO IMAGE DATABASE"))
    }
}
