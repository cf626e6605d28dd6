import ArgumentParser
import Foundation
import ImageDB
import PStampCore

/// `pstamp fixtures build [--output DIR]`: (re)makes the fixture sky deterministically.
struct FixturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixtures",
        abstract: "The fixture sky: small GPC1-like images, a gpc1 database and sample requests.",
        subcommands: [FixturesBuildCommand.self, FixturesLoadCommand.self]
    )
}

struct FixturesBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Write the fixture sky into a directory (default ./fixtures); the same bytes on every run."
    )

    @Option(name: .long, help: "The fixtures directory.")
    var output: String = "fixtures"

    func run() throws {
        let root = URL(fileURLWithPath: output, isDirectory: true)
        let summary = try FixtureBuilder(root: root).build()
        print("fixtures: \(summary.files) files, \(summary.bytes / 1024) KiB in \(root.path)")
        print("  gpc1 database: \(root.appendingPathComponent("gpc1.sqlite").path)  (DATAPATH FIXTURES=\(root.path))")
    }
}

/// `pstamp fixtures load --image-db mysql://…`: puts the fixture sky's gpc1 rows (and footprints) into
/// another image database, typically a MariaDB, copied from the fixture's SQLite file. The database is
/// created when the server allows it; it must not hold fixture rows yet.
struct FixturesLoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Copy the fixture sky's image database into a MariaDB/MySQL (or another SQLite) image database."
    )

    @Option(
        name: .customLong("image-db"),
        help: "The target: mysql://user@host:port/DATABASE[?socket=PATH&password_file=PATH], or an SQLite path.")
    var imageDB: String
    @Option(help: "The fixture directory holding gpc1.sqlite (default: found as pstamp serve finds it).")
    var fixtures: String?

    func run() throws {
        guard let dir = fixtures.map({ URL(fileURLWithPath: $0).standardizedFileURL.path }) ?? SiteSetup.findFixtures(option: nil) else {
            throw fail("pstamp fixtures load: no fixture sky found (give --fixtures DIR)", code: 3)
        }
        do {
            let location = try ImageDatabaseAddress.parse(imageDB)
            let password = DatabasePassword()
            if case .mysql(let m) = location, let name = m.database {
                // Create the database first (connected without one).
                var server = m
                server.database = nil
                try MariaDBConnection(settings: MySQLSettings(location: server, password: try password.resolve(for: m).password))
                    .createDatabase(name)
            }
            let target: any ImageDatabase
            switch location {
            case .sqlite(let path): target = try SQLiteImageDatabase(path: path)
            case .mysql(let m):
                target = try MySQLImageDatabase(settings: MySQLSettings(location: m, password: try password.resolve(for: m).password))
            }
            let source = try SQLiteImageDatabase(path: dir + "/gpc1.sqlite", readonly: true)
            let counts = try ImageDatabaseCopy.copy(from: source, to: target)
            print("fixtures loaded into \(location): \(counts.values.reduce(0, +)) rows in \(counts.count) tables")
            print("  its images: DATAPATH \(FixtureSky.datapathName) = \(dir)")
        } catch let error as PStampError {
            throw fail("pstamp fixtures load: \(error.message)", code: 3)
        } catch {
            throw fail("pstamp fixtures load: \(error)", code: 1)
        }
    }
}
