import Foundation
import ImageDB
import Logging
import PStampCore
import Pipeline

/// What `pstamp serve` and `pstamp check-site` make of the command line and the settings file: the
/// image databases, DATAPATH, the archive, the update commands. Without any image database configured
/// the server runs on the fixture sky (self-contained mode), found by `--fixtures`, the settings file's
/// `fixtures`, `$PSTAMP_FIXTURES`, `./fixtures`, the checkout the binary was built in, or the installed
/// `<prefix>/share/pstamp/fixtures`; when none is found it says so loudly and every request row answers
/// 22 (the project's image database is not there) instead of waiting.
struct SiteSetup {
    let catalog: ImageDatabaseCatalog
    /// DATAPATH, NAME → `root1:root2` (update_output put first).
    let datapath: [String: String]
    let archive: URL?
    let updateCommands: [UpdateStage: String]
    /// The fixture directory of the self-contained mode (nil: the site's own databases, or none).
    let fixtures: String?
    /// Loud problems found while setting up (also logged).
    let problems: [String]

    /// - Parameter imageDB: `--image-db` (wins over the settings file's image_db).
    /// - Parameter dataDirectory: where the self-contained mode keeps its copy of the fixture database and regenerated images.
    /// The site for `command` (`serve`, `check-site`): a site that cannot be set up ends the command
    /// with exit status 3 and the reason.
    static func open(
        for command: String, imageDB: String?, fixturesOption: String?, config: ServeConfig, dataDirectory: URL, logger: Logger
    ) throws -> SiteSetup {
        do {
            return try SiteSetup(
                imageDB: imageDB, fixturesOption: fixturesOption, config: config, dataDirectory: dataDirectory, logger: logger)
        } catch { throw fail("pstamp \(command): \(error.message)", code: 3) }
    }

    init(imageDB: String?, fixturesOption: String?, config: ServeConfig, dataDirectory: URL, logger: Logger) throws(PStampError) {
        let site = config.site
        var problems: [String] = []
        let environment = ProcessInfo.processInfo.environment
        var fallback: ImageDatabaseAddress? = nil
        if let text = imageDB ?? config.imageDB { fallback = try ImageDatabaseAddress.parse(text) }
        let passwords = DatabasePassword(siteFile: site.dbPasswordFile, sitePassword: site.dbPassword)
        let configured = fallback != nil || !site.imageDatabases.isEmpty || site.ippServer != nil
        var datapath = site.datapathText
        var archive = (site.archive ?? environment["PSTAMP_ARCHIVE"].flatMap { $0.isEmpty ? nil : $0 })
            .map { URL(fileURLWithPath: $0, isDirectory: true) }
        var fixtures: String? = nil
        if !configured {
            fixtures = Self.findFixtures(option: fixturesOption ?? site.fixtures)
            if let dir = fixtures {
                // Self-contained mode: a copy of the fixture's gpc1 in the data directory (updates write to
                // it); regenerated images go to <data-dir>/images, the first root of DATAPATH FIXTURES.
                let copy = dataDirectory.appendingPathComponent("gpc1.sqlite").path
                if !FileManager.default.fileExists(atPath: copy) {
                    try? FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
                    do { try FileManager.default.copyItem(atPath: dir + "/gpc1.sqlite", toPath: copy) } catch {
                        throw PStampError(
                            .configError,
                            "cannot copy the fixture image database \(dir)/gpc1.sqlite to \(copy): \(error.localizedDescription)")
                    }
                }
                fallback = .sqlite(path: copy)
                if datapath[FixtureSky.datapathName] == nil {
                    datapath[FixtureSky.datapathName] = dataDirectory.appendingPathComponent("images").path + ":" + dir
                }
                if archive == nil { archive = URL(fileURLWithPath: dir + "/archive", isDirectory: true) }
                logger.info("no image database configured: self-contained mode on the fixture sky in \(dir)")
            } else {
                let message =
                    "NO IMAGE DATABASE: none is configured (--image-db, image_db in --config, DBSERVER) and no fixture sky was found "
                    + "(--fixtures DIR, fixtures in --config, $PSTAMP_FIXTURES, ./fixtures, \(Self.installedFixtures ?? "<prefix>/share/pstamp/fixtures")). "
                    + "Every request row will be answered 22 (PSTAMP_UNKNOWN_PROJECT) until one is configured."
                problems.append(message)
                logger.error("\(message)")
                FileHandle.standardError.write(Data("pstamp serve: \(message)\n".utf8))
            }
        } else if let dir = fixturesOption ?? site.fixtures, datapath[FixtureSky.datapathName] == nil {
            // A site database loaded with the fixture sky (pstamp fixtures load) finds its images here.
            datapath[FixtureSky.datapathName] = dir
        }
        if let output = site.updateOutput {
            for (name, entry) in datapath { datapath[name] = output + "/" + name + ":" + entry }
        }
        for missing in ImagePaths.missingRoots(datapath)
        where !(site.updateOutput.map { missing.root.hasPrefix($0) } ?? false)
            && !missing.root.hasPrefix(dataDirectory.path)
        {
            let message = "DATAPATH \(missing.name): \(missing.root) \(missing.problem)"
            problems.append(message)
            logger.error("\(message)")
        }
        var commands: [UpdateStage: String] = [:]
        for stage in [UpdateStage.chip, .warp, .diff] {
            if let command = site.updateCommands[stage.rawValue] {
                commands[stage] = command
            } else if let command = environment["PSTAMP_UPDATE_COMMAND_\(stage.rawValue.uppercased())"], !command.isEmpty {
                commands[stage] = command
            }
        }
        catalog = ImageDatabaseCatalog(
            named: site.imageDatabases, fallback: fallback, server: site.ippServer,
            passwords: passwords, logger: logger)
        self.datapath = datapath
        self.archive = archive
        self.updateCommands = commands
        self.fixtures = fixtures
        self.problems = problems
    }

