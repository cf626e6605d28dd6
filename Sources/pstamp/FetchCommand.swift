import ArgumentParser
import DataStore
import Foundation
import PStampCore

/// `pstamp fetch REQ_NAME --server URL --outdir DIR`: downloads a request's results fileset from a
/// PStamp server or any IPP-style data store, checking every file's size and md5 sum.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download a results fileset (named after the request's REQ_NAME), checking every md5 sum.",
        discussion: """
            The fileset is looked up as <server>/ds/<product>/<REQ_NAME>/index.txt; without --product every \
            product of the root index is tried. Exit status: 0 when every file arrived intact; HTTP status − 300 \
            for an HTTP failure (404 → 104, 500 → 200), as the IPP's dsget; 5 for a size or md5 mismatch.
            """)

    @Argument(help: "The request name (REQ_NAME), which is the results fileset's name.") var reqName: String
    @Option(help: "The server or data store, e.g. http://host:8080 or http://host/ds.") var server: String
    @Option(help: "The directory to write the files to (created if missing).") var outdir: String
    @Option(help: "The product holding the fileset (default: search every product).") var product: String?
    @Option(help: "Seconds allowed for each transfer.") var timeout: Double = 120
    @Option(
        help: "An API token (from the operator's pstamptool -adduser; default $PSTAMP_TOKEN): needed for results only their owner may read."
    )
    var token: String?

    /// The Authorization header line for `token` (or $PSTAMP_TOKEN), if any.
    static func authorization(_ token: String?) -> [String] {
        guard let token = token ?? ProcessInfo.processInfo.environment["PSTAMP_TOKEN"], !token.isEmpty else { return [] }
        return ["Authorization: Bearer \(token)"]
    }

    /// `<server>/ds`, whether or not the URL already ends in `/ds`.
    static func dataStoreBase(_ server: String) -> String {
        var base = server
        while base.hasSuffix("/") { base.removeLast() }
        return base.hasSuffix("/ds") ? base : base + "/ds"
    }

    func run() async throws {
        var client = DataStoreClient(indexTimeout: timeout, downloadTimeout: timeout)
        client.headers = Self.authorization(token)
        let base = Self.dataStoreBase(server)
        let directory = URL(fileURLWithPath: outdir, isDirectory: true)
        do {
            let filesetURI = try await Self.locate(base: base, reqName: reqName, product: product, client: client)
            try await Self.download(filesetURI, into: directory, client: client)
        } catch let error as HTTPTransferError {
            throw fail("pstamp fetch: \(error)", code: Int32(clamping: error.fault.rawValue))
        } catch let error as PStampError {
            throw fail("pstamp fetch: \(error.message)", code: Int32(error.code.rawValue))
        }
    }

    /// Downloads a fileset checking every size and md5 sum, and says what arrived.
    static func download(_ filesetURI: String, into directory: URL, client: DataStoreClient) async throws {
        let files = try await client.fetchFileset(filesetURI: filesetURI, into: directory)
        var total: Int64 = 0
        for file in files {
            total += file.entry.bytes
            print("\(file.name)  \(file.entry.bytes) bytes  md5 \(file.entry.md5 ?? "(not listed)")")
        }
        let checked = files.filter { $0.entry.md5 != nil }.count
        print(
            "\(files.count) file(s), \(total) bytes from \(filesetURI) into \(directory.path); "
                + "\(checked) md5 sum(s) checked, all match")
    }

    /// The fileset's URI: in `--product`, or in the first product of the root index that lists it.
    static func locate(base: String, reqName: String, product: String?, client: DataStoreClient) async throws -> String {
        if let product { return DataStoreClient.join(DataStoreClient.join(base, product), reqName) }
        let root = String(
            decoding: try await CurlTransfer.get(
                DataStoreClient.join(base, "index.txt"), timeout: client.indexTimeout,
                headers: client.headers),
            as: UTF8.self)
        for product in DataStoreIndexParser.products(root).entries {
            let uri = DataStoreClient.join(DataStoreClient.join(base, product.name), reqName)
            do {
                _ = try await client.files(filesetURI: uri)
                return uri
            } catch let error as HTTPTransferError where error.httpStatus == 404 {
                continue
            }
        }
        throw HTTPTransferError.status(404, url: "\(base)/*/\(reqName)/index.txt", body: "no product holds fileset \(reqName)")
    }
}
