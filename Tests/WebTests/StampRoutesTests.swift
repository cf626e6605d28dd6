import DataStore
import FITS
import Foundation
import Hummingbird
import HummingbirdTesting
import PStampCore
import PStampTestSupport
import RequestDB
import Testing
import Web

/// The parameter interface (/stamp) and the request form (/request).
@Suite struct StampRoutesTests {
    struct Fixture {
        let directory: URL
        let database: RequestDatabase
        let registry: DataStoreRegistry
        var workdir: URL { directory.appendingPathComponent("work") }

        init() throws {
            let temporary = try TemporaryDirectory("pstamp-stamp")
            directory = temporary.url
            database = try temporary.requestDatabase()
            registry = DataStoreRegistry(root: directory.appendingPathComponent("ds"), store: OutgoingDataStoreStore(database.pool))
        }

        func test(syncLimit: Double = 10, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
            let web = WebApplication(authentication: WebAuthentication(tokens: database.tokens))
            web.addStampRequests(database: database, registry: registry, workdir: workdir, syncLimit: syncLimit)
            web.addPages(database: database, registry: registry, workdir: workdir)  // the request form
            try await web.application().test(.router) { client in try await body(client) }
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    @Test func parametersBecomeAOneRowRequestFileAndAWebRequest() async throws {
        let f = try Fixture()
        defer { f.remove() }
        try await f.test { client in
            let r = try await client.execute(uri: "/stamp?ra=210.5&dec=-2.25&size=30&type=chip&filter=r&email=me@example.org", method: .get)
            #expect(r.status == .ok)
            #expect(
                String(buffer: r.body).hasPrefix("1 web_1\nidentity: none; the EMAIL me@example.org was not taken as your identity"),
                "\(String(buffer: r.body))")
        }
        #expect(try f.database.identities.get(reqID: 1) == .anonymous)
        let request = try #require(try f.database.requests.get(reqID: 1))
        #expect(request.label == "WEB")
        #expect(request.name == "web_1")
        #expect(request.username == "me@example.org")
        #expect(request.dsID == 0)
        let uri = try #require(request.uri)
        #expect(uri.hasSuffix("/web_1.fits") && uri.contains("/webreq/"))
        let file = try RequestFile.read(uri)
        #expect(file.header.reqName == "web_1")
        #expect(file.header.email == "me@example.org")
        #expect(file.rows.count == 1)
        let row = try #require(try file.validatedRows().first?.get())
        #expect(row.reqType == .bycoord)
        #expect(row.imgType == .chip)
        #expect(row.centerX == 210.5)
        #expect(row.centerY == -2.25)
        #expect(row.width == 30)
    }

    @Test func postedFormAndBadParameters() async throws {
        let f = try Fixture()
        defer { f.remove() }
        try await f.test { client in
            var r = try await client.execute(uri: "/request", method: .get)
            #expect(String(buffer: r.body).contains("<form method=\"post\" action=\"/request\">"))
            r = try await client.execute(
                uri: "/request", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "ra=10&dec=20&size=60&unit=arcsec&email=me%40example.org&comment=two+words"))
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/requests/1")
            r = try await client.execute(uri: "/stamp?ra=10&dec=20&size=60", method: .get)
            #expect(r.status == .badRequest)
            #expect(String(buffer: r.body) == "email is required (user@domain): it decides what you may see\n")
            r = try await client.execute(uri: "/stamp?ra=400&dec=20&size=60&email=a@b", method: .get)
            #expect(String(buffer: r.body) == "ra 400.0 is outside 0 to 360 degrees\n")
        }
        #expect(try f.database.requests.get(reqID: 1)?.label == "WEB")
        let file = try RequestFile.read(try #require(try f.database.requests.get(reqID: 1)?.uri))
        #expect(file.rows.first?["COMMENT"].text == "two words")
        #expect(try f.database.requests.get(reqID: 2) == nil)
    }

