import Foundation
import Hummingbird
import RequestDB

/// The service's own health for orchestrators and monitors, and the crawler policy:
/// `/healthz` answers 200 while the process serves HTTP; `/readyz` answers 200 when the request
/// database can be read and the work directory written, else 503 naming what failed;
/// `/robots.txt` keeps crawlers off the data store (`/ds`) and the stamp interface, whose long-gone
/// filesets crawlers kept asking for.
struct HealthRoutes<Context: RequestContext>: Sendable {
    let database: RequestDatabase
    let workdir: URL

    static var robots: String {
        """
        User-agent: *
        Disallow: /ds/
        Disallow: /stamp
        Disallow: /api/

        """
    }

    func register(on router: Router<Context>) {
        router.get("healthz") { _, _ in Self.text(.ok, "ok\n") }
        router.get("readyz") { _, _ in
            let problems = await self.problems()
            return problems.isEmpty ? Self.text(.ok, "ready\n") : Self.text(.serviceUnavailable, problems.joined(separator: "\n") + "\n")
        }
        router.get("robots.txt") { _, _ in Self.text(.ok, Self.robots) }
    }

    /// What keeps the server from doing its work, one line each; empty when ready.
    func problems() async -> [String] {
        let database = database
        let workdir = workdir
        return await Task.detached {
            var problems: [String] = []
            do { try database.checkReadable() } catch { problems.append("request database: \(error)") }
            let probe = workdir.appendingPathComponent(".readyz-\(UUID().uuidString)")
            do {
                try Data().write(to: probe)
                try FileManager.default.removeItem(at: probe)
            } catch {
                problems.append("work directory \(workdir.path): not writable (\(error.localizedDescription))")
            }
            return problems
        }.value
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
