import FITS
import Foundation
import PStampCore
import PStampTestSupport
import RequestDB
import Testing

/// A full disk while stamps are written: the work directory on a small tmpfs (root only), filled to the
/// brim. The jobs fault (a system fault, retried), nothing of the request is registered half, and once
/// space returns the job reverter's next retry finishes it, in seconds.
@Suite(.serialized) struct FullDiskTests {
    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func aFullDiskFaultsTheJobsAndTheyFinishOnceSpaceReturns() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        let work = site.root.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try #require(try runProcess("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", work.path]).status == 0, "mount tmpfs")
        defer { _ = try? runProcess("/bin/umount", ["-l", work.path]) }
        let config = site.root.appendingPathComponent("serve.conf")
        try Data("workdir = \(work.path)\n".utf8).write(to: config)
        site.serveArguments = ["--config", config.path]
        try await site.start()

        // Leave about 100 kB: the parse's small files fit, the stamps do not.
        var stats = statvfs()
        try #require(statvfs(work.path, &stats) == 0)
        let free = Int(stats.f_bavail) * Int(stats.f_frsize)
        let filler = work.appendingPathComponent("filler")
        try Data(count: max(0, free - 100_000)).write(to: filler)

        let name = "fulldisk.\(UUID().uuidString.prefix(8).lowercased())"
        let text = site.root.appendingPathComponent("request.txt")
        try Data(try CrashSuiteTests.requestText(sample: "fixture.stack.byid", name: name, copies: 10).utf8).write(to: text)
        let submitted = try site.run("pstamp", ["submit", text.path, "--text", "--server", site.base])
        try #require(submitted.status == 0, "\(submitted.stderr)")

        let database = try RequestDatabase.open(path: site.databasePath)
        func faultedJobs() throws -> Int {
            var filter = JobListFilter()
            filter.faulted = true
            return try database.jobs.list(filter).filter { $0.job.fault?.isRetryable == true }.count
        }
        var faultedAt: Date?
        for _ in 0..<600 where faultedAt == nil {
            if try faultedJobs() > 0 { faultedAt = Date() } else { try await Task.sleep(for: .milliseconds(50)) }
        }
        let faulted = try #require(faultedAt, "no job faulted on the full disk:\n\(site.log.text)")
        #expect(
            try site.filesetFiles(product: "pstampresults", fileset: name) == nil, "nothing registered while jobs are faulted")

        // Space returns: the next retry (about 10 s after each job's fault) finishes the request.
        try FileManager.default.removeItem(at: filler)
        let stopped = try #require(try await site.waitForStop(name: name, seconds: 120), "log:\n\(site.log.text)")
        let healed = Date().timeIntervalSince(faulted)
        print("full disk: jobs faulted, request finished \(String(format: "%.1f", healed)) s after the first fault once space returned")
        #expect(stopped.fault == .success)
        #expect(healed < 60)
        var filter = JobListFilter()
        filter.reqID = stopped.reqID
        let jobs = try database.jobs.list(filter).map(\.job)
        #expect(jobs.allSatisfy { $0.state == .stop && $0.fault == .success }, "\(jobs.map { ($0.jobID, $0.fault) })")
        #expect(jobs.contains { ($0.faultCount ?? 0) > 0 }, "a job was faulted by the full disk and retried")
        let files = try #require(try site.filesetFiles(product: "pstampresults", fileset: name))
        #expect(files.count == Set(files).count)
        let results = try site.fetchResults(name)
        #expect(results.rows.count == 10)
        #expect(results.rows.allSatisfy { $0.errorCode == .success })
    }
}
