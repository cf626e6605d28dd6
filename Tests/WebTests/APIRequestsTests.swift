import DataStore
import FITS
import Foundation
import Hummingbird
import HummingbirdTesting
import PStampCore
import RequestDB
import Testing
import Web

/// The JSON API's submissions and reads (`/api/v1`), through Hummingbird's test client.
@Suite struct APIRequestsTests {
    typealias Site = APITestSite

    /// One v2 row of the text request format.
    static let textRow = "1 150.021 1.979 100 100 2 stamp 7 gpc1 null null bycoord warp null null null null null 0 0 null 0 0 | one\n"

    @Test func theOpenAPIDocumentIsServed() async throws {
        let site = try Site()
        defer { site.remove() }
        try await site.test { client in
            let r = try await client.execute(uri: "/api/v1/openapi.yaml", method: .get)
            #expect(r.status == .ok)
            let text = String(buffer: r.body)
            #expect(text.hasPrefix("openapi: 3.1"))
            #expect(text.contains("/requests/{req_id}/hold:"))
        }
    }

    @Test func aFITSRequestFileBecomesAWebUpRequestWithTheSendersIdentity() async throws {
        let site = try Site()
        defer { site.remove() }
        let file = try site.requestFile(name: "apifits")
        try await site.test { client in
            let r = try await client.execute(
                uri: "/api/v1/requests", method: .post, headers: Site.headers(token: site.userToken, type: "application/fits"),
                body: ByteBuffer(bytes: file))
            #expect(r.status == .created, "\(String(buffer: r.body))")
            let body = try Site.json(r)
            #expect(body["req_id"] as? Int == 1)
            #expect(body["name"] as? String == "apifits")
            #expect(body["url"] as? String == "/api/v1/requests/1")
            #expect((body["identity"] as? String)?.contains("vip@example.org") == true, "\(body)")
        }
        let request = try #require(try site.database.requests.get(reqID: 1))
        #expect(request.label == "WEB.UP")
        #expect(request.state == .new)
        #expect(try site.database.identities.get(reqID: 1) == .user("vip@example.org", source: .token, tokenID: 1))
        // The file is kept where the upload page keeps its files, byte for byte.
        let uri = try #require(request.uri)
        #expect(uri.range(of: #"/webreq/\d{4}/\d\d/\d\d/web_1\.fits$"#, options: .regularExpression) != nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: uri)) == file)
    }

