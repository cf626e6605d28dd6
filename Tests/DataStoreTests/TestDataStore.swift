import DataStore
import Foundation
import PStampCore
import PStampTestSupport
import RequestDB

/// A fresh request database and data-store root in a temporary directory.
struct TestDataStore {
    let directory: URL
    let database: RequestDatabase
    let registry: DataStoreRegistry

    init() throws {
        let temporary = try TemporaryDirectory("pstamp-ds")
        directory = temporary.url
        database = try temporary.requestDatabase()
        registry = DataStoreRegistry(root: directory.appendingPathComponent("ds"), store: OutgoingDataStoreStore(database.pool))
    }

    /// The registry's tables, as the request database keeps them.
    var store: OutgoingDataStoreStore { OutgoingDataStoreStore(database.pool) }

    /// Writes files into `<directory>/<sub>` and returns that directory.
    func source(_ sub: String, _ files: [String: String]) throws -> URL {
        let dir = directory.appendingPathComponent(sub, isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
