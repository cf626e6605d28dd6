import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import PStampCore
import RequestDB

/// SODA async at `/soda/async`: a UWS 1.1 job list whose jobs are requests labelled SODA (visible to
/// pstamptool and the workload page; the pipeline's dependents, restores, reverts and cleanup apply).
///
/// - `GET /soda/async[?PHASE=…&AFTER=…&LAST=…]` the sender's jobs; `POST /soda/async` creates one (303
///   to it; `PHASE=RUN` runs it at once, else it is PENDING).
/// - `GET /soda/async/{id}[?WAIT=s[&PHASE=p]]` the job (blocking while it is active, at most `WAIT`
///   seconds, -1 for the server's longest); `DELETE` it, or `POST ACTION=DELETE`: destroyed (goto_cleaned).
/// - `…/phase` (POST `PHASE=RUN|ABORT`), `…/executionduration`, `…/destruction` (GET, POST to change),
///   `…/quote`, `…/error`, `…/results`, `…/parameters`, `…/owner`.
/// A job belongs to the user it was created by (anonymous jobs to anonymous senders).
struct UWSRoutes<Context: AuthRequestContext<RequestIdentity>>: Sendable {
    let soda: SODARequests
    var jobs: UWSJobs { UWSJobs(soda: soda) }

    func register(on router: Router<Context>) {
        router.get("soda/async") { request, context in await self.handle(request, context) { try await self.list($0, $1) } }
        router.post("soda/async") { request, context in await self.handle(request, context) { try await self.create($0, $1) } }
        router.get("soda/async/:job") { request, context in await self.handle(request, context) { try await self.show($0, $1) } }
        router.post("soda/async/:job") { request, context in await self.handle(request, context) { try await self.post($0, $1) } }
        router.delete("soda/async/:job") { request, context in await self.handle(request, context) { try await self.destroy($0, $1) } }
        router.get("soda/async/:job/:resource") { request, context in
            await self.handle(request, context) { try await self.resource($0, $1) }
        }
        router.post("soda/async/:job/:resource") { request, context in
            await self.handle(request, context) { try await self.change($0, $1) }
        }
    }

    func handle(_ request: Request, _ context: Context, _ body: (Request, Context) async throws -> Response) async -> Response {
        await VOExchange.answering(VOExchange.textError, context) { try await body(request, context) }
    }

    func base(_ request: Request) -> String { VOExchange.baseURL(request, site: soda.site) }

    func jobURL(_ request: Request, _ id: Int64) -> String { "\(base(request))/soda/async/\(id)" }

    static func seeOther(_ url: String) -> Response { Response(status: .seeOther, headers: [.location: url]) }

