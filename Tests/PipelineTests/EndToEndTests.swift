import DataStore
import FITS
import Foundation
import ImageDB
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

/// Parser → JobRunner → Finisher on the committed fixture sky, in process, with the real request-file
/// reader, image database, stamp engine, results writer and data store.
@Suite("Pipeline end to end on the fixture")
struct EndToEndTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures")

    struct Site {
        let f: PipelineFixture
        let images: SQLiteImageDatabase
        let registry: DataStoreRegistry
        init() throws {
            f = try PipelineFixture()
            let copy = f.root.appendingPathComponent("gpc1.sqlite")
            try FileManager.default.copyItem(at: EndToEndTests.fixtures.appendingPathComponent("gpc1.sqlite"), to: copy)
            images = try SQLiteImageDatabase(path: copy.path)
            registry = DataStoreRegistry(root: f.root.appendingPathComponent("ds"), store: OutgoingDataStoreStore(f.database.pool))
            try FileManager.default.createDirectory(at: registry.root, withIntermediateDirectories: true)
            _ = try f.database.projects.add(name: "gpc1", imagedb: "gpc1", camera: "GPC1", telescope: "PS1")
        }
        var parser: Parser {
            let images = images
            return Parser(
                database: f.database, settings: f.settings,
                datapath: ["FIXTURES": EndToEndTests.fixtures.path], images: { _ in images })
        }
        var runner: JobRunner { JobRunner(database: f.database, settings: f.settings) }
        var finisher: Finisher { Finisher(database: f.database, registry: registry, writer: FITSResultsWriter(), settings: f.settings) }

        /// Submits a fixture sample request (text format) under `name`.
        func submit(_ sample: String, name: String) throws -> Int64 {
            let text = try String(contentsOf: EndToEndTests.fixtures.appendingPathComponent("requests/\(sample).txt"), encoding: .utf8)
            let document = try RequestTextFormat.parse(text, reqName: name, email: nil)
            let path = f.root.appendingPathComponent("\(name).fits").path
            try RequestFile.write(header: document.header, rows: document.rows, to: path)
            return try f.database.requests.add(NewRequest(uri: path, label: "WEB"))
        }

        /// Runs every task until nothing is pending.
        func drain() async throws {
            for _ in 0..<10 {
                var worked = false
                for item in try await parser.pending(limit: 20) + runner.pending(limit: 100) + finisher.pending(limit: 8) {
                    try await item.run()
                    worked = true
                }
                if !worked { return }
            }
        }
    }

    @Test("a chip byid request is parsed, stamped and finished with its results fileset")
    func chipByID() async throws {
        let s = try Site()
        defer { s.f.cleanup() }
        let reqID = try s.submit("fixture.chip.byid", name: "e2e.chip.byid")
        try await s.drain()
        let request = try s.f.request(reqID)
        #expect(request.state == .stop)
        let fileset = try #require(try s.registry.store.fileset(product: "pstampresults", name: "e2e.chip.byid"))
        let files = try s.registry.store.files(filesetID: fileset.filesetID).map(\.name)
        #expect(files.contains("results.fits"))
        #expect(files.contains { $0.hasPrefix("1_1_") && $0.hasSuffix(".fits") })
        let results = try ResultsFile.read(try #require(request.outdir) + "/results.fits")
        #expect(results.reqName == "e2e.chip.byid")
        #expect(!results.rows.isEmpty)
        #expect(results.rows.allSatisfy { $0.errorCode == .success }, "\(results.rows.map(\.errorString))")
    }

    @Test("the parse keeps each job's parameters record in the request database with the job: no file per job")
    func parametersAreKeptWithTheJob() async throws {
        let s = try Site()
        defer { s.f.cleanup() }
        let reqID = try s.submit("fixture.chip.byid", name: "e2e.chip.params")
        for item in try await s.parser.pending(limit: 20) { try await item.run() }
        var filter = JobListFilter()
        filter.reqID = reqID
        let jobs = try s.f.database.jobs.list(filter).map(\.job).filter { $0.jobType == .stamp }
        #expect(!jobs.isEmpty)
        let stored = try s.f.database.jobParameters.all(reqID: reqID)
        for job in jobs {
            let params = try #require(try JobParameters.read(job: job, database: s.f.database))
            #expect(params.stage == .chip && params.rownum == job.rownumber)
            #expect(try JobParameters(text: try #require(stored[job.jobID])) == params)
        }
        // A batch reads its jobs' records in one read: the same texts; ids without a record (here more
        // than one statement's worth) are left out.
        let batch = try s.f.database.jobParameters.get(jobIDs: Array(1_000_000..<1_001_200) + jobs.map(\.jobID))
        #expect(batch == stored.filter { id, _ in jobs.contains { $0.jobID == id } })
        let outdir = try #require(try s.f.request(reqID).outdir)
        let names = try FileManager.default.contentsOfDirectory(atPath: outdir)
        #expect(!names.contains { $0.hasSuffix(".params.json") }, "\(names)")
        try await s.drain()
        #expect(try s.f.request(reqID).state == .stop)
        let results = try ResultsFile.read(outdir + "/results.fits")
        #expect(results.rows.allSatisfy { $0.errorCode == .success && $0.mjdObs > 0 }, "the exposure columns come from the stored records")
    }

    /// Raw images are cell mosaics (DATASEC/DETSEC); they once ended 25 because the fixture's cells carried
    /// no placement. Every sample whose images are on disk ends with stamps and PSTAMP_SUCCESS rows.
    @Test(
        "fixture samples on images that are on disk finish with every row PSTAMP_SUCCESS",
        arguments: [
            "fixture.raw.byid", "fixture.raw.byexp", "fixture.warp.byid", "fixture.stack.byid",
            "fixture.diff.byid",
            // Once 28: the sample's centre was in skycell .044, the template warp of 7002 is .054.
            "fixture.warp.bydiff",
            // Once 21: a whole-file bycoord row lost its centre before the lookup.
            "fixture.stack_summary.bycoord",
        ])
    func sampleSucceeds(_ sample: String) async throws {
        let s = try Site()
        defer { s.f.cleanup() }
        let name = "e2e." + sample
        let reqID = try s.submit(sample, name: name)
        try await s.drain()
        let request = try s.f.request(reqID)
        #expect(request.state == .stop)
        let results = try ResultsFile.read(try #require(request.outdir) + "/results.fits")
        #expect(!results.rows.isEmpty)
        #expect(results.rows.allSatisfy { $0.errorCode == .success }, "\(results.rows.map(\.errorString))")
    }

    @Test("a second request with the same REQ_NAME gets 20 and is renamed ERROR.<time>.<req_id>")
    func duplicateName() async throws {
        let s = try Site()
        defer { s.f.cleanup() }
        _ = try s.submit("fixture.chip.byid", name: "e2e.same")
        try await s.drain()
        let second = try s.submit("fixture.chip.byid", name: "e2e.same")
        try await s.drain()
        let request = try s.f.request(second)
        #expect(request.name?.hasPrefix("ERROR.") == true)
        #expect(request.name?.hasSuffix(".\(second)") == true)
        #expect(request.state == .stop)
        let results = try ResultsFile.read(try #require(request.outdir) + "/results.fits")
        #expect(results.rows.map(\.errorCode) == [.dupRequest])
    }

    @Test("a REQ_NAME no data store can hold (`..`, a leading dot) gets 21 under an ERROR name instead of a finish retried forever")
    func unusableName() async throws {
        let s = try Site()
        defer { s.f.cleanup() }
        let reqID = try s.submit("fixture.chip.byid", name: "..")
        try await s.drain()
        let request = try s.f.request(reqID)
        #expect(request.state == .stop)
        #expect((request.fault ?? .success) == .success)
        #expect(request.name?.hasPrefix("ERROR.") == true && request.name?.hasSuffix(".\(reqID)") == true)
        let outdir = try #require(request.outdir)
        #expect(try ResultsFile.read(outdir + "/results.fits").rows.map(\.errorCode) == [.invalidRequest])
        #expect(try String(contentsOfFile: outdir + "/parse_error.txt", encoding: .utf8).contains("cannot name a results fileset"))
        #expect(try s.registry.store.fileset(product: "pstampresults", name: try #require(request.name)) != nil)
    }
}
