import FITS
import Foundation
import PStampCore
import RequestDB
import Testing

/// A site whose image database is a MariaDB: the fixture sky loaded into it with `pstamp fixtures load`,
/// `pstamp serve` pointed at it by a settings file (mysql:// location, the IPP's DATAPATH block, the
/// archive), run outside the checkout. Every fixture sample request is run on it and on the same site
/// with the fixture's SQLite image database: the results files must be the same, and the cleaned images
/// must be restored and marked full in the MariaDB.
@Suite(.serialized) struct MariaDBSiteTests {
    static var socket: String? { ProcessInfo.processInfo.environment["PSTAMP_TEST_MYSQL_SOCKET"] }
    static var required: Bool { ProcessInfo.processInfo.environment["PSTAMP_REQUIRE_MYSQL"] != nil }

    /// One `pstamp serve --config` site in `root/<name>`.
    final class ConfiguredSite: @unchecked Sendable {
        let root: URL
        let name: String
        let log = ProcessOutput()
        private var process: Process?
        var data: URL { root.appendingPathComponent("\(name)-var") }
        var images: URL { root.appendingPathComponent("\(name)-images") }
        var config: URL { root.appendingPathComponent("\(name).config") }
        var databasePath: String { data.appendingPathComponent("requestdb.sqlite").path }

        init(root: URL, name: String, imageDB: String) throws {
            self.root = root
            self.name = name
            try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
            let fixtures = ServedSite.fixtures.path
            try Data(
                """
                # \(name): the fixture sky as a site's own image database and disks
                data_dir = \(data.path)
                port = 0
                poll_every = 0
                image_db = \(imageDB)
                DATAPATH  METADATA
                  FIXTURES  STR  \(images.path):\(fixtures)
                END
                archive = \(fixtures)/archive
                """.utf8
            ).write(to: config)
        }

