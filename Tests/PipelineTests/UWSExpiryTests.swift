import Foundation
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

/// The clock of asynchronous SODA jobs: past DESTRUCTION a job's request goes to cleanup; past its
/// EXECUTIONDURATION a running job is aborted (its open jobs cancelled, the finisher ends it).
@Suite struct UWSExpiryTests {
    func job(_ f: PipelineFixture, name: String, duration: Int, destruction: Date) throws -> Int64 {
        try f.database.uwsJobs.create(
            NewRequest(uri: "/nowhere/\(name).fits", name: name, label: "SODA"), owner: nil, runID: nil, parameters: [("ID", "x")],
            executionDuration: duration, destruction: MetadataTime(destruction))
    }

    @Test func destructionSendsTheRequestToCleanupAndOverrunAbortsIt() async throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let clock = TestClock()
        let start = clock.now
        let expiry = UWSExpiry(database: f.database, clock: { clock.now })
        let keep = try job(f, name: "keep", duration: 0, destruction: clock.now.addingTimeInterval(3600))
        let expire = try job(f, name: "expire", duration: 0, destruction: clock.now.addingTimeInterval(60))
        let slow = try job(f, name: "slow", duration: 30, destruction: clock.now.addingTimeInterval(3600))
        try f.database.uwsJobs.markStarted(reqID: slow, at: MetadataTime(clock.now))
        try f.database.requests.transition(reqID: slow, from: .new, to: .run)
        let open = try f.database.jobs.add(NewJob(reqID: slow, rownum: "1", outputBase: "/nowhere/slow_1"))
        #expect(try await expiry.nextDue() == MetadataTime(clock.now.addingTimeInterval(30)).date, "the first deadline: the duration")

        #expect(try expiry.expire() == (0, 0) as (Int, Int), "nothing is due yet")
        clock.advance(31)
        #expect(try expiry.expire() == (0, 1) as (Int, Int))
        #expect(try f.database.jobs.get(jobID: open)?.state == .cancel, "the running job's open jobs are cancelled")
        #expect(try f.database.uwsJobs.get(reqID: slow)?.uws.aborted == true)
        #expect(try f.database.requests.get(reqID: slow)?.state == .run, "the finisher ends it with what was cut")
        #expect(try expiry.expire() == (0, 0) as (Int, Int), "an aborted job is not aborted again")

        clock.advance(30)
        #expect(try expiry.expire() == (1, 0) as (Int, Int))
        #expect(try f.database.requests.get(reqID: expire)?.state == .gotoCleaned)
        #expect(try f.database.requests.get(reqID: keep)?.state == .new)
        #expect(
            try await expiry.nextDue() == MetadataTime(start.addingTimeInterval(3600)).date,
            "an aborted job's duration no longer counts; the kept jobs' destruction does")
    }
}
