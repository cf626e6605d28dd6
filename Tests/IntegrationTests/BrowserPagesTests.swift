import Foundation
import PStampCore
import Testing

/// Every page rendered by a real browser (Debian's headless chromium) from the real `pstamp serve` on
/// the fixture sky: the DOM is checked and a screenshot of each page is kept in
/// `.build/test-output/pages/` (phone-sized ones too).
@Suite(.serialized) struct BrowserPagesTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let output = ServedSite.packageRoot.appendingPathComponent(".build/test-output/pages", isDirectory: true)

    /// The DOM after the page (and any navigation it starts) has loaded, and a screenshot of it. The
    /// virtual time allowed (3 s) is below the request page's refresh (5 s), so what is seen is one load.
    /// `shoot: false` for a page that makes something on each load (a posted form).
    static func render(_ url: String, screenshot name: String, size: String = "1280,1000", shoot: Bool = true) throws -> String {
        let chromium = try #require(chromium, "chromium is not installed (make deps installs it)")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=3000"]
        if shoot {
            let shot = try browser(
                chromium, flags + ["--window-size=\(size)", "--screenshot=\(output.appendingPathComponent(name + ".png").path)", url])
            #expect(shot.status == 0, "\(shot.stderr)")
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(name + ".png").path), "\(name).png")
        }
        let dom = try browser(chromium, flags + ["--dump-dom", url])
        #expect(dom.status == 0, "\(dom.stderr)")
        try Data(dom.stdout.utf8).write(to: output.appendingPathComponent(name + ".html"))
        return dom.stdout
    }

    /// Runs chromium and waits for it, capturing what it prints.
    static func browser(_ path: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = output
        let out = root.appendingPathComponent("chromium-\(UUID().uuidString).out")
        let err = root.appendingPathComponent("chromium-\(UUID().uuidString).err")
        defer { for f in [out, err] { try? FileManager.default.removeItem(at: f) } }
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
            String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self)
        )
    }
    static var root: URL { FileManager.default.temporaryDirectory }

    /// A page of the test's own that posts `fields` to the site's form as a browser does, on load.
    static func posting(_ fields: [String: String], to action: String, in site: ServedSite) throws -> String {
        let inputs = fields.map { "<input name=\"\($0.key)\" value=\"\($0.value)\">" }.joined()
        let html =
            "<html><body><form method=\"post\" action=\"\(action)\">\(inputs)</form><script>document.forms[0].submit()</script></body></html>"
        let file = site.root.appendingPathComponent("post-\(UUID().uuidString).html")
        try Data(html.utf8).write(to: file)
        return file.absoluteString
    }

    @Test("the home page, the form's error path, a request page while it runs and when done, the workload and upload pages")
    func everyPageInABrowser() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        try await site.start()
        // The WEB label held, so the request stays under way until it is released.
        let held = try site.run("labeltool", ["-definelabel", "-set_label", "WEB", "-set_priority", "10000", "-set_inactive"])
        #expect(held.status == 0, "\(held.stderr)")

        let home = try Self.render(site.base + "/", screenshot: "home")
        #expect(home.contains("PStamp postage-stamp server"))
        #expect(home.contains("id=\"counts\""))
        #expect(home.contains("<form method=\"post\" action=\"/request\">"))
        _ = try Self.render(site.base + "/", screenshot: "home-phone", size: "390,1600")

        // The form's error path: the page comes back with the values and the message beside the field.
        let refused = try Self.render(
            try Self.posting(
                ["ra": "25:00:00", "dec": "1:58:44", "size": "40", "email": "fixture@example.org"], to: site.base + "/request", in: site),
            screenshot: "form-refused")
        #expect(refused.contains("value=\"25:00:00\""), "\(refused)")
        #expect(refused.contains("id=\"error-ra\">ra 375.0 is outside 0 to 360 degrees"), "\(refused)")
        #expect(refused.contains("value=\"1:58:44\""))

        // Accepted (sexagesimal): the browser lands on the request's page, which refreshes while it runs.
        let fields = [
            "ra": "10:00:05.04", "dec": "+01:58:44.4", "size": "40", "unit": "pixels", "type": "stack", "jpeg": "1",
            "email": "fixture@example.org", "comment": "browser",
        ]
        let posted = try Self.render(
            try Self.posting(fields, to: site.base + "/request", in: site), screenshot: "request-posted", shoot: false)
        let name = try #require(
            posted.range(of: #"<span id="name">web_[0-9]+"#, options: .regularExpression).map { String(posted[$0].dropFirst(16)) },
            "\(posted)")
        let landed = try Self.render(site.base + "/requests/\(name)", screenshot: "request-running")
        #expect(landed.contains("<span id=\"name\">\(name)</span>"))
        #expect(landed.contains("<meta http-equiv=\"refresh\" content=\"5\">"), "\(landed)")
        #expect(landed.contains("id=\"progress\""))
        #expect(!landed.contains("id=\"state\">stop<"))
        let workload = try Self.render(site.base + "/workload", screenshot: "workload")
        #expect(workload.contains("<svg class=\"plot\""))
        #expect(workload.contains(">\(name)</a>"), "\(workload)")
        _ = try Self.render(site.base + "/workload", screenshot: "workload-phone", size: "390,2400")

        // Released: it finishes; its page shows 100 %, the thumbnail and the fileset, and stops refreshing.
        let released = try site.run("labeltool", ["-updatelabel", "-label", "WEB", "-set_active"])
        #expect(released.status == 0, "\(released.stderr)")
        let done = try await site.waitForStop(name: name)
        #expect(done?.state == .stop, "\(site.log.text)")
        let page = try Self.render(site.base + "/requests/\(name)", screenshot: "request-done")
        #expect(page.contains("id=\"state\">stop<"), "\(page)")
        #expect(page.contains("(100 %)"), "\(page)")
        #expect(!page.contains("http-equiv=\"refresh\""))
        #expect(page.contains("id=\"fileset\""))
        #expect(page.range(of: #"<img src="/ds/[^"]+\.jpg""#, options: .regularExpression) != nil, "\(page)")
        _ = try Self.render(site.base + "/requests/\(name)", screenshot: "request-done-phone", size: "390,1600")

        let upload = try Self.render(site.base + "/upload", screenshot: "upload")
        #expect(upload.contains("enctype=\"multipart/form-data\""))
        #expect(upload.contains("type=\"file\""))
    }
}
