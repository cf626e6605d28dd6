import FITS
import Foundation
import PStampCore
import RequestDB
import Testing

/// `pstamp serve`, `pstamp ds`, `pstamp fetch` and `pstamptool -adddatastore` run as a user runs them:
/// the built executables, a real server on loopback, a real request database.
@Suite(.serialized) struct DataStoreEndToEndTests {
    /// Where the built executables are (one rule for every integration test).
    static var bin: URL { BuiltTools.binDirectory }

    typealias Output = ProcessOutput

    @discardableResult
    static func run(_ tool: String, _ arguments: [String], in directory: URL) throws -> BuiltTools.Result {
        try BuiltTools.run(tool, arguments, in: directory)
    }

    /// Starts `pstamp serve` on a free port; returns the process, its base URL and its log.
    static func serve(dataDir: URL) async throws -> (Process, String, Output) {
        let process = Process()
        process.executableURL = bin.appendingPathComponent("pstamp")
        process.arguments = ["serve", "--data-dir", dataDir.path, "--port", "0", "--poll-every", "1"]
        let log = Output()
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { handle in log.append(handle.availableData) }
        try process.run()
        for _ in 0..<200 {
            if let range = log.text.range(of: #"serving http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                return (process, String(log.text[range].dropFirst("serving ".count)), log)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw PStampError(.sysError, "pstamp serve did not start: \(log.text)")
    }

    @Test func registerServeFetchAndPoll() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-e2e-\(UUID().uuidString)")
        let data = dir.appendingPathComponent("var"), work = dir.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let stamp = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 13) })
        try stamp.write(to: work.appendingPathComponent("1_1_stamp.fits"))
        try Data("results\n".utf8).write(to: work.appendingPathComponent("results.mdc"))
        try Data("request file".utf8).write(to: work.appendingPathComponent("req.fits"))
        try "1_1_stamp.fits|||pstamp|\nresults.mdc|||text|\n".write(
            to: dir.appendingPathComponent("list"), atomically: true, encoding: .utf8)
        // Right size, wrong md5: dsreg keeps a listed md5 when the size matches, so the client must catch it.
        try "results.mdc|8|00000000000000000000000000000000|text|\n".write(
            to: dir.appendingPathComponent("badlist"), atomically: true, encoding: .utf8)
        try "req.fits|||psrequest|\n".write(to: dir.appendingPathComponent("reqlist"), atomically: true, encoding: .utf8)

        let (server, base, log) = try await Self.serve(dataDir: data)
        defer { server.terminate(); server.waitUntilExit() }
        let d = ["--data-dir", data.path]
        #expect(try Self.run("pstamp", ["ds", "products", "--add", "pstampresults", "--column", "req_id"] + d, in: dir).status == 0)
        #expect(
            try Self.run(
                "pstamp", ["ds", "products", "--add", "incoming", "--type", "psrequest", "--description", "Requests"] + d, in: dir
            ).status == 0)
        var r = try Self.run(
            "pstamp",
            [
                "ds", "add", "myreq", "--product", "pstampresults", "--type", "PSRESULTS",
                "--list", "list", "--datapath", work.path, "--ps0", "42",
            ] + d, in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        r = try Self.run(
            "pstamp",
            [
                "ds", "add", "badreq", "--product", "pstampresults", "--type", "PSRESULTS",
                "--list", "badlist", "--datapath", work.path,
            ] + d, in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        r = try Self.run(
            "pstamp",
            [
                "ds", "add", "myreq", "--product", "pstampresults", "--type", "PSRESULTS",
                "--list", "list", "--datapath", work.path,
            ] + d, in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("Fileset 'myreq' already exists in product pstampresults."))

        // The user's client: every md5 checked.
        r = try Self.run("pstamp", ["fetch", "myreq", "--server", base, "--outdir", "out"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("2 md5 sum(s) checked, all match"))
        #expect(try Data(contentsOf: dir.appendingPathComponent("out/1_1_stamp.fits")) == stamp)
        r = try Self.run(
            "pstamp", ["fetch", "badreq", "--server", base + "/ds/", "--product", "pstampresults", "--outdir", "bad"], in: dir)
        #expect(r.status == 5)
        #expect(r.stderr.contains("md5"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad/results.mdc").path))
        r = try Self.run("pstamp", ["fetch", "nosuch", "--server", base, "--outdir", "none"], in: dir)
        #expect(r.status == 104)

        // An incoming store (our own /ds/incoming) registered with pstamptool is polled at once.
        r = try Self.run(
            "pstamp",
            [
                "ds", "add", "reqfs1", "--product", "incoming", "--type", "PSREQUEST",
                "--list", "reqlist", "--datapath", work.path,
            ] + d, in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let dbPath = data.appendingPathComponent("requestdb.sqlite").path
        r = try Self.run(
            "pstamptool",
            [
                "-dbname", dbPath, "-adddatastore", "-set_uri", "\(base)/ds/incoming",
                "-set_out_product", "pstampresults", "-set_label", "MOPS",
            ], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let requests = RequestStore(try RequestDatabase.open(path: dbPath).pool)
        // Any state, by label: the parser may already have taken the request and pointed its uri at the
        // local copy of the file it fetched.
        var filter = RequestListFilter()
        filter.label = "MOPS"
        var found: [RequestRecord] = []
        for _ in 0..<100 where found.isEmpty {
            found = (try? requests.list(filter)) ?? []
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(found.count == 1, "\(log.text)")
        #expect(found.first?.dsID == 1)
        // The request file is fetched before parsing; the uri then names the copy in the work directory.
        let uri = found.first?.uri ?? ""
        #expect(uri == "\(base)/ds/incoming/reqfs1/req.fits" || uri.hasSuffix("/\(found.first?.reqID ?? 0)/req.fits"), "\(uri)")
        #expect(found.first?.label == "MOPS")

        // The upload page through `pstamp submit`.
        try Self.requestFile(dir.appendingPathComponent("up.fits"), name: "upreq")
        r = try Self.run("pstamp", ["submit", "up.fits", "--server", base], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        // `<req_id> <req_name>`, then the identity line (anonymous: the EMAIL was not taken as identity).
        #expect(
            r.stdout.range(
                of: #"^[0-9]+ upreq\nidentity: none; [^\n]*not taken as your identity[^\n]*\n$"#,
                options: .regularExpression) != nil, "\(r.stdout)")
        r = try Self.run("pstamp", ["submit", "up.fits", "--server", base], in: dir)
        #expect(r.status == 20)
        #expect(r.stderr.contains("Request Name upreq has already been used"))
        // --wait follows the request through the API until it stops: this one (ROWNUM only) is no valid
        // request, stops with 21, and submit ends with that fault (a finishing request: SubmitWaitTests).
        try Self.requestFile(dir.appendingPathComponent("wait.fits"), name: "waitreq")
        r = try Self.run("pstamp", ["submit", "wait.fits", "--server", base, "--wait", "--wait-limit", "120"], in: dir)
        #expect(r.status == Int32(PStampCode.invalidRequest.rawValue), "\(r.stdout)\n\(r.stderr)")
        #expect(
            r.stdout.range(of: #"request [0-9]+ stop: [0-9]+/[0-9]+ jobs done, fault 21"#, options: .regularExpression) != nil,
            "\(r.stdout)")
        #expect(r.stderr.contains("stopped with fault 21 (PSTAMP_INVALID_REQUEST)"), "\(r.stderr)")
    }

    static func requestFile(_ url: URL, name: String) throws {
        let file = try FITSFile.create(url.path)
        try file.appendBinaryTable(extname: "PS1_PS_REQUEST", columns: [TableColumn("ROWNUM", "J")], rows: 1)
        try file.writeColumn("ROWNUM", [1])
        try file.write("REQ_NAME", name)
        try file.write("EXTVER", "2")
        try file.close()
    }
}
