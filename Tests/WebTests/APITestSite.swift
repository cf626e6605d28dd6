import DataStore
import FITS
import Foundation
import Hummingbird
import HummingbirdTesting
import PStampCore
import RequestDB
import Testing
import Web

/// A request database, a data store and the JSON API on Hummingbird's test client, with an admin
/// token and one user's token.
struct APITestSite {
    static let adminToken = "operator-secret-token"
    let directory: URL
    let database: RequestDatabase
    let registry: DataStoreRegistry
    let userToken: String
    var workdir: URL { directory.appendingPathComponent("work") }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = try RequestDatabase.open(path: directory.appendingPathComponent("requestdb.sqlite").path, mode: .createOrMigrate)
        registry = DataStoreRegistry(root: directory.appendingPathComponent("ds"), store: OutgoingDataStoreStore(database.pool))
        try database.access.addUser("vip", domain: "example.org", AccessStore.Defaults(accessLevel: 2))
        userToken = try database.tokens.issue(user: "vip", domain: "example.org").token
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    func test(
        tokenRequired: Bool = false, imageLabels: [(name: String, catalog: any LabelCatalog)] = [],
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let web = WebApplication(
            authentication: WebAuthentication(tokens: database.tokens, admin: AdminToken(Self.adminToken)))
        try web.addAPI(
            database: database, registry: registry, workdir: workdir, tokenRequired: tokenRequired, imageLabels: imageLabels)
        try await web.application().test(.router) { client in try await body(client) }
    }

    /// A one-row request FITS file named `name`.
    func requestFile(name: String) throws -> Data {
        let path = directory.appendingPathComponent("req-\(UUID().uuidString).fits").path
        try RequestFile.write(
            header: RequestHeader(reqName: name, version: 2, action: "PROCESS", email: "someone@example.org"),
            rows: [Self.row], to: path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    static let row = RawRequestRow([
        "ROWNUM": .integer(1), "PROJECT": .text("gpc1"), "JOB_TYPE": .text("stamp"), "REQ_TYPE": .text("bycoord"),
        "IMG_TYPE": .text("warp"), "COORD_MASK": .integer(2), "CENTER_X": .real(10), "CENTER_Y": .real(20),
        "WIDTH": .integer(50), "HEIGHT": .integer(50), "OPTION_MASK": .integer(1),
    ])

    /// Adds a request directly (as pstamptool -addreq) in `state`, with `jobs` jobs in state `run`.
    @discardableResult
    func addRequest(name: String, state: RequestState = .new, jobs: Int = 0, fault: PStampCode = .success) throws -> Int64 {
        let reqID = try database.requests.add(NewRequest(uri: "/nowhere/\(name).fits", name: name, label: "WEB.UP"))
        for row in 0..<jobs {
            var job = NewJob(reqID: reqID, rownum: String(row + 1), outputBase: "out\(row)", state: .run, fault: fault)
            job.expID = 1
            _ = try database.jobs.add(job)
        }
        var selector = RequestSelector()
        selector.reqID = reqID
        if state != .new {
            var change = RequestChange()
            change.state = state
            _ = try database.requests.update(selector, change)
        }
        return reqID
    }

    /// The JSON object of a response body.
    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any], "\(String(buffer: response.body))")
    }

    static func headers(token: String?, type: String? = nil) -> HTTPFields {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        if let type { fields[.contentType] = type }
        return fields
    }
}