    /// The fixture directory: the option/setting, else $PSTAMP_FIXTURES, ./fixtures, the checkout the
    /// binary sits in (`.build/…/pstamp`), the installed `<prefix>/share/pstamp/fixtures`.
    static func findFixtures(option: String?) -> String? {
        func holds(_ dir: String) -> Bool { FileManager.default.fileExists(atPath: dir + "/gpc1.sqlite") }
        if let option { return URL(fileURLWithPath: option).standardizedFileURL.path }
        if let env = ProcessInfo.processInfo.environment["PSTAMP_FIXTURES"], !env.isEmpty { return env }
        let cwd = FileManager.default.currentDirectoryPath + "/fixtures"
        if holds(cwd) { return cwd }
        var dir = executableDirectory
        for _ in 0..<5 {
            guard let d = dir else { break }
            if holds(d.path + "/fixtures") { return d.path + "/fixtures" }
            dir = d.deletingLastPathComponent()
        }
        if let installed = installedFixtures, holds(installed) { return installed }
        return nil
    }

    /// The directory of the running executable, symbolic links resolved.
    static var executableDirectory: URL? {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let url = FileManager.default.fileExists(atPath: exe.path) && exe.path != "/proc/self/exe" ? exe : Bundle.main.executableURL
        return url?.deletingLastPathComponent()
    }

    /// `<prefix>/share/pstamp/fixtures` for a binary installed in `<prefix>/bin` (make install).
    static var installedFixtures: String? {
        executableDirectory.map { $0.deletingLastPathComponent().appendingPathComponent("share/pstamp/fixtures").path }
    }

    /// The image-database names to visit in tasks over every database: the configured ones and those of
    /// the request database's projects.
    func names(projectDatabases: [String]) -> [String] {
        var seen: Set<String> = []
        return (catalog.configuredNames + projectDatabases).filter { seen.insert($0).inserted }
    }
}
