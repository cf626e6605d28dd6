import GRDB

extension RequestDatabase {
    /// Yields after every committed transaction, made through this `RequestDatabase`, that changed one of
    /// `tables`: how a web handler that wrote a request wakes the scheduler in the same process. Writes by
    /// other processes are not seen here; a worker polls for those. Buffers at most one wake-up.
    public func changes(of tables: [String] = ["pstampRequest", "pstampJob", "pstampDependent"]) -> AsyncStream<Void> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let observation = DatabaseRegionObservation(tracking: tables.map { Table($0) })
            let cancellable = observation.start(
                in: pool, onError: { _ in continuation.finish() },
                onChange: { _ in continuation.yield() })
            continuation.onTermination = { _ in cancellable.cancel() }
        }
    }
}
