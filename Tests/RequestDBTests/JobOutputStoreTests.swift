import GRDB
import PStampCore
import Testing

@testable import RequestDB

/// A job's registration list is written with its stop, in the same transaction.
@Suite struct JobOutputStoreTests {
    @Test("a batch's stops record each job's registration list; a fault records none; a job no longer run is left alone")
    func batchStopsRecordTheirLists() throws {
        let t = try TestDatabase()
        let req = try t.request()
        let made = try t.job(req), failed = try t.job(req), faulted = try t.job(req), gone = try t.job(req, state: .stop)
        let written = try t.db.jobs.finishBatch(
            [
                (made, .stop(.success)), (failed, .stop(.notAvailable)), (faulted, .fault(.sysError)),
                (gone, .stop(.success)),
            ],
            outputs: [made: "a.fits|20160|0123456789abcdef0123456789abcdef|pstamp|\n", gone: "x|1|m|pstamp|\n"])
        #expect(written == [made, failed, faulted])
        #expect(try t.db.jobOutputs.all(reqID: req) == [made: "a.fits|20160|0123456789abcdef0123456789abcdef|pstamp|\n"])
    }

    @Test("a job set back to run by hand that then stops without files loses the list its earlier run left")
    func aStopWithoutFilesRemovesAnOldList() throws {
        let t = try TestDatabase()
        let req = try t.request()
        let job = try t.job(req)
        #expect(try t.db.jobs.stop(jobID: job, code: .success, outputs: "a.fits|1|m|pstamp|\n"))
        try t.db.pool.write { try $0.execute(sql: "UPDATE pstampJob SET state = 'run' WHERE job_id = ?", arguments: [job]) }
        #expect(try t.db.jobs.stop(jobID: job, code: .notAvailable, outputs: nil))
        #expect(try t.db.jobOutputs.all(reqID: req).isEmpty)
        #expect(try t.db.jobs.stop(jobID: job, code: .success, outputs: "") == false, "a stopped job is not stopped again")
    }
}
