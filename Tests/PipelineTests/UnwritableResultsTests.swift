import DataStore
import FITS
import Foundation
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

/// A finish that cannot write results for a reason in the request's own data ends
/// the request (21, a fileset and a message), never a fault the reverter clears into the same failure.
@Suite("Unwritable results")
struct UnwritableResultsTests {
    /// A request file whose ROWNUM and OPTION_MASK columns are 64-bit (K), as a hand-made file may be.
    static func wideRequestFile(_ path: String, name: String, rows: [(rownum: Int64, optionMask: Int64)]) throws {
        let f = try FITSFile.create(path, overwrite: true)
        try f.appendEmptyPrimary()
        let columns = RequestFileFormat.columnsV2.map {
            TableColumn($0.name, $0.name == "ROWNUM" || $0.name == "OPTION_MASK" ? "K" : $0.tform)
        }
        try f.appendBinaryTable(extname: RequestFileFormat.extname, columns: columns, rows: rows.count)
        try f.write("REQ_NAME", name)
        try f.write("EXTVER", 2)
        try f.write("ACTION", "PROCESS")
        try f.write("EMAIL", "someone@example.org")
        let text: [String: String] = [
            "JOB_TYPE": "stamp", "PROJECT": "gpc1", "REQ_TYPE": "byid", "IMG_TYPE": "chip",
            "ID": "211", "COMPONENT": "XY33", "COMMENT": "wide",
        ]
        for column in RequestFileFormat.columnsV2 {
            switch column.name {
            case "ROWNUM": try f.writeColumn(column.name, rows.map(\.rownum))
            case "OPTION_MASK": try f.writeColumn(column.name, rows.map(\.optionMask))
            case "COORD_MASK": try f.writeColumn(column.name, rows.map { _ in Int64(2) })
            case "CENTER_X": try f.writeColumn(column.name, rows.map { _ in 150.02 })
            case "CENTER_Y": try f.writeColumn(column.name, rows.map { _ in 1.98 })
            case "WIDTH", "HEIGHT": try f.writeColumn(column.name, rows.map { _ in 20.0 })
            default:
                if column.isReal {
                    try f.writeColumn(column.name, rows.map { _ in 0.0 })
                } else {
                    try f.writeColumn(column.name, rows.map { _ in text[column.name] ?? "null" })
                }
            }
        }
        try f.close()
    }

    @Test("an echoed OPTION_MASK of 3000000007 and a ROWNUM of 2^62 (FITS error 412, retried forever) finish: stop, results")
    func hugeEchoedValues() throws {
        let s = try FinisherTests.Setup()
        defer { s.f.cleanup() }
        let (req, outdir) = try s.f.runningRequest("wide.values")
        let file = outdir.appendingPathComponent("wide.fits")
        try Self.wideRequestFile(file.path, name: "wide.values", rows: [(1, 3_000_000_007), (1 << 62, 1)])
        var selector = RequestSelector()
        selector.reqID = req
        var change = RequestChange()
        change.uri = file.path
        _ = try s.f.database.requests.update(selector, change)
        // The jobs the parser makes of these rows: both refused with 21 (row 2 is named row 0).
        let read = try RequestFile.read(file.path)
        let rejections = read.validatedRows().compactMap { if case .failure(let r) = $0 { return r } else { return nil } }
        #expect(rejections.map(\.rownum) == [1, 0] && rejections.allSatisfy { $0.code == .invalidRequest })
        for r in rejections {
            _ = try s.f.database.jobs.add(
                NewJob(reqID: req, rownum: String(r.rownum), jobType: .none, state: .stop, fault: .invalidRequest))
        }
        #expect(try s.finisher.finish(s.f.request(req)))
        #expect(try s.f.request(req).state == .stop)
        let results = try ResultsFile.read(outdir.appendingPathComponent("results.fits").path)
        #expect(results.rows.map(\.rownum) == [1, 0])
        #expect(results.rows.map(\.optionMask) == [0, 0], "a value its column cannot hold is echoed as 0")
        #expect(results.rows.allSatisfy { $0.errorCode == .invalidRequest })
    }

    /// A results writer whose first write fails because of the request's data.
    final class RefusingWriter: ResultsWriter, @unchecked Sendable {
        let inner = FITSResultsWriter()
        private let lock = NSLock()
        private var calls = 0
        func write(_ results: RequestResults, in directory: URL) throws -> [String] {
            let first = lock.withLock {
                calls += 1; return calls == 1
            }
            if first { throw PStampError(.invalidRequest, "results.fits cannot hold a value of the request: cfitsio 412") }
            return try inner.write(results, in: directory)
        }
    }

    /// Finishes the request `name` with a writer that refuses its results the first time.
    func finishRefused(_ s: FinisherTests.Setup, _ name: String) throws -> Int64 {
        let req = try s.finishedRequest(name)
        let finisher = Finisher(database: s.f.database, registry: s.registry, writer: RefusingWriter(), settings: s.f.settings)
        #expect(try finisher.finish(s.f.request(req)))
        return req
    }

    @Test("a results write refused for the request's data ends the request stop/21 with its fileset and a message")
    func refusedWrite() throws {
        let s = try FinisherTests.Setup()
        defer { s.f.cleanup() }
        let req = try finishRefused(s, "refused.results")
        let request = try s.f.request(req)
        #expect(request.state == .stop && request.fault == PStampCode(21))
        let fileset = try #require(try s.registry.store.fileset(product: "pstampresults", name: "refused.results"))
        let files = try s.registry.store.files(filesetID: fileset.filesetID).map(\.name)
        #expect(files.contains("results.fits") && files.contains("parse_error.txt"))
        let outdir = try #require(request.outdir)
        let message = try String(contentsOfFile: outdir + "/parse_error.txt", encoding: .utf8)
        #expect(message.contains("the results could not be written") && message.contains("412"))
        let results = try ResultsFile.read(outdir + "/results.fits")
        #expect(results.rows.map(\.errorCode) == [.invalidRequest] && results.rows.map(\.rownum) == [0])
    }

    @Test("a finish resumed after a crash between the refused results' registration and the state change still ends 21")
    func refusedWriteResumed() throws {
        let s = try FinisherTests.Setup()
        defer { s.f.cleanup() }
        let req = try finishRefused(s, "refused.resumed")
        #expect(try s.f.request(req).resultsRefused, "the refusal is kept with the request")
        // The process died after the registration, before the request's state change.
        try s.f.database.pool.write { db in
            try db.execute(sql: "UPDATE pstampRequest SET state = 'run', fault = 0 WHERE req_id = ?", arguments: [req])
        }
        let finisher = Finisher(database: s.f.database, registry: s.registry, writer: FITSResultsWriter(), settings: s.f.settings)
        #expect(try finisher.finish(s.f.request(req)))
        let request = try s.f.request(req)
        #expect(request.state == .stop && request.fault == PStampCode.invalidRequest)
        #expect(!FileManager.default.fileExists(atPath: try #require(request.outdir) + "/.results-refused"), "no marker file")
    }
}
