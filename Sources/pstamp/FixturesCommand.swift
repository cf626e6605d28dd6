import ArgumentParser
import Foundation
import ImageDB

/// `pstamp fixtures build [--output DIR]`: (re)makes the fixture sky deterministically.
struct FixturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixtures",
        abstract: "The fixture sky: small GPC1-like images, a gpc1 database and sample requests.",
        subcommands: [FixturesBuildCommand.self]
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
