import GRDB
import PStampCore
import Testing

@testable import RequestDB

@Suite struct JobStoreTests {
    @Test func addValidatesLikeTheIPP() throws {
        let t = try TestDatabase()
        let req = try t.request()
        #expect(throws: PStampError.self) { try t.db.jobs.add(NewJob(reqID: req, rownum: "1")) }  // no outputBase
        #expect(throws: Never.self) {
            try t.db.jobs.add(NewJob(reqID: req, rownum: "0", jobType: .none, state: .stop, fault: .invalidRequest))
        }
        #expect(throws: PStampError.self) { try t.db.jobs.add(NewJob(reqID: req, rownum: "1", jobType: .child, outputBase: "/o")) }
        #expect(throws: PStampError.self) { try t.db.jobs.add(NewJob(reqID: 999, rownum: "1", outputBase: "/o")) }
        let mosaic = try t.db.jobs.add(NewJob(reqID: req, rownum: "1", jobType: .mosaic, outputBase: "/o"))
        #expect(try t.db.jobs.get(jobID: mosaic)?.isParent == true)
        let job = try #require(try t.db.jobs.get(jobID: try t.job(req)))
        #expect(job.depID == 0)
        #expect(job.faultCount == 0)
        #expect(job.fault == .success)
    }

    /// Eligible: job and request `run` with fault 0, dependent `full` or none, active label.
    @Test func pendingJobsWaitForTheirDependentAndTheirRequest() throws {
        let t = try TestDatabase()
        let req = try t.request(label: "WEB.UP")
        let free = try t.job(req)
        let dep = try t.db.dependents.getDependent(.xy31, outdir: "/tmp/w").depID!
        let waiting = try t.job(req, depID: dep)
        _ = try t.job(req, state: .stop)
        #expect(try t.db.jobs.pending().map(\.job.jobID) == [free])
        #expect(try t.db.dependents.transition(depID: dep, from: .new, to: .full))
        #expect(try t.db.jobs.pending().map(\.job.jobID) == [free, waiting])

        // A held request's jobs are not pending.
        var selector = RequestSelector()
        selector.reqID = req
        _ = try t.db.requests.update(selector, RequestChange(state: .hold))
        #expect(try t.db.jobs.pending().isEmpty)
        _ = try t.db.requests.update(selector, RequestChange(state: .run))
        #expect(try t.db.jobs.pending().count == 2)

        // A faulted request, or a faulted job, is not pending either.
        try t.db.pool.write { try $0.execute(sql: "UPDATE pstampRequest SET fault = 2") }
        #expect(try t.db.jobs.pending().isEmpty)
    }

    @Test func pendingJobsFollowLabelPriorityThenRequestThenJob() throws {
        let t = try TestDatabase()
        try t.db.labels.define(.init(label: "LOW", priority: 1, active: true, comment: nil))
        let low = try t.request(label: "LOW")
        let other = try t.request(label: "UNKNOWN")
        let j1 = try t.job(low)
        let j2 = try t.job(other)
        let j3 = try t.job(other)
        let pending = try t.db.jobs.pending()
        #expect(pending.map(\.job.jobID) == [j2, j3, j1])
        #expect(pending.map(\.priority) == [10000, 10000, 1])
        #expect(pending[0].myParent == 0)
        #expect(pending[0].runningChildren == 0)
        #expect(try t.db.jobs.pending(labels: LabelFilter(["LOW"])).map(\.job.jobID) == [j1])
    }

    /// A parent job runs only when none of its children is running.
    @Test func parentJobsWaitForTheirChildren() throws {
        let t = try TestDatabase()
        let req = try t.request()
        let parent = try t.db.jobs.add(NewJob(reqID: req, rownum: "1", jobType: .mosaic, outputBase: "/o/p"))
        let child = try t.job(req, parentID: parent)
        #expect(try t.db.jobs.pending().map(\.job.jobID) == [child])
        #expect(try t.db.jobs.transition(jobID: child, from: .run, to: .stop))
        let pending = try t.db.jobs.pending()
        #expect(pending.map(\.job.jobID) == [parent])
        #expect(pending.first?.myParent == nil)
        #expect(pending.first?.metadataRow["myParent"] == .s64(nil))
    }

    @Test func updateCountsFaultsAndChecksTransitions() throws {
        let t = try TestDatabase()
        let req = try t.request()
        let job = try t.job(req)
        var selector = JobSelector()
        selector.jobID = job
        #expect(try t.db.jobs.update(selector, fault: .sysError) == 1)
        #expect(try t.db.jobs.update(selector, fault: .sysError) == 1)
        let faulted = try #require(try t.db.jobs.get(jobID: job))
        #expect(faulted.fault == .sysError)
        #expect(faulted.faultCount == 2)
        #expect(try t.db.jobs.update(selector, state: .stop, fault: .notAvailable) == 1)
        #expect(throws: PStampError.self) { try t.db.jobs.update(selector, state: .run) }
        #expect(try t.db.jobs.get(jobID: job)?.state == .stop)
        #expect(throws: PStampError.self) { try t.db.jobs.update(JobSelector(), state: .stop) }
        #expect(throws: PStampError.self) { try t.db.jobs.update(selector) }
    }

    /// -revertjob: only system faults (< 10), only jobs with fewer than 5 faults, unless told otherwise.
    @Test func revertClearsOnlyRetryableFaults() throws {
        let t = try TestDatabase()
        let req = try t.request()
        let system = try t.job(req)
        let reported = try t.job(req)
        let tooMany = try t.job(req)
        try t.db.pool.write { db in
            try db.execute(sql: "UPDATE pstampJob SET fault = 2, fault_count = 1 WHERE job_id = ?", arguments: [system])
            try db.execute(sql: "UPDATE pstampJob SET fault = 25, fault_count = 1 WHERE job_id = ?", arguments: [reported])
            try db.execute(sql: "UPDATE pstampJob SET fault = 2, fault_count = 5 WHERE job_id = ?", arguments: [tooMany])
        }
        #expect(throws: PStampError.self) { try t.db.jobs.revert(JobRevertSelector()) }
        var selector = JobRevertSelector()
        selector.reqID = req
        _ = try t.db.jobs.revert(selector)
        #expect(try t.db.jobs.get(jobID: system)?.fault == .success)
        #expect(try t.db.jobs.get(jobID: reported)?.fault == .notAvailable)
        #expect(try t.db.jobs.get(jobID: tooMany)?.fault == .sysError)
        selector.clearFaultCount = true
        _ = try t.db.jobs.revert(selector)
        #expect(try t.db.jobs.get(jobID: tooMany)?.fault == .success)
        #expect(try t.db.jobs.get(jobID: tooMany)?.faultCount == 0)
        var explicit = JobRevertSelector()
        explicit.fault = .notAvailable
        _ = try t.db.jobs.revert(explicit)
        #expect(try t.db.jobs.get(jobID: reported)?.fault == .success)
    }

    @Test func stopDependentJobsStopsJobsAndFaultsTheDependent() throws {
        let t = try TestDatabase()
        let req = try t.request()
        let dep = try t.db.dependents.getDependent(.xy31, outdir: "/tmp/w").depID!
        try t.db.dependents.update(depID: dep, fault: .sysError)
        try t.db.dependents.update(depID: dep, fault: .sysError)
        try t.db.dependents.update(depID: dep, fault: .sysError)
        let job = try t.job(req, depID: dep)
        var selector = DependentJobSelector()
        #expect(throws: PStampError.self) { try t.db.jobs.stopDependentJobs(selector, fault: .notAvailable) }
        selector.faultCount = 3
        #expect(try t.db.jobs.stopDependentJobs(selector, fault: .notAvailable) == 1)
        let stopped = try #require(try t.db.jobs.get(jobID: job))
        #expect(stopped.state == .stop)
        #expect(stopped.fault == .notAvailable)
        let dependent = try #require(try t.db.dependents.get(depID: dep))
        #expect(dependent.fault == .notAvailable)
        #expect(dependent.faultCount == 3)
        #expect(dependent.state == .new)
    }
}

