import DataStore
import FITS
import Foundation
import ImageDB
import Logging
import PStampCore
import PStampTestSupport
import Pipeline
import RequestDB
import Testing

/// A polled request's file fetched from a real HTTP server on loopback (`pstamp_parser_run.pl`'s dsget):
/// a failing remote costs a request fault and a retry, never the request. The request runs the real
/// pipeline on the committed fixture sky.
@Suite struct RemoteRequestFileTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures")
    static let t0 = DataStoreTime.parse("2026-11-25T10:00:00Z")!

    /// A settable clock for the reverter's back-off.
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var time = Date()
        var now: Date { lock.withLock { time } }
        func advance(_ seconds: TimeInterval) { lock.withLock { time += seconds } }
    }

    struct Site {
        let root: URL
        let database: RequestDatabase
        let settings: PipelineSettings
        let images: SQLiteImageDatabase
        let registry: DataStoreRegistry
        let remote = LoopbackDataStore()
        let clock = Clock()

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-remote-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            database = try RequestDatabase.open(path: root.appendingPathComponent("requestdb.sqlite").path, mode: .createOrMigrate)
            settings = PipelineSettings(workdir: root.appendingPathComponent("work"))
            let copy = root.appendingPathComponent("gpc1.sqlite")
            try FileManager.default.copyItem(at: RemoteRequestFileTests.fixtures.appendingPathComponent("gpc1.sqlite"), to: copy)
            images = try SQLiteImageDatabase(path: copy.path)
            registry = DataStoreRegistry(root: root.appendingPathComponent("ds"), store: OutgoingDataStoreStore(database.pool))
            try FileManager.default.createDirectory(at: registry.root, withIntermediateDirectories: true)
            _ = try database.projects.add(name: "gpc1", imagedb: "gpc1", camera: "GPC1", telescope: "PS1")
        }

        func remove() { try? FileManager.default.removeItem(at: root) }

        /// A fixture sample request (text format) as a request FITS file's bytes.
        func requestFile(_ sample: String, name: String) throws -> Data {
            let text = try String(
                contentsOf: RemoteRequestFileTests.fixtures.appendingPathComponent("requests/\(sample).txt"), encoding: .utf8)
            let document = try RequestTextFormat.parse(text, reqName: name, email: nil)
            let path = root.appendingPathComponent("\(name).fits").path
            try RequestFile.write(header: document.header, rows: document.rows, to: path)
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }

        func parserRun(downloadTimeout: TimeInterval = 120) -> Parser {
            let images = images
            return Parser(
                database: database, settings: settings, datapath: ["FIXTURES": RemoteRequestFileTests.fixtures.path],
                images: { _ in images }, client: DataStoreClient(indexTimeout: 5, downloadTimeout: downloadTimeout))
        }

        var reverter: RequestReverter {
            let clock = clock
            return RequestReverter(database: database, settings: settings, now: { clock.now })
        }

        /// Runs parse, jobs and finish until nothing is pending.
        func drain(_ run: Parser) async throws {
            let runner = JobRunner(database: database, settings: settings)
            let finisher = Finisher(database: database, registry: registry, writer: FITSResultsWriter(), settings: settings)
            for _ in 0..<10 {
                var worked = false
                for item in try await run.pending(limit: 20) + runner.pending(limit: 100) + finisher.pending(limit: 8) {
                    try await item.run()
                    worked = true
                }
                if !worked { return }
            }
        }

        func request(_ reqID: Int64) throws -> RequestRecord { try #require(try database.requests.get(reqID: reqID)) }
    }

    @Test("a request file answering HTTP 500 is request fault 200; the reverter retries it and it finishes once the store recovers")
    func requestFile500IsRetriedUntilItFinishes() async throws {
        let site = try Site()
        defer { site.remove() }
        let data = try site.requestFile("fixture.chip.byid", name: "mops.retry")
        await site.remote.addProduct("mops")
        await site.remote.addFileset(
            "mops",
            .init(
                name: "fs1", type: "PSREQUEST", registered: Self.t0,
                files: [.init(name: "req.fits", data: data, type: "psrequest")]))
        await site.remote.misbehave("/ds/mops/fs1/req.fits", .status(500))
        try await site.remote.serve { base in
            let stores = IncomingDataStoreStore(site.database.pool)
            _ = try stores.add(uri: "\(base)/ds/mops", outProduct: "mops_results", label: "MOPS")
            let polled = try await Poller(database: site.database).pollDue()
            let reqID = try #require(polled.first?.requests.first)
            let run = site.parserRun()

            try await site.drain(run)
            var request = try site.request(reqID)
            #expect(request.state == .new)
            #expect(request.fault == PStampCode(200), "HTTP 500 − 300")
            #expect(request.uri == "\(base)/ds/mops/fs1/req.fits")
            #expect(try await run.pending(limit: 10).isEmpty, "a faulted request is not parsed again until reverted")

            // The reverter clears the fault about 10 s on; the store still fails, so the fault comes back,
            // and the next try waits its back-off (20 s).
            let reverter = site.reverter
            #expect(try await reverter.revertDue().isEmpty, "the first try is scheduled")
            site.clock.advance(12)
            #expect(try await reverter.revertDue() == [reqID])
            #expect(try site.request(reqID).fault == .success)
            try await site.drain(run)
            #expect(try site.request(reqID).fault == PStampCode(200))
            #expect(try await reverter.revertDue().isEmpty, "the next try waits its back-off")

            // The store recovers: after the back-off the request is fetched (size and md5 checked against
            // the fileset index), parsed, stamped and finished into the store's output product.
            await site.remote.misbehave("/ds/mops/fs1/req.fits", nil)
            site.clock.advance(31)
            #expect(try await reverter.revertDue() == [reqID])
            try await site.drain(run)
            request = try site.request(reqID)
            #expect(request.state == .stop)
            #expect(request.fault == .success)
            #expect(request.name == "mops.retry")
            #expect(request.outProduct == "mops_results")
            let outdir = try #require(request.outdir)
            #expect(request.uri == outdir + "/req.fits")
            #expect(try Data(contentsOf: URL(fileURLWithPath: outdir + "/req.fits")) == data)
            let fileset = try #require(try site.registry.store.fileset(product: "mops_results", name: "mops.retry"))
            #expect(try site.registry.store.files(filesetID: fileset.filesetID).contains { $0.name == "results.fits" })
            let results = try ResultsFile.read(outdir + "/results.fits")
            #expect(!results.rows.isEmpty)
            #expect(results.rows.allSatisfy { $0.errorCode == .success }, "\(results.rows.map(\.errorString))")
        }
    }

    @Test("a request file that is slow, missing, or not what its index says is a request fault with the IPP's code")
    func downloadFailuresAreRequestFaults() async throws {
        let site = try Site()
        defer { site.remove() }
        let data = try site.requestFile("fixture.chip.byid", name: "mops.bad")
        await site.remote.addProduct("mops")
        var liar = LoopbackDataStore.File(name: "liar.fits", data: data, type: "psrequest")
        liar.listedMD5 = String(repeating: "0", count: 32)
        await site.remote.addFileset(
            "mops",
            .init(
                name: "fs1", type: "PSREQUEST", registered: Self.t0,
                files: [
                    .init(name: "slow.fits", data: data, type: "psrequest"), liar,
                ]))
        await site.remote.misbehave("/ds/mops/fs1/slow.fits", .slow(seconds: 3))
        try await site.remote.serve { base in
            let add = { (file: String) in
                try site.database.requests.add(NewRequest(uri: "\(base)/ds/mops/fs1/\(file)", dsID: 1, label: "MOPS"))
            }
            let slow = try add("slow.fits"), liar = try add("liar.fits"), gone = try add("gone.fits")
            try await site.drain(site.parserRun(downloadTimeout: 1))
            #expect(try site.request(slow).fault == PStampCode.timeoutError)
            #expect(try site.request(liar).fault == PStampCode.dataError)
            #expect(try site.request(gone).fault == PStampCode(104), "HTTP 404 − 300")
            for id in [slow, liar, gone] {
                let request = try site.request(id)
                #expect(request.state == .new)
                let outdir = try #require(request.outdir)
                let left = (try? FileManager.default.contentsOfDirectory(atPath: outdir)) ?? []
                #expect(left.isEmpty, "nothing half-downloaded is left: \(left)")
            }
        }
    }
}
