import Foundation
import GRDB
import PStampCore

/// What `RequestDatabase.backup(to:)` made: a checked, complete copy.
public struct DatabaseBackup: Sendable, Equatable {
    /// The copy's path.
    public let path: String
    /// The copy's schema version (the migrations it holds).
    public let version: Int
    public let requests: Int
    public let jobs: Int
    /// The copy's size on disk.
    public let bytes: Int64
}

extension RequestDatabase {
    /// A consistent copy of the database made while it is in use (SQLite's online backup API, in one
    /// step from one read snapshot, so writers go on and the copy is the state of one moment).
    /// The copy is written beside `path` under a temporary name, checked with `PRAGMA integrity_check`,
    /// and only then renamed to `path` (replacing an older backup): a failed or interrupted backup never
    /// leaves a half copy under the name. The copy opens like any request database (`--data-dir`, `-dbname`).
    public func backup(to path: String) throws -> DatabaseBackup {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: path).standardizedFileURL
        guard target.path != URL(fileURLWithPath: self.path).standardizedFileURL.path else {
            throw PStampError(.unknownError, "the backup \(path) would overwrite the database itself")
        }
        let directory = target.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PStampError(.unknownError, "cannot write the backup \(path): directory \(directory.path) does not exist")
        }
        let partial = directory.appendingPathComponent(".\(target.lastPathComponent).partial-\(UUID().uuidString)")
        defer {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? fm.removeItem(atPath: partial.path + suffix) }
        }
        let copy = try DatabaseQueue(path: partial.path)
        try pool.backup(to: copy)
        let (version, requests, jobs) = try copy.read { db in
            let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            guard check == ["ok"] else {
                throw PStampError(.unknownError, "the backup failed its integrity check: \(check.joined(separator: "; "))")
            }
            return (
                try SchemaMigrator.currentVersion(db),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM pstampRequest") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM pstampJob") ?? 0
            )
        }
        try copy.close()
        for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: target.path + suffix) }  // an older backup's
        if rename(partial.path, target.path) != 0 {
            throw PStampError(.unknownError, "cannot move the backup into \(path): \(String(cString: strerror(errno)))")
        }
        let bytes = (try fm.attributesOfItem(atPath: target.path)[.size] as? NSNumber)?.int64Value ?? 0
        return DatabaseBackup(path: target.path, version: version, requests: requests, jobs: jobs, bytes: bytes)
    }
}
