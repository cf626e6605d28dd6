import DataStore
import Foundation
import Logging
import PStampCore
import RequestDB

/// `pstamp.queue.cleanup` (every 600 s): stopped requests older than PSTAMP_PRESERVE_DAYS go to
/// `goto_cleaned`.
public struct CleanupQueue: PipelineTask {
    public let name = "pstamp.queue.cleanup"
    let database: RequestDatabase
    let settings: PipelineSettings
    let now: @Sendable () -> Date

    public init(database: RequestDatabase, settings: PipelineSettings, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.settings = settings
        self.now = now
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        sweep { _ = try self.queue() }
    }

    /// Returns the number of requests queued for cleanup.
    public func queue() throws -> Int {
        let cutoff = now().addingTimeInterval(-Double(settings.preserveDays) * 86_400)
        var selector = RequestSelector()
        selector.state = .stop
        selector.timestampEnd = MetadataTime(cutoff)
        selector.labels = settings.labels
        return try database.requests.update(selector, RequestChange(state: .gotoCleaned))
    }
}

/// `pstamp.cleanup.run` (pstamp_cleanup.pl): for each `goto_cleaned` request, removes its results
/// fileset from the outgoing data store, the files its jobs wrote outside the work directory, and the
/// work directory, then sets it `cleaned`. The pstampJob and pstampDependent rows are kept. A failure
/// faults the request (state unchanged) for the reverter to retry.
public struct Cleaner: PipelineTask {
    public let name = "pstamp.cleanup.run"
    let database: RequestDatabase
    let registry: DataStoreRegistry
    let settings: PipelineSettings
    let logger: Logger

    public init(
        database: RequestDatabase, registry: DataStoreRegistry, settings: PipelineSettings,
        logger: Logger = Logger(label: "pstamp.cleanup")
    ) {
        self.database = database
        self.registry = registry
        self.settings = settings
        self.logger = logger
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        try database.requests.pendingCleanup(labels: settings.labels, limit: limit).map { pending in
            WorkItem(key: "req:\(pending.request.reqID)", priority: Int(pending.priority)) {
                try self.clean(pending.request)
            }
        }
    }

    /// Cleans one request; returns false if it was no longer `goto_cleaned`.
    @discardableResult
    public func clean(_ request: RequestRecord) throws -> Bool {
        do {
            try removeFileset(request)
            try removeOutsideFiles(request)
            try removeWorkDirectory(request)
            return try database.requests.transition(reqID: request.reqID, from: .gotoCleaned, to: .cleaned)
        } catch {
            let code = (error as? PStampError)?.code ?? .sysError
            logger.error("cleanup of request \(request.reqID) failed: \(error)")
            var selector = RequestSelector()
            selector.reqID = request.reqID
            selector.state = .gotoCleaned
            var change = RequestChange()
            change.fault = code == .success ? .sysError : code
            _ = try database.requests.update(selector, change)
            throw error
        }
    }

    private func removeFileset(_ request: RequestRecord) throws {
        guard let product = nonNull(request.outProduct), let name = nonNull(request.name) else { return }
        try registry.delete(product: product, fileset: name, removeFiles: true, force: true)
    }

    private func removeOutsideFiles(_ request: RequestRecord) throws {
        for row in try database.files.list(reqID: request.reqID) {
            guard case .str(let path?) = row["path"] else { continue }
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        }
    }

    /// The stored outdir; else the directory of the request file if it lies under the work directory;
    /// else every directory named `<req_id>` up to three levels under it (`YYYY/MM/DD/<req_id>`).
    private func removeWorkDirectory(_ request: RequestRecord) throws {
        let fm = FileManager.default
        let root = settings.workdir.standardizedFileURL.path
        var candidates: [String] = []
        if let outdir = nonNull(request.outdir) {
            candidates = [outdir]
        } else if let uri = nonNull(request.uri),
            URL(fileURLWithPath: uri).deletingLastPathComponent().standardizedFileURL.path.hasPrefix(root + "/")
        {
            candidates = [URL(fileURLWithPath: uri).deletingLastPathComponent().path]
        } else if let enumerator = fm.enumerator(atPath: root) {
            let id = String(request.reqID)
            while let path = enumerator.nextObject() as? String {
                let depth = path.split(separator: "/").count
                if depth > 4 { enumerator.skipDescendants(); continue }
                if (path as NSString).lastPathComponent == id { candidates.append(root + "/" + path) }
            }
        }
        for dir in candidates where fm.fileExists(atPath: dir) {
            try fm.removeItem(atPath: dir)
        }
    }
}

func nonNull(_ s: String?) -> String? {
    guard let s, !s.isEmpty, s != "NULL" else { return nil }
    return s
}
