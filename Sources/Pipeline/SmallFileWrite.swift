import Foundation

/// Small work files (a job's parameters, its registration list) written whole or not at all: to a
/// temporary name beside the file, then renamed over it. A process killed at any moment leaves the old
/// file or the new one, never half of one. Unlike `Data.write(options: .atomic)` nothing is flushed to
/// the disk (no fsync per file): the request database's commit that follows decides what counts, and a
/// job or parse found unfinished after a restart writes its files again.
enum SmallFileWrite {
    static func write(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        try data.write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path, NSLocalizedDescriptionKey: reason])
        }
    }
}
