import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import Synchronization

/// The limits of the upload page (`pstamp serve` settings `max_upload_bytes`, `max_uploads`): the
/// largest request file (413 beyond) and how many uploads may stream to disk at once (503 with
/// Retry-After beyond), so a crowd of large uploads can neither fill the memory nor the disk's bandwidth.
public struct UploadLimits: Sendable {
    /// The largest request file accepted, in bytes.
    public var maxBytes: Int
    /// Uploads received at the same time.
    public var maxConcurrent: Int
    /// Seconds a refused client is told to wait: an upload holds its place for moments, so 2 s.
    public var retryAfter: Int

    public static let defaultMaxBytes = 64 << 20
    public static let defaultMaxConcurrent = 4

    public init(maxBytes: Int = defaultMaxBytes, maxConcurrent: Int = defaultMaxConcurrent, retryAfter: Int = 2) {
        self.maxBytes = max(1, maxBytes)
        self.maxConcurrent = max(1, maxConcurrent)
        self.retryAfter = max(1, retryAfter)
    }
}

/// Counts the uploads under way; `enter` refuses past the cap.
final class UploadGate: Sendable {
    let limit: Int
    private let active = NIOLockedValueBox(0)

    init(limit: Int) { self.limit = limit }

    func enter() -> Bool {
        active.withLockedValue { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func leave() { active.withLockedValue { $0 -= 1 } }
}

/// A request body that stops with `BodyTooLarge` once more than `limit` bytes arrived: the upload is
/// streamed to disk chunk by chunk and never held whole in memory.
struct LimitedBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer
    let base: Base
    let limit: Int
    /// Set once the body passed `limit`. The sequence then ends early instead of throwing, because a
    /// file writer wraps what its sequence throws (a body without Content-Length would answer 500).
    let overflow = Overflow()

    /// What the route throws once `overflow` says the body was too large.
    struct BodyTooLarge: Error {}

    final class Overflow: Sendable {
        private let flag = Atomic<Bool>(false)
        var happened: Bool { flag.load(ordering: .acquiring) }
        func record() { flag.store(true, ordering: .releasing) }
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let limit: Int
        let overflow: Overflow
        var seen = 0
        mutating func next() async throws -> ByteBuffer? {
            guard !overflow.happened, let chunk = try await base.next() else { return nil }
            seen += chunk.readableBytes
            if seen > limit {
                overflow.record()
                return nil
            }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit, overflow: overflow)
    }
}

/// Whether a failed write means the disk (or the user's quota) is full: the error says so
/// (ENOSPC, EDQUOT), or the directory's file system has next to no room left.
enum DiskFull {
    static func explains(_ error: Error, at directory: URL) -> Bool {
        let text = String(reflecting: error)
        for sign in ["No space left", "ENOSPC", "Disk quota", "EDQUOT", "SQLITE_FULL", "database or disk is full"] where text.contains(sign)
        {
            return true
        }
        var stats = statvfs()
        guard statvfs(directory.path, &stats) == 0 else { return false }
        return UInt64(stats.f_bavail) * UInt64(stats.f_frsize) < 64 * 1024
    }
}
