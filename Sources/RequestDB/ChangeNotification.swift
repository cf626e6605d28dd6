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

    /// Yields once at once, then after every committed change to `tables` made through this
    /// `RequestDatabase`, and at least every `interval` (for writes by other processes, which are not
    /// observed): how a waiter for one row's change learns of it without polling between changes.
    /// Buffers at most one wake-up; ends when the iterating task is cancelled.
    public func wakeUps(onChangesOf tables: [String], orEvery interval: Duration) -> AsyncStream<Void> {
        let changes = changes(of: tables)
        return AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            continuation.yield()
            let forward = Task {
                for await _ in changes { continuation.yield() }
            }
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    continuation.yield()
                }
            }
            continuation.onTermination = { _ in
                forward.cancel()
                ticker.cancel()
            }
        }
    }
}
