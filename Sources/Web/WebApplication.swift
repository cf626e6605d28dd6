import DataStore
import Foundation
import Hummingbird
import Logging
import PStampCore
import Prometheus
import RequestDB

/// The PStamp web server: one router to which each face (the data store, the upload page, the
/// parameter interface and request form) adds its routes, then `application` makes a Hummingbird
/// application to run or test.
///
///     let web = WebApplication()
///     web.addDataStore(registry)
///     try await web.application(port: 8080).runService()
public struct WebApplication {
    public typealias Context = PStampRequestContext
    /// The router every part adds to.
    public let router: Router<Context>
    public let logger: Logger

    /// How clients are known (tokens, a trusted front end); without it every client is anonymous.
    public let authentication: WebAuthentication

    public init(logger: Logger = Logger(label: "pstamp.web"), authentication: WebAuthentication = WebAuthentication()) {
        self.logger = logger
        self.authentication = authentication
        router = Router(context: Context.self)
        router.add(middleware: LogRequestsMiddleware(.debug))
        // Before any route: routes take the middleware in force when they are added.
        router.add(middleware: IdentityMiddleware(authentication))
    }

    /// Serves the outgoing data store under `/ds`.
    public func addDataStore(_ catalog: any DataStoreCatalog) {
        DataStoreRoutes<Context>(catalog: catalog).register(on: router)
    }

    /// `/healthz`, `/readyz` (the request database readable, `workdir` writable) and `/robots.txt`.
    public func addHealth(database: RequestDatabase, workdir: URL) {
        HealthRoutes<Context>(database: database, workdir: workdir).register(on: router)
    }

    /// `/metrics` (Prometheus text): what `registry` collected plus the request database's state counts.
    public func addMetrics(registry: PrometheusCollectorRegistry, database: RequestDatabase) {
        MetricsRoutes<Context>(registry: registry, database: database).register(on: router)
    }

    /// The upload page (`/upload`): request files copied under `<workdir>/webreq/` and added as
    /// requests labelled WEB.UP.
    /// `limits`: the largest file (413) and the uploads at once (503).
    public func addUploadPage(database: RequestDatabase, workdir: URL, limits: UploadLimits = UploadLimits()) {
        UploadRoutes<Context>(database: database, workdir: workdir, limits: limits).register(on: router)
    }

    /// The parameter interface (`/stamp`): requests labelled WEB made from parameters through the
    /// request-file builder.
    public func addStampRequests(database: RequestDatabase, registry: DataStoreRegistry, workdir: URL, syncLimit: Double = 600) {
        StampRoutes<Context>(database: database, registry: registry, workdir: workdir, syncLimit: syncLimit).register(on: router)
    }

    /// The pages (`Pages/`): `/`, `/workload`, `/requests/<req_id>` and `/requests/<name>`, the request
    /// form `/request` (its requests are made as `/stamp`'s are) and the stylesheet.
    public func addPages(database: RequestDatabase, registry: DataStoreRegistry, workdir: URL) {
        PageRoutes<Context>(
            database: database, registry: registry, workdir: workdir,
            stamps: StampRoutes(database: database, registry: registry, workdir: workdir)
        )
        .register(on: router)
    }

    /// The Virtual Observatory face (`VO/`): SIA 2 at `/sia/query`, SODA at `/soda/sync` and
    /// `/soda/async` (UWS 1.1), DataLink at `/datalink/links`, VOSI and the registry record under `/vo`.
    public func addVO(database: RequestDatabase, registry: DataStoreRegistry, workdir: URL, site: VOSite) {
        let soda = SODARequests(database: database, registry: registry, workdir: workdir, site: site)
        VOSIRoutes<Context>(database: database, site: site).register(on: router)
        SIARoutes<Context>(database: database, site: site).register(on: router)
        DataLinkRoutes<Context>(database: database, site: site).register(on: router)
        SODASyncRoutes<Context>(soda: soda).register(on: router)
        UWSRoutes<Context>(soda: soda).register(on: router)
    }

    /// The JSON API under `/api/v1` (`API/openapi.yaml`, also served at `/api/v1/openapi.yaml`):
    /// submissions go through the upload page's intake (`limits` as there); `tokenRequired`: reads and
    /// submissions need a user token; `imageLabels`: the image databases' label tables by name, for the
    /// `ps_ud_` update labels. Operator actions need the admin token of `authentication`.
    public func addAPI(
        database: RequestDatabase, registry: DataStoreRegistry, workdir: URL, limits: UploadLimits = UploadLimits(),
        tokenRequired: Bool = false, imageLabels: [(name: String, catalog: any LabelCatalog)] = []
    ) throws {
        let api = PStampAPI(
            database: database, registry: registry, intake: RequestIntake(database: database, workdir: workdir), limits: limits,
            tokenRequired: tokenRequired, imageLabels: imageLabels, document: try PStampAPI.document())
        try api.register(on: router, logger: logger)
    }

    /// The application listening on `host:port` (port 0: any free port; `onServerRunning` gets the
    /// bound port). A connection that sends nothing for `idleTimeout` — half a header, a stalled body, an
    /// idle keep-alive — is closed (Hummingbird's HTTP/1 idle timeout; a request being answered is not).
    public func application(
        host: String = "127.0.0.1", port: Int = 8080, idleTimeout: Duration = .seconds(30),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    )
        -> some ApplicationProtocol
    {
        Application(
            router: router, server: .http1(configuration: .init(idleTimeout: .init(idleTimeout))),
            configuration: .init(address: .hostname(host, port: port), serverName: "pstamp"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
