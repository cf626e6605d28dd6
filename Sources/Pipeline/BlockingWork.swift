import Dispatch

/// Blocking work (cfitsio, file copies, the request database's synchronous calls) on threads of its own,
/// awaited without holding one of Swift's cooperative threads, so the web handlers sharing that pool
/// stay responsive while the pipeline works.
enum BlockingWork {
    static let queue = DispatchQueue(label: "pstamp.blocking", qos: .utility, attributes: .concurrent)

    /// Runs `body` on the blocking queue and returns (or throws) what it does.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
