import GRDB
import PStampCore
import Testing

@testable import RequestDB

/// The request changes callers ask for by intent: a taken name, a fault, a new name.
@Suite struct RequestIntentTests {
    @Test func aSecondRequestWithATakenNameIsRefusedAsADuplicateName() throws {
        let t = try TestDatabase()
        _ = try t.db.requests.add(NewRequest(uri: "/tmp/a.fits", name: "myreq"))
        #expect(throws: RequestDBError.duplicateName("myreq")) {
            try t.db.requests.add(NewRequest(uri: "/tmp/b.fits", name: "myreq"))
        }
        #expect("\(RequestDBError.duplicateName("myreq"))" == "Request Name myreq has already been used")
        var filter = RequestListFilter()
        filter.name = "myreq"
        #expect(try t.db.requests.list(filter).map(\.uri) == ["/tmp/a.fits"], "the refused request left no row")
    }

    @Test func unnamedRequestsNeverCollide() throws {
        let t = try TestDatabase()
        let a = try t.db.requests.add(NewRequest(uri: "/tmp/a.fits"))
        let b = try t.db.requests.add(NewRequest(uri: "/tmp/b.fits"))
        #expect(a != b)
    }

    @Test func renameGivesANewNameAndRefusesATakenOne() throws {
        let t = try TestDatabase()
        _ = try t.db.requests.add(NewRequest(uri: "/tmp/a.fits", name: "first"))
        let id = try t.db.requests.add(NewRequest(uri: "/tmp/b.fits", name: "second"))
        #expect(try t.db.requests.rename(reqID: id, to: "third"))
        #expect(try t.db.requests.get(reqID: id)?.name == "third")
        #expect(throws: RequestDBError.duplicateName("first")) { try t.db.requests.rename(reqID: id, to: "first") }
        #expect(try t.db.requests.get(reqID: id)?.name == "third")
        #expect(try !t.db.requests.rename(reqID: id + 100, to: "fourth"), "no such request")
    }

    @Test func setFaultCountsTheFaultOnlyInTheGivenState() throws {
        let t = try TestDatabase()
        let id = try t.request(state: .new)
        #expect(try !t.db.requests.setFault(reqID: id, in: .run, .dataStoreServerError), "the request is not run")
        #expect(try t.db.requests.get(reqID: id)?.fault == .success)
        #expect(try t.db.requests.setFault(reqID: id, in: .new, .dataStoreServerError))
        let request = try #require(try t.db.requests.get(reqID: id))
        #expect(request.fault == PStampCode.dataStoreServerError)
        #expect(request.faultCount == 1)
        #expect(request.state == .new)
    }

    @Test func aPolledFilesetsRequestsComeInThroughTheOneInsert() throws {
        let t = try TestDatabase()
        try t.db.pool.write { db in
            try db.execute(sql: "INSERT INTO pstampDataStore (ds_id, state, label) VALUES (7, 'enabled', 'MOPS')")
        }
        let ids = try #require(
            try t.db.incomingDataStores.recordFileset(
                dsID: 7, previous: nil, fileset: "fs1", requestURIs: ["http://x/a.fits", "http://x/b.fits"], label: "MOPS"))
        let requests = try ids.map { try #require(try t.db.requests.get(reqID: $0)) }
        #expect(requests.map(\.uri) == ["http://x/a.fits", "http://x/b.fits"])
        #expect(requests.allSatisfy { $0.state == .new && $0.fault == .success && $0.dsID == 7 && $0.label == "MOPS" })
        #expect(requests.allSatisfy { $0.registered != nil && $0.projID == 0 })
        #expect(try t.db.identities.get(reqID: ids[0]) == .dataStore)
    }
}
