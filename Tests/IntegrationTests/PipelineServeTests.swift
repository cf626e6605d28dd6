import FITS
import Foundation
import PStampCore
import RequestDB
import Testing

/// `pstamp serve` running the pipeline's Scheduler, as an operator sees it: queued stamp jobs run at once,
/// SIGTERM stops the server cleanly, and a server killed with -9 resumes every job on restart.
@Suite(.serialized) struct PipelineServeTests {
    typealias Output = ProcessOutput

    struct Site {
        let root: URL
        var data: URL { root.appendingPathComponent("var") }
        let database: RequestDatabase
        let image: URL

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-pipeline-it-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root.appendingPathComponent("var"), withIntermediateDirectories: true)
            database = try RequestDatabase.open(
                path: root.appendingPathComponent("var/requestdb.sqlite").path,
                mode: .createOrMigrate)
            image = root.appendingPathComponent("chip.fits")
            let width = 300, height = 200
            let pixels = (0..<(width * height)).map { Float($0 % 97) }
            let file = try FITSFile.create(image.path, overwrite: true)
            try file.appendImage(pixels, width: width, height: height)
            try file.close()
        }

        /// A request in `run` with `count` stamp jobs, each with its parameters record.
        func request(jobs count: Int) throws -> (reqID: Int64, jobs: [Int64], outdir: URL) {
            let reqID = try database.requests.add(NewRequest(uri: image.path, name: "it.\(UUID().uuidString.prefix(8))"))
            let outdir = data.appendingPathComponent("work/2026/11/25/\(reqID)")
            try FileManager.default.createDirectory(at: outdir, withIntermediateDirectories: true)
            var change = RequestChange()
            change.outdir = outdir.path
            try #require(try database.requests.transition(reqID: reqID, from: .new, to: .run, setting: change))
            var jobs: [Int64] = []
            for n in 1...count {
                let base = outdir.appendingPathComponent("\(n)_1_X_chip").path
                // The job parameters record the parser writes (<outputBase>.params.json).
                let params = """
                    {"rownum":\(n),"jobType":"stamp","stage":"chip","image":"\(image.path)",
                     "center":{"pixel":{"x":\(10 + n * 2),"y":\(20 + n)}},"width":16,"height":12,
                     "sizeInPixels":true,"optionMask":1}
                    """
                try Data(params.utf8).write(to: URL(fileURLWithPath: base + ".params.json"))
                jobs.append(try database.jobs.add(NewJob(reqID: reqID, rownum: String(n), outputBase: base)))
            }
            return (reqID, jobs, outdir)
        }

        func stopped(_ jobs: [Int64]) throws -> [JobRecord] {
            try jobs.compactMap { try database.jobs.get(jobID: $0) }.filter { $0.state == .stop }
        }

        func serve() throws -> (Process, Output) {
            try serve(arguments: ["--data-dir", data.path, "--port", "0", "--poll-every", "0"])
        }
    }

    func waitFor(_ seconds: Double, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try condition()
    }

    @Test("the server runs queued stamp jobs and SIGTERM stops it cleanly")
    func runsJobsAndStopsOnSIGTERM() async throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        let (reqID, jobs, outdir) = try site.request(jobs: 5)
        let (server, log) = try site.serve()
        let done = try await waitFor(60) { try site.stopped(jobs).count == jobs.count }
        #expect(done, "log: \(log.text)")
        for job in try site.stopped(jobs) {
            #expect(job.fault == .success)
            #expect(try site.database.jobOutputs.all(reqID: reqID)[job.jobID]?.contains("|pstamp|") == true)
            #expect(!FileManager.default.fileExists(atPath: outdir.appendingPathComponent("reglist\(job.jobID)").path))
        }
        server.terminate()  // SIGTERM
        let exited = try await waitFor(20) { !server.isRunning }
        #expect(exited, "the server stops on SIGTERM")
        if exited { #expect(server.terminationStatus == 0, "log: \(log.text)") }
        if server.isRunning { kill(server.processIdentifier, SIGKILL) }
    }

    @Test("a server killed with -9 mid-work resumes on restart: every job completes, none twice")
    func resumesAfterKill9() async throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        let (reqID, jobs, _) = try site.request(jobs: 60)
        let (first, _) = try site.serve()
        _ = try await waitFor(60) { !(try site.stopped(jobs).isEmpty) }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let before = try site.stopped(jobs).count
        #expect(before >= 1)

        let (second, log) = try site.serve()
        defer {
            second.terminate()
            second.waitUntilExit()
        }
        let done = try await waitFor(120) { try site.stopped(jobs).count == jobs.count }
        #expect(done, "log: \(log.text)")
        for job in try site.stopped(jobs) {
            #expect(job.fault == .success)
            #expect(job.faultCount == 0, "no job failed or was completed twice")
            #expect(try site.database.jobOutputs.all(reqID: reqID)[job.jobID]?.contains("|pstamp|") == true)
        }
        #expect(try site.database.jobs.pending().isEmpty)
    }
}
