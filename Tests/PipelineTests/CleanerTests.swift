import DataStore
import Foundation
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

@Suite("Cleaner")
struct CleanerTests {
    @Test("stopped requests go to goto_cleaned after PSTAMP_PRESERVE_DAYS, not before")
    func queue() throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let (req, _) = try f.runningRequest("old.one")
        try #require(try f.database.requests.transition(reqID: req, from: .run, to: .stop))
        let settings = PipelineSettings(workdir: f.settings.workdir, preserveDays: 14)
        let today = CleanupQueue(database: f.database, settings: settings)
        #expect(try today.queue() == 0)
        #expect(try f.request(req).state == .stop)
        let later = CleanupQueue(database: f.database, settings: settings, now: { Date().addingTimeInterval(15 * 86_400) })
        #expect(try later.queue() == 1)
        #expect(try f.request(req).state == .gotoCleaned)
    }

    @Test("cleaning removes the results fileset, outside files and the work directory, keeps the job rows")
    func clean() async throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let (req, outdir) = try f.runningRequest("clean.me")
        let job = try f.database.jobs.add(NewJob(reqID: req, rownum: "1", outputBase: outdir.path + "/1_1"))
        let stamp = outdir.appendingPathComponent("1_1.fits")
        try Data("stamp".utf8).write(to: stamp)
        let bundle = f.root.appendingPathComponent("bundles/1_1.tgz")
        try FileManager.default.createDirectory(at: bundle.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("tgz".utf8).write(to: bundle)
        _ = try f.database.files.add(jobID: job, path: bundle.path)
        let registry = DataStoreRegistry(
            root: f.root.appendingPathComponent("ds"),
            store: OutgoingDataStoreStore(f.database.pool))
        try FileManager.default.createDirectory(at: registry.root, withIntermediateDirectories: true)
        try registry.register(
            product: "pstampresults", fileset: "clean.me", type: "PSRESULTS",
            files: [RegistrationEntry(path: stamp.path, type: "pstamp")], placement: .copy,
            values: [String(req)], createProduct: true)
        let filesetDir = try registry.filesetDirectory(product: "pstampresults", fileset: "clean.me")
        #expect(FileManager.default.fileExists(atPath: filesetDir.path))
        _ = try f.database.jobs.transition(jobID: job, from: .run, to: .stop, fault: .success)
        try #require(try f.database.requests.transition(reqID: req, from: .run, to: .stop))
        try #require(try f.database.requests.transition(reqID: req, from: .stop, to: .gotoCleaned))

        let cleaner = Cleaner(database: f.database, registry: registry, settings: f.settings)
        let pending = try await cleaner.pending(limit: 10)
        #expect(pending.map(\.key) == ["req:\(req)"])
        #expect(try cleaner.clean(f.request(req)))
        #expect(try f.request(req).state == .cleaned)
        #expect(!FileManager.default.fileExists(atPath: outdir.path))
        #expect(!FileManager.default.fileExists(atPath: bundle.path))
        #expect(!FileManager.default.fileExists(atPath: filesetDir.path))
        #expect(try f.job(job).state == .stop, "job rows are kept")
        #expect(try await cleaner.pending(limit: 10).isEmpty)
    }

    @Test("a request without a stored outdir is found under the work directory by its req_id")
    func cleanWithoutOutdir() throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let reqID = try f.database.requests.add(NewRequest(uri: "/elsewhere/req.fits", name: "no.outdir"))
        let dir = f.settings.workdir.appendingPathComponent("2026/11/24/\(reqID)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try #require(try f.database.requests.transition(reqID: reqID, from: .new, to: .gotoCleaned))
        let registry = DataStoreRegistry(
            root: f.root.appendingPathComponent("ds"),
            store: OutgoingDataStoreStore(f.database.pool))
        #expect(try Cleaner(database: f.database, registry: registry, settings: f.settings).clean(f.request(reqID)))
        #expect(!FileManager.default.fileExists(atPath: dir.path))
        #expect(try f.request(reqID).state == .cleaned)
    }
}
