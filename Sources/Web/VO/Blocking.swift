import NIOPosix

/// Blocking work of a web handler (image database reads, cfitsio, file copies) on NIO's blocking
/// thread pool, so it never holds a thread of Swift's cooperative pool next to the HTTP handlers.
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
