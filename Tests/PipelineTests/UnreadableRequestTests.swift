import DataStore
import FITS
import Foundation
import Testing
@testable import Pipeline
import PStampCore
import RequestDB

/// A request whose file is no request file: the IPP leaves it `run`/21 with reqType `unknown` and RFIN
/// stops it with 21 and no results. Here it stops with 21 too, and the user gets a fileset that says so.
@Suite("A request file that cannot be read")
struct UnreadableRequestTests {
    @Test("a text file given as a request: parse → run/21 reqType unknown → finish → stop/21 with results and parse_error.txt")
    func notFITS() async throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let file = f.root.appendingPathComponent("not-a-request.fits")
        try Data("this is not FITS\n".utf8).write(to: file)
        let req = try f.database.requests.add(NewRequest(uri: file.path, name: "garbage.req"))
        let parser = Parser(database: f.database, settings: f.settings, images: { _ in nil })
        _ = try await parser.parse(try f.request(req))
        #expect(try f.request(req).state == "run")
        #expect(try f.request(req).reqType == "unknown")

        let registry = DataStoreRegistry(root: f.root.appendingPathComponent("ds"), store: OutgoingDataStoreStore(f.database.pool))
        try FileManager.default.createDirectory(at: registry.root, withIntermediateDirectories: true)
        let finisher = Finisher(database: f.database, registry: registry, writer: FITSResultsWriter(), settings: f.settings)
        #expect(try await finisher.pending(limit: 8).map(\.key) == ["req:\(req)"])
        #expect(try finisher.finish(try f.request(req)))
        #expect(try f.request(req).state == "stop")
        #expect(try f.request(req).fault == 21)

        let fileset = try #require(try registry.store.fileset(product: f.settings.dataStoreProduct, name: "garbage.req"))
        let names = try registry.store.files(filesetID: fileset.filesetID).map(\.name).sorted()
        #expect(names == ["parse_error.txt", "results.fits", "results.mdc"])
        let outdir = try #require(try f.request(req).outdir)
        let why = try String(contentsOfFile: outdir + "/parse_error.txt", encoding: .utf8)
        #expect(why.contains("is not a FITS file"))
        let results = try FITSFile.open(outdir + "/results.fits")
        defer { results.closeQuietly() }
        try results.moveTo(extname: "PS1_PS_RESULTS")
        #expect(try results.readIntegers("ERROR_CODE") == [21])
    }
}
