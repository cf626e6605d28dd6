import FITS
import Foundation
import PStampCore
import RequestDB
import Testing

/// The data-store intake as a user runs it: a request fileset on a plain HTTP server in the IPP layout,
/// registered as an incoming data store, is picked up by `pstamp serve`, parsed, cut and finished, and its
/// results fileset is published on the server's own data store, listed after the previous fileset and
/// downloaded by `pstamp fetch` with every md5 sum matching.
@Suite(.serialized) struct DataStorePollTests {
    /// Waits until `condition` holds or `seconds` pass; returns whether it held.
    static func waitUntil(_ seconds: Double, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try condition()
    }

    /// A field padded with trailing spaces to at least `width` (the IPP's left-justified printf field).
    static func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }

    /// The remote store's product index, written as the IPP's dsprodindex prints it: every column padded
    /// to its widest value, `# ` counted in the first column, every field ended by `|`.
    static func productIndex(_ filesets: [String]) -> String {
        let first = max("# filesetID".count, filesets.map(\.count).max() ?? 0)
        var text = pad("# filesetID", first) + "|" + pad("time registered", 20) + "|" + pad("type", 9) + "|\n"
        for (i, name) in filesets.enumerated() {
            text += pad(name, first) + "|" + String(format: "2026-11-25T10:%02d:00Z", i) + "|" + "PSREQUEST" + "|\n"
        }
        return text
    }

    /// A fileset index with one request file, as dsfsindex prints it (widths 18, 8, 32, 12).
    static func filesetIndex(file: URL) throws -> String {
        let bytes = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as! Int
        return "# fileID          |bytes   |md5sum                          |type        |\n"
            + pad(file.lastPathComponent, 18) + "|" + pad(String(bytes), 8) + "|" + (try ServedSite.md5(file)) + "|"
            + pad("psrequest", 12) + "|\n"
    }

    /// Publishes fileset `name` holding `request` in the static store's product `mops`, and rewrites the
    /// product index to list `all`.
    static func publish(_ remoteRoot: URL, fileset name: String, request: URL, all: [String]) throws {
        let product = remoteRoot.appendingPathComponent("ds/mops")
        try filesetIndex(file: request).write(to: product.appendingPathComponent("\(name)/index.txt"), atomically: true, encoding: .utf8)
        try productIndex(all).write(to: product.appendingPathComponent("index.txt"), atomically: true, encoding: .utf8)
    }

    /// `pstamptool -datastore` as an operator reads it: the value of one column of store 1.
    static func storeColumn(_ site: ServedSite, _ column: String) throws -> String? {
        let r = try site.run("pstamptool", ["-dbname", site.databasePath, "-datastore", "-ds_id", "1"])
        guard let range = r.stdout.range(of: #"\#(column)\s+[A-Z0-9]+\s+[^\n]*"#, options: .regularExpression) else { return nil }
        return r.stdout[range].split(separator: " ", omittingEmptySubsequences: true).dropFirst(2)
            .joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    @Test("a fileset on a plain HTTP server is polled, processed, published after the previous fileset, and fetched intact")
    func pollProcessPublishFetch() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        let remoteRoot = site.root.appendingPathComponent("remote")
        let remote = StaticHTTPServer(directory: remoteRoot)
        defer { remote.stop() }
        let tag = UUID().uuidString.prefix(8).lowercased()
        let first = "mops.chip.\(tag)", second = "mops.warp.\(tag)"
        let request1 = try site.requestFile(sample: "fixture.chip.byid", name: first, at: "remote/ds/mops/fs1/request.fits")
        try Self.publish(remoteRoot, fileset: "fs1", request: request1, all: ["fs1"])
        try await remote.start()
        try await site.start()

        // The results product already holds a fileset: the new results must come after it.
        let d = ["--data-dir", site.data.path]
        var r = try site.run(
            "pstamp",
            [
                "ds", "products", "--add", "mopsresults", "--type", "psresults",
                "--description", "MOPS stamps", "--column", "req_id",
            ] + d)
        #expect(r.status == 0, "\(r.stderr)")
        try Data("earlier results\n".utf8).write(to: site.root.appendingPathComponent("earlier.txt"))
        try "earlier.txt|||text|\n".write(to: site.root.appendingPathComponent("list"), atomically: true, encoding: .utf8)
        r = try site.run(
            "pstamp",
            [
                "ds", "add", "previous", "--product", "mopsresults", "--type", "PSRESULTS",
                "--list", "list", "--datapath", site.root.path,
            ] + d)
        #expect(r.status == 0, "\(r.stderr)")
        var listing = try site.http("/ds/mopsresults/index.txt?previous")
        #expect(listing.status == 200)
        #expect(ServedSite.firstColumn(listing.text).isEmpty, "nothing after the previous fileset yet")

        // Registered as an incoming data store: polled at once (a new store), every second after.
        let registered = Date()
        r = try site.run(
            "pstamptool",
            [
                "-dbname", site.databasePath, "-adddatastore", "-set_uri", "\(remote.base)/ds/mops",
                "-set_out_product", "mopsresults", "-set_label", "MOPS", "-set_poll_interval", "1",
            ])
        #expect(r.status == 0, "\(r.stderr)")
        let published = try await Self.waitUntil(120) {
            ServedSite.firstColumn(try site.http("/ds/mopsresults/index.txt?previous").text).contains(first)
        }
        let latency = Date().timeIntervalSince(registered)
        try #require(published, "server log:\n\(site.log.text)\nremote log:\n\(remote.log.text)")
        print("data-store poll → results fileset listed: \(String(format: "%.2f", latency)) s")

        listing = try site.http("/ds/mopsresults/index.txt?previous")
        #expect(listing.contentType.hasPrefix("text/plain"))
        #expect(ServedSite.firstColumn(listing.text) == [first], "only filesets after the previous one")
        #expect(ServedSite.firstColumn(try site.http("/ds/mopsresults/index.txt").text) == ["previous", first])

        // The request as the operator sees it: from store 1, with its label, finished in the store's product.
        let request = try #require(try await site.waitForStop(name: first, seconds: 10))
        #expect(request.state == .stop)
        #expect(request.fault == .success)
        #expect(request.dsID == 1)
        #expect(request.label == "MOPS")
        #expect(request.outProduct == "mopsresults")
        #expect(try Self.storeColumn(site, "lastFileset") == "fs1")

        // The user's client: every md5 checked by `pstamp fetch`, and again here with md5sum.
        r = try site.run("pstamp", ["fetch", first, "--server", site.base, "--outdir", "out1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("md5 sum(s) checked, all match"), "\(r.stdout)")
        let out = site.root.appendingPathComponent("out1")
        let index = try site.http("/ds/mopsresults/\(first)/index.txt").text
        for line in index.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(try ServedSite.md5(out.appendingPathComponent(fields[0])) == fields[2], "\(fields[0])")
        }
        // results.fits lists one row per stamp, every one PSTAMP_SUCCESS; each stamp is a 100×100 image.
        let results = try ResultsFile.read(out.appendingPathComponent("results.fits").path)
        #expect(results.reqName == first)
        #expect(results.reqID == request.reqID)
        let products = index.split(separator: "\n").filter { $0.contains("|pstamp ") }
            .compactMap { $0.split(separator: "|").first.map { $0.trimmingCharacters(in: .whitespaces) } }
        let stamps = products.filter { !$0.hasSuffix(".mk.fits") && !$0.hasSuffix(".wt.fits") }
        #expect(!stamps.isEmpty)
        #expect(results.rows.map(\.imgName).sorted() == products.sorted(), "one row per stamp product: \(index)")
        #expect(results.rows.allSatisfy { $0.errorCode == .success }, "\(results.rows.map(\.errorString))")
        for stamp in stamps {
            let size = try ServedSite.imageSize(out.appendingPathComponent(stamp))
            #expect(size.width == 100 && size.height == 100, "\(stamp): \(size)")
        }

        // Later polls (the static server ignores ?fs1 and lists everything) take nothing twice.
        let stamped = try Self.storeColumn(site, "timestamp")
        #expect(try await Self.waitUntil(15) { try Self.storeColumn(site, "timestamp") != stamped }, "the store is polled again")
        var fromStore = RequestListFilter()
        fromStore.label = "MOPS"
        #expect(try site.requests().list(fromStore).count == 1)

        // A second fileset is taken once, and lastFileset moves on.
        let request2 = try site.requestFile(sample: "fixture.warp.byid", name: second, at: "remote/ds/mops/fs2/request.fits")
        try Self.publish(remoteRoot, fileset: "fs2", request: request2, all: ["fs1", "fs2"])
        let again = try await Self.waitUntil(120) {
            ServedSite.firstColumn(try site.http("/ds/mopsresults/index.txt?\(first)").text) == [second]
        }
        #expect(again, "server log:\n\(site.log.text)")
        #expect(try site.requests().list(fromStore).map(\.name) == [first, second])
        #expect(try Self.storeColumn(site, "lastFileset") == "fs2")
        r = try site.run("pstamp", ["fetch", second, "--server", site.base, "--product", "mopsresults", "--outdir", "out2"])
        #expect(r.status == 0, "\(r.stderr)")
    }
}

extension DataStorePollTests {
    /// The requests the server took from store 1, as (fileset, file) pairs in request order.
    static func taken(_ site: ServedSite) throws -> [String] {
        var filter = RequestListFilter()
        filter.label = "HELD"
        return try site.requests().list(filter).compactMap { $0.uri }.map {
            $0.split(separator: "/").suffix(2).joined(separator: "/")
        }
    }

    @Test("a server killed with -9 while polling neither loses nor repeats a fileset when it restarts")
    func crashWhilePolling() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        let remoteRoot = site.root.appendingPathComponent("remote")
        let remote = StaticHTTPServer(directory: remoteRoot)
        defer { remote.stop() }
        // 20 filesets of 2 files each; the label is inactive, so only the poller touches them.
        let filesets = (1...20).map { String(format: "fs%02d", $0) }
        var expected: [String] = []
        for name in filesets {
            let dir = remoteRoot.appendingPathComponent("ds/mops/\(name)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            var index = "# fileID          |bytes   |md5sum                          |type        |\n"
            for n in 1...2 {
                let file = dir.appendingPathComponent("r\(n).fits")
                try Data("request \(name) \(n)\n".utf8).write(to: file)
                index +=
                    Self.pad(file.lastPathComponent, 18) + "|" + Self.pad("\(try Data(contentsOf: file).count)", 8) + "|"
                    + (try ServedSite.md5(file)) + "|" + Self.pad("psrequest", 12) + "|\n"
                expected.append("\(name)/r\(n).fits")
            }
            try index.write(to: dir.appendingPathComponent("index.txt"), atomically: true, encoding: .utf8)
        }
        try Self.productIndex(filesets).write(to: remoteRoot.appendingPathComponent("ds/mops/index.txt"), atomically: true, encoding: .utf8)
        try await remote.start()
        try await site.start()
        var r = try site.run("labeltool", ["-definelabel", "-set_label", "HELD", "-set_priority", "1", "-set_inactive"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try site.run(
            "pstamptool",
            [
                "-dbname", site.databasePath, "-adddatastore", "-set_uri", "\(remote.base)/ds/mops",
                "-set_out_product", "held", "-set_label", "HELD", "-set_poll_interval", "0",
            ])
        #expect(r.status == 0, "\(r.stderr)")

        // Kill the server as soon as it has taken something, then check what the database says.
        #expect(try await Self.waitUntil(60) { !(try Self.taken(site)).isEmpty }, "\(site.log.text)")
        site.crash()
        let last = try Self.storeColumn(site, "lastFileset")
        let upTo = try #require(last.flatMap { filesets.firstIndex(of: $0) }, "lastFileset \(last ?? "nil")")
        let before = try Self.taken(site)
        #expect(before == Array(expected.prefix(2 * (upTo + 1))), "every file of each fileset up to lastFileset, once, and nothing after")
        print("killed after \(upTo + 1) of \(filesets.count) filesets")

        // Restarted, it carries on from lastFileset: every fileset taken exactly once.
        try await site.start()
        #expect(
            try await Self.waitUntil(60) { try Self.storeColumn(site, "lastFileset") == filesets.last },
            "server log:\n\(site.log.text)\nremote log:\n\(remote.log.text)")
        #expect(try Self.taken(site) == expected)
    }
}

/// `pstamp ds` refuses names outside the data-store character set before touching the disk: nothing
/// is created outside (or inside) the data-store root.
@Suite struct DataStoreNameCommandTests {
    @Test("hostile product and fileset names are refused with exit 5 and the reason")
    func hostileNamesAreRefused() throws {
        let tools = try BuiltTools()
        defer { tools.cleanUp() }
        let dir = tools.dataDirectory
        let d = ["--data-dir", dir.appendingPathComponent("var").path]
        try Data("x".utf8).write(to: dir.appendingPathComponent("a.fits"))
        try "a.fits|||pstamp|\n".write(to: dir.appendingPathComponent("list"), atomically: true, encoding: .utf8)
        #expect(try tools.run("pstamp", ["ds", "products", "--add", "out", "--type", "psresults"] + d).status == 0)
        for name in ["../x", "a/b", "%2e%2e", "..", ".hidden", "a b"] {
            var r = try tools.run(
                "pstamp",
                [
                    "ds", "add", name, "--product", "out", "--type", "PSRESULTS", "--list", "list",
                    "--datapath", dir.path,
                ] + d)
            #expect(r.status == 5, "\(name): \(r.stderr)")
            #expect(r.stderr.contains("the fileset name '\(name)'"), "\(r.stderr)")
            r = try tools.run("pstamp", ["ds", "products", "--add", name, "--type", "psresults"] + d)
            #expect(r.status == 5, "\(name): \(r.stderr)")
            #expect(r.stderr.contains("the product name '\(name)'"), "\(r.stderr)")
        }
        let root = dir.appendingPathComponent("var/ds")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["out"])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("out").path)
                .filter { $0 != "index.txt" }.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("var/x").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))
    }
}
