import Foundation
import RequestDB

/// A fresh directory under the system's temporary folder, for one test; `remove()` deletes it.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    /// `<tmp>/<prefix>-<uuid>`, created.
    public init(_ prefix: String = "pstamp") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public var path: String { url.path }

    public func appendingPathComponent(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// A request database at `<directory>/requestdb.sqlite`, created and migrated.
    public func requestDatabase() throws -> RequestDatabase {
        try RequestDatabase.open(path: url.appendingPathComponent("requestdb.sqlite").path, mode: .createOrMigrate)
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}
