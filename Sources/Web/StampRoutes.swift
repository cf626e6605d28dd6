import DataStore
import FITS
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import PStampCore
import RequestDB

/// The parameter interface (the fourth way in; the request form, the third, is a page in `Pages/`
/// that submits through `submit`): `GET|POST /stamp?ra=…&dec=…&size=…&email=…`. The parameters (see `StampQuery`) become a one-row request file made by the
/// request-file builder, `<workdir>/webreq/YYYY/MM/DD/web_<num>.fits` named `web_<num>`, and a
/// request labelled `WEB` with the email as its user and the sender's identity. `/stamp` answers
/// `<req_id> <req_name>` and a line saying which identity the request came with (an anonymous sender
/// is told the email was not taken as identity); with `sync=1` it waits for the request to finish and
/// answers with the stamp itself (the identity line in the `PStamp-Identity` header). A logged-in
/// user may leave the email out: their own address is used.
public struct StampRoutes<Context: AuthRequestContext<RequestIdentity>>: Sendable {
    let database: RequestDatabase
    let registry: DataStoreRegistry
    let workdir: URL
    /// The longest `sync=1` wait.
    let syncLimit: Double

    public init(database: RequestDatabase, registry: DataStoreRegistry, workdir: URL, syncLimit: Double = 600) {
        self.database = database
        self.registry = registry
        self.workdir = workdir
        self.syncLimit = syncLimit
    }

    public func register(on router: Router<Context>) {
        router.get("stamp") { request, context in try await self.stamp(request, context) }
        router.post("stamp") { request, context in try await self.stamp(request, context) }
    }

    /// The answer header carrying the intake notice.
    static var identityHeader: HTTPField.Name { HTTPField.Name("PStamp-Identity")! }

    /// Writes the request file and adds the request; returns (req_id, name, the intake notice).
    func submit(_ query: StampQuery, identity: RequestIdentity) throws -> (Int64, String, String) {
        guard let email = query.email ?? identity.user else {
            throw PStampError(.invalidRequest, "email is required (user@domain): it decides what you may see")
        }
        let row = RawRequestRow(query.requestColumns().mapValues { RequestValue.text($0) })
        let (name, path) = try RequestIntake(database: database, workdir: workdir).writeRequestFile(
            prefix: "web", action: "PROCESS", email: email, rows: [row])
        let reqID = try database.requests.add(
            NewRequest(
                uri: path, dsID: 0, name: name, username: email, label: "WEB",
                identity: identity))
        return (reqID, name, AccessRules.intakeNotice(identity: identity, email: email))
    }

    func stamp(_ request: Request, _ context: Context) async throws -> Response {
        let query: StampQuery
        let submitted: (Int64, String, String)
        let identity = context.identity ?? .anonymous
        do {
            query = try StampQuery.parse(try await StampParameters.decode(request).values)
            submitted = try submit(query, identity: identity)
        } catch let error as PStampError {
            throw PlainTextError(.badRequest, "\(error.message)\n")
        }
        context.logger.info("parameter interface: request \(submitted.0) \(submitted.1) (\(identity.description))")
        guard query.sync else { return .text("\(submitted.0) \(submitted.1)\n\(submitted.2)\n") }
        do {
            var answer = try await waitForStamp(reqID: submitted.0, name: submitted.1, context: context)
            answer.headers[Self.identityHeader] = submitted.2
            return answer
        } catch var refusal as PlainTextError {
            refusal.headers[Self.identityHeader] = submitted.2
            throw refusal
        }
    }

    /// Waits for the request to stop (`RequestWait`: woken by each change of the request table), then
    /// answers with its first stamp.
    func waitForStamp(reqID: Int64, name: String, context: Context) async throws -> Response {
        let database = database
        let stopped = try await RequestWait.until(database, timeout: .seconds(syncLimit)) { () -> RequestRecord? in
            guard let record = try database.requests.get(reqID: reqID), record.state == .stop else { return nil }
            return record
        }
        guard let record = stopped else {
            throw PlainTextError(
                .gatewayTimeout, "request \(reqID) \(name) is still running; its results will appear at /ds/<product>/\(name)/\n")
        }
        guard let product = record.outProduct, let fs = try? registry.store.fileset(product: product, name: name) else {
            throw PlainTextError(
                .notFound,
                "request \(reqID) \(name) finished (fault \((record.fault ?? .success).rawValue)) without a results fileset\n")
        }
        let files = try registry.store.files(filesetID: fs.filesetID)
        guard let stamp = files.first(where: { $0.type == "pstamp" && $0.name.hasSuffix(".fits") }) else {
            throw PlainTextError(.notFound, "request \(reqID) \(name) finished without a stamp: see /ds/\(product)/\(name)/results.mdc\n")
        }
        let url = try await registry.fileLocation(product: product, fileset: name, file: stamp.name)
        let body = try await FileIO().loadFile(path: url.path, context: context)
        var headers: HTTPFields = [
            .contentType: "application/fits",
            .contentDisposition: "attachment; filename=\"\(stamp.name)\"",
        ]
        if let bytes = stamp.bytes { headers[.contentLength] = String(bytes) }
        return Response(status: .ok, headers: headers, body: body)
    }

    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
