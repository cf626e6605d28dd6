import Dispatch

/// Blocking work (cfitsio, file copies, processes, the request database's synchronous calls) on threads
/// of its own, so the web handlers sharing Swift's cooperative pool stay responsive while the pipeline
/// works. The scheduler runs every work item with `executor` as its task executor preference, so the
/// synchronous parts of an item never hold a cooperative thread; `run` hands one closure to those threads.
enum BlockingWork {
    static let queue = DispatchQueue(label: "pstamp.blocking", qos: .utility, attributes: .concurrent)
    static let executor = BlockingExecutor()

    /// Runs `body` on the blocking queue and returns (or throws) what it does.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// A task executor running its jobs on `BlockingWork.queue`.
final class BlockingExecutor: TaskExecutor {
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        BlockingWork.queue.async { job.runSynchronously(on: executor) }
    }
}
