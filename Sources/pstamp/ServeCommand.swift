import ArgumentParser
import DataStore
import Foundation
import Logging
import Pipeline
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
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The HTTP port (0: any free port, printed at start).") var port = 8080
    @Option(help: "Seconds between looks for incoming data stores due for a poll (0: never poll).")
    var pollEvery = 10

    /// What every service of the server shares.
    struct Server: Sendable {
        let database: RequestDatabase
        let registry: DataStoreRegistry
        let logger: Logger
    }

    func run() async throws {
        var logger = Logger(label: "pstamp.serve")
        logger.logLevel = .info
        let database = try data.openDatabase()
        let server = Server(database: database, registry: try data.registry(database), logger: logger)
        let services = makeServices(server)
        logger.info("request database \(database.path) (schema \(database.version)); data store \(data.dataStoreRoot.path)")
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        try await group.run()
    }

    /// The server's services. Each part of PStamp adds its own here.
    func makeServices(_ server: Server) -> [any Service] {
        let web = WebApplication(logger: server.logger)
        web.addDataStore(server.registry)
        web.addUploadPage(database: server.database, workdir: data.workDirectory)
        web.addStampRequests(database: server.database, registry: server.registry, workdir: data.workDirectory)
        let logger = server.logger
        let host = host
        let application = web.application(host: host, port: port) { bound in
            logger.info("serving http://\(host):\(bound)/ds/")
        }
        var services: [any Service] = [application]
        if pollEvery > 0 {
            let poller = Poller(database: server.database, logger: Logger(label: "pstamp.poller"))
            services.append(PeriodicService(name: "poller", period: .seconds(pollEvery), logger: logger) {
                try await poller.pollDue()
            })
        }
        return services
    }
}
