import DataStore
import Foundation
import GRDB
import Logging
import PStampCore
import PStampTestSupport
import Pipeline
import RequestDB
import Testing

/// The Poller against a real HTTP server on loopback that serves filesets in the IPP layout, and
/// answers 500, 404, or slowly; the request database is a real SQLite file.
@Suite struct PollerTests {
    static let t0 = DataStoreTime.parse("2026-11-25T10:00:00Z")!

    struct Fixture {
        let directory: TemporaryDirectory
        let database: RequestDatabase
        let remote = LoopbackDataStore()

        init(filesets: Int = 3) async throws {
            directory = try TemporaryDirectory("pstamp-poll")
            database = try directory.requestDatabase()
            await remote.addProduct("mops")
            for i in 1...max(1, filesets) where filesets > 0 { await addFileset("fs\(i)") }
        }

        func addFileset(_ name: String, files: Int = 1) async {
            await remote.addFileset(
                "mops",
                .init(
                    name: name, type: "PSREQUEST", registered: t0,
                    files: (1...files).map {
                        .init(name: "\(name)_\($0).fits", data: Data("request \(name) \($0)".utf8), type: "psrequest")
                    }))
        }

        var stores: IncomingDataStoreStore { IncomingDataStoreStore(database.pool) }

        func addStore(_ base: String, label: String? = "MOPS") throws -> Int64 {
            try stores.add(uri: "\(base)/ds/mops", outProduct: "mops_results", label: label)
        }

        func store(_ id: Int64) throws -> IncomingDataStoreRecord { try #require(try stores.list(dsID: id).first) }

        func requests() throws -> [Row] {
            try database.pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM pstampRequest ORDER BY req_id") }
        }

        /// Makes every store due again, as if its pollInterval had passed.
        func age() throws {
            try database.pool.write { db in try db.execute(sql: "UPDATE pstampDataStore SET timestamp = datetime('now', '-1 hour')") }
        }

        func poller(timeout: TimeInterval = 5, limit: Int = 5) -> Poller {
            Poller(database: database, client: DataStoreClient(indexTimeout: timeout), filesetLimit: limit)
        }

        func remove() { directory.remove() }
    }

    @Test func aNewStoreIsPolledAtOnceAndEveryFileBecomesARequest() async throws {
        let f = try await Fixture(filesets: 2)
        defer { f.remove() }
        await f.addFileset("fs3", files: 2)
        try await f.remote.serve { base in
            let id = try f.addStore(base)
            // QUIRK fixed: the IPP never found a store with a NULL timestamp due.
            #expect(try f.store(id).timestamp == nil)
            #expect(try f.poller().dueStores().map(\.dsID) == [id])
            let results = try await f.poller().pollDue()
            #expect(results.map(\.filesets) == [["fs1", "fs2", "fs3"]])
            let rows = try f.requests()
            #expect(
                rows.map { $0["uri"] as String } == [
                    "\(base)/ds/mops/fs1/fs1_1.fits", "\(base)/ds/mops/fs2/fs2_1.fits",
                    "\(base)/ds/mops/fs3/fs3_1.fits", "\(base)/ds/mops/fs3/fs3_2.fits",
                ])
            #expect(rows.allSatisfy { $0["ds_id"] as Int64 == id && $0["label"] as String? == "MOPS" })
            #expect(rows.allSatisfy { $0["state"] as String == "new" && $0["fault"] as Int == 0 })
            #expect(try f.store(id).lastFileset == "fs3")
            #expect(try f.store(id).timestamp != nil)
            // Not due again before its pollInterval has passed.
            #expect(try f.poller().dueStores().isEmpty)
        }
    }

    @Test func laterPollsAskOnlyForNewerFilesets() async throws {
        let f = try await Fixture(filesets: 2)
        defer { f.remove() }
        try await f.remote.serve { base in
            let id = try f.addStore(base)
            try await f.poller().pollDue()
            await f.addFileset("fs3")
            await f.remote.clearRequests()
            try f.age()
            let result = try await f.poller().pollDue()
            #expect(result.map(\.filesets) == [["fs3"]])
            #expect(await f.remote.requests.first == "/ds/mops/index.txt?fs2")
            #expect(try f.requests().count == 3)
            #expect(try f.store(id).lastFileset == "fs3")
            // Nothing new: only the timestamp moves.
            try f.age()
            let before = try f.store(id).timestamp
            #expect(try await f.poller().pollDue().map(\.filesets) == [[]])
            #expect(try f.store(id).timestamp != before)
            #expect(try f.requests().count == 3)
        }
    }

