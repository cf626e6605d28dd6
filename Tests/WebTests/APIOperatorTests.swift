import Foundation
import Hummingbird
import HummingbirdTesting
import PStampCore
import RequestDB
import Testing
import Web

/// The JSON API's operator actions: each refused without a token (401) and with a user's token (403),
/// done with the admin token through the request database's guarded changes.
@Suite struct APIOperatorTests {
    typealias Site = APITestSite

    /// Posts an action; `body` as JSON.
    static func act(
        _ client: any TestClientProtocol, _ path: String, token: String?, body: String? = nil, method: HTTPRequest.Method = .post
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/v1\(path)", method: method, headers: Site.headers(token: token, type: body == nil ? nil : "application/json"),
            body: body.map { ByteBuffer(string: $0) })
    }

    /// Every action is refused without the admin token (401) and with a user's token (403); with it,
    /// it is done (on a held request with a faulted job, which every action applies to).
    @Test(
        arguments: [
            ("/requests/1/hold", nil), ("/requests/1/release", nil), ("/requests/1/revert", nil),
            ("/requests/1/goto_cleaned", nil), ("/requests/1/fault", "{\"fault\": 25}"), ("/requests/1/stop_faulted", nil),
            ("/labels/WEB.UP", "{\"priority\": 5}"),
        ] as [(String, String?)])
    func anOperatorActionNeedsTheAdminToken(path: String, body: String?) async throws {
        let site = try Site()
        defer { site.remove() }
        try site.addRequest(name: "guarded", state: .run, jobs: 1, fault: .sysError)
        if path != "/requests/1/hold" { _ = try site.database.requests.transition(reqID: 1, from: .run, to: .hold) }
        let method: HTTPRequest.Method = path.hasPrefix("/labels") ? .put : .post
        try await site.test { client in
            let anonymous = try await Self.act(client, path, token: nil, body: body, method: method)
            #expect(anonymous.status == .unauthorized, "\(String(buffer: anonymous.body))")
            #expect(anonymous.headers[.contentType] == "application/problem+json")
            let user = try await Self.act(client, path, token: site.userToken, body: body, method: method)
            #expect(user.status == .forbidden, "\(String(buffer: user.body))")
            #expect(
                try Site.json(user)["detail"] as? String
                    == "token user vip@example.org may not do operator actions: they need the admin token")
            let wrong = try await Self.act(client, path, token: "not-the-admin-token", body: body, method: method)
            #expect(wrong.status == .unauthorized)
            let admin = try await Self.act(client, path, token: Site.adminToken, body: body, method: method)
            #expect(admin.status == .ok, "\(String(buffer: admin.body))")
        }
    }

    @Test func refusedActionsChangeNothing() async throws {
        let site = try Site()
        defer { site.remove() }
        try site.addRequest(name: "guarded", state: .run, jobs: 1, fault: .sysError)
        try await site.test { client in
            _ = try await Self.act(client, "/requests/1/hold", token: nil)
            _ = try await Self.act(client, "/requests/1/stop_faulted", token: site.userToken)
            _ = try await Self.act(client, "/labels/WEB.UP", token: site.userToken, body: "{\"priority\": 5}", method: .put)
        }
        #expect(try site.database.requests.get(reqID: 1)?.state == .run)
        #expect(try site.database.jobs.get(jobID: 1)?.state == .run)
        #expect(try site.database.labels.list(LabelQuery()).isEmpty)
    }

    @Test func holdAndReleaseParkAndResumeARequest() async throws {
        let site = try Site()
        defer { site.remove() }
        try site.addRequest(name: "parsed", state: .run, jobs: 1)
        try site.addRequest(name: "unparsed")
        try site.addRequest(name: "finished", state: .run)
        _ = try site.database.requests.transition(reqID: 3, from: .run, to: .stop)
        try await site.test { client in
            let held = try await Self.act(client, "/requests/1/hold", token: Site.adminToken)
            #expect(try Site.json(held)["state"] as? String == "hold")
            #expect(try site.database.jobs.pending().isEmpty)
            // Holding a held request again leaves it held.
            let again = try await Self.act(client, "/requests/1/hold", token: Site.adminToken)
            #expect(again.status == .ok)
            #expect(try Site.json(again)["state"] as? String == "hold")
            // A finished request cannot be held.
            let finished = try await Self.act(client, "/requests/3/hold", token: Site.adminToken)
            #expect(finished.status == .conflict)
            #expect(try Site.json(finished)["detail"] as? String == "request 3: illegal request state change from 'stop' to 'hold'")
            let released = try await Self.act(client, "/requests/1/release", token: Site.adminToken)
            #expect(try Site.json(released)["state"] as? String == "run")
            #expect(try site.database.jobs.pending().count == 1)
            // A request held before it was parsed goes back to new.
            _ = try await Self.act(client, "/requests/2/hold", token: Site.adminToken)
            let back = try await Self.act(client, "/requests/2/release", token: Site.adminToken)
            #expect(try Site.json(back)["state"] as? String == "new")
            let notHeld = try await Self.act(client, "/requests/2/release", token: Site.adminToken)
            #expect(notHeld.status == .conflict)
            #expect(try await Self.act(client, "/requests/9/hold", token: Site.adminToken).status == .notFound)
        }
    }

    @Test func faultRevertStopFaultedAndGotoCleaned() async throws {
        let site = try Site()
        defer { site.remove() }
        try site.addRequest(name: "troubled", state: .run, jobs: 2, fault: .sysError)
        try await site.test { client in
            let faulted = try await Self.act(client, "/requests/1/fault", token: Site.adminToken, body: "{\"fault\": 25}")
            #expect(try Site.json(faulted)["fault"] as? Int == 25)
            #expect(try site.database.requests.get(reqID: 1)?.fault == PStampCode(25))
            let unknown = try await Self.act(client, "/requests/1/fault", token: Site.adminToken, body: "{\"fault\": 300}")
            #expect(unknown.status == .badRequest)
            let reverted = try await Self.act(client, "/requests/1/revert", token: Site.adminToken)
            #expect(try Site.json(reverted)["fault"] as? Int == 0)
            // The jobs' system faults were reverted too: they run again.
            #expect(try site.database.jobs.pending().count == 2)
            _ = try site.database.jobs.update(
                {
                    var s = JobSelector(); s.reqID = 1; return s
                }(), fault: .configError)
            let stopped = try await Self.act(client, "/requests/1/stop_faulted", token: Site.adminToken)
            #expect(try Site.json(stopped)["stopped"] as? Int == 2)
            #expect(try site.database.jobs.get(jobID: 1)?.state == .stop)
            #expect(try site.database.jobs.get(jobID: 1)?.fault == .notAvailable)
            let cleaned = try await Self.act(client, "/requests/1/goto_cleaned", token: Site.adminToken)
            #expect(try Site.json(cleaned)["state"] as? String == "goto_cleaned")
            let twice = try await Self.act(client, "/requests/1/goto_cleaned", token: Site.adminToken)
            #expect(twice.status == .ok)
        }
    }

    @Test func aLabelsPriorityIsSetInTheRequestDatabaseAndTheImageDatabases() async throws {
        let site = try Site()
        defer { site.remove() }
        let imageDB = try RequestDatabase.open(
            path: site.directory.appendingPathComponent("other.sqlite").path, mode: .createOrMigrate)
        try imageDB.labels.define(LabelEntry(label: "ps_ud_WEB.UP", priority: 1, active: true, comment: nil))
        try await site.test(imageLabels: [(name: "gpc1", catalog: imageDB.labels)]) { client in
            let r = try await Self.act(client, "/labels/WEB.UP", token: Site.adminToken, body: "{\"priority\": 700}", method: .put)
            #expect(r.status == .ok, "\(String(buffer: r.body))")
            let body = try Site.json(r)
            #expect(body["priority"] as? Int == 700)
            #expect((body["image_labels"] as? [[String: Any]])?.first?["label"] as? String == "ps_ud_WEB.UP")
            let inactive = try await Self.act(
                client, "/labels/WEB.UP", token: Site.adminToken, body: "{\"priority\": 800, \"active\": false}", method: .put)
            #expect(try Site.json(inactive)["active"] as? Bool == false)
        }
        #expect(try site.database.labels.list(LabelQuery()).map(\.priority) == [800])
        #expect(try imageDB.labels.list(LabelQuery()).map(\.priority) == [800])
        #expect(try imageDB.labels.list(LabelQuery()).map(\.active) == [false])
    }
}
