import GRDB
import PStampCore
import Testing

@testable import RequestDB

@Suite struct AdminStoreTests {
    @Test func labelsDefineUpdateListDelete() throws {
        let t = try TestDatabase()
        let labels = t.db.labels
        try labels.define(.init(label: "WEB.UP", priority: 200, active: true, comment: nil))
        try labels.define(.init(label: "QUB", priority: 50, active: false, comment: "slow"))
        #expect(throws: PStampError.self) { try labels.define(.init(label: "QUB", priority: 1, active: true, comment: nil)) }
        #expect(try labels.list(LabelQuery()).map(\.label) == ["WEB.UP", "QUB"])
        #expect(try labels.list(LabelQuery(order: .lowToHigh)).map(\.label) == ["QUB", "WEB.UP"])
        #expect(try labels.list(LabelQuery(active: false)).map(\.label) == ["QUB"])
        #expect(try labels.list(LabelQuery(pattern: "WEB%")).map(\.priority) == [200])
        #expect(try labels.update(label: "QUB", LabelChange(priority: 300, active: true)) == 1)
        #expect(try labels.update(label: "NOPE", LabelChange(priority: 3)) == 0)
        #expect(throws: PStampError.self) { try labels.update(label: "QUB", LabelChange()) }
        #expect(try labels.list(LabelQuery(order: .highToLow)).map(\.label) == ["QUB", "WEB.UP"])
        #expect(try labels.delete(label: "QUB") == 1)
        #expect(try labels.list(LabelQuery()).map(\.label) == ["WEB.UP"])
    }

    /// QUIRK fixed: a data store never polled (NULL timestamp) is ready at once.
    @Test func incomingDataStoresAreReadyWhenNeverPolledOrDue() throws {
        let t = try TestDatabase()
        let stores = t.db.incomingDataStores
        let id = try stores.add(uri: "http://mops/ds/pstamp", outProduct: "mops-results", label: "MOPS")
        #expect(try stores.list(ready: true).map(\.dsID) == [id])
        var change = IncomingDataStoreChange()
        change.lastFileset = "fs.1"
        try stores.modify(dsID: id, change)
        #expect(try stores.list(ready: true).isEmpty)
        #expect(try stores.list().first?.lastFileset == "fs.1")
        change = IncomingDataStoreChange()
        change.state = .disabled
        try stores.modify(dsID: id, change)
        #expect(try stores.list().isEmpty)
        #expect(throws: PStampError.self) { try stores.modify(dsID: id, IncomingDataStoreChange()) }
        #expect(throws: RowCountError.self) { try stores.modify(dsID: 99, change) }
    }

    @Test func pendingRequestsCarryTheirDataStoresProduct() throws {
        let t = try TestDatabase()
        let ds = try t.db.incomingDataStores.add(uri: "http://mops/ds", outProduct: "mops-results")
        _ = try t.db.requests.add(NewRequest(uri: "/x.fits", dsID: ds))
        let pending = try #require(try t.db.requests.pending().first)
        #expect(pending.dsOutProduct == "mops-results")
        #expect(pending.needMagic == 0)
    }

    @Test func projectsUsersDomainsAccessLevels() throws {
        let t = try TestDatabase()
        let proj = try t.db.projects.add(name: "gpc1", imagedb: "gpc1", camera: "GPC1", telescope: "PS1")
        #expect(try t.db.projects.list(name: "gpc1").first?.dbname == "gpc1")
        try t.db.projects.modify(projID: proj, state: "disabled")
        #expect(try t.db.projects.list().first?.state == "disabled")
        #expect(throws: RowCountError.self) { try t.db.projects.modify(projID: 99, state: "enabled") }

        let access = t.db.access
        try access.addDomain("ifa.hawaii.edu", .init(accessLevel: 3, defaultProduct: "ifa"))
        try access.addUser("bills", domain: "ifa.hawaii.edu", .init(accessLevel: 5))
        #expect(try access.updateUser("bills", domain: "ifa.hawaii.edu", .init(defaultLabel: "WEB")) == 1)
        let user = try #require(try access.listUsers(user: "bills").first)
        #expect(user["domainAccessLevel"] == .s64(3))
        #expect(user["userLabel"] == .str("WEB"))
        #expect(user["domainProduct"] == .str("ifa"))
        #expect(throws: PStampError.self) { try access.listUsers() }
        #expect(try access.listDomains().count == 1)
        try access.addAccessLevel(projID: nil, projectName: "gpc1", accessLevel: 3, mjdMax: 55000)
        #expect(throws: PStampError.self) { try access.addAccessLevel(projID: nil, projectName: "nope", accessLevel: 1) }
        let level = try #require(try access.listAccessLevels(projectName: "gpc1").first)
        #expect(level["mjd_max"] == .f32(55000))
        #expect(level["name"] == .str("gpc1"))
    }

    @Test func filesAndWebRequestNumbers() throws {
        let t = try TestDatabase()
        let req = try t.request()
        let job = try t.job(req)
        let file = try t.db.files.add(jobID: job, path: "/bundles/x.tgz")
        let rows = try t.db.files.list(reqID: req)
        #expect(rows.map { $0["file_id"] } == [.s64(file)])
        #expect(rows.first?["req_id"] == .s64(req))
        #expect(try t.db.files.delete(jobID: job) == 1)
        #expect(try t.db.webRequests.next() == 1)
        #expect(try t.db.webRequests.next() == 2)
    }

    @Test func dbnameIsAPathOrANameInTheDataDirectory() {
        #expect(DatabaseLocation.path(dbname: "/tmp/x.sqlite", environment: [:]) == "/tmp/x.sqlite")
        #expect(DatabaseLocation.path(dbname: "var/requestdb.sqlite", environment: [:]) == "var/requestdb.sqlite")
        #expect(
            DatabaseLocation.path(dbname: "ippRequestServer", environment: ["PSTAMP_DATA_DIR": "/srv/pstamp"])
                == "/srv/pstamp/ippRequestServer.sqlite")
        #expect(DatabaseLocation.path(dbname: nil, environment: [:]) == "./var/requestdb.sqlite")
        #expect(DatabaseLocation.path(dbname: nil, environment: ["PS_DBNAME": "pss", "PSTAMP_DATA_DIR": "/d"]) == "/d/pss.sqlite")
    }
}
