import Foundation
import GRDB
import PStampCore
import Testing

@testable import RequestDB

/// The incoming data stores' bookkeeping, as the Poller uses it: each fileset recorded once, and the
/// polled requests written as `pstamptool -addreq` writes them.
@Suite struct IncomingDataStoreTests {
    /// A second poller (or a crash and restart) that read the same index cannot take a fileset
    /// twice: recording is guarded by the lastFileset it started from.
    @Test func recordingIsGuardedByThePreviousLastFileset() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-guard-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try RequestDatabase.open(path: dir.appendingPathComponent("r.sqlite").path, mode: .createOrMigrate)
        let stores = IncomingDataStoreStore(db.pool)
        let id = try stores.add(uri: "http://x/ds/p", outProduct: "out")
        #expect(try stores.recordFileset(dsID: id, previous: nil, fileset: "a", requestURIs: ["u1"], label: "L") != nil)
        #expect(try stores.recordFileset(dsID: id, previous: nil, fileset: "a", requestURIs: ["u1"], label: "L") == nil)
        #expect(try stores.recordFileset(dsID: id, previous: "a", fileset: "b", requestURIs: [], label: "L") == [])
        let count = try db.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pstampRequest") }
        #expect(count == 1)
        #expect(try stores.list(dsID: id).first?.lastFileset == "b")
    }

    /// The poller's rows look like those of `pstamptool -addreq -uri U -ds_id D -label L`.
    @Test func polledRequestsMatchAddreq() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-addreq-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try RequestDatabase.open(path: dir.appendingPathComponent("r.sqlite").path, mode: .createOrMigrate)
        let stores = IncomingDataStoreStore(db.pool)
        let id = try stores.add(uri: "http://x/ds/p", outProduct: "out")
        let polled = try #require(try stores.recordFileset(dsID: id, previous: nil, fileset: "a", requestURIs: ["u"], label: "L")?.first)
        let added = try RequestStore(db.pool).add(NewRequest(uri: "u", dsID: id, label: "L"))
        let rows = try db.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM pstampRequest WHERE req_id IN (?, ?) ORDER BY req_id", arguments: [polled, added])
        }
        let columns = rows[0].columnNames.filter { !["req_id", "registered", "timestamp"].contains($0) }
        for column in columns { #expect(rows[0][column] as DatabaseValue == rows[1][column] as DatabaseValue, "\(column)") }
    }
}
