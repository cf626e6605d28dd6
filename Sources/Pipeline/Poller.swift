import DataStore
import Foundation
import Logging
import PStampCore
import RequestDB

/// Polls the incoming data stores for request filesets (the IPP's `pstamp_queue_requests.pl`,
/// server-internals §8.1 and formats-and-cutouts §5.4).
///
/// For each enabled store whose pollInterval has passed (a store never polled is due at once):
/// read `<uri>/index.txt?<lastFileset>`, then for each new fileset (at most `filesetLimit` per pass)
/// read its file list and record one request per file, whatever its type, with the store's ds_id
/// and label. `lastFileset` advances per fileset in the same transaction as that fileset's
/// requests. HTTP 404 or 500 on the index (the remote's common failures) only move the timestamp;
/// so does any other failure, which is logged, and the other stores are still polled. Index lines
/// the IPP client rules leave out are logged as warnings.
public struct Poller: Sendable {
    public let stores: IncomingDataStoreStore
    public let client: DataStoreClient
    public let filesetLimit: Int
    let logger: Logger

    public init(
        database: RequestDatabase, client: DataStoreClient = DataStoreClient(), filesetLimit: Int = 5,
        logger: Logger = Logger(label: "pstamp.poller")
    ) {
        self.stores = database.incomingDataStores
        var client = client
        if client.onSkippedLines == nil {
            // A line the IPP client rules leave out is not silently lost: the operator reads why.
            client.onSkippedLines = { url, skipped in
                for skip in skipped { logger.warning("\(url): line \(skip.line) left out: \(skip.reason)") }
            }
        }
        self.client = client
        self.filesetLimit = max(1, filesetLimit)
        self.logger = logger
    }

    /// What one poll of one store did.
    public struct StoreResult: Sendable, Equatable {
        public var dsID: Int64
        /// Filesets taken, in order.
        public var filesets: [String] = []
        /// Requests added, in order.
        public var requests: [Int64] = []
        /// Why the poll stopped early, if it did (HTTP status or transport failure).
        public var failure: String?
        /// The fault the IPP tools would have exited with (HTTP status − 300, …).
        public var fault: PStampCode?
    }

    /// The stores due for a poll now.
    public func dueStores() throws -> [IncomingDataStoreRecord] {
        try stores.list(ready: true)
    }

    /// Polls every due store once, one after the other.
    @discardableResult
    public func pollDue() async throws -> [StoreResult] {
        var results: [StoreResult] = []
        for store in try dueStores() { results.append(await poll(store)) }
        return results
    }

    /// Polls one store.
    public func poll(_ store: IncomingDataStoreRecord) async -> StoreResult {
        var result = StoreResult(dsID: store.dsID)
        guard let uri = store.uri, !uri.isEmpty else {
            result.failure = "data store \(store.dsID) has no uri"
            logger.error("\(result.failure!)")
            touch(store.dsID)
            return result
        }
        var last = store.lastFileset.flatMap { $0.isEmpty || $0 == "NULL" ? nil : $0 }
        let listed: [DataStoreClient.RemoteFileset]
        do {
            listed = try await client.filesets(productURI: uri, after: last)
        } catch {
            fail(&result, error, store: store, what: "index")
            touch(store.dsID)
            return result
        }
        // A plain static server ignores `?<lastFileset>` and lists everything: skip what was taken.
        var fresh = listed
        if let last, let i = listed.firstIndex(where: { $0.name == last }) { fresh = Array(listed[(i + 1)...]) }
        if fresh.isEmpty {
            touch(store.dsID)
            return result
        }
        for fileset in fresh.prefix(filesetLimit) {
            let files: [DataStoreClient.RemoteFile]
            do {
                files = try await client.files(filesetURI: fileset.uri)
            } catch {
                fail(&result, error, store: store, what: "fileset \(fileset.name)")
                touch(store.dsID)
                return result
            }
            do {
                guard
                    let ids = try stores.recordFileset(
                        dsID: store.dsID, previous: last, fileset: fileset.name,
                        requestURIs: files.map(\.uri), label: store.label)
                else {
                    logger.info("data store \(store.dsID): fileset \(fileset.name) was taken by another poller")
                    return result
                }
                result.filesets.append(fileset.name)
                result.requests += ids
                last = fileset.name
                logger.info("data store \(store.dsID): fileset \(fileset.name) -> \(ids.count) request(s) \(ids)")
            } catch {
                fail(&result, error, store: store, what: "recording fileset \(fileset.name)")
                return result
            }
        }
        return result
    }

    private func fail(_ result: inout StoreResult, _ error: Error, store: IncomingDataStoreRecord, what: String) {
        result.failure = "\(error)"
        result.fault = DataStoreClient.fault(of: error)
        PipelineMetrics.pollFailed(result.fault)
        if let status = (error as? HTTPTransferError)?.httpStatus, status == 404 || status == 500 {
            // The common failures (a busy remote, a lastFileset deleted on the remote side).
            logger.warning("data store \(store.dsID) \(store.uri ?? ""): \(what): \(error); will retry")
        } else {
            logger.error("data store \(store.dsID) \(store.uri ?? ""): \(what): \(error)")
        }
    }

    private func touch(_ dsID: Int64) {
        do { try stores.touch(dsID: dsID) } catch { logger.error("data store \(dsID): cannot update timestamp: \(error)") }
    }
}
