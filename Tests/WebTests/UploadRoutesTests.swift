import FITS
import Foundation
import Hummingbird
import HummingbirdTesting
import PStampCore
import PStampTestSupport
import RequestDB
import Testing
import Web

/// The upload page: a request FITS file POSTed to /upload becomes a request labelled WEB.UP.
@Suite struct UploadRoutesTests {
    struct Fixture {
        let directory: URL
        let database: RequestDatabase
        var workdir: URL { directory.appendingPathComponent("work") }

        init() throws {
            let temporary = try TemporaryDirectory("pstamp-upload")
            directory = temporary.url
            database = try temporary.requestDatabase()
        }

        /// A one-row request table with the given header keywords (nil leaves one out).
        func requestFile(extname: String = "PS1_PS_REQUEST", reqName: String? = "myreq", extver: Bool = true) throws -> Data {
            let path = directory.appendingPathComponent("req-\(UUID().uuidString).fits").path
            let file = try FITSFile.create(path)
            try file.appendBinaryTable(extname: extname, columns: [TableColumn("ROWNUM", "J")], rows: 1)
            try file.writeColumn("ROWNUM", [1])
            if let reqName { try file.write("REQ_NAME", reqName) }
            if extver { try file.write("EXTVER", "2") }
            try file.write("ACTION", "PROCESS")
            try file.write("EMAIL", "someone@example.org")
            try file.close()
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }

        func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
            let web = WebApplication(authentication: WebAuthentication(tokens: database.tokens))
            web.addUploadPage(database: database, workdir: workdir)
            try await web.application().test(.router) { client in try await body(client) }
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    static func post(_ client: any TestClientProtocol, _ data: Data, type: String = "application/fits") async throws -> TestResponse {
        try await client.execute(uri: "/upload", method: .post, headers: [.contentType: type], body: ByteBuffer(bytes: data))
    }

    @Test func anUploadedFileBecomesAWebUpRequest() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let file = try f.requestFile()
        try await f.test { client in
            let page = try await client.execute(uri: "/upload", method: .get)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("<input type=\"file\""))
            let r = try await Self.post(client, file)
            #expect(r.status == .ok)
            // `<req_id> <req_name>`, then which identity it came with: none, so the EMAIL was not taken as one.
            #expect(
                String(buffer: r.body).hasPrefix("1 myreq\nidentity: none; the EMAIL someone@example.org was not taken as your identity"),
                "\(String(buffer: r.body))")
        }
        #expect(try f.database.identities.get(reqID: 1) == .anonymous)
        let request = try #require(try f.database.requests.get(reqID: 1))
        #expect(request.name == "myreq")
        #expect(request.label == "WEB.UP")
        #expect(request.dsID == 0)
        #expect(request.state == .new)
        let uri = try #require(request.uri)
        #expect(uri.hasPrefix(f.workdir.appendingPathComponent("webreq").path + "/"))
        #expect(uri.range(of: #"/webreq/\d{4}/\d\d/\d\d/web_1\.fits$"#, options: .regularExpression) != nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: uri)) == file)
    }

    @Test func aUsedNameIsAnsweredClearly() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let file = try f.requestFile()
        try await f.test { client in
            #expect(try await Self.post(client, file).status == .ok)
            let r = try await Self.post(client, file)
            #expect(r.status == .conflict)
            #expect(String(buffer: r.body) == "Request Name myreq has already been used\n")
        }
        let day = try #require(FileManager.default.enumerator(atPath: f.workdir.appendingPathComponent("webreq").path))
        let files = day.compactMap { $0 as? String }.filter { $0.hasSuffix(".fits") }
        #expect(files.count == 1, "\(files)")
    }

    @Test func badFilesAreRefusedWithTheReason() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let wrongExtname = try f.requestFile(extname: "SOMETHING_ELSE")
        let noName = try f.requestFile(reqName: nil)
        let noExtver = try f.requestFile(extver: false)
        try await f.test { client in
            var r = try await Self.post(client, Data("hello, not FITS".utf8))
            #expect(r.status == .badRequest)
            #expect(String(buffer: r.body) == "not a request file: not a FITS file\n")
            r = try await Self.post(client, wrongExtname)
            #expect(r.status == .badRequest)
            #expect(String(buffer: r.body).contains("EXTNAME is 'SOMETHING_ELSE'"))
            r = try await Self.post(client, noName)
            #expect(String(buffer: r.body) == "not a request file: the request file has no REQ_NAME\n")
            r = try await Self.post(client, noExtver)
            #expect(String(buffer: r.body) == "not a request file: the request file has no EXTVER\n")
            r = try await Self.post(client, wrongExtname, type: "multipart/form-data; boundary=x")
            #expect(r.status == .unsupportedMediaType)
        }
        #expect(try f.database.requests.get(reqID: 1) == nil)
    }

    /// REQ_NAME becomes the results fileset's name (a directory and a URL segment under /ds): a name
    /// that would leave the data-store root, or that no data store can list, is refused at the door.
    @Test func aRequestNameNoDataStoreCanHoldIsRefused() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let names: [String] = ["../x", "a/b", "%2e%2e", "..", "a b"]
        let hostile: [(String, Data)] = try names.map { name in (name, try f.requestFile(reqName: name)) }
        try await f.test { client in
            for (name, data) in hostile {
                let r = try await Self.post(client, data)
                #expect(r.status == .badRequest, "\(name)")
                #expect(
                    String(buffer: r.body).hasPrefix("REQ_NAME '\(name)' cannot name a results fileset: the fileset name"),
                    "\(String(buffer: r.body))")
            }
        }
        #expect(try f.database.requests.get(reqID: 1) == nil)
        let kept =
            FileManager.default.enumerator(atPath: f.workdir.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".fits") } ?? []
        #expect(kept.isEmpty, "no refused file is kept: \(kept)")
    }

    /// A token from `pstamptool -adduser` is the only way an upload's sender is known.
    @Test func aTokenIdentifiesTheSenderAndABadTokenIsRefused() async throws {
        let f = try Fixture()
        defer { f.remove() }
        try f.database.access.addUser("vip", domain: "example.org", AccessStore.Defaults(accessLevel: 2))
        let issued = try f.database.tokens.issue(user: "vip", domain: "example.org")
        let file = try f.requestFile(reqName: "tokened")
        let other = try f.requestFile(reqName: "badtoken")
        try await f.test { client in
            let r = try await client.execute(
                uri: "/upload", method: .post,
                headers: [.contentType: "application/fits", .authorization: "Bearer \(issued.token)"],
                body: ByteBuffer(bytes: file))
            #expect(r.status == .ok)
            #expect(String(buffer: r.body).hasPrefix("1 tokened\nidentity: token user vip@example.org"), "\(String(buffer: r.body))")
            let bad = try await client.execute(
                uri: "/upload", method: .post,
                headers: [.contentType: "application/fits", .authorization: "Bearer pst_not_a_token"],
                body: ByteBuffer(bytes: other))
            #expect(bad.status == .unauthorized)
            #expect(String(buffer: bad.body).contains("token is not known"))
        }
        #expect(try f.database.identities.get(reqID: 1) == .user("vip@example.org", source: .token, tokenID: issued.tokenID))
        #expect(try f.database.requests.get(reqID: 2) == nil, "a refused token adds nothing")
    }
}
