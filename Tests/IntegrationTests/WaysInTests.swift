import FITS
import Foundation
import PStampCore
import RequestDB
import Testing

/// The ways a request comes in, each through `pstamp serve` on the fixture sky and each ending in a
/// finished request: state `stop`, fault 0, and its results fileset (named after the request) on the
/// server's data store with results.fits and the stamps. The data-store poll is DataStorePollTests.
@Suite(.serialized) struct WaysInTests {
    /// What a user sees of a finished request: its results fileset's files, and results.fits read back.
    struct Finished {
        let request: RequestRecord
        let files: [String]
        let results: ResultsFile.Contents
    }

    /// Waits for request `name` to finish and checks what a user sees of it.
    static func finished(
        _ site: ServedSite, _ name: String, product: String = "pstampresults",
        seconds: Double = 120
    ) async throws -> Finished {
        let request = try #require(try await site.waitForStop(name: name, seconds: seconds), "no request \(name): \(site.log.text)")
        #expect(request.state == .stop, "server log:\n\(site.log.text)")
        #expect(request.fault == .success)
        #expect(request.outProduct == product)
        let files = try #require(try site.filesetFiles(product: product, fileset: name), "no results fileset \(product)/\(name)")
        #expect(files.first == "results.fits")
        let out = site.root.appendingPathComponent("fetched-\(name)")
        let r = try site.run("pstamp", ["fetch", name, "--server", site.base, "--product", product, "--outdir", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let results = try ResultsFile.read(out.appendingPathComponent("results.fits").path)
        #expect(results.reqName == name)
        #expect(!results.rows.isEmpty)
        return Finished(request: request, files: files, results: results)
    }

    /// The stamp images of a fileset (not results.fits, masks or variances).
    static func stamps(_ files: [String]) -> [String] {
        files.filter { $0.hasSuffix(".fits") && $0 != "results.fits" && !$0.hasSuffix(".mk.fits") && !$0.hasSuffix(".wt.fits") }
    }

    static func tag() -> String { String(UUID().uuidString.prefix(8)).lowercased() }

    @Test("the upload page: a request FITS file sent by `pstamp submit --wait` finishes, results downloaded")
    func uploadPage() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        try await site.start()
        let name = "up.stack.\(Self.tag())"
        try site.requestFile(sample: "fixture.stack.byid", name: name, at: "up.fits")
        let r = try site.run("pstamp", ["submit", "up.fits", "--server", site.base, "--wait", "--outdir", "up"])
        #expect(r.status == 0, "\(r.stderr)\n\(site.log.text)")
        #expect(r.stdout.range(of: #"^[0-9]+ \#(name)\n"#, options: .regularExpression) != nil, "\(r.stdout)")
        #expect(r.stdout.contains("md5 sum(s) checked, all match"))
        let done = try await Self.finished(site, name)
        #expect(done.request.label == "WEB.UP")
        #expect(done.request.dsID == 0)
        #expect(done.results.rows.allSatisfy { $0.errorCode == .success }, "\(done.results.rows.map(\.errorString))")
        #expect(FileManager.default.fileExists(atPath: site.root.appendingPathComponent("up/results.fits").path))
        // The copy kept under <workdir>/webreq/YYYY/MM/DD/web_<num>.fits.
        let webreq = site.data.appendingPathComponent("work/webreq")
        let kept = FileManager.default.enumerator(atPath: webreq.path)?.compactMap { $0 as? String } ?? []
        #expect(
            kept.contains { $0.range(of: #"^[0-9]{4}/[0-9]{2}/[0-9]{2}/web_[0-9]+\.fits$"#, options: .regularExpression) != nil }, "\(kept)"
        )
    }

    @Test("the request form: PSI-style fields posted to /request become a WEB request that finishes")
    func requestForm() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        try await site.start()
        let page = try site.http("/request")
        #expect(page.status == 200)
        #expect(page.text.contains("<form method=\"post\" action=\"/request\">"))
        let fields =
            "ra=150.021&dec=1.979&size=40&unit=pixels&type=stack&filter=&mjd_min=0&mjd_max=0"
            + "&options=image%2Cjpeg&email=fixture%40example.org&comment=form+test"
        // Accepted: 303 to the request's page.
        let answer = try site.http(
            "/request", post: Data(fields.utf8), contentType: "application/x-www-form-urlencoded", followRedirects: true)
        #expect(answer.status == 200, "\(answer.text)")
        let marker = "<span id=\"name\">"
        let range = try #require(answer.text.range(of: marker + #"web_[0-9]+</span>"#, options: .regularExpression), "\(answer.text)")
        let name = String(answer.text[range].dropFirst(marker.count).dropLast("</span>".count))
        let done = try await Self.finished(site, name)
        #expect(done.request.label == "WEB")
        #expect(done.request.username == "fixture@example.org")
        #expect(done.results.rows.contains { $0.errorCode == .success }, "\(done.results.rows.map(\.errorString))")
        #expect(done.results.rows.allSatisfy { $0.comment == "form test" && $0.width == 40 && $0.reqType == "bycoord" })
        #expect(done.files.contains { $0.hasSuffix(".jpg") }, "jpeg asked for: \(done.files)")

        // Bad fields are refused with the reason, and no request is made.
        let bad = try site.http("/request", post: Data("ra=150&dec=2&size=40".utf8), contentType: "application/x-www-form-urlencoded")
        #expect(bad.status == 400)
        #expect(bad.text.contains("email is required"))
    }

    @Test("the parameter interface: GET /stamp makes a request that finishes; POST with sync=1 answers with the stamp itself")
    func parameterInterface() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        try await site.start()
        let query = "ra=150.021&dec=1.979&size=30&unit=pixels&type=stack&email=fixture%40example.org"
        let answer = try site.http("/stamp?" + query)
        #expect(answer.status == 200)
        // `<req_id> <req_name>`, then the identity line.
        let lines = answer.text.split(separator: "\n").map(String.init)
        #expect(
            lines.count == 2 && lines.last?.hasPrefix("identity: none; the EMAIL fixture@example.org was not taken") == true,
            "\(answer.text)")
        let words = (lines.first ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
        #expect(words.count == 2 && Int64(words[0]) != nil, "\(answer.text)")
        let name = try #require(words.last)
        let done = try await Self.finished(site, name)
        #expect(done.request.label == "WEB")
        #expect(done.results.rows.contains { $0.errorCode == .success }, "\(done.results.rows.map(\.errorString))")

        // sync=1: the answer is the stamp, a FITS image of the asked size (45 × 35 pixels).
        let started = Date()
        let sync = try site.http(
            "/stamp", post: Data("ra=150.021&dec=1.979&width=45&height=35&unit=pixels&type=stack&email=fixture%40example.org&sync=1".utf8),
            contentType: "application/x-www-form-urlencoded")
        print("parameter interface sync=1 round trip: \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        #expect(sync.status == 200, "\(sync.text)\n\(site.log.text)")
        #expect(sync.contentType == "application/fits")
        #expect(sync.body.count % 2880 == 0)
        #expect(sync.body.prefix(9) == Data("SIMPLE  =".utf8))
        let file = site.root.appendingPathComponent("sync.fits")
        try sync.body.write(to: file)
        let size = try ServedSite.imageSize(file)
        #expect(size.width == 45 && size.height == 35, "\(size)")

        // A bad parameter is 400 with the reason.
        let bad = try site.http("/stamp?ra=400&dec=1&size=10&email=a%40b.org")
        #expect(bad.status == 400)
        #expect(bad.text.contains("ra 400.0 is outside 0 to 360 degrees"))
    }

    @Test("pstamptool -addreq: a request file added by the operator finishes")
    func pstamptoolAddreq() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        try await site.start()
        let name = "cli.warp.\(Self.tag())"
        let file = try site.requestFile(sample: "fixture.warp.byid", name: name, at: "cli/request.fits")
        let r = try site.run("pstamptool", ["-dbname", site.databasePath, "-addreq", "-uri", file.path, "-label", "OPS"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.range(of: #"^[0-9]+\n$"#, options: .regularExpression) != nil, "\(r.stdout)")
        let done = try await Self.finished(site, name)
        #expect(done.request.label == "OPS")
        #expect("\(done.request.reqID)\n" == r.stdout)
        #expect(done.results.rows.allSatisfy { $0.errorCode == .success }, "\(done.results.rows.map(\.errorString))")
        let products = done.files.filter { !["results.fits", "results.mdc", "parse_error.txt"].contains($0) }
        #expect(!Self.stamps(products).isEmpty)
        #expect(done.results.rows.map(\.imgName).sorted() == products.sorted(), "one results row per stamp product")
    }

    @Test("pstamp submit --text: the text request format is built into a request file, sent, and finishes")
    func submitText() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        try await site.start()
        let name = "text.raw.\(Self.tag())"
        let sample = ServedSite.fixtures.appendingPathComponent("requests/fixture.raw.byid.txt").path
        var r = try site.run(
            "pstamp",
            [
                "submit", sample, "--text", "--req_name", name, "--server", site.base,
                "--wait", "--outdir", "text",
            ])
        #expect(r.status == 0, "\(r.stderr)\n\(site.log.text)")
        #expect(r.stdout.range(of: #"^[0-9]+ \#(name)\n"#, options: .regularExpression) != nil, "\(r.stdout)")
        let done = try await Self.finished(site, name)
        #expect(done.request.label == "WEB.UP")
        #expect(done.results.rows.allSatisfy { $0.errorCode == .success && $0.imgType == "raw" }, "\(done.results.rows.map(\.errorString))")

        // The header line's name is used when --req_name is not given; a text error names its line and
        // nothing is sent.
        let text =
            "# two rows, the second inheriting\nhdr.\(Self.tag()) 2 PROCESS fixture@example.org\n"
            + "1 150.021054 1.978958 50 50 2 stamp 1 gpc1 null null byid chip 211 null null null null 0 0 null 0 0 | first\n"
            + "2 150.0205 1.9785 20 20 2 | second\n"
        try text.write(to: site.root.appendingPathComponent("two.txt"), atomically: true, encoding: .utf8)
        r = try site.run("pstamp", ["submit", "two.txt", "--text", "--server", site.base])
        #expect(r.status == 0, "\(r.stderr)")
        let headerName = "hdr." + text.split(separator: "\n")[1].split(separator: " ")[0].dropFirst(4)
        #expect(r.stdout.split(separator: "\n").first?.hasSuffix(" \(headerName)") == true, "\(r.stdout)")
        let two = try await Self.finished(site, headerName)
        #expect(two.results.rows.map(\.rownum).sorted() == [1, 2])
        #expect(two.results.rows.first { $0.rownum == 2 }?.width == 20)

        try "bad 2 PROCESS a@b.org\n1 150 2 x 10 2 stamp 1 gpc1 null null byid chip 211 null null null null 0 0 null 0 0 |\n"
            .write(to: site.root.appendingPathComponent("bad.txt"), atomically: true, encoding: .utf8)
        r = try site.run("pstamp", ["submit", "bad.txt", "--text", "--server", site.base])
        #expect(r.status == 5)
        #expect(r.stderr.contains("bad.txt: line 2"), "\(r.stderr)")
        var filter = RequestListFilter()
        filter.name = "bad"
        #expect(try site.requests().list(filter).isEmpty)
    }
}
