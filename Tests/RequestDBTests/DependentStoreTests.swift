import Foundation
import GRDB
import PStampCore
import Testing

@testable import RequestDB

@Suite struct DependentStoreTests {
    @Test func getDependentFindsOrCreates() throws {
        let t = try TestDatabase()
        let first = try t.db.dependents.getDependent(.xy31, outdir: "/w/5977", rlabel: "ps_ud_WEB.UP")
        guard case .created(let id) = first else { Issue.record("\(first)"); return }
        #expect(try t.db.dependents.getDependent(.xy31, outdir: "/w/other") == .found(depID: id))
        let row = try #require(try t.db.dependents.get(depID: id))
        #expect(row.outdir == "/w/5977")
        #expect(row.logfile == "/w/5977/checkdep.\(id).log")
        #expect(row.state == .new)
        #expect(row.fault == .success)
        #expect(row.faultCount == 0)
        var other = DependentKey.xy31
        other.component = "XY32"
        #expect(try t.db.dependents.getDependent(other, outdir: "/w", noCreate: true) == .notFound)
    }

    @Test func aHeldDependentIsReleasedByACallerThatDoesNotHold() throws {
        let t = try TestDatabase()
        let held = try t.db.dependents.getDependent(.xy31, outdir: "/w", hold: true)
        let id = try #require(held.depID)
        #expect(try t.db.dependents.get(depID: id)?.state == .hold)
        #expect(try t.db.dependents.getDependent(.xy31, outdir: "/w", hold: true) == .found(depID: id))
        #expect(try t.db.dependents.get(depID: id)?.state == .hold)
        #expect(try t.db.dependents.getDependent(.xy31, outdir: "/w") == .found(depID: id))
        #expect(try t.db.dependents.get(depID: id)?.state == .new)
    }

    @Test func aFaultedOpenDependentReturnsItsFault() throws {
        let t = try TestDatabase()
        let id = try t.db.dependents.getDependent(.xy31, outdir: "/w").depID!
        try t.db.dependents.update(depID: id, fault: .sysError)
        #expect(try t.db.dependents.getDependent(.xy31, outdir: "/w") == .faulted(depID: id, fault: .sysError))
    }

    @Test func aFullDependentIsNeverReused() throws {
        let t = try TestDatabase()
        let id = try t.db.dependents.getDependent(.xy31, outdir: "/w").depID!
        try t.db.dependents.update(depID: id, state: .full)
        let again = try t.db.dependents.getDependent(.xy31, outdir: "/w")
        guard case .created(let second) = again else { Issue.record("\(again)"); return }
        #expect(second != id)
        #expect(throws: PStampError.self) { try t.db.dependents.update(depID: id, state: .new) }
        #expect(throws: RowCountError.self) { try t.db.dependents.update(depID: 999, state: .full) }
    }

    /// The unique index allows one open dependent per component, whatever writes the row.
    @Test func theDatabaseRefusesASecondOpenDependent() throws {
        let t = try TestDatabase()
        _ = try t.db.dependents.getDependent(.xy31, outdir: "/w")
        #expect(throws: DatabaseError.self) {
            try t.db.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO pstampDependent (state, stage, stage_id, component, imagedb) VALUES ('hold', 'chip', 77563, 'XY31', 'gpc1')
                        """)
            }
        }
    }

    /// Two (indeed many) concurrent callers for one component, each with its own connection pool on the
    /// same file as separate processes would have, get one and the same dependent.
    @Test func concurrentGetDependentYieldsOneDependent() async throws {
        let t = try TestDatabase()
        let path = t.path
        let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let db = try RequestDatabase.open(path: path)
                    return try db.dependents.getDependent(.xy31, outdir: "/w").depID!
                }
            }
            var ids: [Int64] = []
            for try await id in group { ids.append(id) }
            return ids
        }
        #expect(ids.count == 8)
        #expect(Set(ids).count == 1)
        let rows: Int? = try t.scalar("SELECT COUNT(*) FROM pstampDependent")
        #expect(rows == 1)
    }

    /// One row per dependent with the first request needing it, its log file and priority; only while a
    /// job of a running request waits for it.
    @Test func pendingDependentsAreGroupedPerDependent() throws {
        let t = try TestDatabase()
        try t.db.labels.define(.init(label: "WEB.UP", priority: 8, active: true, comment: nil))
        let r1 = try t.request(label: "WEB.UP")
        let r2 = try t.request(label: "WEB.UP")
        let dep = try t.db.dependents.getDependent(.xy31, outdir: "/data/5977", rlabel: "ps_ud_WEB.UP").depID!
        _ = try t.job(r2, depID: dep)
        _ = try t.job(r1, depID: dep)
        _ = try t.job(r1, depID: dep)
        let pending = try t.db.dependents.pending()
        #expect(pending.count == 1)
        let row = try #require(pending.first)
        #expect(row.firstReqID == r1)
        #expect(row.logfile == "/data/5977/checkdep.\(dep).log")
        #expect(row.priority == 8)
        #expect(row.label == "WEB.UP")
        #expect(
            row.metadataRow.items.map(\.name) == [
                "dep_id", "state", "stage", "stage_id", "component", "imagedb",
                "outdir", "rlabel", "need_magic", "fault", "fault_count", "label",
                "first_req_id", "logfile", "priority",
            ])

        var byComponent = DependentFilter()
        byComponent.component = "XY32"
        #expect(try t.db.dependents.pending(byComponent).isEmpty)
        byComponent.component = "XY31"
        #expect(try t.db.dependents.pending(byComponent).count == 1)

        // Faulted dependents only with includeFaulted; held requests do not count.
        try t.db.dependents.update(depID: dep, fault: .sysError)
        #expect(try t.db.dependents.pending().isEmpty)
        var filter = DependentFilter()
        filter.includeFaulted = true
        #expect(try t.db.dependents.pending(filter).count == 1)
        var selector = RequestSelector()
        selector.labels = LabelFilter(["WEB.UP"])
        _ = try t.db.requests.update(selector, RequestChange(state: .hold))
        #expect(try t.db.dependents.pending(filter).isEmpty)
    }

    @Test func revertClearsSystemFaultsOfWaitedForDependents() throws {
        let t = try TestDatabase()
        let req = try t.request()
        let dep = try t.db.dependents.getDependent(.xy31, outdir: "/w").depID!
        _ = try t.job(req, depID: dep)
        try t.db.dependents.update(depID: dep, fault: .sysError)
        #expect(throws: PStampError.self) { try t.db.dependents.revert(DependentRevertSelector()) }
        var selector = DependentRevertSelector()
        selector.reqID = req
        #expect(try t.db.dependents.revert(selector) == 1)
        #expect(try t.db.dependents.get(depID: dep)?.fault == .success)
        #expect(try t.db.dependents.get(depID: dep)?.faultCount == 1)
    }
}
