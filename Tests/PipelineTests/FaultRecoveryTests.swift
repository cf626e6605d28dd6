import Foundation
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

@Suite("Reverter and StopFaulted")
struct FaultRecoveryTests {
    @Test("job system faults are reverted about 10 s after the fault while fault_count < 3; reported codes and stopped jobs are not")
    func jobRevert() async throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let (req, outdir) = try f.runningRequest("revert.jobs")
        let nfs = try f.database.jobs.add(NewJob(reqID: req, rownum: "1", outputBase: outdir.path + "/1_1"))
        let tired = try f.database.jobs.add(NewJob(reqID: req, rownum: "2", outputBase: outdir.path + "/2_1"))
        let reported = try f.database.jobs.add(NewJob(reqID: req, rownum: "3", outputBase: outdir.path + "/3_1"))
        let stopped = try f.database.jobs.add(NewJob(reqID: req, rownum: "4", state: .stop, fault: .noOverlap))
        try f.fault(job: nfs, .sysError)
        try f.fault(job: tired, .sysError, times: 5)
        try f.fault(job: reported, .pstampUnknownError)

        let clock = TestClock()
        var settings = f.settings
        settings.jobRetry.jitter = 0
        let reverter = JobReverter(database: f.database, settings: settings, now: { clock.now })
        #expect(try reverter.revert() == 0, "a fault seen for the first time is scheduled")
        #expect(try f.job(nfs).retryAfter == MetadataTime(clock.now.addingTimeInterval(10)))
        #expect(try await reverter.nextDue() == clock.now.addingTimeInterval(10), "the task wakes when it falls due")
        clock.advance(9)
        #expect(try reverter.revert() == 0)
        clock.advance(1)
        #expect(try reverter.revert() == 1)
        #expect(try f.job(nfs).fault == .success)
        #expect(try f.job(nfs).retryAfter == nil, "a revert clears the schedule")
        #expect(try await reverter.nextDue() == nil)
        #expect(try f.job(nfs).faultCount == 1, "the count of attempts is kept")
        #expect(try f.job(tired).fault == .sysError)
        #expect(try f.job(reported).fault == .pstampUnknownError)
        #expect(try f.job(stopped).fault == .noOverlap)
    }

    @Test("jobs faulted together by one outage come back together once their retries are due")
    func outageRevertsTogether() async throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let (req, outdir) = try f.runningRequest("revert.outage")
        var jobs: [Int64] = []
        for n in 1...600 {
            jobs.append(try f.database.jobs.add(NewJob(reqID: req, rownum: String(n), outputBase: outdir.path + "/\(n)_1")))
        }
        for job in jobs { try f.fault(job: job, .sysError) }
        let clock = TestClock()
        let reverter = JobReverter(database: f.database, settings: f.settings, now: { clock.now })
        #expect(try reverter.revert() == 0, "all scheduled")
        clock.advance(12)
        #expect(try reverter.revert() == 600)
        #expect(try jobs.allSatisfy { try f.job($0).fault == .success && f.job($0).retryAfter == nil })
        #expect(try await reverter.nextDue() == nil)
    }

    @Test("stopfaulted stops only jobs that are faulted now after 3 attempts (IPP quirk: it stopped reverted ones too)")
    func stopFaulted() throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let (req, outdir) = try f.runningRequest("stop.faulted")
        let faulted = try f.database.jobs.add(NewJob(reqID: req, rownum: "1", outputBase: outdir.path + "/1_1"))
        let reverted = try f.database.jobs.add(NewJob(reqID: req, rownum: "2", outputBase: outdir.path + "/2_1"))
        let young = try f.database.jobs.add(NewJob(reqID: req, rownum: "3", outputBase: outdir.path + "/3_1"))
        try f.fault(job: faulted, .sysError, times: 3)
        try f.fault(job: reverted, .sysError, times: 3)
        var selector = JobRevertSelector()
        selector.jobID = reverted
        _ = try f.database.jobs.revert(selector)
        try f.fault(job: young, .sysError, times: 2)

        let result = try StopFaulted(database: f.database, settings: f.settings).stop()
        #expect(result.jobs == 1)
        #expect(try f.job(faulted).state == .stop)
        #expect(try f.job(faulted).fault == .notAvailable)
        #expect(try f.job(reverted).state == .run, "a reverted job about to run again is left alone")
        #expect(try f.job(reverted).fault == .success)
        #expect(try f.job(young).state == .run)
    }

    @Test("a dependent faulted 3 times stops its jobs with 25; one with fewer faults is reverted")
    func dependentGiveUp() throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let (req, outdir) = try f.runningRequest("dep.faults")
        func dependent(_ id: Int64) throws -> Int64 {
            let result = try f.database.dependents.getDependent(
                DependentKey(stage: .chip, stageID: id, component: "XY01", imagedb: "gpc1"), outdir: outdir.path)
            guard case .created(let depID) = result else { throw PStampError(.progError, "no dependent") }
            return depID
        }
        let hopeless = try dependent(1), hopeful = try dependent(2)
        var a = NewJob(reqID: req, rownum: "1", outputBase: outdir.path + "/1_1")
        a.depID = hopeless
        var b = NewJob(reqID: req, rownum: "2", outputBase: outdir.path + "/2_1")
        b.depID = hopeful
        let jobA = try f.database.jobs.add(a), jobB = try f.database.jobs.add(b)
        for _ in 0..<3 { try f.database.dependents.update(depID: hopeless, fault: .sysError) }
        try f.database.dependents.update(depID: hopeful, fault: .sysError)

        let stopped = try StopFaulted(database: f.database, settings: f.settings).stop()
        #expect(stopped.dependentJobs == 1)
        #expect(try f.job(jobA).state == .stop)
        #expect(try f.job(jobA).fault == .notAvailable)
        #expect(try f.job(jobB).state == .run)

        let clock = TestClock()
        let reverter = DependentReverter(database: f.database, settings: f.settings, now: { clock.now })
        #expect(try reverter.revert() == 0, "scheduled about 10 s on (±20 %)")
        let due = try #require(try f.database.dependents.get(depID: hopeful)?.retryAfter?.date)
        #expect(due >= clock.now.addingTimeInterval(8) && due <= clock.now.addingTimeInterval(12))
        clock.advance(12)
        #expect(try reverter.revert() == 1)
        #expect(try f.database.dependents.get(depID: hopeful)?.fault == .success)
        #expect(try f.database.dependents.get(depID: hopeless)?.fault == .notAvailable, "a given-up dependent stays given up")
    }

    @Test("a request fault (200: source data store answered HTTP 500) is retried after 10 s, 20 s, 40 s … at most 1200 s")
    func requestBackoff() async throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let reqID = try f.database.requests.add(NewRequest(uri: "http://mops/ds/req.fits", name: "mops.1"))
        func fault() throws {
            var selector = RequestSelector()
            selector.reqID = reqID
            var change = RequestChange()
            change.fault = .dataStoreServerError
            _ = try f.database.requests.update(selector, change)
        }
        let clock = TestClock()
        var settings = f.settings
        settings.requestRetry.jitter = 0
        let reverter = RequestReverter(database: f.database, settings: settings, now: { clock.now })
        for (n, wait) in [10.0, 20, 40, 80].enumerated() {
            try fault()
            #expect(try await reverter.revertDue().isEmpty, "fault \(n + 1) is scheduled")
            #expect(try await reverter.nextDue() == clock.now.addingTimeInterval(wait))
            clock.advance(wait - 1)
            #expect(try await reverter.revertDue().isEmpty, "fault \(n + 1) waits \(wait) s")
            clock.advance(1)
            #expect(try await reverter.revertDue() == [reqID])
            #expect(try f.request(reqID).fault == .success)
            #expect(try f.request(reqID).state == .new)
        }
        // A restarted server keeps the schedule: it is in the database.
        try fault()
        #expect(try await reverter.revertDue().isEmpty)
        let restarted = RequestReverter(database: f.database, settings: settings, now: { clock.now })
        #expect(try await restarted.nextDue() == clock.now.addingTimeInterval(160))
        clock.advance(160)
        #expect(try await restarted.revertDue() == [reqID])
        #expect(settings.requestRetry.delay(faults: 10, unit: 0.5) == 1200, "capped at the IPP's 1200 s")
    }
}

/// A settable clock for back-off and preservation tests.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var time = Date(timeIntervalSince1970: 1_790_000_000)
    var now: Date { lock.withLock { time } }
    func advance(_ seconds: TimeInterval) { lock.withLock { time += seconds } }
}