    @Test func theTextFormatAndJSONRowsBecomeRequestFiles() async throws {
        let site = try Site()
        defer { site.remove() }
        let text = "apitext 2 PROCESS someone@example.org\n" + Self.textRow
        try await site.test { client in
            let r1 = try await client.execute(
                uri: "/api/v1/requests", method: .post, headers: Site.headers(token: nil, type: "text/plain"),
                body: ByteBuffer(string: text))
            #expect(r1.status == .created, "\(String(buffer: r1.body))")
            let json = """
                {"req_name": "apijson", "email": "someone@example.org",
                 "rows": [{"ROWNUM": 1, "PROJECT": "gpc1", "JOB_TYPE": "stamp", "REQ_TYPE": "bycoord", "IMG_TYPE": "warp",
                           "COORD_MASK": 2, "CENTER_X": 10.5, "CENTER_Y": 20, "WIDTH": 50, "HEIGHT": 50, "OPTION_MASK": 1}]}
                """
            let r2 = try await client.execute(
                uri: "/api/v1/requests", method: .post, headers: Site.headers(token: nil, type: "application/json"),
                body: ByteBuffer(string: json))
            #expect(r2.status == .created, "\(String(buffer: r2.body))")
        }
        let json = try #require(try site.database.requests.get(reqID: 2))
        #expect(json.name == "apijson")
        let rows = try RequestFile.read(try #require(json.uri)).rows
        #expect(rows.count == 1)
        #expect(rows.first?["CENTER_X"].text == "10.5")
        #expect(try site.database.requests.get(reqID: 1)?.name == "apitext")
        #expect(try site.database.identities.get(reqID: 1) == .anonymous)
    }

    @Test func refusalsAreProblemDocumentsWithTheirStatus() async throws {
        let site = try Site()
        defer { site.remove() }
        let file = try site.requestFile(name: "twice")
        let badName = try site.requestFile(name: "a/b")
        try await site.test { client in
            let post = { (body: Data, type: String) async throws -> TestResponse in
                try await client.execute(
                    uri: "/api/v1/requests", method: .post, headers: Site.headers(token: nil, type: type), body: ByteBuffer(bytes: body))
            }
            #expect(try await post(file, "application/fits").status == .created)
            let again = try await post(file, "application/fits")
            #expect(again.status == .conflict)
            #expect(again.headers[.contentType] == "application/problem+json")
            #expect(try Site.json(again)["detail"] as? String == "Request Name twice has already been used")
            #expect(try Site.json(again)["status"] as? Int == 409)
            #expect(try await post(Data("not fits".utf8), "application/fits").status == .badRequest)
            #expect(try await post(badName, "application/fits").status == .unprocessableContent)
            #expect(try await post(Data("x".utf8), "application/x-unknown").status.code / 100 == 4)
            let unknown = try await client.execute(uri: "/api/v1/requests/99", method: .get)
            #expect(unknown.status == .notFound)
            #expect(try Site.json(unknown)["detail"] as? String == "no request 99")
            #expect(try await client.execute(uri: "/api/v1/requests/abc", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/api/v1/requests?state=bogus", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/api/v1/requests?limit=1001", method: .get).status == .badRequest)
            // A documented path answers a method it does not take with 405 and what it takes.
            let wrongMethod = try await client.execute(uri: "/api/v1/workload", method: .delete)
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "GET")
            #expect(try await client.execute(uri: "/api/v1/requests/1/hold", method: .get).status == .methodNotAllowed)
        }
        // A refused file leaves nothing behind.
        let day = try FileManager.default.subpathsOfDirectory(atPath: site.workdir.appendingPathComponent("webreq").path)
        #expect(day.filter { $0.hasSuffix(".fits") }.count == 1, "\(day)")
    }

    @Test func aRequestIsReadWithItsJobsDependentsAndResultFiles() async throws {
        let site = try Site()
        defer { site.remove() }
        let reqID = try site.addRequest(name: "readme", state: .run, jobs: 2)
        _ = try site.database.jobs.update(
            {
                var s = JobSelector(); s.reqID = reqID; s.jobID = 1; return s
            }(), state: .stop, fault: .noOverlap)
        var change = RequestChange()
        change.outProduct = "pstampresults"
        _ = try site.database.requests.update(
            {
                var s = RequestSelector(); s.reqID = reqID; return s
            }(), change)
        _ = try OutgoingDataStoreStore(site.database.pool).addProduct(name: "pstampresults", type: "pstamp", description: "results")
        try OutgoingDataStoreStore(site.database.pool).insertFileset(
            product: "pstampresults", name: "readme", type: "pstamp",
            files: [DSFile(name: "results.fits", bytes: 2880, md5: "abc", type: "table")])
        try await site.test { client in
            let r = try await client.execute(uri: "/api/v1/requests/\(reqID)", method: .get)
            #expect(r.status == .ok, "\(String(buffer: r.body))")
            let body = try Site.json(r)
            let request = try #require(body["request"] as? [String: Any])
            #expect(request["state"] as? String == "run")
            #expect(request["jobs_total"] as? Int == 2)
            #expect(request["jobs_done"] as? Int == 1)
            #expect(request["fileset_url"] as? String == "/ds/pstampresults/readme/")
            let jobs = try #require(body["jobs"] as? [[String: Any]])
            #expect(jobs.map { $0["state"] as? String } == ["stop", "run"])
            #expect(jobs.first?["fault"] as? Int == 28)
            let results = try #require(body["results"] as? [[String: Any]])
            #expect(results.first?["url"] as? String == "/ds/pstampresults/readme/results.fits")
            #expect(body["dependents"] as? [Any] != nil)

            let listed = try Site.json(try await client.execute(uri: "/api/v1/requests/\(reqID)/jobs", method: .get))
            #expect((listed["jobs"] as? [Any])?.count == 2)
            let dependents = try Site.json(try await client.execute(uri: "/api/v1/requests/\(reqID)/dependents", method: .get))
            #expect((dependents["dependents"] as? [Any])?.count == 0)
        }
    }

