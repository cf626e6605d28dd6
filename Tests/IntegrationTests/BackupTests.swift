import Foundation
import PStampCore
import RequestDB
import Testing

/// `pstamptool -backup FILE` while `pstamp serve` works: the copy is consistent, and a site restored
/// from it (the copy as its request database, the data store's files beside it) serves what it held.
@Suite(.serialized) struct BackupTests {
    @Test("a backup made while the server runs restores into a site that serves its requests and filesets")
    func backupWhileServingRestores() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        try await site.start()
        let first = try site.requestFile(sample: "fixture.warp.byid", name: "backup.first", at: "first.fits")
        #expect(try site.run("pstamp", ["submit", first.path, "--server", site.base]).status == 0)
        let done = try #require(try await site.waitForStop(name: "backup.first"), "log: \(site.log.text)")
        #expect(done.state == .stop)
        let served = try #require(try site.filesetFiles(product: "pstampresults", fileset: "backup.first"))
        #expect(served.contains("results.fits"))
        // What the pipeline counted shows at /metrics, beside the state gauges.
        let metrics = try site.http("/metrics").text
        #expect(metrics.contains("pstamp_requests{state=\"stop\"} 1"), "\(metrics)")
        #expect(metrics.range(of: #"pstamp_jobs_stopped_total\{fault="0"\} [1-9]"#, options: .regularExpression) != nil, "\(metrics)")
        #expect(metrics.range(of: #"pstamp_stamp_files_written_total [1-9]"#, options: .regularExpression) != nil, "\(metrics)")

        // A second request is in the works while the backup is made.
        let second = try site.requestFile(sample: "fixture.chip.bycoord", name: "backup.second", at: "second.fits")
        #expect(try site.run("pstamp", ["submit", second.path, "--server", site.base]).status == 0)
        let backup = site.root.appendingPathComponent("requestdb.backup.sqlite")
        let made = try site.run("pstamptool", ["-dbname", site.databasePath, "-backup", backup.path])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("integrity ok"), "\(made.stdout)")
        #expect(made.stdout.contains("to \(backup.path)"), "\(made.stdout)")
        #expect(!FileManager.default.fileExists(atPath: backup.path + "-wal"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.contains(".partial-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        _ = try await site.waitForStop(name: "backup.second")
        site.stop(keepFiles: true)

        // Restore: a new site whose request database is the backup, with the data store's files.
        let restored = try ServedSite()
        defer { restored.stop() }
        try FileManager.default.removeItem(at: restored.data)
        try FileManager.default.createDirectory(at: restored.data, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: backup, to: URL(fileURLWithPath: restored.databasePath))
        try FileManager.default.copyItem(at: site.data.appendingPathComponent("ds"), to: restored.data.appendingPathComponent("ds"))
        let check = try RequestDatabase.open(path: restored.databasePath)
        var filter = RequestListFilter()
        filter.name = "backup.first"
        #expect(try check.requests.list(filter).first?.state == .stop)
        try await restored.start()
        #expect(try restored.filesetFiles(product: "pstampresults", fileset: "backup.first") == served)
        let fetched = restored.root.appendingPathComponent("fetched")
        let fetch = try restored.run(
            "pstamp", ["fetch", "backup.first", "--server", restored.base, "--product", "pstampresults", "--outdir", fetched.path])
        #expect(fetch.status == 0, "\(fetch.stderr)")
        #expect(FileManager.default.fileExists(atPath: fetched.appendingPathComponent("results.fits").path))
        let listed = try restored.run("pstamptool", ["-dbname", restored.databasePath, "-listreq", "-name", "backup.first", "-simple"])
        #expect(listed.status == 0 && listed.stdout.contains("backup.first"), "\(listed.stdout)\(listed.stderr)")
        site.stop()
    }

    @Test("a backup onto the live database itself or into a missing directory is refused and touches nothing")
    func badBackupTargetsAreRefused() throws {
        let tools = try BuiltTools()
        defer { tools.cleanUp() }
        _ = try tools.pstamptool("-create")
        let db = tools.dataDirectory.appendingPathComponent("requestdb.sqlite").path
        _ = try tools.pstamptool("-addreq", "-uri", "/some/request.fits", "-name", "kept")
        let files = {
            try FileManager.default.contentsOfDirectory(atPath: tools.dataDirectory.path).filter {
                !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm")
            }.sorted()
        }
        let before = try files()
        let onto = try tools.pstamptool("-backup", db)
        #expect(onto.status == 1, "\(onto.stderr)")
        #expect(onto.stderr.contains("overwrite the database itself"))
        let missing = try tools.pstamptool("-backup", "/nonexistent/dir/copy.sqlite")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("does not exist"), "\(missing.stderr)")
        let bare = try tools.pstamptool("-backup")
        #expect(bare.status == 2 && bare.stderr.contains("-backup needs FILE"), "\(bare.stderr)")
        #expect(try files() == before, "no file was left behind")
        var filter = RequestListFilter()
        filter.name = "kept"
        #expect(try RequestDatabase.open(path: db).requests.list(filter).count == 1, "the database is intact")
    }
}
