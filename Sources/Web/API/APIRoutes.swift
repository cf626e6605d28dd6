import DataStore
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import OpenAPIHummingbird
import OpenAPIRuntime
import PStampCore
import RequestDB

/// Puts the generated API server on the router under `/api/v1`, with the caller's identity handed to
/// the handlers and every refusal answered as a problem document.
struct APIRoutes: Sendable {
    let database: RequestDatabase
    let registry: DataStoreRegistry
    let workdir: URL
    let limits: UploadLimits
    let tokenRequired: Bool
    let imageLabels: [(name: String, catalog: any LabelCatalog)]

    /// The OpenAPI document shipped with the Web module.
    static func document() throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw PStampError(.sysError, "openapi.yaml is missing from the Web module's resources")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    func register<Context: AuthRequestContext<RequestIdentity>>(on router: Router<Context>, logger: Logger) throws {
        let api = PStampAPI(
            database: database, registry: registry, intake: RequestIntake(database: database, workdir: workdir), limits: limits,
            tokenRequired: tokenRequired, imageLabels: imageLabels, document: try Self.document())
        let group = router.group().add(middleware: APICallerMiddleware<Context>())
        let transport = MethodRecordingTransport(group)
        try api.registerHandlers(
            on: transport, serverURL: URL(string: PStampAPI.base)!,
            middlewares: [APIProblemMiddleware(log: { logger.error("api: \($0)") })])
        try transport.answerOtherMethods()
    }
}