    /// The names `GET /api/v1/requests<query>` lists.
    static func names(_ client: any TestClientProtocol, _ query: String) async throws -> [String] {
        let r = try await client.execute(uri: "/api/v1/requests\(query)", method: .get)
        #expect(r.status == .ok, "\(String(buffer: r.body))")
        return (try Site.json(r)["requests"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    @Test func requestsAreListedByNameStateAndLabel() async throws {
        let site = try Site()
        defer { site.remove() }
        try site.addRequest(name: "alpha")
        try site.addRequest(name: "beta", state: .run)
        try site.addRequest(name: "alphabet", state: .run)
        try await site.test { client in
            let expected: [(String, [String])] = [
                ("", ["alpha", "beta", "alphabet"]),
                ("?state=run", ["beta", "alphabet"]),
                ("?name=alpha%25", ["alpha", "alphabet"]),
                ("?name=alpha%25&state=new", ["alpha"]),
                ("?label=WEB.UP&limit=1", ["alpha"]),
                ("?label=OTHER", []),
            ]
            for (query, names) in expected {
                let listed = try await Self.names(client, query)
                #expect(listed == names, "\(query)")
            }
        }
    }

    @Test func aServerThatRequiresUserTokensRefusesAnonymousReadsAndSubmissions() async throws {
        let site = try Site()
        defer { site.remove() }
        try site.addRequest(name: "private")
        try await site.test(tokenRequired: true) { client in
            let anonymous = try await client.execute(uri: "/api/v1/requests/1", method: .get)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.contentType] == "application/problem+json")
            #expect(try await client.execute(uri: "/api/v1/workload", method: .get).status == .unauthorized)
            let submit = try await client.execute(
                uri: "/api/v1/requests", method: .post, headers: Site.headers(token: nil, type: "text/plain"),
                body: ByteBuffer(string: "x 2 PROCESS a@b.org\n" + Self.textRow))
            #expect(submit.status == .unauthorized)
            let withToken = try await client.execute(uri: "/api/v1/requests/1", method: .get, headers: Site.headers(token: site.userToken))
            #expect(withToken.status == .ok)
            let unknown = try await client.execute(uri: "/api/v1/requests/1", method: .get, headers: Site.headers(token: "nonsense"))
            #expect(unknown.status == .unauthorized)
        }
    }

    @Test func theWorkloadCountsRequestsJobsAndLabels() async throws {
        let site = try Site()
        defer { site.remove() }
        try site.addRequest(name: "one", state: .run, jobs: 3)
        try site.addRequest(name: "two", state: .run, jobs: 1, fault: .sysError)
        try site.addRequest(name: "three")
        try site.database.labels.define(LabelEntry(label: "WEB.UP", priority: 300, active: true, comment: nil))
        try await site.test { client in
            let r = try await client.execute(uri: "/api/v1/workload", method: .get)
            #expect(r.status == .ok)
            let body = try Site.json(r)
            let requests = try #require(body["requests"] as? [[String: Any]])
            #expect(requests.map { "\($0["key"]!)=\($0["count"]!)" } == ["new=1", "run=2"])
            #expect(body["jobs_pending"] as? Int == 3)
            let faulted = try #require(body["jobs_faulted"] as? [[String: Any]])
            #expect(faulted.map { "\($0["key"]!)=\($0["count"]!)" } == ["2=1"])
            let labels = try #require(body["labels"] as? [[String: Any]])
            #expect(labels.first?["priority"] as? Int == 300)
        }
    }
}
