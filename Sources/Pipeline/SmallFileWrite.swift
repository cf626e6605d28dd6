import Foundation

/// Small work files (a job's parameters, its registration list) written whole or not at all: to a
/// temporary name beside the file with plain POSIX writes, then renamed over it. A process killed at any
/// moment leaves the old file or the new one, never half of one. Nothing is flushed to the disk:
/// Foundation's `Data.write` calls fsync for every file (atomic or not), which made the parse and the
/// job runs wait on the disk once per job; the request database's commit that follows decides what
/// counts, and a job or parse found unfinished after a restart writes its files again.
enum SmallFileWrite {
    static func write(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("create", temporary) }
        let written = data.withUnsafeBytes { bytes -> Bool in
            var done = 0
            while done < bytes.count {
                let n = Foundation.write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                done += n
            }
            return true
        }
        let error = written ? nil : failure("write", temporary)
        guard close(fd) == 0, error == nil else {
            let thrown = error ?? failure("close", temporary)
            unlink(temporary)
            throw thrown
        }
        guard rename(temporary, url.path) == 0 else {
            let thrown = failure("rename to \(url.path)", temporary)
            unlink(temporary)
            throw thrown
        }
    }

    private static func failure(_ what: String, _ path: String) -> CocoaError {
        CocoaError(
            .fileWriteUnknown,
            userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "cannot \(what) \(path): \(String(cString: strerror(errno)))"])
    }
}
