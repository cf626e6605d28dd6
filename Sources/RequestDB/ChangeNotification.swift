import Foundation
import GRDB

/// A table family of the request database whose changes wake the pipeline.
/// The raw values are the IPP table names.
public enum RequestDBTable: String, Sendable, Hashable, CaseIterable {
    case request = "pstampRequest"
    case job = "pstampJob"
    case dependent = "pstampDependent"
    case label = "Label"
    case dataStore = "pstampDataStore"
}

/// The change notification of the request database: every committed transaction that wrote one of the
/// pipeline's tables is posted to every subscriber, as the set of tables it touched.
///
/// A web handler (or any writer in this process) writes a row through a `DatabaseWriter` that has this
/// notifier attached, and the scheduler wakes the tasks that care at once, instead of waiting for its
/// next periodic pass. Writers in other processes (e.g. `pstamptool -addreq`) are picked up by the
/// periodic pass.
public final class RequestDBChanges: @unchecked Sendable {
    private let lock = NSLock()
    private var subscribers: [UUID: AsyncStream<Set<RequestDBTable>>.Continuation] = [:]
    private var observer: CommitObserver?

    public init() {}

    /// Attaches to `writer`: from now on every commit that touched a pipeline table is posted.
    public convenience init(observing writer: any DatabaseWriter) throws {
        self.init()
        try attach(to: writer)
    }

    /// Attaches the notifier to a database writer (a `DatabaseQueue` or `DatabasePool`).
    public func attach(to writer: any DatabaseWriter) throws {
        let observer = CommitObserver { [weak self] tables in self?.post(tables) }
        try writer.write { db in db.add(transactionObserver: observer, extent: .observerLifetime) }
        lock.withLock { self.observer = observer }
    }

    /// Posts a change by hand (for writes that bypass an attached writer).
    public func post(_ tables: Set<RequestDBTable>) {
        guard !tables.isEmpty else { return }
        let continuations = lock.withLock { Array(subscribers.values) }
        for continuation in continuations { continuation.yield(tables) }
    }

    /// A stream of change sets. Only the newest few are buffered: a slow subscriber learns that
    /// something changed, which is all a scheduler needs.
    public func subscribe() -> AsyncStream<Set<RequestDBTable>> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Set<RequestDBTable>>.makeStream(
            bufferingPolicy: .bufferingNewest(16))
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            _ = self.lock.withLock { self.subscribers.removeValue(forKey: id) }
        }
        lock.withLock { subscribers[id] = continuation }
        return stream
    }

    /// The number of live subscribers (for tests and status).
    public var subscriberCount: Int { lock.withLock { subscribers.count } }
}

/// GRDB transaction observer collecting the tables a transaction wrote, posted on commit.
private final class CommitObserver: TransactionObserver, @unchecked Sendable {
    private static let tableNames: [String: RequestDBTable] = Dictionary(
        uniqueKeysWithValues: RequestDBTable.allCases.map { ($0.rawValue.lowercased(), $0) })
    private let onCommit: @Sendable (Set<RequestDBTable>) -> Void
    private var touched: Set<RequestDBTable> = []

    init(onCommit: @escaping @Sendable (Set<RequestDBTable>) -> Void) { self.onCommit = onCommit }

    private static func table(_ name: String) -> RequestDBTable? { tableNames[name.lowercased()] }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        switch eventKind {
        case .insert(let name), .delete(let name), .update(let name, _): return Self.table(name) != nil
        }
    }

    func databaseDidChange(with event: DatabaseEvent) {
        if let table = Self.table(event.tableName) { touched.insert(table) }
    }

    func databaseDidCommit(_ db: Database) {
        let tables = touched
        touched = []
        if !tables.isEmpty { onCommit(tables) }
    }

    func databaseDidRollback(_ db: Database) { touched = [] }
}
