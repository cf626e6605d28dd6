import DataStore
import Foundation
import Hummingbird
import HummingbirdTesting
import PStampCore
import PStampTestSupport
import RequestDB
import Testing
import Web

/// `/ds` served from a real request database and real files, through Hummingbird's test client.
@Suite struct DataStoreRoutesTests {
    static let t0 = DataStoreTime.parse("2026-11-25T10:00:00Z")!

    /// A data store with product `pstampresults` (label req_id) holding fs1, hidden, fs2, fs3.
    struct Fixture {
        let directory: URL
        let registry: DataStoreRegistry
        let payload = Data((0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) })

        init() throws {
            let temporary = try TemporaryDirectory("pstamp-web")
            directory = temporary.url
            let db = try temporary.requestDatabase()
            registry = DataStoreRegistry(root: directory.appendingPathComponent("ds"), store: OutgoingDataStoreStore(db.pool))
            try registry.addProduct("pstampresults", type: "psresults", description: "Postage Stamp Results", columnLabels: ["req_id"])
            let work = directory.appendingPathComponent("work")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            try payload.write(to: work.appendingPathComponent("1_1_stamp.fits"))
            try Data("hello\n".utf8).write(to: work.appendingPathComponent("results.mdc"))
            for (i, name) in ["fs1", "hidden", "fs2", "fs3"].enumerated() {
                try registry.register(
                    product: "pstampresults", fileset: name, type: "PSRESULTS",
                    files: [.init(path: "1_1_stamp.fits", type: "pstamp"), .init(path: "results.mdc", type: "text")],
                    dataPath: work, values: ["\(i + 1)"], registered: t0.addingTimeInterval(Double(60 * i)))
            }
            try OutgoingDataStoreStore(db.pool).setHidden(product: "pstampresults", name: "hidden", hidden: true)
            // A file in a fileset directory that was never registered.
            try Data("secret".utf8).write(to: directory.appendingPathComponent("ds/pstampresults/fs1/unregistered.txt"))
        }

