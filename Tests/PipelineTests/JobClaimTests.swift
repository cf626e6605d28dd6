import Foundation
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

/// Two job runners on one request database: a job is cut by the runner that claimed it, never by both.
@Suite("JobRunner claims")
struct JobClaimTests {
    let helper = JobRunnerTests()

    func site(_ name: String, jobs: Int) throws -> (PipelineFixture, [Int64], URL) {
        let f = try PipelineFixture()
        let (req, outdir) = try f.runningRequest(name)
        let image = f.root.appendingPathComponent("chip.fits").path
        try helper.makeImage(image)
        let ids = try (1...jobs).map { try helper.stampJob(f, req, outdir, rownum: $0, image: image, center: .pixel(x: 50, y: 40)) }
        return (f, ids, outdir)
    }

    @Test("a job claimed by one runner is not run by another; once given back the other runs it")
    func claimedJobIsLeftAlone() async throws {
        let (f, jobs, _) = try site("claims.held", jobs: 1)
        defer { f.cleanup() }
        let a = JobRunner(database: f.database, settings: f.settings)
        let b = JobRunner(database: f.database, settings: f.settings)
        #expect(a.worker != b.worker)
        // Runner A is in the middle of cutting the job.
        #expect(try f.database.jobs.claim(jobID: jobs[0], worker: a.worker) != nil)
        #expect(try b.run(jobID: jobs[0]) == .notRunnable)
        #expect(try await b.pending(limit: 10).isEmpty, "a job another runner holds is not offered")
        #expect(try f.job(jobs[0]).state == .run)
        #expect(try f.database.jobs.claimant(jobID: jobs[0]) == a.worker)
        try f.database.jobs.release(jobID: jobs[0])
        #expect(try b.run(jobID: jobs[0]) == .stopped(.success))
        #expect(try f.database.jobs.claims().isEmpty, "the claim is given back after the run")
    }

    @Test("two runners draining one database concurrently stop every job exactly once")
    func twoRunnersConcurrently() async throws {
        let (f, jobs, _) = try site("claims.race", jobs: 12)
        defer { f.cleanup() }
        let runners = [
            JobRunner(database: f.database, settings: f.settings),
            JobRunner(database: f.database, settings: f.settings),
        ]
        let outcomes = try await withThrowingTaskGroup(of: [JobRunner.Outcome].self) { group in
            for runner in runners {
                group.addTask { try jobs.map { try runner.run(jobID: $0) } }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(outcomes.filter { $0 == .stopped(.success) }.count == jobs.count)
        #expect(outcomes.filter { $0 == .notRunnable }.count == jobs.count)
        for job in jobs { #expect(try f.job(job).state == .stop && f.job(job).fault == .success) }
        #expect(try f.database.jobs.claims().isEmpty)
    }

    @Test("the claim of a runner whose process died (kill -9) is dropped at the next pass and the job resumes")
    func deadWorkersClaimIsDropped() async throws {
        let (f, jobs, _) = try site("claims.dead", jobs: 1)
        defer { f.cleanup() }
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let deadWorker = "\(ProcessInfo.processInfo.hostName):\(gone.processIdentifier):deadbeef"
        #expect(try f.database.jobs.claim(jobID: jobs[0], worker: deadWorker) != nil)
        let runner = JobRunner(database: f.database, settings: f.settings)
        #expect(try runner.run(jobID: jobs[0]) == .notRunnable, "held by the dead worker until a pass looks")
        let items = try await runner.pending(limit: 10)
        #expect(items.map(\.key) == ["job:\(jobs[0])"])
        for item in items { try await item.run() }
        #expect(try f.job(jobs[0]).state == .stop)
    }
}
