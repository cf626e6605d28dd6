import Foundation
import Testing

/// schemathesis (PyPI; `make deps` installs it) against the OpenAPI document the real `pstamp serve`
/// serves at /api/v1/openapi.yaml, on the fixture sky, with the admin token so the operator actions
/// are exercised too: every generated call must conform to the document (status codes, content types,
/// response schemas, 405 for undeclared methods, 401 without the token…), with no failure.
@Suite(.serialized) struct SchemathesisTests {
    static let adminToken = "schemathesis-admin-token"
    static var config: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Schemathesis/schemathesis.toml")
    }

    @Test(.timeLimit(.minutes(5))) func theServedAPIConformsToItsOpenAPIDocument() async throws {
        let site = try ServedSite()
        site.serveEnvironment = ["PSTAMP_ADMIN_TOKEN": Self.adminToken]
        try await site.start()
        defer { site.stop() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "schemathesis", "--config-file", Self.config.path, "run", "\(site.base)/api/v1/openapi.yaml",
            "--url", "\(site.base)/api/v1", "--max-examples", "20", "--seed", "1",
            "-H", "Authorization: Bearer \(Self.adminToken)", "--no-color",
        ]
        process.currentDirectoryURL = site.root
        var environment = ProcessInfo.processInfo.environment
        environment["SCHEMATHESIS_HOOKS"] = nil
        process.environment = environment
        let (status, output) = try process.runForOutput()
        #expect(status == 0, "schemathesis failed (install it with `make deps`):\n\(output)\n\(site.log.text.suffix(4000))")
        #expect(output.contains(" passed"), "\(output)")
        #expect(!output.contains("failures"), "\(output)")
    }
}
