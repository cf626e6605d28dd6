import DataStore
import Foundation
import Logging
import PStampCore
import RequestDB

/// `pstamp.request.run` as the IPP's `pstamp_parser_run.pl` runs it around the parser: the request's
/// output product is the product of the data store it came from (`ds_outProduct` of `-pendingreq`;
/// NULL → the site default, which the Parser applies), and a request file named by an `http(s)://`
/// URI — a polled data-store request — is downloaded (`dsget --timeout 120`: size and md5 checked
/// against its fileset index) into the request's work directory before the Parser reads it. A failed
/// download is a request fault: HTTP status − 300 (a 500 is 200, a 404 is 104), a timeout 6, anything
/// else 2; the request stays `new` and the request reverter retries it, so a remote store that fails
/// now and then costs a retry, never the request.
public struct ParserRun: PipelineTask {
    public let name = "pstamp.request.run"
    public let parser: Parser
    let client: DataStoreClient
    let logger: Logger

    public init(parser: Parser, client: DataStoreClient = DataStoreClient(),
                logger: Logger = Logger(label: "pstamp.parse")) {
        self.parser = parser
        self.client = client
        self.logger = logger
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        try parser.database.requests.pending(labels: parser.settings.labels, limit: limit).map { pending in
            WorkItem(key: "req:\(pending.request.reqID)", priority: Int(pending.priority)) {
                _ = try await self.run(pending)
            }
        }
    }

    /// Fetches the request's file when it is remote, then parses it; returns the request's new state
    /// (nil when it faulted).
    @discardableResult
    public func run(_ listed: PendingRequest) async throws -> RequestState? {
        // Read again: a pass that listed this request while an earlier run of it was finishing must not
        // parse it a second time (the scheduler only keeps two runs of one request from overlapping).
        guard let pending = try parser.database.requests.pending(reqID: listed.request.reqID).first else { return nil }
        var request = pending.request
        var change = RequestChange()
        if nonNull(request.outProduct) == nil, let product = nonNull(pending.dsOutProduct) {
            change.outProduct = product
            request.outProduct = product
        }
        if let uri = nonNull(request.uri), Self.isRemote(uri) {
            let outdir = URL(fileURLWithPath: nonNull(request.outdir)
                             ?? parser.settings.workdir.appendingPathComponent("\(UTC.dayPath(parser.now()))/\(request.reqID)").path)
            change.outdir = outdir.path
            request.outdir = outdir.path
            let local = outdir.appendingPathComponent(Self.fileName(of: uri, reqID: request.reqID))
            do {
                let got = try await client.downloadListedFile(uri, to: local)
                logger.info("request \(request.reqID): fetched \(uri) (\(got.bytes) bytes, md5 \(got.md5))")
            } catch {
                let fault = DataStoreClient.fault(of: error)
                logger.warning("request \(request.reqID): cannot fetch \(uri): \(error); request fault \(fault.rawValue), retried after revert")
                change.fault = fault.rawValue
                try update(request.reqID, change)
                return nil
            }
            change.uri = local.path
            request.uri = local.path
        }
        if !change.isEmpty { try update(request.reqID, change) }
        return try parser.parse(request)
    }

    /// An `http://` or `https://` URI (case-insensitive scheme).
    static func isRemote(_ uri: String) -> Bool {
        let lower = uri.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// The file's name in the work directory: the URI's last path segment (without a query), or
    /// `request.<req_id>.fits` when that is empty or could leave the directory.
    static func fileName(of uri: String, reqID: Int64) -> String {
        var path = Substring(uri)
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<query] }
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let name = last.removingPercentEncoding ?? last
        if name.isEmpty || name == "." || name == ".." || name.contains("/") || name.contains("\0") {
            return "request.\(reqID).fits"
        }
        return name
    }

    private func update(_ reqID: Int64, _ change: RequestChange) throws {
        var selector = RequestSelector()
        selector.reqID = reqID
        _ = try parser.database.requests.update(selector, change)
    }
}