    /// The parameters are an urlencoded form (query and body, the body winning, names in any case);
    /// text that is no form is refused as plain text and adds nothing.
    @Test func parametersAreDecodedAsAForm() async throws {
        let f = try Fixture()
        defer { f.remove() }
        try await f.test { client in
            var r = try await client.execute(
                uri: "/stamp?RA=10&Dec=20&size=60&email=query%40example.org", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "email=body%40example.org&comment=a+b%2Bc"))
            #expect(r.status == .ok)
            #expect(String(buffer: r.body).hasPrefix("1 web_1\n"))
            r = try await client.execute(uri: "/stamp?ra=10&ra=11&dec=20&size=60&email=a@b.org", method: .get)
            #expect(r.status == .badRequest)
            #expect(r.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(String(buffer: r.body) == "the parameters cannot be read: Found duplicate keys with name 'ra'\n")
        }
        let request = try #require(try f.database.requests.get(reqID: 1))
        #expect(request.username == "body@example.org")
        #expect(try RequestFile.read(try #require(request.uri)).rows.first?["COMMENT"].text == "a b+c")
        #expect(try f.database.requests.get(reqID: 2) == nil)
    }

    /// sync=1 waits until the request stops and answers with its stamp (the pipeline's part is
    /// played here by hand: the request stopped, its results fileset registered).
    @Test func syncAnswersWithTheStamp() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let stamp = Data((0..<2880).map { UInt8(truncatingIfNeeded: $0) })
        let work = f.directory.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try stamp.write(to: work.appendingPathComponent("1_1_r_x.fits"))
        try Data("mdc".utf8).write(to: work.appendingPathComponent("results.mdc"))
        let database = f.database, registry = f.registry
        let pipeline = Task {
            while try database.requests.get(reqID: 1) == nil { try await Task.sleep(for: .milliseconds(50)) }
            try registry.register(
                product: "pstampresults", fileset: "web_1", type: "PSRESULTS",
                files: [.init(path: "results.mdc", type: "text"), .init(path: "1_1_r_x.fits", type: "pstamp")],
                dataPath: work, createProduct: true)
            var select = RequestSelector()
            select.reqID = 1
            _ = try database.requests.update(select, RequestChange(state: .run))
            var stop = RequestChange(state: .stop)
            stop.outProduct = "pstampresults"
            _ = try database.requests.update(select, stop)
        }
        try await f.test { client in
            let r = try await client.execute(uri: "/stamp?ra=1&dec=2&size=10&email=a@b.org&sync=1", method: .get)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/fits")
            #expect(Data(buffer: r.body) == stamp)
        }
        try await pipeline.value
    }

    @Test func syncGivesUpWithAMessage() async throws {
        let f = try Fixture()
        defer { f.remove() }
        try await f.test(syncLimit: 0.5) { client in
            let r = try await client.execute(uri: "/stamp?ra=1&dec=2&size=10&email=a%40b.org&sync=1", method: .get)
            #expect(r.status == .gatewayTimeout)
            #expect(String(buffer: r.body).hasPrefix("request 1 web_1 is still running"))
        }
        #expect(try f.database.requests.get(reqID: 1)?.username == "a@b.org")
    }

    /// With a token the email may be left out (the token's user is the sender) and the
    /// answer names the identity; the same parameters without it stay anonymous.
    @Test func aTokenUserNeedsNoEmail() async throws {
        let f = try Fixture()
        defer { f.remove() }
        try f.database.access.addUser("vip", domain: "example.org", AccessStore.Defaults(accessLevel: 2))
        let issued = try f.database.tokens.issue(user: "vip", domain: "example.org")
        try await f.test { client in
            let r = try await client.execute(
                uri: "/stamp?ra=210.5&dec=-2.25&size=30", method: .get,
                headers: [.authorization: "Bearer \(issued.token)"])
            #expect(r.status == .ok)
            #expect(String(buffer: r.body) == "1 web_1\nidentity: token user vip@example.org\n")
            let anonymous = try await client.execute(uri: "/stamp?ra=210.5&dec=-2.25&size=30", method: .get)
            #expect(anonymous.status == .badRequest)
        }
        #expect(try f.database.requests.get(reqID: 1)?.username == "vip@example.org")
        #expect(try f.database.identities.get(reqID: 1).user == "vip@example.org")
    }
}
