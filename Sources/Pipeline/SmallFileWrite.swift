import Foundation

/// Small work files (a job's parameters, its registration list) written with plain POSIX writes.
/// Foundation's `Data.write` calls fsync for every file (atomic or not), which made the parse and the job
/// runs wait on the disk once per job. Neither file needs to survive on its own: each is written before
/// the request database's commit that makes it count (the parse's, the job's stop), and a parse or job
/// found unfinished after a restart writes its files again, so a file cut short by a killed process is
/// always rewritten.
enum SmallFileWrite {
    static func write(_ data: Data, to url: URL) throws {
        let path = url.path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("create", path) }
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
        let error = written ? nil : failure("write", path)
        guard close(fd) == 0, error == nil else { throw error ?? failure("close", path) }
    }

    private static func failure(_ what: String, _ path: String) -> CocoaError {
        CocoaError(
            .fileWriteUnknown,
            userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "cannot \(what) \(path): \(String(cString: strerror(errno)))"])
    }
}
