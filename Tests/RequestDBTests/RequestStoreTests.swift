import GRDB
import PStampCore
import Testing

@testable import RequestDB

@Suite struct RequestStoreTests {
    @Test func addedRequestIsPendingWithIPPDefaults() throws {
        let t = try TestDatabase()
        let id = try t.db.requests.add(NewRequest(uri: "/tmp/x.fits", label: "WEB.UP"))
        let pending = try t.db.requests.pending()
        #expect(pending.map(\.request.reqID) == [id])
        let row = try #require(pending.first)
        #expect(row.request.state == .new)
        #expect(row.request.fault == .success)
        #expect(row.request.dsID == 0)
        #expect(row.request.registered != nil)
        #expect(row.request.reqType == nil)
        #expect(row.priority == 10000)
        #expect(row.needMagic == 1)
        #expect(row.pendingReqRow.items.map(\.name).suffix(3) == ["ds_outProduct", "need_magic", "priority"])
    }

    @Test func emptyStringsAreStoredAsNull() throws {
        let t = try TestDatabase()
        let id = try t.db.requests.add(NewRequest(uri: "/tmp/x.fits", name: "", label: ""))
        let request = try #require(try t.db.requests.get(reqID: id))
        #expect(request.name == nil)
        #expect(request.label == nil)
    }

    @Test func aHeldRequestIsNotPendingUntilReleased() throws {
        let t = try TestDatabase()
        let id = try t.request(state: .new)
        var selector = RequestSelector()
        selector.reqID = id
        #expect(try t.db.requests.update(selector, RequestChange(state: .hold)) == 1)
        #expect(try t.db.requests.pending().isEmpty)
        #expect(try t.db.requests.get(reqID: id)?.state == .hold)
        #expect(try t.db.requests.update(selector, RequestChange(state: .new)) == 1)
        #expect(try t.db.requests.pending().map(\.request.reqID) == [id])
    }

    /// Higher priority first; a label without a Label row counts as active with priority 10000.
    @Test func pendingRequestsFollowLabelPriority() throws {
        let t = try TestDatabase()
        try t.db.labels.define(.init(label: "LOW", priority: 200, active: true, comment: nil))
        try t.db.labels.define(.init(label: "HIGH", priority: 20000, active: true, comment: nil))
        try t.db.labels.define(.init(label: "OFF", priority: 99999, active: false, comment: nil))
        let low = try t.request(label: "LOW", state: .new)
        let missing = try t.request(label: "NO.ROW", state: .new)
        let off = try t.request(label: "OFF", state: .new)
        let high = try t.request(label: "HIGH", state: .new)
        let unlabelled = try t.request(state: .new)
        let pending = try t.db.requests.pending()
        #expect(pending.map(\.request.reqID) == [high, missing, unlabelled, low])
        #expect(pending.map(\.priority) == [20000, 10000, 10000, 200])
        #expect(!pending.contains { $0.request.reqID == off })
        #expect(try t.db.requests.pending(limit: 1).map(\.request.reqID) == [high])
        #expect(try t.db.requests.pending(labels: LabelFilter(["LO%", "NO.ROW"])).map(\.request.reqID) == [missing, low])
    }

    /// QUIRK fixed: -completedreq ranks a label without a Label row at 10000, not 0.
    @Test func completedRequestsNeedEveryJobDoneAndUseTheSamePriorities() throws {
        let t = try TestDatabase()
        try t.db.labels.define(.init(label: "LOW", priority: 200, active: true, comment: nil))
        let low = try t.request(label: "LOW")
        let missing = try t.request(label: "NO.ROW")
        let busy = try t.request(label: "NO.ROW")
        _ = try t.job(low, state: .stop)
        _ = try t.job(missing, state: .stop)
        _ = try t.job(busy, state: .run)
        let completed = try t.db.requests.completed()
        #expect(completed.map(\.request.reqID) == [missing, low])
        #expect(completed.map(\.priority) == [10000, 200])
    }

    @Test func pendingCleanupListsGotoCleanedRequests() throws {
        let t = try TestDatabase()
        let a = try t.request(state: .gotoCleaned)
        _ = try t.request(state: .stop)
        #expect(try t.db.requests.pendingCleanup().map(\.request.reqID) == [a])
    }

    @Test func illegalStateChangeIsRefusedAndChangesNothing() throws {
        let t = try TestDatabase()
        let stopped = try t.request(state: .stop)
        let cleaned = try t.request(state: .cleaned)
        var selector = RequestSelector()
        selector.reqIDMax = 100
        do {
            _ = try t.db.requests.update(selector, RequestChange(state: .run))
            Issue.record("cleaned -> run was accepted")
        } catch let error as PStampError {
            #expect(error.message.contains("'stop'") || error.message.contains("'cleaned'"))
            #expect(error.message.contains("'run'"))
        }
        #expect(try t.db.requests.get(reqID: stopped)?.state == .stop)
        #expect(try t.db.requests.get(reqID: cleaned)?.state == .cleaned)
    }

