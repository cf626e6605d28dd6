import ArgumentParser
import DataStore
import FITS
import Foundation
import PStampCore

/// `pstamp submit FILE [--text] --server URL [--wait --outdir DIR]`: sends a request file to a PStamp
/// server's upload page and, with --wait, follows it through the JSON API (a progress bar on a terminal,
/// plain lines otherwise) until it stops, then downloads its results fileset. With --text,
/// FILE is the text request format (formats-and-cutouts §2, as `pstamp request-file` reads it) and the
/// FITS request file is built from it first.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Send a request FITS file to a PStamp server (its /upload page); optionally wait for the results.",
        discussion: """
            Prints `<req_id> <req_name>` as the server answers. With --text, FILE (or - for standard input) is \
            the text format of `pstamp request-file`; --req_name and --email override its header line. A busy server \
            (503: as many uploads under way as it takes) is tried again after the wait it names. With --wait, follows \
            the request through <server>/api/v1/requests/<req_id>, showing jobs done / total (a bar on a terminal, \
            a line per change otherwise), until it stops; then, with --outdir, downloads its results fileset checking \
            every md5 sum. Exit status: 0 on success; 5 for a refused file; 20 for a request name already used; HTTP \
            status − 300 for other HTTP failures; 6 when --wait times out; the request's fault when it stops with one.
            """)

    @Argument(help: "The request file (FITS table PS1_PS_REQUEST; with --text, its text form).") var file: String
    @Flag(help: "FILE is the text request format: build the FITS request file from it, then send that.") var text = false
    @Option(name: [.customShort("r"), .customLong("req_name")], help: "With --text: the request name (overrides the header line).")
    var reqName: String?
    @Option(name: .customLong("email"), help: "With --text: the submitter's email (overrides the header line).")
    var email: String?
    @Option(help: "The server, e.g. http://host:8080.") var server = "http://127.0.0.1:8080"
    @Flag(help: "Follow the request through the server's API (jobs done / total) until it stops.") var wait = false
    @Option(help: "With --wait: download the results here.") var outdir: String?
    @Option(help: "With --wait: give up after this many seconds.") var waitLimit: Double = 3600
    @Option(
        help:
            "An API token (from the operator's pstamptool -adduser; default $PSTAMP_TOKEN): without one the request's EMAIL is not taken as identity and the default access level applies."
    )
    var token: String?

    func run() async throws {
        let data = try requestData()
        var base = server
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/ds") { base.removeLast(3) }
        let answer: String
        do {
            answer = String(decoding: try await upload(data, to: base + "/upload"), as: UTF8.self)
        } catch let error as HTTPTransferError {
            if case .status(let status, _, let body) = error {
                let message = body.trimmingCharacters(in: .whitespacesAndNewlines)
                switch status {
                case 409: throw fail("pstamp submit: \(message)", code: Int32(PStampCode.dupRequest.rawValue))
                case 401: throw fail("pstamp submit: \(message)", code: Int32(PStampCode.notAuthorized.rawValue))
                case 400, 413, 415: throw fail("pstamp submit: \(message)", code: Int32(PStampCode.dataError.rawValue))
                default: break
                }
            }
            throw fail("pstamp submit: \(error)", code: Int32(clamping: error.fault.rawValue))
        }
        // Unbuffered: a script reading the pipe gets the req_id while --wait follows the request.
        FileHandle.standardOutput.write(Data((answer.hasSuffix("\n") ? answer : answer + "\n").utf8))
        guard wait else { return }
        // The first line is `<req_id> <req_name>`; the next says which identity the request came with.
        let first = answer.split(separator: "\n").first ?? ""
        guard let reqID = first.split(separator: " ").first.flatMap({ Int64($0) }) else {
            throw fail("pstamp submit: the server's answer has no req_id: \(first)", code: Int32(PStampCode.progError.rawValue))
        }
        try await follow(reqID: reqID, base: base)
    }

    /// How many times a busy server (503: as many uploads under way as it takes at once) is tried again.
    static let busyRetries = 30

    /// POSTs the request file; a busy server is tried again after the wait it names (at most 30 s).
    func upload(_ data: Data, to url: String) async throws -> Data {
        var attempt = 0
        while true {
            do {
                return try await CurlTransfer.post(
                    url, body: data, contentType: "application/fits", timeout: 120, headers: FetchCommand.authorization(token))
            } catch HTTPTransferError.status(503, _, let body) where attempt < Self.busyRetries {
                attempt += 1
                let seconds = Self.retryAfter(body) ?? 2
                FileHandle.standardError.write(Data("pstamp submit: the server is busy; trying again in \(seconds) s\n".utf8))
                // Up to a second more, so clients refused together do not come back together.
                try await Task.sleep(for: .seconds(seconds) + .milliseconds(Int.random(in: 0..<1000)))
            }
        }
    }

    /// The wait a 503 answer names ("try again in 10 s"), held to 1…30 s.
    static func retryAfter(_ body: String) -> Int? {
        guard let range = body.range(of: #"try again in [0-9]+ s"#, options: .regularExpression) else { return nil }
        let digits = body[range].dropFirst("try again in ".count).dropLast(2)
        return Int(digits).map { min(max($0, 1), 30) }
    }

    /// --wait: follows the request through the API until it stops, then (with --outdir) downloads its
    /// results fileset. A request that stops with a fault exits with that fault.
    func follow(reqID: Int64, base: String) async throws {
        let follower = RequestFollower(server: base, reqID: reqID, headers: FetchCommand.authorization(token))
        let status: RequestFollower.Status?
        do { status = try await follower.follow(forAtMost: waitLimit) } catch let error as HTTPTransferError {
            throw fail("pstamp submit: following request \(reqID): \(error)", code: Int32(clamping: error.fault.rawValue))
        }
        guard let status else {
            throw fail("pstamp submit: request \(reqID) still running after \(waitLimit) s", code: Int32(PStampCode.timeoutError.rawValue))
        }
        guard status.fault == 0 else {
            throw fail(
                "pstamp submit: request \(reqID) stopped with fault \(PStampCode(status.fault))", code: Int32(clamping: status.fault))
        }
        guard let fileset = status.filesetURL else {
            throw fail("pstamp submit: request \(reqID) stopped without a results fileset", code: Int32(PStampCode.sysError.rawValue))
        }
        let uri = base + fileset.dropLast(fileset.hasSuffix("/") ? 1 : 0)
        print("results: \(uri)/index.txt")
        guard let outdir else { return }
        var client = DataStoreClient()
        client.headers = FetchCommand.authorization(token)
        do {
            try await FetchCommand.download(uri, into: URL(fileURLWithPath: outdir, isDirectory: true), client: client)
        } catch let error as HTTPTransferError {
            throw fail("pstamp submit: \(error)", code: Int32(clamping: error.fault.rawValue))
        } catch let error as PStampError {
            throw fail("pstamp submit: \(error.message)", code: Int32(error.code.rawValue))
        }
    }

    /// The bytes to send: the file itself, or with --text the FITS request file built from the text.
    func requestData() throws -> Data {
        let input = file == "-" && text ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
        guard let input else { throw fail("pstamp submit: cannot read \(file)", code: 5) }
        guard text else {
            if reqName != nil || email != nil { throw fail("pstamp submit: --req_name and --email go with --text", code: 5) }
            return input
        }
        let source = file == "-" ? "standard input" : file
        let document: RequestTextFormat.Document
        do {
            document = try RequestTextFormat.parse(String(decoding: input, as: UTF8.self), reqName: reqName, email: email)
        } catch let error as RequestTextFormat.ParseError {
            throw fail("pstamp submit: \(source): \(error.description)", code: Int32(PStampCode.dataError.rawValue))
        }
        for warning in document.warnings { FileHandle.standardError.write(Data("pstamp submit: warning: \(warning)\n".utf8)) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-submit-\(UUID().uuidString).fits").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            try RequestFile.write(header: document.header, rows: document.rows, to: path)
        } catch {
            throw fail("pstamp submit: cannot build the request file from \(source): \(error)", code: Int32(PStampCode.dataError.rawValue))
        }
        guard let built = FileManager.default.contents(atPath: path) else {
            throw fail("pstamp submit: cannot read back the request file built from \(source)", code: Int32(PStampCode.sysError.rawValue))
        }
        return built
    }
}