    static func text(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The job of the path, if the sender may see it.
    func view(_ context: Context) throws -> UWSJobView {
        guard let text = context.parameters.get("job"), let id = Int64(text), id > 0 else {
            throw DALIError(.notFound, "no job '\(context.parameters.get("job") ?? "")'")
        }
        guard let v = try soda.database.uwsJobs.get(reqID: id) else { throw DALIError(.notFound, "no job \(id)") }
        guard v.uws.owner == context.sender.user || (v.uws.owner == nil && context.sender.user == nil) else {
            throw DALIError(.authorizationError, "job \(id) belongs to someone else")
        }
        return v
    }

    func list(_ request: Request, _ context: Context) async throws -> Response {
        let filter = try UWSJobFilter(try await VOExchange.parameters(request))
        let base = base(request)
        let all = try soda.database.uwsJobs.list(owner: context.sender.user).map { v in
            UWSJob(
                jobId: String(v.uws.reqID), runId: v.uws.runID, ownerId: v.uws.owner, phase: UWSJobs.phase(v),
                creationTime: v.request.registered)
        }
        return VOExchange.xml(UWSJob.listXML(filter.apply(all)) { "\(base)/soda/async/\($0)" })
    }

    func create(_ request: Request, _ context: Context) async throws -> Response {
        let p = try await VOExchange.parameters(request)
        let id = try await jobs.create(p, identity: context.sender, base: base(request))
        context.logger.info("SODA async: UWS job \(id) created (\(context.sender.description))")
        return Self.seeOther(jobURL(request, id))
    }

    func show(_ request: Request, _ context: Context) async throws -> Response {
        var v = try view(context)
        let p = try await VOExchange.parameters(request)
        if let text = try p.single("WAIT") {
            guard let seconds = Double(text), seconds.isFinite, seconds >= -1 else {
                throw DALIError.usage("WAIT '\(text)' is not a number of seconds (-1: as long as the server allows)")
            }
            let limit = seconds < 0 ? UWSJobs.longestWait : min(seconds, UWSJobs.longestWait)
            let given = try p.single("PHASE").map(UWSPhase.parse)
            let start = given ?? UWSJobs.phase(v)
            if start.isActive && limit > 0 && (given == nil || given == UWSJobs.phase(v)) {
                let database = soda.database, reqID = v.uws.reqID
                let tables = ["pstampRequest", "pstampJob", "pstampUWSJob"]
                let timeout = Duration.milliseconds(WholeNumber.rounded(limit * 1000) ?? 0)
                let changed = try await RequestWait.until(database, tables: tables, timeout: timeout) { () -> UWSJobView? in
                    guard let now = try database.uwsJobs.get(reqID: reqID) else { return nil }
                    return UWSJobs.phase(now) == start ? nil : now
                }
                if let changed {
                    v = changed
                } else {
                    v = try soda.database.uwsJobs.get(reqID: v.uws.reqID) ?? v
                }
            }
        }
        return VOExchange.xml(try jobs.document(v, base: base(request)).xml)
    }

    /// `POST /soda/async/{id}`: `ACTION=DELETE` (other changes go to the job's resources).
    func post(_ request: Request, _ context: Context) async throws -> Response {
        let p = try await VOExchange.parameters(request)
        guard try p.single("ACTION")?.uppercased() == "DELETE" else {
            throw DALIError.usage("POST to a job takes ACTION=DELETE; change its phase, destruction or duration at their resources")
        }
        return try await destroy(request, context)
    }

    func destroy(_ request: Request, _ context: Context) async throws -> Response {
        let v = try view(context)
        try soda.database.uwsJobs.destroy(reqID: v.uws.reqID)
        context.logger.info("SODA async: UWS job \(v.uws.reqID) destroyed")
        return Self.seeOther("\(base(request))/soda/async")
    }

    func resource(_ request: Request, _ context: Context) async throws -> Response {
        let v = try view(context)
        let doc = try jobs.document(v, base: base(request))
        switch context.parameters.get("resource") ?? "" {
        case "phase": return Self.text(doc.phase.rawValue)
        case "executionduration": return Self.text(String(doc.executionDuration))
        case "destruction": return Self.text(doc.destruction.map(UWSJob.time) ?? "")
        case "quote": return Self.text(doc.quote.map(UWSJob.time) ?? "")
        case "owner": return Self.text(doc.ownerId ?? "")
        case "error":
            guard let text = doc.errorText else { throw DALIError(.notFound, "job \(v.uws.reqID) has no error") }
            return Self.text(text)
        case "results": return VOExchange.xml(UWSResult.listXML(doc.results))
        case "parameters":
            return VOExchange.xml(doc.parametersDocument)
        case let other: throw DALIError(.notFound, "a job has no resource '\(other)'")
        }
    }

    func change(_ request: Request, _ context: Context) async throws -> Response {
        let v = try view(context)
        let p = try await VOExchange.parameters(request)
        let id = v.uws.reqID
        switch context.parameters.get("resource") ?? "" {
        case "phase":
            guard let text = try p.single("PHASE") else { throw DALIError.usage("PHASE=RUN or PHASE=ABORT is required") }
            switch try UWSAction.parsePhase(text) {
            case .run: try await jobs.run(v)
            case .abort: _ = try soda.database.uwsJobs.abort(reqID: id)
            case .destroy: try soda.database.uwsJobs.destroy(reqID: id)
            }
        case "executionduration":
            guard let seconds = try UWSJobs.executionDuration(p.single("EXECUTIONDURATION")) else {
                throw DALIError.usage("EXECUTIONDURATION is required")
            }
            try soda.database.uwsJobs.setExecutionDuration(reqID: id, seconds)
        case "destruction":
            guard let text = try p.single("DESTRUCTION") else { throw DALIError.usage("DESTRUCTION is required") }
            try soda.database.uwsJobs.setDestruction(reqID: id, try UWSJobs.destruction(text))
        case let other: throw DALIError(.usageError, "a job's '\(other)' cannot be changed")
        }
        return Self.seeOther(jobURL(request, id))
    }
}
