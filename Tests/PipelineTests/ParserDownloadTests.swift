import DataStore
import FITS
import Foundation
import PStampCore
import PStampTestSupport
import Pipeline
import RequestDB
import Testing

/// The parser fetching an http request URI (pstamp_parser_run.pl's `dsget --timeout 120`) from a real
/// HTTP server on loopback: the file lands in the work directory; a 500 faults the request with 200 for
/// the reverter, a 404 with 104.
@Suite struct ParserDownloadTests {
    struct Fixture {
        let directory: TemporaryDirectory
        let database: RequestDatabase
        let remote = LoopbackDataStore()
        let settings: PipelineSettings
        let requestBytes: Data

        init() async throws {
            directory = try TemporaryDirectory("pstamp-fetch")
            database = try directory.requestDatabase()
            settings = PipelineSettings(workdir: directory.appendingPathComponent("work"))
            let document = try RequestTextFormat.parse(
                """
                fetched.request 2 PROCESS someone@example.org
                1 150.02 1.98 10 10 2 stamp 1 nosuch null null byid raw 101 null null null null 0 0 null 0 0 | one row
                """)
            let path = directory.appendingPathComponent("req.fits").path
            try RequestFile.write(header: document.header, rows: document.rows, to: path)
            requestBytes = try Data(contentsOf: URL(fileURLWithPath: path))
            await remote.addProduct("requests")
            await remote.addFileset(
                "requests",
                .init(
                    name: "fs1", type: "PSREQUEST", registered: Date(),
                    files: [.init(name: "req.fits", data: requestBytes, type: "fits")]))
        }

        var parser: Parser {
            Parser(database: database, settings: settings, images: { _ in nil }, client: DataStoreClient(downloadTimeout: 5))
        }

        func add(_ uri: String) throws -> Int64 { try database.requests.add(NewRequest(uri: uri, label: "MOPS")) }
        func request(_ id: Int64) throws -> RequestRecord { try #require(try database.requests.get(reqID: id)) }
        func remove() { directory.remove() }
    }

    @Test func anHTTPRequestFileIsDownloadedIntoTheWorkDirectoryAndParsed() async throws {
        let f = try await Fixture()
        defer { f.remove() }
        try await f.remote.serve { base in
            let reqID = try f.add("\(base)/ds/requests/fs1/req.fits")
            #expect(try await f.parser.parse(try f.request(reqID)) == .run)
            let request = try f.request(reqID)
            #expect(request.name == "fetched.request")
            let local = try #require(request.uri)
            #expect(local.hasPrefix(f.settings.workdir.path) && local.hasSuffix("/\(reqID)/req.fits"))
            #expect(try Data(contentsOf: URL(fileURLWithPath: local)) == f.requestBytes)
        }
    }

    @Test func anHTTP500FaultsTheRequestWith200AndTheReverterRetriesIt() async throws {
        let f = try await Fixture()
        defer { f.remove() }
        try await f.remote.serve { base in
            await f.remote.misbehave("/ds/requests/fs1/req.fits", .status(500))
            let reqID = try f.add("\(base)/ds/requests/fs1/req.fits")
            #expect(try await f.parser.parse(try f.request(reqID)) == nil)
            #expect(try f.request(reqID).state == .new)
            #expect(try f.request(reqID).fault == PStampCode(200))
            #expect(try f.database.requests.pending().isEmpty, "a faulted request is not parsed again before its revert")

            await f.remote.misbehave("/ds/requests/fs1/req.fits", nil)
            let clock = TestClock()
            let reverter = RequestReverter(database: f.database, settings: f.settings, now: { clock.now })
            #expect(try await reverter.revertDue().isEmpty, "its retry is scheduled about 10 s on")
            clock.advance(12)
            #expect(try await reverter.revertDue() == [reqID])
            #expect(try f.request(reqID).fault == .success)
            let pending = try #require(try f.database.requests.pending().first?.request)
            #expect(try await f.parser.parse(pending) == .run)
            #expect(try f.request(reqID).name == "fetched.request")
        }
    }

    @Test func aMissingRequestFileFaultsTheRequestWith104() async throws {
        let f = try await Fixture()
        defer { f.remove() }
        try await f.remote.serve { base in
            let reqID = try f.add("\(base)/ds/requests/fs1/gone.fits")
            #expect(try await f.parser.parse(try f.request(reqID)) == nil)
            let request = try f.request(reqID)
            #expect(request.state == .new)
            #expect(request.fault == PStampCode.dataStoreFault(httpStatus: 404))
            #expect(request.fault == PStampCode(104))
        }
    }

    @Test func aRequestFileThatCannotBeCopiedFaultsTheRequestWith1AsTheIPPDoes() async throws {
        let f = try await Fixture()
        defer { f.remove() }
        let reqID = try f.add(f.directory.appendingPathComponent("missing.fits").path)
        #expect(try await f.parser.parse(try f.request(reqID)) == nil)
        #expect(try f.request(reqID).fault == PStampCode.unknownError)
        #expect(try f.request(reqID).state == .new)
    }
}
