import Cutout
import Foundation

/// Blocking work (cfitsio, file copies, processes, the request database's synchronous calls) on threads
/// of its own, so the web handlers sharing Swift's cooperative pool stay responsive while the pipeline
/// works. The scheduler runs every work item (and every pending query) with `executor` as its task
/// executor preference, so the synchronous parts never hold a cooperative thread; `run` hands one closure
/// to those threads. The threads run at a lower CPU priority (nice +5) than the web server's: on a
/// machine whose cores the pipeline keeps busy, a `/ds` listing is still answered at once.
enum BlockingWork {
    static let executor = BlockingExecutor(threads: max(8, 2 * ProcessInfo.processInfo.activeProcessorCount))

    /// Runs `body` on the blocking threads and returns (or throws) what it does.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            executor.submit { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// A task executor with a fixed set of lower-priority threads taking its jobs in order.
final class BlockingExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [@Sendable () -> Void] = []

    init(threads: Int) {
        for index in 0..<threads {
            NicedThread.start(name: "pstamp.blocking.\(index)", nice: 5) { [self] in work() }
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        submit { job.runSynchronously(on: executor) }
    }

    func submit(_ body: @escaping @Sendable () -> Void) {
        condition.lock()
        queue.append(body)
        condition.signal()
        condition.unlock()
    }

    private func work() -> Never {
        while true {
            condition.lock()
            while queue.isEmpty { condition.wait() }
            let body = queue.removeFirst()
            condition.unlock()
            body()
        }
    }
}