    @Test func http500OnTheIndexOnlyMovesTheTimestamp() async throws {
        let f = try await Fixture()
        defer { f.remove() }
        await f.remote.misbehave("/ds/mops/index.txt", .status(500))
        try await f.remote.serve { base in
            let id = try f.addStore(base)
            let result = try await f.poller().pollDue()
            #expect(result.first?.fault?.rawValue == 200)
            #expect(try f.requests().isEmpty)
            #expect(try f.store(id).lastFileset == nil)
            #expect(try f.store(id).timestamp != nil)
            // The remote recovers: the next due poll takes everything.
            await f.remote.misbehave("/ds/mops/index.txt", nil)
            try f.age()
            #expect(try await f.poller().pollDue().map(\.filesets) == [["fs1", "fs2", "fs3"]])
        }
    }

    /// What an operator reads in the server log when a remote store fails: a warning naming the store,
    /// what failed and that it will be retried; nothing else happens but the timestamp.
    @Test func failingIndexesAreLoggedAsWarningsNamingTheStore() async throws {
        let f = try await Fixture()
        defer { f.remove() }
        let log = CollectedLog()
        try await f.remote.serve { base in
            let id = try f.addStore(base)
            let poller = Poller(database: f.database, client: DataStoreClient(indexTimeout: 5), logger: log.logger)
            await f.remote.misbehave("/ds/mops/index.txt", .status(500))
            let before = try f.store(id).timestamp
            #expect(try await poller.pollDue().first?.fault?.rawValue == 200)
            #expect(try f.store(id).timestamp != before)
            await f.remote.misbehave("/ds/mops/index.txt", .status(404))
            try f.age()
            #expect(try await poller.pollDue().first?.fault?.rawValue == 104)
            #expect(try f.requests().isEmpty)
            #expect(try f.store(id).lastFileset == nil)
            let warnings = log.entries.filter { $0.level == .warning }.map(\.message)
            #expect(warnings.count == 2, "\(log.entries)")
            #expect(
                warnings.first?.contains("data store \(id) \(base)/ds/mops: index: HTTP 500 from \(base)/ds/mops/index.txt; will retry")
                    == true,
                "\(warnings)")
            #expect(warnings.last?.contains("HTTP 404 from \(base)/ds/mops/index.txt; will retry") == true, "\(warnings)")
        }
    }

    /// A store that writes a line the IPP client rules reject: the good lines are taken, the bad one is
    /// left out and the operator reads why.
    @Test func malformedIndexLinesAreLeftOutAndLogged() async throws {
        let f = try await Fixture(filesets: 2)
        defer { f.remove() }
        let log = CollectedLog()
        await f.remote.misbehave(
            "/ds/mops/index.txt",
            .body(
                """
                # filesetID|time registered     |type     |
                fs1        |2026-11-25T10:00:00Z|PSREQUEST|
                fs9        |2026-11-25 10:00:00 |PSREQUEST|
                fs2        |2026-11-25T10:01:00Z|PSREQUEST|

                """))
        try await f.remote.serve { base in
            let id = try f.addStore(base)
            let poller = Poller(database: f.database, client: DataStoreClient(indexTimeout: 5), logger: log.logger)
            #expect(try await poller.pollDue().first?.filesets == ["fs1", "fs2"])
            #expect(try f.store(id).lastFileset == "fs2")
            let warnings = log.entries.filter { $0.level == .warning }.map(\.message)
            #expect(
                warnings == ["\(base)/ds/mops/index.txt: line 3 left out: time '2026-11-25 10:00:00' is not YYYY-MM-DDTHH:MM:SSZ"],
                "\(log.entries)")
        }
    }

    @Test func http404ForADeletedLastFilesetOnlyMovesTheTimestamp() async throws {
        let f = try await Fixture()
        defer { f.remove() }
        try await f.remote.serve { base in
            let id = try f.addStore(base)
            try await f.poller().pollDue()
            await f.remote.removeFileset("mops", "fs3")
            await f.addFileset("fs4")
            try f.age()
            let result = try await f.poller().pollDue()
            #expect(result.first?.fault?.rawValue == 104)
            #expect(try f.requests().count == 3)
            #expect(try f.store(id).lastFileset == "fs3")
        }
    }

    @Test func aSlowStoreTimesOutAndTheOthersAreStillPolled() async throws {
        let f = try await Fixture()
        defer { f.remove() }
        let other = LoopbackDataStore()
        await other.addProduct("mops")
        await other.addFileset(
            "mops",
            .init(
                name: "x1", type: "PSREQUEST", registered: Self.t0,
                files: [.init(name: "x1.fits", data: Data("x".utf8), type: "psrequest")]))
        await f.remote.misbehave("/ds/mops/index.txt", .slow(seconds: 5))
        try await f.remote.serve { slowBase in
            try await other.serve { fastBase in
                let slow = try f.addStore(slowBase)
                let fast = try f.stores.add(uri: "\(fastBase)/ds/mops", outProduct: "other_results", label: nil)
                let results = try await f.poller(timeout: 2).pollDue()
                #expect(results.map(\.dsID) == [slow, fast])
                #expect(results[0].fault == .timeoutError)
                #expect(results[1].filesets == ["x1"])
                #expect(try f.store(slow).timestamp != nil)
                #expect(try f.store(slow).lastFileset == nil)
                #expect(try f.requests().map { $0["ds_id"] as Int64 } == [fast])
                #expect(try f.requests().first?["label"] as String? == nil)
            }
        }
    }

    @Test func aFailingFilesetListStopsAtTheLastCompleteFileset() async throws {
        let f = try await Fixture()
        defer { f.remove() }
        await f.remote.misbehave("/ds/mops/fs2/index.txt", .status(500))
        try await f.remote.serve { base in
            let id = try f.addStore(base)
            let result = try await f.poller().pollDue()
            #expect(result.first?.filesets == ["fs1"])
            #expect(result.first?.fault?.rawValue == 200)
            #expect(try f.store(id).lastFileset == "fs1")
            await f.remote.misbehave("/ds/mops/fs2/index.txt", nil)
            try f.age()
            #expect(try await f.poller().pollDue().first?.filesets == ["fs2", "fs3"])
            #expect(
                try f.requests().map { ($0["uri"] as String).split(separator: "/").last! } == ["fs1_1.fits", "fs2_1.fits", "fs3_1.fits"])
        }
    }

    @Test func atMostLimitFilesetsPerPoll() async throws {
        let f = try await Fixture(filesets: 7)
        defer { f.remove() }
        try await f.remote.serve { base in
            _ = try f.addStore(base)
            #expect(try await f.poller(limit: 5).pollDue().first?.filesets == ["fs1", "fs2", "fs3", "fs4", "fs5"])
            try f.age()
            #expect(try await f.poller(limit: 5).pollDue().first?.filesets == ["fs6", "fs7"])
        }
    }

    /// Any plain HTTP server holding the IPP layout ignores `?<lastFileset>`: nothing is taken twice.
    @Test func aServerIgnoringTheCursorDoesNotRepeatFilesets() async throws {
        let f = try await Fixture(filesets: 2)
        defer { f.remove() }
        await f.remote.setIgnoresCursor(true)
        try await f.remote.serve { base in
            _ = try f.addStore(base)
            try await f.poller().pollDue()
            await f.addFileset("fs3")
            try f.age()
            #expect(try await f.poller().pollDue().first?.filesets == ["fs3"])
            try f.age()
            #expect(try await f.poller().pollDue().first?.filesets == [])
            #expect(try f.requests().count == 3)
        }
    }
}

/// A logger whose messages a test can read.
final class CollectedLog: @unchecked Sendable {
    struct Entry: Sendable, CustomStringConvertible {
        let level: Logger.Level
        let message: String
        var description: String { "\(level): \(message)" }
    }
    private let lock = NSLock()
    private var collected: [Entry] = []
    var entries: [Entry] { lock.withLock { collected } }
    func append(_ entry: Entry) { lock.withLock { collected.append(entry) } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(log: self) }
    }

    struct Handler: LogHandler {
        let log: CollectedLog
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider? = nil
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { log.append(Entry(level: event.level, message: "\(event.message)")) }
    }
}
