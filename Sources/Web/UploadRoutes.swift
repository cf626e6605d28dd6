import FITS
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import PStampCore
import RequestDB

/// The upload page, the second way in (server-internals §8.1, IPP `pstamp_insert_request.pl`):
/// `GET /upload` shows a plain form; `POST /upload` with a request FITS file as the body, or as the
/// form's `file` part (`multipart/form-data`, `UploadFormPart`), checks its header, copies it to `<workdir>/webreq/YYYY/MM/DD/web_<num>.fits` and adds a request with the
/// file's REQ_NAME, label `WEB.UP` and the sender's identity (`IdentityMiddleware`). The answer is
/// `<req_id> <req_name>` (as the IPP printed it), then a line saying which identity the request came
/// with (an anonymous sender is told the EMAIL was not taken as identity, `AccessRules.intakeNotice`);
/// a bad file, or a REQ_NAME outside the data-store character set (it names the results fileset), is
/// 400 and a name already used is 409, each with a message saying so. A browser (`Accept: text/html`)
/// is sent on (303) to the new request's page instead.
public struct UploadRoutes<Context: AuthRequestContext<RequestIdentity>>: Sendable {
    let database: RequestDatabase
    let workdir: URL
    let limits: UploadLimits
    let gate: UploadGate

    public init(database: RequestDatabase, workdir: URL, limits: UploadLimits = UploadLimits()) {
        self.database = database
        self.workdir = workdir
        self.limits = limits
        self.gate = UploadGate(limit: limits.maxConcurrent)
    }

    public func register(on router: Router<Context>) {
        router.get("upload") { _, _ in try PageTemplates.render([String: String](), "upload") }
        router.post("upload") { request, context in try await self.upload(request, context) }
    }

    /// The limits answered before a byte is stored: the kind of body, its declared size, the number of
    /// uploads under way. Then the body is streamed to a file (never held whole in memory).
    func upload(_ request: Request, _ context: Context) async throws -> Response {
        let boundary = UploadFormPart<RequestBody>.boundary(request.headers[.contentType])
        let refusedType = PlainTextError(
            .unsupportedMediaType,
            "send the request file itself as the body (Content-Type: application/fits), or as the form part named file\n")
        if request.headers[.contentType]?.lowercased().hasPrefix("multipart/") == true, boundary == nil { throw refusedType }
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limits.maxBytes {
            throw PlainTextError(.contentTooLarge, "the request file is larger than \(limits.maxBytes) bytes\n")
        }
        guard gate.enter() else {
            throw PlainTextError(
                .serviceUnavailable,
                "\(limits.maxConcurrent) uploads are under way, the most this server takes at once: "
                    + "try again in \(limits.retryAfter) s\n",
                headers: [.retryAfter: String(limits.retryAfter)])
        }
        defer { gate.leave() }
        let intake = RequestIntake(database: database, workdir: workdir)
        let temporary: URL
        do {
            temporary = try intake.dayDirectory().appendingPathComponent(".upload-\(UUID().uuidString).fits")
            do {
                if let boundary {
                    let form = UploadFormPart(base: request.body, boundary: boundary, limit: limits.maxBytes)
                    try await FileIO().writeFile(contents: form, path: temporary.path, context: context)
                    if form.progress.tooLarge { throw LimitedBody<RequestBody>.BodyTooLarge() }
                    if !form.progress.isComplete {
                        try? FileManager.default.removeItem(at: temporary)
                        throw refusedType
                    }
                } else {
                    let body = LimitedBody(base: request.body, limit: limits.maxBytes)
                    try await FileIO().writeFile(contents: body, path: temporary.path, context: context)
                    if body.overflow.happened { throw LimitedBody<RequestBody>.BodyTooLarge() }
                }
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                throw error
            }
        } catch is LimitedBody<RequestBody>.BodyTooLarge {
            throw PlainTextError(.contentTooLarge, "the request file is larger than \(limits.maxBytes) bytes\n")
        } catch  where DiskFull.explains(error, at: workdir) {
            throw diskFull(error, context)
        }
        do {
            let identity = context.identity ?? .anonymous
            let added = try intake.add(fileAt: temporary, identity: identity)
            context.logger.info("upload: request \(added.reqID) \(added.name) (\(identity.description))")
            if request.headers[.accept]?.contains("text/html") == true {
                return Response(status: .seeOther, headers: [.location: "/requests/\(added.reqID)"])
            }
            return .text("\(added.reqID) \(added.name)\n\(added.notice)\n")
        } catch RequestIntake.Refusal.notARequestFile(let message), RequestIntake.Refusal.badName(let message) {
            throw PlainTextError(.badRequest, "\(message)\n")
        } catch RequestIntake.Refusal.duplicateName(let message) {
            throw PlainTextError(.conflict, "\(message)\n")
        } catch  where DiskFull.explains(error, at: workdir) {
            throw diskFull(error, context)
        }
    }

    /// 507 with the reason (the upload was not kept).
    private func diskFull(_ error: Error, _ context: Context) -> PlainTextError {
        context.logger.error("upload refused, the disk is full: \(error)")
        return PlainTextError(
            HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage"),
            "the server's disk is full, so the request was not stored: try again later\n")
    }
}
