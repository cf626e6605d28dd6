import FITS
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import PStampCore
import RequestDB

/// The upload page, the second way in (server-internals §8.1, IPP `pstamp_insert_request.pl`):
/// `GET /upload` shows a form; `POST /upload` with a request FITS file as the body checks its
/// header, copies it to `<workdir>/webreq/YYYY/MM/DD/web_<num>.fits` and adds a request with the
/// file's REQ_NAME, label `WEB.UP` and the sender's identity (`IdentityMiddleware`). The answer is
/// `<req_id> <req_name>` (as the IPP printed it), then a line saying which identity the request came
/// with (an anonymous sender is told the EMAIL was not taken as identity, `AccessRules.intakeNotice`);
/// a bad file, or a REQ_NAME outside the data-store character set (it names the results fileset), is
/// 400 and a name already used is 409, each with a message saying so.
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
        router.get("upload") { _, _ in Response.text(Self.page, contentType: "text/html; charset=utf-8") }
        router.post("upload") { request, context in try await self.upload(request, context) }
    }

    /// The limits answered before a byte is stored: the kind of body, its declared size, the number of
    /// uploads under way. Then the body is streamed to a file (never held whole in memory).
    func upload(_ request: Request, _ context: Context) async throws -> Response {
        if request.headers[.contentType]?.lowercased().hasPrefix("multipart/") == true {
            throw PlainTextError(.unsupportedMediaType, "send the request file itself as the body (Content-Type: application/fits)\n")
        }
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
        let dayDirectory = workdir.appendingPathComponent("webreq").appendingPathComponent(Self.datePath(Date()), isDirectory: true)
        let temporary = dayDirectory.appendingPathComponent(".upload-\(UUID().uuidString).fits")
        var keep: URL? = nil
        defer { if keep == nil { try? FileManager.default.removeItem(at: temporary) } }
        do {
            try Self.makeDirectory(dayDirectory)
            try await FileIO().writeFile(
                contents: LimitedBody(base: request.body, limit: limits.maxBytes), path: temporary.path,
                context: context)
        } catch is LimitedBody<RequestBody>.BodyTooLarge {
            throw PlainTextError(.contentTooLarge, "the request file is larger than \(limits.maxBytes) bytes\n")
        } catch  where DiskFull.explains(error, at: workdir) {
            throw diskFull(error, context)
        }

        let header: RequestHeader
        do { header = try RequestFile.readIntakeHeader(temporary.path) } catch {
            throw PlainTextError(.badRequest, "not a request file: \(error.message)\n")
        }
        // REQ_NAME names the results fileset: a name no data store can hold (a path, a space…) is
        // refused here, before it costs a parse and a failed finish.
        do { try DataStoreName.validate(header.reqName, as: .fileset) } catch let error as PStampError {
            throw PlainTextError(.badRequest, "REQ_NAME '\(header.reqName)' cannot name a results fileset: \(error.message)\n")
        }
        do {
            let num = try database.webRequests.next()
            let destination = dayDirectory.appendingPathComponent("web_\(num).fits")
            try FileManager.default.moveItem(at: temporary, to: destination)
            keep = destination
            do {
                let identity = context.identity ?? .anonymous
                let reqID = try database.requests.add(
                    NewRequest(
                        uri: destination.path, dsID: 0, name: header.reqName, label: "WEB.UP",
                        identity: identity))
                context.logger.info("upload: request \(reqID) \(header.reqName) from \(destination.path) (\(identity.description))")
                return .text("\(reqID) \(header.reqName)\n\(AccessRules.intakeNotice(identity: identity, email: header.email))\n")
            } catch {
                try? FileManager.default.removeItem(at: destination)
                throw error
            }
        } catch  where "\(error)".contains("UNIQUE constraint failed: pstampRequest.name") {
            throw PlainTextError(.conflict, "Request Name \(header.reqName) has already been used\n")
        } catch  where DiskFull.explains(error, at: workdir) {
            throw diskFull(error, context)
        }
    }

    /// Creates `directory` (and its parents); another upload creating it at the same moment is no failure
    /// (Foundation's createDirectory may then throw "file exists").
    static func makeDirectory(_ directory: URL) throws {
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw error
            }
        }
    }

    /// 507 with the reason (the upload was not kept).
    private func diskFull(_ error: Error, _ context: Context) -> PlainTextError {
        context.logger.error("upload refused, the disk is full: \(error)")
        return PlainTextError(
            HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage"),
            "the server's disk is full, so the request was not stored: try again later\n")
    }

    /// `YYYY/MM/DD` of `date` in UTC.
    static func datePath(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d/%02d/%02d", c.year!, c.month!, c.day!)
    }

    static var page: String {
        """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Upload a postage-stamp request</title></head><body>
        <h1>Upload a postage-stamp request</h1>
        <p>Choose a request file (a FITS table PS1_PS_REQUEST, as made by <code>pstamp request-file</code>).
        Its REQ_NAME names the request and its results fileset.</p>
        <form id="upload"><input type="file" id="file" accept=".fits,.fit,application/fits">
        <button type="submit">Upload</button></form>
        <pre id="answer"></pre>
        <script>
        document.getElementById('upload').addEventListener('submit', async (event) => {
          event.preventDefault();
          const file = document.getElementById('file').files[0];
          const out = document.getElementById('answer');
          if (!file) { out.textContent = 'choose a file first'; return; }
          const response = await fetch('/upload', {method: 'POST', headers: {'Content-Type': 'application/fits'}, body: file});
          out.textContent = (response.ok ? 'request added: ' : 'refused: ') + await response.text();
        });
        </script>
        <p>From a script: <code>curl --data-binary @request.fits -H 'Content-Type: application/fits' http://HOST/upload</code>
        or <code>pstamp submit request.fits --server http://HOST</code>.</p>
        </body></html>

        """
    }
}
