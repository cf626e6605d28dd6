import Foundation
import Testing

/// `pstamp submit --wait` follows its request through the JSON API: progress (jobs done / total) as
/// plain lines when standard output is not a terminal, exit 0 when the request stops without fault,
/// the fault as exit status otherwise.
@Suite struct SubmitWaitTests {
    @Test func progressIsShownUntilTheRequestStopsAndItsResultsAreDownloaded() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        try await site.start()
        try site.requestFile(sample: "fixture.stack.byid", name: "wait.progress", at: "wait.fits")
        let r = try site.run("pstamp", ["submit", "wait.fits", "--server", site.base, "--wait", "--outdir", "out", "--wait-limit", "300"])
        #expect(r.status == 0, "\(r.stderr)\n\(site.log.text.suffix(3000))")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let progress = lines.filter {
            $0.range(of: #"^request [0-9]+ [a-z_]+: [0-9]+/[0-9]+ jobs done"#, options: .regularExpression) != nil
        }
        #expect(!progress.isEmpty, "\(r.stdout)")
        // The last line of progress is the stopped request with every job done; no bar (not a terminal).
        let last = try #require(progress.last)
        #expect(last.range(of: #"^request [0-9]+ stop: ([0-9]+)/\1 jobs done$"#, options: .regularExpression) != nil, "\(last)")
        #expect(!r.stdout.contains("["), "\(r.stdout)")
        #expect(r.stdout.contains("results: \(site.base)/ds/pstampresults/wait.progress/index.txt"), "\(r.stdout)")
        #expect(FileManager.default.fileExists(atPath: site.root.appendingPathComponent("out/results.fits").path))
    }

    @Test func aRequestThatStopsWithAFaultEndsWithThatFault() async throws {
        let site = try ServedSite()
        // No label is served, so the request waits in `new` while the operator acts on it.
        let config = site.root.appendingPathComponent("serve.conf")
        try "labels = NOT.SERVED\n".write(to: config, atomically: true, encoding: .utf8)
        site.serveArguments = ["--config", config.path]
        site.serveEnvironment = ["PSTAMP_ADMIN_TOKEN": "wait-admin"]
        defer { site.stop() }
        try await site.start()
        try site.requestFile(sample: "fixture.warp.bycoord", name: "wait.fault", at: "wait.fits")
        let submit = Process()
        submit.executableURL = BuiltTools.binDirectory.appendingPathComponent("pstamp")
        submit.arguments = ["submit", "wait.fits", "--server", site.base, "--wait", "--wait-limit", "120"]
        submit.currentDirectoryURL = site.root
        let output = ProcessOutput()
        output.collect(submit)
        try submit.run()
        defer { submit.terminateAndWait() }
        // The operator parks the request, sets fault 25 on it and sends it away to be cleaned.
        var id: String? = nil
        for _ in 0..<200 where id == nil {
            id = output.text.split(separator: " ").first.map(String.init).flatMap { Int($0) != nil ? $0 : nil }
            try await Task.sleep(for: .milliseconds(50))
        }
        let reqID = try #require(id, "\(output.text)")
        let admin = ["Authorization: Bearer wait-admin"]
        let api = "\(site.base)/api/v1/requests/\(reqID)"
        #expect(try site.http("\(api)/hold", post: Data(), headers: admin).status == 200)
        let fault = try site.http("\(api)/fault", post: Data("{\"fault\": 25}".utf8), contentType: "application/json", headers: admin)
        #expect(fault.status == 200, "\(fault.text)")
        #expect(try site.http("\(api)/goto_cleaned", post: Data(), headers: admin).status == 200)
        for _ in 0..<400 where submit.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!submit.isRunning)
        #expect(submit.terminationStatus == 25, "\(output.text)")
        #expect(output.text.contains("request \(reqID) new: 0/0 jobs done"), "\(output.text)")
        #expect(output.text.contains("stopped with fault 25 (PSTAMP_NOT_AVAILABLE)"), "\(output.text)")
    }
}