    /// As the IPP: -set_state goto_cleaned skips requests already cleaned or goto_cleaned.
    @Test func gotoCleanedSkipsCleanedRequests() throws {
        let t = try TestDatabase()
        let stopped = try t.request(state: .stop)
        let cleaned = try t.request(state: .cleaned)
        var selector = RequestSelector()
        selector.reqIDMax = 100
        #expect(try t.db.requests.update(selector, RequestChange(state: .gotoCleaned)) == 1)
        #expect(try t.db.requests.get(reqID: stopped)?.state == .gotoCleaned)
        #expect(try t.db.requests.get(reqID: cleaned)?.state == .cleaned)
    }

    @Test func updateNeedsASelectorAndASetterAndKeepsFaultOptionsExclusive() throws {
        let t = try TestDatabase()
        _ = try t.request()
        #expect(throws: PStampError.self) { try t.db.requests.update(RequestSelector(), RequestChange(state: .stop)) }
        var selector = RequestSelector()
        selector.reqID = 1
        #expect(throws: PStampError.self) { try t.db.requests.update(selector, RequestChange()) }
        var change = RequestChange(fault: PStampCode(3))
        change.clearFault = true
        #expect(throws: PStampError.self) { try t.db.requests.update(selector, change) }
    }

    @Test func transitionIsGuardedByTheCurrentState() throws {
        let t = try TestDatabase()
        let id = try t.request(state: .new)
        #expect(try t.db.requests.transition(reqID: id, from: .new, to: .run))
        // A second worker trying the same move finds the request no longer new.
        #expect(try t.db.requests.transition(reqID: id, from: .new, to: .run) == false)
        #expect(throws: PStampError.self) { try t.db.requests.transition(reqID: id, from: .run, to: .new) }
    }

    @Test func updateSelectsByTimestampAndSetsIt() throws {
        let t = try TestDatabase()
        let old = try t.request(state: .stop)
        let recent = try t.request(state: .stop)
        try t.db.pool.write {
            try $0.execute(
                sql: "UPDATE pstampRequest SET timestamp = '2020-01-01 00:00:00' WHERE req_id = ?",
                arguments: [old])
        }
        var selector = RequestSelector()
        selector.state = .stop
        selector.timestampEnd = MetadataTime("2021-01-01")
        #expect(try t.db.requests.update(selector, RequestChange(state: .gotoCleaned)) == 1)
        #expect(try t.db.requests.get(reqID: old)?.state == .gotoCleaned)
        #expect(try t.db.requests.get(reqID: recent)?.state == .stop)
        #expect(try t.db.requests.get(reqID: old)!.timestamp! > MetadataTime("2021-01-01")!)
    }

    @Test func revertDeletesJobsOfHalfParsedRequestsAndClearsFaults() throws {
        let t = try TestDatabase()
        let halfParsed = try t.request(state: .new)
        _ = try t.job(halfParsed)
        let stopped = try t.request(state: .stop)
        for id in [halfParsed, stopped] {
            try t.db.pool.write { try $0.execute(sql: "UPDATE pstampRequest SET fault = 200 WHERE req_id = ?", arguments: [id]) }
        }
        #expect(throws: PStampError.self) { try t.db.requests.revert(RequestRevertSelector()) }
        var selector = RequestRevertSelector()
        selector.fault = PStampCode(200)
        let result = try t.db.requests.revert(selector)
        #expect(result.deletedJobs == 1)
        #expect(result.reverted == 1)
        #expect(try t.db.requests.get(reqID: halfParsed)?.fault == .success)
        #expect(try t.db.requests.get(reqID: stopped)?.fault == PStampCode(200))
        #expect(try t.db.requests.pending().map(\.request.reqID) == [halfParsed])
    }

    @Test func listNeedsASelector() throws {
        let t = try TestDatabase()
        let id = try t.request(name: "Niall.1274580688")
        #expect(throws: PStampError.self) { try t.db.requests.list(RequestListFilter()) }
        var filter = RequestListFilter()
        filter.name = "Niall%"
        #expect(try t.db.requests.list(filter).map(\.reqID) == [id])
    }
}

@Suite struct ChangeNotificationTests {
    @Test func aNewRequestWakesAWaitingTask() async throws {
        let t = try TestDatabase()
        let changes = t.db.changes(of: ["pstampRequest"])
        var iterator = changes.makeAsyncIterator()
        _ = try t.db.requests.add(NewRequest(uri: "/tmp/x.fits"))
        let woke: Void? = await iterator.next()
        #expect(woke != nil)
    }

    /// A state or reqType column holding text that is none of the enum's cases fails the read, naming
    /// the value; it never becomes a default state.
    @Test func unknownStateOrRequestTypeTextIsAnErrorNotADefault() throws {
        let t = try TestDatabase()
        let id = try t.request(state: .new)
        try t.db.pool.write { try $0.execute(sql: "UPDATE pstampRequest SET state = 'bogus' WHERE req_id = ?", arguments: [id]) }
        #expect(throws: (any Error).self) { try t.db.requests.get(reqID: id) }
        try t.db.pool.write {
            try $0.execute(sql: "UPDATE pstampRequest SET state = 'new', reqType = 'chip' WHERE req_id = ?", arguments: [id])
        }
        #expect(throws: (any Error).self) { try t.db.requests.get(reqID: id) }
        try t.db.pool.write { try $0.execute(sql: "UPDATE pstampRequest SET reqType = 'pstamp' WHERE req_id = ?", arguments: [id]) }
        #expect(try t.db.requests.get(reqID: id)?.reqType == .pstamp)
    }
}
