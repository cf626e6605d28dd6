import DataStore
import Foundation
import Hummingbird
import HummingbirdTesting
import PStampCore

/// A remote IPP-style data store for tests: a real HTTP server on 127.0.0.1 serving products,
/// filesets and files in the IPP layout (`/ds/<product>/index.txt[?<fileset>]`,
/// `/ds/<product>/<fileset>/index.txt`, `/ds/<product>/<fileset>/<file>`), and, on demand, answering
/// a path with HTTP 500, 404, or slowly.
public actor LoopbackDataStore {
    /// A file of a fileset; `listedMD5` and `listedBytes` make the index lie about it.
    public struct File: Sendable {
        public var name: String
        public var data: Data
        public var type: String
        public var listedMD5: String?
        public var listedBytes: Int64?
        public init(name: String, data: Data, type: String, listedMD5: String? = nil, listedBytes: Int64? = nil) {
            self.name = name
            self.data = data
            self.type = type
            self.listedMD5 = listedMD5
            self.listedBytes = listedBytes
        }
    }
    public struct Fileset: Sendable {
        public var name: String
        public var type: String
        public var registered: Date
        public var files: [File]
        public init(name: String, type: String, registered: Date, files: [File]) {
            self.name = name
            self.type = type
            self.registered = registered
            self.files = files
        }
    }
    public enum Misbehaviour: Sendable { case status(Int), slow(seconds: Double), body(String) }

    private var products: [String: [Fileset]] = [:]
    private var misbehaviours: [String: Misbehaviour] = [:]
    /// A plain static server ignores `?<fileset>` and lists everything.
    public private(set) var ignoresCursor = false
    public private(set) var requests: [String] = []

    public init() {}

    public func addProduct(_ name: String) { products[name, default: []] = products[name] ?? [] }
    public func addFileset(_ product: String, _ fileset: Fileset) { products[product, default: []].append(fileset) }
    public func removeFileset(_ product: String, _ name: String) { products[product]?.removeAll { $0.name == name } }
    public func misbehave(_ path: String, _ how: Misbehaviour?) { misbehaviours[path] = how }
    public func setIgnoresCursor(_ value: Bool) { ignoresCursor = value }
    public func clearRequests() { requests = [] }

    func respond(path: String, query: String?) async -> (status: Int, body: Data, delay: Double) {
        requests.append(query.map { "\(path)?\($0)" } ?? path)
        var delay = 0.0
        switch misbehaviours[path] {
        case .status(let s): return (s, Data("failing on purpose\n".utf8), 0)
        case .body(let text): return (200, Data(text.utf8), 0)
        case .slow(let seconds): delay = seconds
        case nil: break
        }
        let parts = path.split(separator: "/").map(String.init)
        guard parts.first == "ds" else { return (404, Data(), delay) }
        if parts.count == 3, parts[2] == "index.txt", let list = products[parts[1]] {
            var shown = list
            if let cursor = query, !cursor.isEmpty, !ignoresCursor {
                guard let i = list.firstIndex(where: { $0.name == cursor }) else { return (404, Data(), delay) }
                shown = Array(list[(i + 1)...])
            }
            let text = try! DataStoreIndex.productText(
                labels: [],
                filesets: shown.map {
                    .init(name: $0.name, registered: $0.registered, type: $0.type)
                })
            return (200, Data(text.utf8), delay)
        }
        if parts.count == 4, let fs = products[parts[1]]?.first(where: { $0.name == parts[2] }) {
            if parts[3] == "index.txt" {
                let text = DataStoreIndex.filesetText(
                    fs.files.map {
                        .init(
                            name: $0.name, bytes: $0.listedBytes ?? Int64($0.data.count),
                            md5: $0.listedMD5 ?? MD5.hex($0.data), type: $0.type)
                    })
                return (200, Data(text.utf8), delay)
            }
            if let file = fs.files.first(where: { $0.name == parts[3] }) { return (200, file.data, delay) }
        }
        return (404, Data(), delay)
    }

    /// Runs `body` with the store listening on loopback; the argument is `http://127.0.0.1:<port>`.
    public func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.get("**") { [self] request, _ -> Response in
            let answer = await self.respond(path: request.uri.path, query: request.uri.query)
            if answer.delay > 0 { try await Task.sleep(for: .milliseconds(Int(answer.delay * 1000))) }
            return Response(
                status: .init(code: answer.status),
                headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
    }
}
