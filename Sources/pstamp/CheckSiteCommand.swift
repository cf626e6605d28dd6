import ArgumentParser
import DataStore
import Foundation
import ImageDB
import Logging
import PStampCore
import Pipeline
import RequestDB

/// `pstamp check-site [--config FILE] [--image-db LOCATION]`: reads the site's configuration as
/// `pstamp serve` would, connects to each image database, resolves a sample of its image paths through
/// DATAPATH and checks the archive, then prints what it found (`ok`) and what is wrong (`PROBLEM`),
/// before any request runs. Exit status 0 when nothing is wrong, 3 (PS_EXIT_CONFIG_ERROR) otherwise.
struct CheckSiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-site",
        abstract: "Check the site's configuration: image databases, DATAPATH, sample image files, archive.")

    @OptionGroup var data: DataDirectoryOptions
    @Option(name: .customLong("image-db"), help: "The image database, as for pstamp serve.") var imageDB: String?
    @Option(help: "The fixture sky's directory, as for pstamp serve.") var fixtures: String?
    @Option(help: "The settings file, as for pstamp serve.") var config: String?
    @Option(help: "Images sampled per stage and database (default 2).") var sample: Int = 2

    func run() throws {
        var settings = ServeConfig()
        if let path = config {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw fail("pstamp check-site: cannot read --config \(path)", code: 3)
            }
            do { settings = try ServeConfig.parse(text) } catch { throw fail("pstamp check-site: \(path): \(error.message)", code: 3) }
        }
        var options = data
        if options.dataDir == nil { options.dataDir = settings.dataDir }
        var logger = Logger(label: "pstamp.check-site")
        logger.logLevel = .critical
        var problems = 0
        func ok(_ s: String) { print("ok       \(s)") }
        func problem(_ s: String) { problems += 1; print("PROBLEM  \(s)") }

        let site = try SiteSetup.open(
            for: "check-site", imageDB: imageDB, fixturesOption: fixtures, config: settings,
            dataDirectory: options.directory, logger: logger)
        for p in site.problems { problem(p) }
        if let dir = site.fixtures { ok("self-contained mode: fixture sky \(dir)") }
        for (name, entry) in site.datapath.sorted(by: { $0.key < $1.key }) { ok("DATAPATH \(name) = \(entry)") }

        // The projects of the request database name the image databases they need.
        var names = site.catalog.configuredNames
        if FileManager.default.fileExists(atPath: options.databasePath),
            let requests = try? RequestDatabase.open(path: options.databasePath)
        {
            for project in (try? requests.projects.list()) ?? [] {
                guard let dbname = project.dbname else { continue }
                if site.catalog.location(of: dbname) == nil {
                    problem("project \(project.name ?? "?") needs image database \(dbname): none is configured for it")
                } else if !names.contains(dbname) {
                    names.append(dbname)
                }
            }
        }
        var seen: Set<ImageDatabaseAddress> = []
        for name in names {
            guard let location = site.catalog.location(of: name), seen.insert(location).inserted else { continue }
            let db: any ImageDatabase
            do { db = try site.catalog.database(at: location) } catch {
                problem("image database \(name): \(location): cannot open: \((error as? PStampError)?.message ?? "\(error)")")
                continue
            }
            ok("image database \(name): \(location) connected")
            do {
                let counts = try db.tableCounts()
                ok("  " + counts.map { "\($0.table) \($0.rows)" }.joined(separator: ", "))
                for image in try db.sampleImages(perStage: sample) {
                    let what = "\(image.stage) \(image.stageID) \(image.component)"
                    do {
                        let path = try ImagePaths.resolve(image.image, datapath: site.datapath)
                        if !FileManager.default.fileExists(atPath: path) {
                            problem("  \(what): \(image.image) -> \(path) is missing")
                        } else if !FileManager.default.isReadableFile(atPath: path) {
                            problem("  \(what): \(image.image) -> \(path) is not readable")
                        } else {
                            ok("  \(what): \(image.image) -> \(path)")
                        }
                    } catch {
                        problem("  \(what): \(image.image): \((error as? SQLError)?.message ?? "\(error)")")
                    }
                }
            } catch {
                problem("image database \(name): \(error)")
            }
        }
        if names.isEmpty { problem("no image database is configured") }
        if let archive = site.archive {
            let sums = archive.appendingPathComponent("SHA256SUMS")
            if let text = try? String(contentsOf: sums, encoding: .utf8) {
                let lines = text.split(separator: "\n")
                ok("archive \(archive.path): \(lines.count) file(s) listed in SHA256SUMS")
                for line in lines.prefix(max(1, sample)) {
                    let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
                    guard parts.count == 2 else { problem("archive: SHA256SUMS line '\(line)' is not 'digest  file'"); continue }
                    let file = archive.appendingPathComponent(
                        parts[1].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "*", with: ""))
                    if let data = FileManager.default.contents(atPath: file.path) {
                        if Self.sha256(data) == parts[0].lowercased() {
                            ok("  archive file \(file.path): checksum matches")
                        } else {
                            problem("  archive file \(file.path): SHA-256 does not match SHA256SUMS")
                        }
                    } else {
                        problem("  archive file \(file.path) is missing or unreadable")
                    }
                }
            } else {
                problem("archive \(archive.path): \(sums.path) is missing or unreadable")
            }
        }
        for (stage, command) in site.updateCommands.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            ok("update command for \(stage.rawValue): \(command)")
        }
        print(problems == 0 ? "site check: no problem found" : "site check: \(problems) problem(s)")
        if problems > 0 { throw ExitCode(3) }
    }

    static func sha256(_ data: Data) -> String { FileChecksum.sha256(data) }
}