        func start() async throws {
            let process = Process()
            process.executableURL = BuiltTools.binDirectory.appendingPathComponent("pstamp")
            process.arguments = ["serve", "--config", config.path]
            process.currentDirectoryURL = root  // outside the checkout
            var environment = ProcessInfo.processInfo.environment
            for key in ["PS_DBNAME", "PSTAMP_WORKDIR", "PSTAMP_FIXTURES", "PSTAMP_ARCHIVE", "PSTAMP_DATA_DIR"] {
                environment.removeValue(forKey: key)
            }
            process.environment = environment
            log.collect(process)
            try process.run()
            self.process = process
            for _ in 0..<600 {
                if log.text.contains("serving http://") { return }
                if !process.isRunning { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw PStampError(.sysError, "pstamp serve (\(name)) did not start: \(log.text)")
        }

        func stop() {
            process?.terminateAndWait()
            process = nil
        }

        func addRequest(_ file: URL) throws {
            let r = try BuiltTools.run("pstamptool", ["-dbname", databasePath, "-addreq", "-uri", file.path, "-label", "OPS"], in: root)
            guard r.status == 0 else { throw PStampError(.sysError, "pstamptool -addreq: \(r.stderr)") }
        }

        /// The site's requests (a read that meets the server's write lock is tried again).
        func requests(state: RequestState = .stop) throws -> [RequestRecord] {
            var lastError: (any Error)? = nil
            for _ in 0..<10 {
                var filter = RequestListFilter()
                filter.state = state
                do { return try RequestStore(try RequestDatabase.open(path: databasePath).pool).list(filter) } catch {
                    lastError = error
                    usleep(200_000)
                }
            }
            throw lastError!
        }

        /// The results file of a finished request, as its results fileset on the data store holds it.
        func results(_ name: String) throws -> ResultsFile.Contents {
            try ResultsFile.read(data.appendingPathComponent("ds/pstampresults/\(name)/results.fits").path)
        }
    }

    static func mariadb(_ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["mariadb", "--socket=\(socket ?? "")", "-uroot", "-N", "-B", "-e", sql]
        return try process.runForOutput().output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A row as compared across the two sites: everything but the job id (numbered by each request database).
    static func comparable(_ rows: [ResultRow]) -> [String] {
        rows.map { row -> String in
            var r = row
            r.jobID = 0
            return "\(r)"
        }.sorted()
    }

    @Test(
        "the 25 fixture requests give the same results on a MariaDB image database as on SQLite; cleaned images are restored and marked full in the MariaDB"
    )
    func mariadbSiteAnswersAsTheSQLiteOne() async throws {
        guard let socket = Self.socket else {
            if Self.required {
                Issue.record("PSTAMP_REQUIRE_MYSQL is set but PSTAMP_TEST_MYSQL_SOCKET is not: the MariaDB site test cannot run")
            } else {
                print("WARNING: no private MariaDB (PSTAMP_TEST_MYSQL_SOCKET unset): the MariaDB site test is SKIPPED")
            }
            return
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-mariadb-site-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let dbname = "pstamp_site_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        defer {
            _ = try? Self.mariadb("DROP DATABASE IF EXISTS \(dbname)")
            try? FileManager.default.removeItem(at: root)
        }

        // The fixture sky into the MariaDB, by the user's command.
        let location = "mysql://root@localhost/\(dbname)?socket=\(socket)"
        let load = try BuiltTools.run(
            "pstamp", ["fixtures", "load", "--image-db", location, "--fixtures", ServedSite.fixtures.path], in: root)
        #expect(load.status == 0, "\(load.stdout)\(load.stderr)")
        #expect(load.stdout.contains("fixtures loaded into MySQL root@socket"), "\(load.stdout)")
        #expect(
            try Self.mariadb("SELECT data_state FROM \(dbname).chipProcessedImfile WHERE chip_id = 212 AND class_id = 'XY33'") == "cleaned")

        let sqliteFile = root.appendingPathComponent("gpc1.sqlite")
        try FileManager.default.copyItem(at: ServedSite.fixtures.appendingPathComponent("gpc1.sqlite"), to: sqliteFile)
        let mysql = try ConfiguredSite(root: root, name: "mysql", imageDB: location)
        let sqlite = try ConfiguredSite(root: root, name: "sqlite", imageDB: sqliteFile.path)

        // check-site sees the MariaDB and the fixture images through DATAPATH.
        let check = try BuiltTools.run("pstamp", ["check-site", "--config", mysql.config.path], in: root)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(
            check.stdout.contains("image database \(dbname): MySQL root@socket \(socket) database \(dbname) connected"), "\(check.stdout)")
        #expect(check.stdout.contains("site check: no problem found"), "\(check.stdout)")

        try await mysql.start()
        defer { mysql.stop() }
        try await sqlite.start()
        defer { sqlite.stop() }

        let samples = try FileManager.default.contentsOfDirectory(atPath: ServedSite.fixtures.appendingPathComponent("requests").path)
            .filter { $0.hasSuffix(".txt") }.map { String($0.dropLast(4)) }.sorted()
        #expect(samples.count == 25)
        for sample in samples {
            let file = root.appendingPathComponent("requests/\(sample).fits")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let r = try BuiltTools.run(
                "pstamp",
                [
                    "request-file", "-i", ServedSite.fixtures.appendingPathComponent("requests/\(sample).txt").path,
                    "-r", sample, "-o", file.path,
                ], in: root)
            #expect(r.status == 0, "\(r.stderr)")
            try mysql.addRequest(file)
            try sqlite.addRequest(file)
        }
        let deadline = Date().addingTimeInterval(420)
        func finished(_ site: ConfiguredSite) -> Int { ((try? site.requests(state: .stop)) ?? []).count }
        while Date() < deadline, finished(mysql) < samples.count || finished(sqlite) < samples.count {
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(finished(mysql) == samples.count, "MariaDB site log:\n\(mysql.log.text)")
        #expect(finished(sqlite) == samples.count, "SQLite site log:\n\(sqlite.log.text)")
        print(
            "MariaDB and SQLite sites: \(samples.count) requests each finished in \(String(format: "%.0f", Date().timeIntervalSince(deadline) + 420)) s"
        )

        var compared = 0, successes = 0
        for sample in samples {
            guard let a = try? mysql.results(sample), let b = try? sqlite.results(sample) else {
                Issue.record("\(sample): no results file on one of the sites")
                continue
            }
            #expect(Self.comparable(a.rows) == Self.comparable(b.rows), "\(sample): MariaDB and SQLite results differ")
            compared += 1
            successes += a.rows.filter { $0.errorCode == .success }.count
        }
        print("MariaDB vs SQLite: \(compared) results files compared, \(successes) successful rows on each")
        #expect(compared == samples.count)
        #expect(successes > 0)

        // The cleaned chip 212 XY33 was regenerated from the archive into the MariaDB site's image root and
        // marked full through the MySQL driver.
        #expect(
            try Self.mariadb("SELECT data_state FROM \(dbname).chipProcessedImfile WHERE chip_id = 212 AND class_id = 'XY33'") == "full",
            "MariaDB site log:\n\(mysql.log.text)")
        let restored = mysql.images.appendingPathComponent("gpc1/20090602/o5001g0102o/o5001g0102o.ch.212.XY33.ch.fits")
        #expect(FileManager.default.fileExists(atPath: restored.path))
    }
}