        func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
            let web = WebApplication()
            web.addDataStore(registry)
            try await web.application().test(.router) { client in try await body(client) }
        }
    }

    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    @Test func productIndexWithoutCursorListsEveryVisibleFileset() async throws {
        let f = try Fixture()
        try await f.test { client in
            let response = try await client.execute(uri: "/ds/pstampresults/index.txt", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain")
            #expect(
                Self.text(response) == """
                    # filesetID|time registered     |type     |req_id|
                    fs1        |2026-11-25T10:00:00Z|PSRESULTS|1     |
                    fs2        |2026-11-25T10:02:00Z|PSRESULTS|3     |
                    fs3        |2026-11-25T10:03:00Z|PSRESULTS|4     |

                    """)
        }
    }

    @Test func theCursorRules() async throws {
        let f = try Fixture()
        try await f.test { client in
            // Only later filesets.
            var r = try await client.execute(uri: "/ds/pstampresults/index.txt?fs1", method: .get)
            #expect(Self.text(r).split(separator: "\n").map { $0.prefix(4) } == ["# fi", "fs2 ", "fs3 "])
            // A hidden fileset is a valid cursor and is itself never listed.
            r = try await client.execute(uri: "/ds/pstampresults/index.txt?hidden", method: .get)
            #expect(Self.text(r).split(separator: "\n").map { $0.prefix(3) } == ["# f", "fs2", "fs3"])
            // Nothing newer: the header only.
            r = try await client.execute(uri: "/ds/pstampresults/index.txt?fs3", method: .get)
            #expect(r.status == .ok)
            #expect(Self.text(r) == "# filesetID|time registered|type|req_id|\n")
            // An unknown cursor: 404, text/plain, empty body.
            r = try await client.execute(uri: "/ds/pstampresults/index.txt?nosuch", method: .get)
            #expect(r.status == .notFound)
            #expect(r.headers[.contentType] == "text/plain")
            #expect(Self.text(r) == "")
            // The cursor is not URL-decoded: %66s1 is not fs1.
            r = try await client.execute(uri: "/ds/pstampresults/index.txt?%66s1", method: .get)
            #expect(r.status == .notFound)
            // An empty query is no cursor.
            r = try await client.execute(uri: "/ds/pstampresults/index.txt?", method: .get)
            #expect(Self.text(r).split(separator: "\n").count == 4)
            // An unknown product.
            r = try await client.execute(uri: "/ds/nosuch/index.txt", method: .get)
            #expect(r.status == .notFound)
            #expect(Self.text(r) == "failed to find nosuch in product list\n")
            // The root and fileset levels ignore a query string.
            r = try await client.execute(uri: "/ds/index.txt?fs1", method: .get)
            #expect(r.status == .ok)
            r = try await client.execute(uri: "/ds/pstampresults/fs1/index.txt?nosuch", method: .get)
            #expect(r.status == .ok)
        }
    }

    /// QUIRK fixed: the IPP script tests the cursor for Perl truth, so a fileset named `0` as the
    /// cursor listed everything; here it is a cursor like any other.
    @Test func aFilesetNamedZeroIsACursorLikeAnyOther() async throws {
        let f = try Fixture()
        let work = f.directory.appendingPathComponent("work")
        try f.registry.register(
            product: "pstampresults", fileset: "0", type: "PSRESULTS",
            files: [.init(path: "results.mdc", type: "text")], dataPath: work)
        try f.registry.register(
            product: "pstampresults", fileset: "after0", type: "PSRESULTS",
            files: [.init(path: "results.mdc", type: "text")], dataPath: work)
        try await f.test { client in
            let r = try await client.execute(uri: "/ds/pstampresults/index.txt?0", method: .get)
            #expect(Self.text(r).split(separator: "\n").dropFirst().map { $0.split(separator: " ").first! } == ["after0"])
        }
    }

    @Test func rootAndFilesetIndexes() async throws {
        let f = try Fixture()
        try await f.test { client in
            var r = try await client.execute(uri: "/ds/index.txt", method: .get)
            #expect(
                Self.text(r) == """
                    # productID  |Most recent |Time registered     |type     |Description                     |
                    pstampresults|fs3         |2026-11-25T10:03:00Z|psresults|Postage Stamp Results           |

                    """)
            r = try await client.execute(uri: "/ds/pstampresults/hidden/index.txt", method: .get)
            #expect(r.status == .ok, "a hidden fileset is still listed directly")
            let md5 = MD5.hex(f.payload), mdc = MD5.hex(Array("hello\n".utf8))
            #expect(
                Self.text(r) == """
                    # fileID          |bytes   |md5sum                          |type        |
                    1_1_stamp.fits    |1000    |\(md5)|pstamp      |
                    # fileID          |bytes   |md5sum                          |type        |component|
                    results.mdc       |6       |\(mdc)|text        |

                    """)
            r = try await client.execute(uri: "/ds/pstampresults/nosuch/index.txt", method: .get)
            #expect(r.status == .notFound)
            #expect(Self.text(r) == "failed to find nosuch in pstampresults\n")
        }
    }

    @Test func filesHaveLengthTypeAndRanges() async throws {
        let f = try Fixture()
        try await f.test { client in
            var r = try await client.execute(uri: "/ds/pstampresults/fs2/1_1_stamp.fits", method: .get)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/fits")
            #expect(r.headers[.contentLength] == "1000")
            #expect(r.headers[.acceptRanges] == "bytes")
            #expect(Data(buffer: r.body) == f.payload)

            r = try await client.execute(uri: "/ds/pstampresults/fs2/1_1_stamp.fits", method: .get, headers: [.range: "bytes=10-19"])
            #expect(r.status == .partialContent)
            #expect(r.headers[.contentRange] == "bytes 10-19/1000")
            #expect(r.headers[.contentLength] == "10")
            #expect(Data(buffer: r.body) == f.payload[10...19])

            r = try await client.execute(uri: "/ds/pstampresults/fs2/1_1_stamp.fits", method: .get, headers: [.range: "bytes=-5"])
            #expect(r.headers[.contentRange] == "bytes 995-999/1000")
            #expect(Data(buffer: r.body) == f.payload[995...])

            r = try await client.execute(uri: "/ds/pstampresults/fs2/1_1_stamp.fits", method: .get, headers: [.range: "bytes=990-"])
            #expect(Data(buffer: r.body) == f.payload[990...])

            r = try await client.execute(uri: "/ds/pstampresults/fs2/1_1_stamp.fits", method: .get, headers: [.range: "bytes=5000-"])
            #expect(r.status == .rangeNotSatisfiable)
            #expect(r.headers[.contentRange] == "bytes */1000")

            r = try await client.execute(uri: "/ds/pstampresults/fs2/1_1_stamp.fits", method: .head)
            #expect(r.status == .ok)
            #expect(r.headers[.contentLength] == "1000")
            #expect(r.body.readableBytes == 0)
            r = try await client.execute(uri: "/ds/pstampresults/index.txt?nosuch", method: .head)
            #expect(r.status == .notFound)

            r = try await client.execute(uri: "/ds/pstampresults/fs2/results.mdc", method: .get)
            #expect(r.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(Self.text(r) == "hello\n")
        }
    }

    @Test func onlyRegisteredFilesInsideTheRootAreServed() async throws {
        let f = try Fixture()
        try await f.test { client in
            for uri in [
                "/ds/pstampresults/fs1/unregistered.txt", "/ds/pstampresults/fs1/..%2F..%2Frequestdb.sqlite",
                "/ds/pstampresults/fs1/%2E%2E", "/ds/pstampresults/../../requestdb.sqlite",
                "/ds/pstampresults/fs1/results.mdc/extra", "/ds/nosuch/fs1/results.mdc",
                // lower-case escapes, escaped slashes, climbing product and fileset levels
                "/ds/pstampresults/fs1/%2e%2e", "/ds/pstampresults/%2e%2e/index.txt", "/ds/%2e%2e/index.txt",
                "/ds/%2e%2e/%2e%2e/requestdb.sqlite", "/ds/pstampresults/fs1%2f..%2f..%2f/requestdb.sqlite",
                "/ds/pstampresults/..%2f..%2frequestdb.sqlite/index.txt", "/ds/pstampresults/a%2fb/index.txt",
                "/ds/pstampresults/fs1/%2e%2e%2f%2e%2e%2frequestdb.sqlite", "/ds/..%5c..%5crequestdb.sqlite",
            ] {
                let r = try await client.execute(uri: uri, method: .get)
                #expect(r.status == .notFound, "\(uri)")
            }
        }
    }

    /// A registered file replaced by a symlink that points out of the data store's root (a copy that
    /// went wrong, a hand edit) is not followed: 404, and the outside file's bytes are never sent.
    @Test func aRegisteredFileThatIsASymlinkOutOfTheRootIsNotServed() async throws {
        let f = try Fixture()
        let outside = f.directory.appendingPathComponent("outside-secret.txt")
        try Data("outside the root\n".utf8).write(to: outside)
        let inside = f.directory.appendingPathComponent("ds/pstampresults/fs2/results.mdc")
        try FileManager.default.removeItem(at: inside)
        try FileManager.default.createSymbolicLink(at: inside, withDestinationURL: outside)
        try await f.test { client in
            for method in [HTTPRequest.Method.get, .head] {
                let r = try await client.execute(uri: "/ds/pstampresults/fs2/results.mdc", method: method)
                #expect(r.status == .notFound, "\(method)")
                #expect(!String(buffer: r.body).contains("outside the root"))
            }
            // The fileset's other file, inside the root, is still served.
            let r = try await client.execute(uri: "/ds/pstampresults/fs2/1_1_stamp.fits", method: .get)
            #expect(r.status == .ok)
        }
    }

    @Test func htmlViewsLinkOneLevelDown() async throws {
        let f = try Fixture()
        try await f.test { client in
            var r = try await client.execute(uri: "/ds/", method: .get)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "text/html; charset=utf-8")
            #expect(Self.text(r).contains("<a href=\"/ds/pstampresults/\">pstampresults</a>"))
            #expect(Self.text(r).contains("<a href=\"/ds/pstampresults/fs3/\">fs3</a>"))
            r = try await client.execute(uri: "/ds/pstampresults", method: .get)
            #expect(Self.text(r).contains("<a href=\"/ds/pstampresults/fs1/\">fs1</a>"))
            #expect(!Self.text(r).contains("hidden"))
            #expect(Self.text(r).contains("<a href=\"/ds/pstampresults/index.txt\">Text Version</a>"))
            r = try await client.execute(uri: "/ds/pstampresults/fs1/", method: .get)
            #expect(Self.text(r).contains("<a href=\"/ds/pstampresults/fs1/1_1_stamp.fits\">1_1_stamp.fits</a>"))
            r = try await client.execute(uri: "/ds/nosuch/", method: .get)
            #expect(r.status == .notFound)
        }
    }
}
