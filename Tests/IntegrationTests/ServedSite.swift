import FITS
import Foundation
import PStampCore
import RequestDB
import Testing

/// A self-contained PStamp site for integration tests: `pstamp serve` (the built executable) on a free
/// loopback port, run from the package root so it uses the committed fixture sky, with its data
/// directory in a fresh temporary directory. `stop()` ends the server; call it in a `defer`.
final class ServedSite: @unchecked Sendable {
    typealias Output = ProcessOutput

    /// The package root (holds fixtures/).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var fixtures: URL { packageRoot.appendingPathComponent("fixtures") }

    let root: URL
    var data: URL { root.appendingPathComponent("var") }
    var databasePath: String { data.appendingPathComponent("requestdb.sqlite").path }
    private(set) var base = ""
    let log = Output()
    /// More `pstamp serve` arguments (e.g. `--config FILE`).
    var serveArguments: [String] = []
    /// More environment variables for `pstamp serve`.
    var serveEnvironment: [String: String] = [:]
    private var process: Process?

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-ways-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    }

    /// Starts `pstamp serve --port 0 --poll-every 1` and waits for the address it prints.
    func start() async throws {
        let process = try launch()
        for _ in 0..<400 {
            if let range = log.text.range(of: #"serving http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                base = String(log.text[range].dropFirst("serving ".count))
                return
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        stop()
        throw PStampError(.sysError, "pstamp serve did not start: \(log.text)")
    }

    /// Whether the server process is alive.
    var isRunning: Bool { process?.isRunning ?? false }

    /// Starts `pstamp serve` without waiting for it (it may die before it serves).
    @discardableResult
    func launch() throws -> Process {
        let process = Process()
        process.executableURL = BuiltTools.binDirectory.appendingPathComponent("pstamp")
        process.arguments = ["serve", "--data-dir", data.path, "--port", "0", "--poll-every", "1"] + serveArguments
        process.currentDirectoryURL = Self.packageRoot
        var environment = ProcessInfo.processInfo.environment
        for key in ["PS_DBNAME", "PSTAMP_WORKDIR", "PSTAMP_FIXTURES", "PSTAMP_ARCHIVE", "PSTAMP_DATA_DIR"] {
            environment.removeValue(forKey: key)
        }
        environment.merge(serveEnvironment) { $1 }
        process.environment = environment
        log.reset()
        log.collect(process)
        try process.run()
        self.process = process
        return process
    }

    /// Kills the server with SIGKILL (a crash); the site's files stay for a restart with `start()`.
    func crash() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Stops the server (SIGTERM, then SIGKILL after 10 s) and removes the site's files.
    func stop(keepFiles: Bool = false) {
        process?.terminateAndWait()
        process = nil
        if !keepFiles { try? FileManager.default.removeItem(at: root) }
    }

    /// Runs a built executable in the site's root directory.
    @discardableResult
    func run(_ tool: String, _ arguments: [String]) throws -> BuiltTools.Result {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "PS_DBNAME")
        environment["PSTAMP_DATA_DIR"] = data.path
        return try BuiltTools.run(tool, arguments, in: root, environment: environment)
    }

    /// `pstamp request-file` on a fixture sample request, named `name`, written to `path` (relative to
    /// the site's root unless absolute); returns the file's URL.
    @discardableResult
    func requestFile(sample: String, name: String, at path: String) throws -> URL {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let r = try run(
            "pstamp",
            [
                "request-file", "-i", Self.fixtures.appendingPathComponent("requests/\(sample).txt").path,
                "-r", name, "-o", url.path,
            ])
        guard r.status == 0 else { throw PStampError(.sysError, "pstamp request-file: \(r.stderr)") }
        return url
    }

    /// An HTTP answer as a user's client sees it.
    struct Answer {
        let status: Int
        let body: Data
        let contentType: String
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// `curl` (the command-line client) on a URL of the site or any other: GET, or POST with `data`.
    /// `headers`: extra request header lines (`Authorization: Bearer …`); `followRedirects`: answer with
    /// where a redirect leads (a 303 after a POST is followed with a GET, as a browser does).
    func http(
        _ url: String, post data: Data? = nil, contentType: String? = nil, headers: [String] = [], followRedirects: Bool = false
    ) throws -> Answer {
        let out = root.appendingPathComponent(".curl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        var arguments = ["-s", "-o", out.path, "-w", "%{http_code} %{content_type}", "--max-time", "600"]
        if followRedirects { arguments.append("-L") }
        for header in headers { arguments += ["-H", header] }
        if let data {
            let body = root.appendingPathComponent(".body-\(UUID().uuidString)")
            try data.write(to: body)
            arguments += ["--data-binary", "@" + body.path]
            if let contentType { arguments += ["-H", "Content-Type: \(contentType)"] }
        }
        arguments.append(url.hasPrefix("http") ? url : base + url)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let written = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let parts = written.split(separator: " ", maxSplits: 1)
        return Answer(
            status: Int(parts.first ?? "") ?? 0, body: (try? Data(contentsOf: out)) ?? Data(),
            contentType: parts.count > 1 ? String(parts[1]) : "")
    }

    /// The request database as the server keeps it.
    func requests() throws -> RequestStore { RequestStore(try RequestDatabase.open(path: databasePath).pool) }

    /// Waits until the request named `name` is `stop` (or `seconds` pass); returns it as it is then.
    func waitForStop(name: String, seconds: Double = 120) async throws -> RequestRecord? {
        let deadline = Date().addingTimeInterval(seconds)
        var filter = RequestListFilter()
        filter.name = name
        var found: RequestRecord? = nil
        repeat {
            found = (try? requests().list(filter))?.first { $0.name == name }
            if found?.state == .stop { return found }
            try await Task.sleep(for: .milliseconds(200))
        } while Date() < deadline
        return found
    }

    /// A user's `pstamp fetch` of a request's results fileset into `<root>/<folder>` (every md5 checked),
    /// and the results.fits it brought; a failed fetch is a test failure.
    func fetchResults(
        _ name: String, product: String = "pstampresults", into folder: String = "fetched",
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ResultsFile.Contents {
        let out = root.appendingPathComponent(folder)
        let fetched = try run("pstamp", ["fetch", name, "--server", base, "--product", product, "--outdir", out.path])
        try #require(fetched.status == 0, "\(fetched.stderr)", sourceLocation: sourceLocation)
        return try ResultsFile.read(out.appendingPathComponent("results.fits").path)
    }

    /// The file names a fileset's index lists (`/ds/<product>/<fileset>/index.txt`), nil when 404.
    func filesetFiles(product: String, fileset: String) throws -> [String]? {
        let answer = try http("/ds/\(product)/\(fileset)/index.txt")
        guard answer.status == 200 else { return nil }
        return Self.firstColumn(answer.text)
    }

    /// The first field of every non-header line of an index text.
    static func firstColumn(_ text: String) -> [String] {
        text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap {
            $0.split(separator: "|", omittingEmptySubsequences: false).first.map { $0.trimmingCharacters(in: .whitespaces) }
        }.filter { !$0.isEmpty }
    }

    /// The size of a stamp's image: the primary HDU's, or the first extension's when the primary is
    /// empty (a tile-compressed stamp).
    static func imageSize(_ url: URL) throws -> (width: Int, height: Int) {
        try FITSFile.withOpen(url.path) { fits in
            if let size = try? fits.imageSize(), size.width > 0 { return size }
            _ = try fits.moveTo(hdu: 2)
            return try fits.imageSize()
        }
    }

    /// `md5sum` of a file (the coreutils tool, independent of the server's own MD5).
    static func md5(_ url: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/md5sum")
        process.arguments = [url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(out.prefix(32))
    }
}

/// Any plain HTTP server on a static directory: `python3 -m http.server` on loopback. It ignores query
/// strings, so `index.txt?<fileset>` gets the whole index, as with a static IPP-layout mirror.
final class StaticHTTPServer: @unchecked Sendable {
    let directory: URL
    private(set) var base = ""
    private var process: Process?
    let log = ServedSite.Output()

    /// A file name whose first GET answers HTTP 500 (a data store's one-off hiccup); later GETs serve it.
    let failingOnce: String?

    init(directory: URL, failingOnce: String? = nil) {
        self.directory = directory
        self.failingOnce = failingOnce
    }

    /// http.server whose handler answers 500 to the first GET of each path ending in argv[2].
    static let flakyServer = """
        import functools, http.server, sys
        failed = set()
        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):
                path = self.path.split('?')[0]
                if path.endswith(sys.argv[2]) and path not in failed:
                    failed.add(path)
                    self.send_error(500, 'one-off failure')
                    return
                super().do_GET()
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Handler, directory=sys.argv[1]))
        print('Serving HTTP on 127.0.0.1 port', server.server_address[1], flush=True)
        server.serve_forever()
        """

    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        if let failingOnce {
            process.arguments = ["python3", "-u", "-c", Self.flakyServer, directory.path, failingOnce]
        } else {
            process.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory.path]
        }
        log.collect(process)
        try process.run()
        self.process = process
        for _ in 0..<200 {
            if let range = log.text.range(of: #"port [0-9]+"#, options: .regularExpression) {
                base = "http://127.0.0.1:" + log.text[range].dropFirst("port ".count)
                return
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        stop()
        throw PStampError(.sysError, "python3 -m http.server did not start: \(log.text)")
    }

    /// Kills the server. SIGKILL: a child of the test process starts with most signals blocked (the
    /// test runner's threads block them), and python, unlike `pstamp serve`, does not unblock SIGTERM.
    func stop() {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        process = nil
    }
}
