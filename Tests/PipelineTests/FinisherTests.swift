import DataStore
import Foundation
import Testing
@testable import Pipeline
import PStampCore
import RequestDB

/// Records the results it is given and writes them as two small files, standing in for the FITS
/// module's results writer (not on this branch yet) so the finisher's own work can be checked.
final class RecordingResultsWriter: ResultsWriter, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var written: [RequestResults] = []
    var failure: PStampError?

    func write(_ results: RequestResults, in directory: URL) throws -> [String] {
        if let failure { throw failure }
        lock.withLock { written.append(results) }
        let text = results.rows.map { "\($0.rownum) \($0.errorCode) \($0.errorString) \($0.imageName)" }.joined(separator: "\n")
        try Data(text.utf8).write(to: directory.appendingPathComponent("results.fits"))
        try Data(text.utf8).write(to: directory.appendingPathComponent("results.mdc"))
        return ["results.fits", "results.mdc"]
    }
}

@Suite("Finisher")
struct FinisherTests {
    struct Setup {
        let f: PipelineFixture
        let registry: DataStoreRegistry
        let writer = RecordingResultsWriter()
        var finisher: Finisher { Finisher(database: f.database, registry: registry, writer: writer, settings: f.settings) }
        init() throws {
            f = try PipelineFixture()
            registry = DataStoreRegistry(root: f.root.appendingPathComponent("ds"), store: OutgoingDataStoreStore(f.database.pool))
            try FileManager.default.createDirectory(at: registry.root, withIntermediateDirectories: true)
        }
        /// A request whose two jobs have stopped: one made a stamp, one found no overlap (28).
        func finishedRequest(_ name: String) throws -> Int64 {
            let (req, outdir) = try f.runningRequest(name)
            let ok = try f.database.jobs.add(NewJob(reqID: req, rownum: "1", outputBase: outdir.path + "/1_1_X_chip"))
            let stamp = outdir.appendingPathComponent("1_1_X_chip.fits")
            try Data("pixels".utf8).write(to: stamp)
            try Data("1_1_X_chip.fits|6|\(String(repeating: "0", count: 32))|pstamp|\n".utf8)
                .write(to: outdir.appendingPathComponent("reglist\(ok)"))
            _ = try f.database.jobs.transition(jobID: ok, from: .run, to: .stop, fault: 0)
            _ = try f.database.jobs.add(NewJob(reqID: req, rownum: "2", state: .stop, fault: 28))
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
        #expect(try s.f.request(req).state == "stop")
        let fileset = try #require(try s.registry.store.fileset(product: "pstampresults", name: "finish.me"))
        #expect(fileset.type == "PSRESULTS")
        #expect(fileset.values.first == String(req))
        let files = try s.registry.store.files(filesetID: fileset.filesetID).map(\.name).sorted()
        #expect(files == ["1_1_X_chip.fits", "parse_error.txt", "results.fits", "results.mdc"])
        let rows = try #require(s.writer.written.first?.rows)
        #expect(rows.map(\.imageName) == ["1_1_X_chip.fits", "0"])
        #expect(rows.map(\.errorString) == ["PSTAMP_SUCCESS", "PSTAMP_NO_OVERLAP"])
        #expect(try await s.finisher.pending(limit: 8).isEmpty)
    }

    @Test("when the results cannot be built the request is faulted, never stopped without its fileset (IPP quirk fixed)")
    func resultsFailure() throws {
        let s = try Setup()
        defer { s.f.cleanup() }
        let req = try s.finishedRequest("no.results")
        s.writer.failure = PStampError(.dataError, "cannot write results.fits")
        #expect(throws: PStampError.self) { try s.finisher.finish(s.f.request(req)) }
        #expect(try s.f.request(req).state == "run")
        #expect(try s.f.request(req).fault == 5)
        #expect(try s.registry.store.product(named: "pstampresults") == nil, "nothing was registered")
    }

    @Test("a finish resumed after a crash between registration and stop does not register the fileset twice")
    func resumedFinish() throws {
        let s = try Setup()
        defer { s.f.cleanup() }
        let req = try s.finishedRequest("crashed.finish")
        let outdir = try #require(try s.f.request(req).outdir)
        try Data("x".utf8).write(to: URL(fileURLWithPath: outdir + "/results.fits"))
        try s.registry.register(product: "pstampresults", fileset: "crashed.finish", type: "PSRESULTS",
                                files: [RegistrationEntry(path: "results.fits", type: "table")],
                                dataPath: URL(fileURLWithPath: outdir), values: [String(req)], createProduct: true)
        #expect(try s.finisher.finish(s.f.request(req)))
        #expect(try s.f.request(req).state == "stop")
        #expect(s.writer.written.isEmpty, "the results were not built again")
        #expect(try s.registry.store.filesets(product: "pstampresults")?.count == 1)
    }
}
