import Foundation
import PStampCore
import RequestDB
import Testing

extension PipelineServeTests.Site {
    /// `pstamp serve` with these arguments (run in the site's root), its output collected.
    func serve(arguments: [String]) throws -> (Process, PipelineServeTests.Output) {
        let process = Process()
        process.executableURL = BuiltTools.binDirectory.appendingPathComponent("pstamp")
        process.arguments = ["serve"] + arguments
        process.currentDirectoryURL = root
        let log = PipelineServeTests.Output()
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { handle in log.append(handle.availableData) }
        try process.run()
        return (process, log)
    }
}

/// `pstamp serve --config FILE`: the settings file as an operator writes it.
@Suite(.serialized) struct ServeConfigTests {
    @Test("the settings file gives the data directory, port, poll period, preserve days and labels; jobs run")
    func settingsFileIsUsed() async throws {
        let site = try PipelineServeTests.Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        let (_, jobs, _) = try site.request(jobs: 3)
        let config = site.root.appendingPathComponent("pstamp.config")
        try Data(
            """
            # the PStamp server of this site
            data_dir = \(site.data.path)
            port = 0
            poll_every = 0
            PSTAMP_PRESERVE_DAYS  S32  3      # IPP site-config style
            labels = WEB, PSI
            """.utf8
        ).write(to: config)
        let (server, log) = try site.serve(arguments: ["--config", config.path])
        defer {
            if server.isRunning { server.terminate(); server.waitUntilExit() }
        }
        // The request of site.request has no label: with labels WEB and PSI it is not served.
        try await Task.sleep(for: .seconds(3))
        #expect(try site.stopped(jobs).isEmpty, "log: \(log.text)")
        #expect(log.text.contains("results kept 3 days; labels WEB,PSI"), "log: \(log.text)")
        #expect(log.text.contains("request database \(site.data.path)/requestdb.sqlite"), "log: \(log.text)")
        server.terminate()
        server.waitUntilExit()

        // Without a label filter the same site runs them.
        try Data("data_dir = \(site.data.path)\nport = 0\npoll_every = 0\n".utf8).write(to: config)
        let (second, log2) = try site.serve(arguments: ["--config", config.path])
        defer { if second.isRunning { second.terminate(); second.waitUntilExit() } }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, try site.stopped(jobs).count < jobs.count { try await Task.sleep(for: .milliseconds(100)) }
        #expect(try site.stopped(jobs).count == jobs.count, "log: \(log2.text)")
        #expect(log2.text.contains("results kept 14 days; labels all"), "log: \(log2.text)")
    }

    @Test("a bad settings file is refused with its line number and exit status 3")
    func badSettingsFile() throws {
        let site = try PipelineServeTests.Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        let config = site.root.appendingPathComponent("bad.config")
        try Data("port = 0\ncolour = blue\n".utf8).write(to: config)
        let (server, log) = try site.serve(arguments: ["--config", config.path, "--data-dir", site.data.path])
        server.waitUntilExit()
        #expect(server.terminationStatus == 3)
        #expect(log.text.contains("line 2: unknown setting 'colour'"), "log: \(log.text)")
    }
}
