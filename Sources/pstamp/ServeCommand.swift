import ArgumentParser
import DataStore
import Foundation
import ImageDB
import Logging
import Pipeline
import PStampCore
import RequestDB
import ServiceLifecycle
import Web

/// `pstamp serve`: the PStamp server. It opens (creating or migrating) the request database in the
/// data directory and runs its services until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the PStamp server: the outgoing data store under /ds, the upload page /upload, the data-store poller.")

    @OptionGroup var data: DataDirectoryOptions
    @Option(help: "The address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "The HTTP port (default 8080; 0: any free port, printed at start).") var port: Int?
    @Option(help: "Seconds between looks for incoming data stores due for a poll (default 10; 0: never poll).")
    var pollEvery: Int?
    @Option(name: .customLong("image-db"),
            help: "The image database (gpc1) as an SQLite file (default: <data-dir>/gpc1.sqlite, copied from fixtures/gpc1.sqlite).")
    var imageDB: String?
    @Option(help: ArgumentHelp("A settings file: 'key = value' lines (or the IPP's 'KEY TYPE value'): data_dir, workdir, preserve_days, host, port, labels, image_db, poll_every, default_access_level, data_store_product, max_fault_count, user_header, trusted_proxies, max_upload_bytes, max_uploads, max_request_retries, max_crashes, max_stamp_pixels, max_request_rows. Options given on the command line win.",
                               valueName: "file"))
    var config: String?

    /// What every service of the server shares.
    struct Server: Sendable {
        let database: RequestDatabase
        let registry: DataStoreRegistry
        let logger: Logger
    }

    func run() async throws {
        var command = self
        var settingsFile = ServeConfig()
        if let path = config {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw fail("pstamp serve: cannot read --config \(path): \(error.localizedDescription)", code: 3)
            }
            do { settingsFile = try ServeConfig.parse(text) } catch {
                throw fail("pstamp serve: \(path): \(error.message)", code: 3)
            }
            if command.data.dataDir == nil { command.data.dataDir = settingsFile.dataDir }
            if command.imageDB == nil { command.imageDB = settingsFile.imageDB }
        }
        try await command.serve(settingsFile)
    }

    func serve(_ settingsFile: ServeConfig) async throws {
        var logger = Logger(label: "pstamp.serve")
        logger.logLevel = .info
        let database = try data.openDatabase()
        let server = Server(database: database, registry: try data.registry(database), logger: logger)
        let services = makeServices(server, settingsFile)
        logger.info("request database \(database.path) (schema \(database.version)); data store \(data.dataStoreRoot.path)")
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        try await group.run()
    }

    /// The server's services. Each part of PStamp adds its own here.
    func makeServices(_ server: Server, _ settingsFile: ServeConfig = ServeConfig()) -> [any Service] {
        let workdir = workDirectory(settingsFile)
        let logger = server.logger
        var authentication = WebAuthentication(tokens: server.database.tokens)
        if let header = settingsFile.userHeader {
            let proxies = settingsFile.trustedProxies ?? []
            authentication.proxy = TrustedProxy(header: header, addresses: proxies)
            logger.info("front-end login: \(header) believed from \(proxies.isEmpty ? "nowhere (set trusted_proxies)" : proxies.joined(separator: ", "))")
        }
        let web = WebApplication(logger: server.logger, authentication: authentication)
        web.addDataStore(server.registry)
        web.addUploadPage(database: server.database, workdir: workdir,
                          limits: UploadLimits(maxBytes: settingsFile.maxUploadBytes ?? UploadLimits.defaultMaxBytes,
                                               maxConcurrent: settingsFile.maxUploads ?? UploadLimits.defaultMaxConcurrent))
        web.addStampRequests(database: server.database, registry: server.registry, workdir: workdir)
        let host = host ?? settingsFile.host ?? "127.0.0.1"
        let port = port ?? settingsFile.port ?? 8080
        let pollEvery = pollEvery ?? settingsFile.pollEvery ?? 10
        let application = web.application(host: host, port: port) { bound in
            logger.info("serving http://\(host):\(bound)/ds/")
        }
        var services: [any Service] = [application]
        // The pipeline: every task under the Scheduler (which also runs the Poller), woken by the
        // request database's change notification.
        var settings = PipelineSettings(workdir: workdir, preserveDays: settingsFile.preserveDays ?? 14,
                                        maxFaultCount: settingsFile.maxFaultCount ?? 3,
                                        labels: LabelFilter(settingsFile.labels ?? []))
        if let level = settingsFile.defaultAccessLevel { settings.defaultAccessLevel = level }
        if let product = settingsFile.dataStoreProduct { settings.dataStoreProduct = product }
        if let retries = settingsFile.maxRequestRetries { settings.maxRequestRetries = retries }
        if let crashes = settingsFile.maxCrashes { settings.maxCrashes = crashes }
        if let side = settingsFile.maxStampPixels { settings.maxStampPixels = side }
        if let rows = settingsFile.maxRequestRows { settings.maxRequestRows = rows }
        logger.info("work directory \(settings.workdir.path); results kept \(settings.preserveDays) days; labels \(settings.labels.values.isEmpty ? "all" : settings.labels.values.joined(separator: ","))")
        let imageDatabase = openImageDatabase(logger)
        var images: (@Sendable (String) -> (any ImageDatabase)?)? = nil
        var imageDatabases: [any ImageDatabase] = []
        if let imageDatabase {
            // Self-contained mode: the fixture's project, if the site has not defined it.
            if (try? server.database.projects.list(name: "gpc1").isEmpty) == true {
                _ = try? server.database.projects.add(name: "gpc1", imagedb: "gpc1", camera: "GPC1", telescope: "PS1")
            }
            images = { _ in imageDatabase }
            imageDatabases = [imageDatabase]
        }
        // Standalone site (the self-contained image database): cleaned components are regenerated from
        // the fixture's archive into <data-dir>/images, the first root of DATAPATH FIXTURES.
        let archive = imageDB == nil && imageDatabase != nil ? archiveDirectory() : nil
        let entries = StandardPipeline.entries(database: server.database, registry: server.registry, settings: settings,
                                               pollEvery: pollEvery > 0 ? pollEvery : nil, images: images,
                                               imageDatabases: imageDatabases, datapath: datapath(),
                                               archive: archive, updateCommands: updateCommands())
        let scheduler = Scheduler(entries,
                                  changes: server.database, logger: Logger(label: "pstamp.scheduler"))
        services.append(SchedulerService(scheduler: scheduler))
        return services
    }

    /// The requests' working directories: $PSTAMP_WORKDIR, else the settings file's workdir, else <data-dir>/work.
    func workDirectory(_ settingsFile: ServeConfig) -> URL {
        if ProcessInfo.processInfo.environment["PSTAMP_WORKDIR"].map({ !$0.isEmpty }) != true, let dir = settingsFile.workdir {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        return data.workDirectory
    }

    /// DATAPATH: where `path://NAME/…` image paths live. Self-contained mode: FIXTURES is
    /// `<data-dir>/images` (where regenerated images are written) then ./fixtures (read only): a file
    /// resolves to the first root holding it.
    func datapath() -> [String: String] {
        var map: [String: String] = [:]
        if let fixtures = fixturesDirectory() {
            map["FIXTURES"] = imageRoot.path + ":" + fixtures
        }
        return map
    }

    /// The committed fixtures (`$PSTAMP_FIXTURES`, else ./fixtures when it holds gpc1.sqlite).
    func fixturesDirectory() -> String? {
        if let fixtures = ProcessInfo.processInfo.environment["PSTAMP_FIXTURES"] { return fixtures }
        if FileManager.default.fileExists(atPath: "fixtures/gpc1.sqlite") {
            return FileManager.default.currentDirectoryPath + "/fixtures"
        }
        return nil
    }

    /// Where regenerated images go: `<data-dir>/images`.
    var imageRoot: URL { data.directory.appendingPathComponent("images", isDirectory: true) }

    /// Per-stage update commands instead of the archive: `$PSTAMP_UPDATE_COMMAND_CHIP` (…_WARP, …_DIFF).
    func updateCommands() -> [UpdateStage: String] {
        var commands: [UpdateStage: String] = [:]
        for stage in [UpdateStage.chip, .warp, .diff] {
            if let command = ProcessInfo.processInfo.environment["PSTAMP_UPDATE_COMMAND_\(stage.rawValue.uppercased())"],
               !command.isEmpty { commands[stage] = command }
        }
        return commands
    }

    /// The standalone site's archive: `$PSTAMP_ARCHIVE`, else the fixtures' `archive/`.
    func archiveDirectory() -> URL? {
        if let archive = ProcessInfo.processInfo.environment["PSTAMP_ARCHIVE"], !archive.isEmpty {
            return URL(fileURLWithPath: archive, isDirectory: true)
        }
        return fixturesDirectory().map { URL(fileURLWithPath: $0, isDirectory: true).appendingPathComponent("archive") }
    }

    /// The image databases the pipeline may update, by name: the SQLite image database (the fixture sky
    /// in the self-contained mode) serves every `imagedb` name.
    func openImageDatabase(_ logger: Logger) -> SQLiteImageDatabase? {
        var path = imageDB
        if path == nil {
            // Self-contained mode: a copy of the fixture's gpc1 in the data directory (updates write to it).
            let copy = data.directory.appendingPathComponent("gpc1.sqlite").path
            let fixture = "fixtures/gpc1.sqlite"
            if !FileManager.default.fileExists(atPath: copy), FileManager.default.fileExists(atPath: fixture) {
                try? FileManager.default.copyItem(atPath: fixture, toPath: copy)
            }
            if FileManager.default.fileExists(atPath: copy) { path = copy }
        }
        guard let path else { return nil }
        do {
            let database = try SQLiteImageDatabase(path: path)
            logger.info("image database \(path)")
            return database
        } catch {
            logger.error("image database \(path): \(error)")
            return nil
        }
    }
}
