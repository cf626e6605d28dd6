import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import OpenAPIHummingbird
import OpenAPIRuntime
import PStampCore

extension PStampAPI {
    /// The OpenAPI document shipped with the Web module.
    static func document() throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw PStampError(.sysError, "openapi.yaml is missing from the Web module's resources")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Puts the generated server on the router under `/api/v1`, with the caller's identity handed to
    /// the handlers, every refusal answered as a problem document and undeclared methods with 405.
    func register<Context: AuthRequestContext<RequestIdentity>>(on router: Router<Context>, logger: Logger) throws {
        let group = router.group().add(middleware: APICallerMiddleware<Context>())
        let transport = MethodRecordingTransport(group)
        try registerHandlers(
            on: transport, serverURL: URL(string: Self.base)!,
            middlewares: [APIProblemMiddleware(log: { logger.error("api: \($0)") })])
        try transport.answerOtherMethods()
    }
}
