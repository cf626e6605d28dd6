import ArgumentParser
import DataStore
import Foundation
import ImageDB
import Logging
import Metrics
import PStampCore
import Pipeline
import Prometheus
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
    @Option(help: "Log lines as text (default) or json, one object per line with req_id/job_id/dep_id fields (or $PSTAMP_LOG_FORMAT).")
    var logFormat: LogFormat?
    @Option(help: "The HTTP port (default 8080; 0: any free port, printed at start).") var port: Int?
    @Option(help: "Seconds between looks for incoming data stores due for a poll (default 10; 0: never poll).")
    var pollEvery: Int?
    @Option(
        name: .customLong("image-db"),
        help:
            "The image database (gpc1): an SQLite file or mysql://user@host:port/gpc1[?socket=PATH&password_file=PATH] (no password here; default: the fixture sky, copied to <data-dir>/gpc1.sqlite)."
    )
    var imageDB: String?
    @Option(
        help:
            "The fixture sky's directory for the self-contained mode (default: $PSTAMP_FIXTURES, ./fixtures, the checkout the binary was built in, <prefix>/share/pstamp/fixtures)."
    )
    var fixtures: String?
    @Option(
        help: ArgumentHelp(
            "A settings file: 'key = value' lines (or the IPP's 'KEY TYPE value'): data_dir, workdir, preserve_days, host, port, labels, image_db, poll_every, default_access_level, data_store_product, max_fault_count, user_header, trusted_proxies, max_upload_bytes, max_uploads, max_request_retries, max_crashes, max_stamp_pixels, max_request_rows, max_request_jobs, idle_timeout, and the site keys (image_db.NAME, DBSERVER…, DATAPATH, archive, update_command.STAGE, update_output, fixtures: docs/site-setup.md). Options given on the command line win.",
            valueName: "file"))
    var config: String?

    /// What every service of the server shares.
    struct Server: Sendable {
        let database: RequestDatabase
        let registry: DataStoreRegistry
        let logger: Logger
    }

    func run() async throws {
        let environmentFormat = ProcessInfo.processInfo.environment["PSTAMP_LOG_FORMAT"].flatMap(LogFormat.init(rawValue:))
        (logFormat ?? environmentFormat ?? .text).bootstrap()
        OpenFileLimit.raise()
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

    /// Where the pipeline's swift-metrics go, bootstrapped once per process; `/metrics` shows it.
    static let metricsRegistry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["pstamp_dependent_wait_seconds"] = [1, 5, 15, 60, 300, 900, 3600, 14_400, 86_400].map {
            Duration.seconds($0)
        }
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    func serve(_ settingsFile: ServeConfig) async throws {
        var logger = Logger(label: "pstamp.serve")
        logger.logLevel = .info
        let database = try data.openDatabase()
        let server = Server(database: database, registry: try data.registry(database), logger: logger)
        let site = try SiteSetup.open(
            for: "serve", imageDB: imageDB, fixturesOption: fixtures, config: settingsFile,
            dataDirectory: data.directory, logger: logger)
        let services = try makeServices(server, settingsFile, site)
        logger.info("request database \(database.path) (schema \(database.version)); data store \(data.dataStoreRoot.path)")
        let group = ServiceGroup(
            configuration: .init(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    /// The server's services. Each part of PStamp adds its own here.
    func makeServices(_ server: Server, _ settingsFile: ServeConfig, _ site: SiteSetup) throws -> [any Service] {
        let workdir = workDirectory(settingsFile)
        let logger = server.logger
        var authentication = WebAuthentication(tokens: server.database.tokens)
        let adminToken =
            ProcessInfo.processInfo.environment["PSTAMP_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 } ?? settingsFile.adminToken
        authentication.admin = adminToken.flatMap(AdminToken.init)
        logger.info("API operator actions: \(authentication.admin == nil ? "off (no admin_token)" : "with the admin token")")
        if let header = settingsFile.userHeader {
            let proxies = settingsFile.trustedProxies ?? []
            authentication.proxy = TrustedProxy(header: header, addresses: proxies)
            logger.info(
                "front-end login: \(header) believed from \(proxies.isEmpty ? "nowhere (set trusted_proxies)" : proxies.joined(separator: ", "))"
            )
        }
        let web = WebApplication(logger: server.logger, authentication: authentication)
        web.addDataStore(server.registry)
        web.addHealth(database: server.database, workdir: workdir)
        web.addMetrics(registry: Self.metricsRegistry, database: server.database)
        let uploadLimits = UploadLimits(
            maxBytes: settingsFile.maxUploadBytes ?? UploadLimits.defaultMaxBytes,
            maxConcurrent: settingsFile.maxUploads ?? UploadLimits.defaultMaxConcurrent)
        web.addUploadPage(database: server.database, workdir: workdir, limits: uploadLimits)
        web.addStampRequests(database: server.database, registry: server.registry, workdir: workdir)
        web.addPages(database: server.database, registry: server.registry, workdir: workdir)
        try web.addAPI(
            database: server.database, registry: server.registry, workdir: workdir, limits: uploadLimits,
            tokenRequired: settingsFile.requireUserToken ?? false,
            imageLabels: imageLabelCatalogs(site, server.database))
        let voImages = site.catalog
        web.addVO(
            database: server.database, registry: server.registry, workdir: workdir,
            site: VOSite(
                authority: settingsFile.voAuthority ?? "pstamp.local", publicURL: settingsFile.publicURL,
                defaultAccessLevel: settingsFile.defaultAccessLevel ?? PipelineSettings.unknownRequesterLevel,
                datapath: site.datapath, images: { voImages.database(named: $0) }))
        let host = host ?? settingsFile.host ?? "127.0.0.1"
        let port = port ?? settingsFile.port ?? 8080
        let pollEvery = pollEvery ?? settingsFile.pollEvery ?? 10
        let application = web.application(
            host: host, port: port,
            idleTimeout: .seconds(settingsFile.idleTimeout ?? 30)
        ) { bound in
            logger.info("serving http://\(host):\(bound)/ds/")
        }
        var services: [any Service] = [application]
        // The pipeline: every task under the Scheduler (which also runs the Poller), woken by the
        // request database's change notification.
        var settings = PipelineSettings(
            workdir: workdir, preserveDays: settingsFile.preserveDays ?? 14,
            maxFaultCount: settingsFile.maxFaultCount ?? 3,
            labels: LabelFilter(settingsFile.labels ?? []))
        if let level = settingsFile.defaultAccessLevel { settings.defaultAccessLevel = level }
        if let product = settingsFile.dataStoreProduct { settings.dataStoreProduct = product }
        if let retries = settingsFile.maxRequestRetries { settings.maxRequestRetries = retries }
        if let crashes = settingsFile.maxCrashes { settings.maxCrashes = crashes }
        if let side = settingsFile.maxStampPixels { settings.maxStampPixels = side }
        if let rows = settingsFile.maxRequestRows { settings.maxRequestRows = rows }
        if let jobs = settingsFile.maxRequestJobs { settings.maxRequestJobs = jobs }
        logger.info(
            "work directory \(settings.workdir.path); results kept \(settings.preserveDays) days; labels \(settings.labels.values.isEmpty ? "all" : settings.labels.values.joined(separator: ","))"
        )
        // The image databases by project dbname (SiteSetup, ImageDatabaseCatalog).
        let catalog = site.catalog
        if !catalog.isEmpty, (try? server.database.projects.list(name: "gpc1").isEmpty) == true {
            // The fixture's (and the IPP's) project, if the site has not defined it.
            _ = try? server.database.projects.add(name: "gpc1", imagedb: "gpc1", camera: "GPC1", telescope: "PS1")
        }
        let projectDatabases = ((try? server.database.projects.list()) ?? []).compactMap(\.dbname)
        let imageDatabases = catalog.databases(serving: site.names(projectDatabases: projectDatabases)).map(\.database)
        let lookup: @Sendable (String) -> (any ImageDatabase)? = { catalog.database(named: $0) }
        let images: (@Sendable (String) -> (any ImageDatabase)?)? = catalog.isEmpty ? nil : lookup
        let parserImages: @Sendable (String) throws -> (any ImageDatabase)? = { name in
            guard let location = catalog.location(of: name) else { return nil }
            return try catalog.database(at: location)
        }
        for (name, entry) in site.datapath.sorted(by: { $0.key < $1.key }) { logger.info("DATAPATH \(name) = \(entry)") }
        if let archive = site.archive { logger.info("archive \(archive.path)") }
        let entries = StandardPipeline.entries(
            database: server.database, registry: server.registry, settings: settings,
            pollEvery: pollEvery > 0 ? pollEvery : nil, images: images,
            imageDatabases: imageDatabases, datapath: site.datapath,
            archive: site.archive, updateCommands: site.updateCommands,
            parserImages: parserImages)
        let scheduler = Scheduler(
            entries,
            changes: server.database, logger: Logger(label: "pstamp.scheduler"))
        services.append(SchedulerService(scheduler: scheduler))
        return services
    }

    /// The image databases' label tables (the `ps_ud_` update labels the API's label priority also sets).
    func imageLabelCatalogs(_ site: SiteSetup, _ database: RequestDatabase) -> [(name: String, catalog: any LabelCatalog)] {
        let projects = ((try? database.projects.list()) ?? []).compactMap(\.dbname)
        return site.catalog.databases(serving: site.names(projectDatabases: ["gpc1"] + projects)).map {
            (name: $0.name, catalog: ImageLabelCatalog($0.database) as any LabelCatalog)
        }
    }

    /// The requests' working directories: $PSTAMP_WORKDIR, else the settings file's workdir, else <data-dir>/work.
    func workDirectory(_ settingsFile: ServeConfig) -> URL {
        if ProcessInfo.processInfo.environment["PSTAMP_WORKDIR"].map({ !$0.isEmpty }) != true, let dir = settingsFile.workdir {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        return data.workDirectory
    }
}
