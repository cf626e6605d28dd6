import Foundation
import Hummingbird
import HummingbirdTesting
import PStampTestSupport
import RequestDB
import Testing
import Web

/// `/healthz`, `/readyz` and `/robots.txt` through Hummingbird's test client.
@Suite struct HealthRoutesTests {
    func application(workdir: URL, database: RequestDatabase) -> some ApplicationProtocol {
        let web = WebApplication()
        web.addHealth(database: database, workdir: workdir)
        return web.application(port: 0)
    }

    @Test func healthAndReadinessAnswerOKWhenTheDatabaseAndWorkDirectoryWork() async throws {
        let temporary = try TemporaryDirectory("pstamp-health")
        let app = application(workdir: temporary.url, database: try temporary.requestDatabase())
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok\n")
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ready\n")
            }
        }
    }

    @Test func readinessAnswers503NamingAWorkDirectoryThatCannotBeWritten() async throws {
        let temporary = try TemporaryDirectory("pstamp-health")
        let missing = temporary.url.appendingPathComponent("no/such/workdir")
        let app = application(workdir: missing, database: try temporary.requestDatabase())
        try await app.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("work directory \(missing.path): not writable"))
            }
            try await client.execute(uri: "/healthz", method: .get) { response in #expect(response.status == .ok) }
        }
    }

    @Test func robotsKeepsCrawlersOffTheDataStore() async throws {
        let temporary = try TemporaryDirectory("pstamp-health")
        let app = application(workdir: temporary.url, database: try temporary.requestDatabase())
        try await app.test(.router) { client in
            try await client.execute(uri: "/robots.txt", method: .get) { response in
                #expect(response.status == .ok)
                let lines = String(buffer: response.body).split(separator: "\n").map(String.init)
                #expect(lines.contains("User-agent: *"))
                #expect(lines.contains("Disallow: /ds/"))
            }
        }
    }
}
