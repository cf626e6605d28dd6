import FITS
import Foundation
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

/// Poison protection and bounded retries: a row whose work was under way when the process died
/// `maxCrashes` times in a row is set aside with 10; a request faulted more than `maxRequestRetries`
/// times stops with 10 instead of being reverted forever. (The real deaths are PoisonProtectionTests.)
@Suite("Crash safety")
struct CrashSafetyTests {
    /// The work marker of a row as two deaths under its work leave it.
    static func dieTwice(_ s: EndToEndTests.Site, _ row: WorkRow) throws {
        for _ in 0..<2 { _ = try s.f.database.work.begin(row, maxDeaths: 2) }
    }

    @Test("a job the process died under twice in a row is stopped with 10; the rest of its request is stamped")
    func poisonJob() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        let reqID = try s.submit("fixture.chip.byid", name: "poison.job")
        try await s.parser.run(try #require(try s.f.database.requests.pending().first))
        var filter = JobListFilter()
        filter.reqID = reqID
        let jobs = try s.f.database.jobs.list(filter).map(\.job).filter { $0.state == .run }
        let poisoned = try #require(jobs.first)
        try Self.dieTwice(s, .job(poisoned.jobID))
        #expect(try s.runner.run(jobID: poisoned.jobID) == .stopped(.systemError))
        try await s.drain()
        let request = try s.f.request(reqID)
        #expect(request.state == .stop)
        #expect(request.fault == .success)
        let rows = try ResultsFile.read(try #require(request.outdir) + "/results.fits").rows
        #expect(rows.filter { $0.jobID == poisoned.jobID }.map(\.errorCode) == [.systemError])
        #expect(try s.f.database.work.deaths(.job(poisoned.jobID)) == 2, "the stopped job keeps the record of its deaths")
    }

    @Test("one death under a job's run is retried, and its marker is cleared when the run ends")
    func oneDeathIsRetried() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        let reqID = try s.submit("fixture.chip.byid", name: "poison.once")
        try await s.parser.run(try #require(try s.f.database.requests.pending().first))
        var filter = JobListFilter()
        filter.reqID = reqID
        let job = try #require(try s.f.database.jobs.list(filter).map(\.job).first { $0.state == .run })
        _ = try s.f.database.work.begin(.job(job.jobID), maxDeaths: 2)
        #expect(try s.runner.run(jobID: job.jobID) == .stopped(.success))
        #expect(try s.f.database.work.deaths(.job(job.jobID)) == 0)
    }

    @Test("a request whose parse the process died under twice is set aside: results say 10, its file is not read")
    func poisonParse() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        let reqID = try s.submit("fixture.stack.byid", name: "poison.parse")
        try Self.dieTwice(s, .request(reqID))
        #expect(try await s.parser.run(try #require(try s.f.database.requests.pending().first)) == .run)
        try await s.drain()
        let request = try s.f.request(reqID)
        #expect(request.state == .stop)
        #expect(request.fault == PStampCode.systemError)
        #expect(request.setAside == PStampCode.systemError)
        let rows = try ResultsFile.read(try #require(request.outdir) + "/results.fits").rows
        #expect(rows.map(\.errorCode) == [.systemError])
        #expect(try s.registry.store.fileset(product: "pstampresults", name: try #require(request.name)) != nil)
    }

    @Test("a request fault reverted max_request_retries times stops with 10 at its next fault; the count is in the database")
    func boundedRequestRetries() async throws {
        let s = try EndToEndTests.Site()
        defer { s.f.cleanup() }
        var settings = s.f.settings
        settings.maxRequestRetries = 2
        let clock = TestClock()
        let reverter = RequestReverter(database: s.f.database, settings: settings, now: { clock.now })
        let reqID = try s.submit("fixture.stack.byid", name: "retry.forever")
        var selector = RequestSelector()
        selector.reqID = reqID
        var change = RequestChange()
        change.fault = PStampCode.dataStoreServerError
        for attempt in 1...2 {
            #expect(try s.f.database.requests.update(selector, change) == 1)
            #expect(try await reverter.revertDue().isEmpty, "retry \(attempt) is scheduled")
            clock.advance(3600)
            #expect(try await reverter.revertDue() == [reqID], "retry \(attempt)")
        }
        #expect(try s.f.database.requests.update(selector, change) == 1)
        // A fresh reverter (a restarted server) still knows the count.
        let restarted = RequestReverter(database: s.f.database, settings: settings, now: { clock.now })
        #expect(try s.f.request(reqID).faultCount == 3)
        #expect(try await restarted.revertDue() == [reqID])
        try await s.drain()
        let request = try s.f.request(reqID)
        #expect(request.state == .stop)
        #expect(request.fault == PStampCode.systemError)
        let rows = try ResultsFile.read(try #require(request.outdir) + "/results.fits").rows
        #expect(rows.map(\.errorCode) == [.systemError])
    }

    @Test("job faults are retried max_fault_count times at most, then stopped with 25, whatever the limit")
    func boundedJobRetries() async throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        var settings = f.settings
        settings.maxFaultCount = 8  // above the IPP's -revertjob limit of 5: it once left such jobs faulted forever
        let (reqID, outdir) = try f.runningRequest("job.faults")
        let jobID = try f.database.jobs.add(NewJob(reqID: reqID, rownum: "1", outputBase: outdir.appendingPathComponent("1_1").path))
        var selector = JobSelector()
        selector.jobID = jobID
        for _ in 0..<8 {
            _ = try f.database.jobs.update(selector, fault: .sysError)
            _ = try JobReverter(database: f.database, settings: settings).revert()
        }
        #expect(try f.job(jobID).fault == .sysError, "not reverted after its 8th fault")
        _ = try StopFaulted(database: f.database, settings: settings).stop()
        #expect(try f.job(jobID).state == .stop)
        #expect(try f.job(jobID).fault == .notAvailable)
    }
}
