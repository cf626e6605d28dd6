import DataStore
import Foundation
import Hummingbird
import HummingbirdAuth
import PStampCore
import RequestDB

/// The server-rendered pages: `/` (what this server is, the live counts, the request form), `/workload`,
/// `/requests/<req_id>` and `/requests/<name>` (also `/requests/by-name/<name>`), the request form
/// (`GET`/`POST /request`) and the stylesheet `/static/pstamp.css`. Every page works without JavaScript.
/// A posted form that is refused comes back (400) with the sender's values and the message beside the
/// field; an accepted one answers 303 to the new request's page.
struct PageRoutes<Context: AuthRequestContext<RequestIdentity>>: Sendable {
    let database: RequestDatabase
    let registry: DataStoreRegistry
    /// The work directory (the workload page shows how full its disk is).
    let workdir: URL
    /// Makes the requests the form sends (the request-file builder of the parameter interface).
    let stamps: StampRoutes<Context>

    func register(on router: Router<Context>) {
        router.get("/") { _, context in try self.home(context) }
        router.get("workload") { _, _ in try WorkloadPage.response(try database.workload(), workdir: workdir) }
        router.get("requests/by-name/:name") { _, context in
            try await self.requestPage(try database.progress(name: Self.decoded(try context.parameters.require("name"))), context)
        }
        router.get("requests/:key") { _, context in
            let key = Self.decoded(try context.parameters.require("key"))
            let progress = try Int64(key).flatMap { try database.progress(reqID: $0) } ?? database.progress(name: key)
            return try await self.requestPage(progress, context)
        }
        router.get("request") { _, context in
            try PageTemplates.render(["form": RequestFormView(signedIn: context.identity?.user != nil)], "request-form")
        }
        router.post("request") { request, context in try await self.submit(request, context) }
        router.get("static/pstamp.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=300"],
                body: .init(byteBuffer: ByteBuffer(string: try PageTemplates.shipped.get().stylesheet)))
        }
    }

    func home(_ context: Context) throws -> Response {
        let summary = try database.workload()
        let counts: [[String: String]] =
            WorkloadSummary.unfinishedStates.map { ["label": "requests \($0.rawValue)", "value": String(summary.count($0))] } + [
                ["label": "jobs pending", "value": String(summary.pendingJobs)],
                ["label": "jobs running", "value": String(summary.runningJobs)],
                ["label": "finished in 24 h", "value": String(summary.finished.count)],
            ]
        return try PageTemplates.render(
            ["counts": counts, "form": RequestFormView(signedIn: context.identity?.user != nil)] as [String: Any], "home")
    }

    /// A path segment with its %XX escapes undone.
    static func decoded(_ segment: String) -> String { segment.removingPercentEncoding ?? segment }

    func requestPage(_ progress: RequestProgress?, _ context: Context) async throws -> Response {
        guard let progress else {
            return try PageTemplates.render(["message": "There is no such request."], "not-found", status: .notFound)
        }
        return try PageTemplates.render(try await RequestPageView(progress, registry: registry), "request")
    }

    /// The posted form: 303 to the new request's page, or the form again with the messages (400).
    func submit(_ request: Request, _ context: Context) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        var values = try URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: body))
        for (key, value) in request.uri.queryParameters where values[String(key)] == nil { values[String(key)] = String(value) }
        let identity = context.identity ?? .anonymous
        var form = RequestFormView(values: values, signedIn: identity.user != nil)
        do {
            let query = try StampQuery.check(RequestFormView.queryParameters(values))
            let (reqID, name, _) = try stamps.submit(query, identity: identity)
            context.logger.info("request form: request \(reqID) \(name) (\(identity.description))")
            return Response(status: .seeOther, headers: [.location: "/requests/\(reqID)"])
        } catch let refusal as StampQuery.Refusal {
            form.refuse(refusal)
        } catch let error as PStampError {
            // The only refusal after the parameters: no email (and no signed-in user to take it from).
            form.refuse(StampQuery.Refusal(field: "email", error: error))
        }
        return try PageTemplates.render(["form": form], "request-form", status: .badRequest)
    }
}