@Suite struct JobClaimTests {
    /// Two workers with their own connections (as two processes) never take the same job.
    @Test func concurrentWorkersNeverShareAJob() async throws {
        let t = try TestDatabase()
        let req = try t.request()
        for _ in 0..<40 { _ = try t.job(req) }
        let path = t.path
        let taken = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for w in 0..<4 {
                group.addTask {
                    let db = try RequestDatabase.open(path: path)
                    var mine: [Int64] = []
                    while true {
                        let batch = try db.jobs.claim(worker: "worker-\(w)", limit: 3)
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.job.jobID)
                    }
                }
            }
            var all: [[Int64]] = []
            for try await ids in group { all.append(ids) }
            return all
        }
        let flat = taken.flatMap { $0 }
        #expect(flat.count == 40)
        #expect(Set(flat).count == 40)
    }

    @Test func finishedOrReleasedOrStaleClaimsFreeTheJob() throws {
        let t = try TestDatabase()
        let req = try t.request()
        let a = try t.job(req)
        let b = try t.job(req)
        #expect(try t.db.jobs.claim(worker: "w1", limit: 1).map(\.job.jobID) == [a])
        #expect(try t.db.jobs.claimant(jobID: a) == "w1")
        #expect(try t.db.jobs.claim(worker: "w2", limit: 5).map(\.job.jobID) == [b])
        #expect(try t.db.jobs.claim(worker: "w3", limit: 5).isEmpty)
        // -pendingjob (the operator's view) still lists running jobs, as the IPP's did.
        #expect(try t.db.jobs.pending().count == 2)
        try t.db.jobs.release(jobID: b)
        #expect(try t.db.jobs.claim(worker: "w3", limit: 5).map(\.job.jobID) == [b])
        // A claim older than staleAfter is dropped: its worker died.
        try t.db.pool.write {
            try $0.execute(
                sql: "UPDATE pstampJobClaim SET claimed_at = '2020-01-01 00:00:00' WHERE job_id = ?",
                arguments: [a])
        }
        #expect(try t.db.jobs.claim(worker: "w4", limit: 5, staleAfter: 60).map(\.job.jobID) == [a])
        // A job that stopped is no longer claimed.
        #expect(try t.db.jobs.transition(jobID: a, from: .run, to: .stop))
        _ = try t.db.jobs.claim(worker: "w5", limit: 1)
        #expect(try t.db.jobs.claimant(jobID: a) == nil)
    }
}
