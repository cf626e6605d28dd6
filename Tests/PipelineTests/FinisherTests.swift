import DataStore
import FITS
import Foundation
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

@Suite("Finisher")
struct FinisherTests {
    struct Setup {
        let f: PipelineFixture
        let registry: DataStoreRegistry
        var finisher: Finisher { Finisher(database: f.database, registry: registry, writer: FITSResultsWriter(), settings: f.settings) }
        init() throws {
            f = try PipelineFixture()
            registry = DataStoreRegistry(root: f.root.appendingPathComponent("ds"), store: OutgoingDataStoreStore(f.database.pool))
            try FileManager.default.createDirectory(at: registry.root, withIntermediateDirectories: true)
        }
        /// A request (a real request file of two rows) whose two jobs have stopped: one made a stamp, one
        /// found no overlap (28).
        func finishedRequest(_ name: String) throws -> Int64 {
            let (req, outdir) = try f.runningRequest(name)
            let document = try RequestTextFormat.parse(
                """
                \(name) 2 PROCESS someone@example.org
                1 150.02 1.98 20 10 2 stamp 1 gpc1 null null byid chip 211 null XY33 null null 0 0 null 0 0 | stamped
                2 150.02 1.98 20 10 2 stamp 1 gpc1 null null byid chip 211 null XY44 null null 0 0 null 0 0 | off the chip
                """)
            let requestFile = outdir.appendingPathComponent("\(name).fits")
            try RequestFile.write(header: document.header, rows: document.rows, to: requestFile.path)
            var selector = RequestSelector()
            selector.reqID = req
            var change = RequestChange()
            change.uri = requestFile.path
            change.name = name
            _ = try f.database.requests.update(selector, change)
            let ok = try f.database.jobs.add(NewJob(reqID: req, rownum: "1", outputBase: outdir.path + "/1_1_X_chip"))
            let stamp = outdir.appendingPathComponent("1_1_X_chip.fits")
            try Data("pixels".utf8).write(to: stamp)
            try Data("1_1_X_chip.fits|6|\(String(repeating: "0", count: 32))|pstamp|\n".utf8)
                .write(to: outdir.appendingPathComponent("reglist\(ok)"))
            _ = try f.database.jobs.transition(jobID: ok, from: .run, to: .stop, fault: .success)
            _ = try f.database.jobs.add(NewJob(reqID: req, rownum: "2", state: .stop, fault: .noOverlap))
            try Data("row 3: bad IMG_TYPE\n".utf8).write(to: outdir.appendingPathComponent("parse_error.txt"))
            return req
        }
    }

    @Test("a request whose jobs have all stopped gets one PSRESULTS fileset named REQ_NAME, prod_col_0 = req_id, then stop")
    func finishes() async throws {
        let s = try Setup()
        defer { s.f.cleanup() }
        let req = try s.finishedRequest("finish.me")
        #expect(try await s.finisher.pending(limit: 8).map(\.key) == ["req:\(req)"])
        #expect(try s.finisher.finish(s.f.request(req)))
        #expect(try s.f.request(req).state == .stop)
        let fileset = try #require(try s.registry.store.fileset(product: "pstampresults", name: "finish.me"))
        #expect(fileset.type == "PSRESULTS")
        #expect(fileset.values.first == String(req))
        let files = try s.registry.store.files(filesetID: fileset.filesetID).map(\.name).sorted()
        #expect(files == ["1_1_X_chip.fits", "parse_error.txt", "results.fits", "results.mdc"])
        let results = try ResultsFile.read(try #require(try s.f.request(req).outdir) + "/results.fits")
        #expect(results.reqName == "finish.me" && results.reqID == req)
        #expect(results.rows.map(\.rownum) == [1, 2])
        #expect(results.rows.map(\.imgName) == ["1_1_X_chip.fits", "0"])
        #expect(results.rows.map(\.errorString) == ["PSTAMP_SUCCESS", "PSTAMP_NO_OVERLAP"])
        #expect(results.rows.map(\.component) == ["XY33", "XY44"], "the request rows are echoed")
        let mdc = try String(contentsOfFile: try #require(try s.f.request(req).outdir) + "/results.mdc", encoding: .utf8)
        #expect(mdc.contains("PSTAMP_NO_OVERLAP"))
        #expect(try await s.finisher.pending(limit: 8).isEmpty)
    }

    @Test("when the results cannot be built the request is faulted, never stopped without its fileset (IPP quirk fixed)")
    func resultsFailure() throws {
        let s = try Setup()
        defer { s.f.cleanup() }
        let req = try s.finishedRequest("no.results")
        // The request file the results echo has been damaged since the parse.
        try Data("not a FITS file".utf8).write(to: URL(fileURLWithPath: try #require(try s.f.request(req).uri)))
        #expect(throws: (any Error).self) { try s.finisher.finish(s.f.request(req)) }
        #expect(try s.f.request(req).state == .run)
        #expect((try s.f.request(req).fault ?? .success) > .success)
        #expect(try s.registry.store.product(named: "pstampresults") == nil, "nothing was registered")
    }

    @Test("a finish resumed after a crash between registration and stop does not register the fileset twice")
    func resumedFinish() throws {
        let s = try Setup()
        defer { s.f.cleanup() }
        let req = try s.finishedRequest("crashed.finish")
        let outdir = try #require(try s.f.request(req).outdir)
        try Data("x".utf8).write(to: URL(fileURLWithPath: outdir + "/results.fits"))
        try s.registry.register(
            product: "pstampresults", fileset: "crashed.finish", type: "PSRESULTS",
            files: [RegistrationEntry(path: "results.fits", type: "table")],
            dataPath: URL(fileURLWithPath: outdir), values: [String(req)], createProduct: true)
        #expect(try s.finisher.finish(s.f.request(req)))
        #expect(try s.f.request(req).state == .stop)
        #expect(try String(contentsOfFile: outdir + "/results.fits", encoding: .utf8) == "x", "the results were not built again")
        #expect(try s.registry.store.filesets(product: "pstampresults")?.count == 1)
    }
}
