import ArgumentParser
import DataStore
import Foundation
import RequestDB

/// Where a PStamp server keeps its state: `<data-dir>/requestdb.sqlite` (the request database) and
/// `<data-dir>/ds` (the outgoing data store's files). Default `$PSTAMP_DATA_DIR`, else `./var`; without
/// --data-dir the database is where pstamptool finds it (`$PS_DBNAME`, see `DatabaseLocation`).
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The server's data directory (default $PSTAMP_DATA_DIR or ./var).")
    var dataDir: String?

    var directory: URL {
        let path = dataDir ?? DatabaseLocation.dataDirectory()
        return URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }
    var databasePath: String {
        dataDir == nil ? DatabaseLocation.path(dbname: nil) : directory.appendingPathComponent("requestdb.sqlite").path
    }
    var dataStoreRoot: URL { directory.appendingPathComponent("ds", isDirectory: true) }
    /// The requests' working directories (`PSTAMP_WORKDIR`; default `<data-dir>/work`).
    var workDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["PSTAMP_WORKDIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        return directory.appendingPathComponent("work", isDirectory: true)
    }

    /// Opens (creating or migrating) the request database.
    func openDatabase() throws -> RequestDatabase {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try RequestDatabase.open(path: databasePath, mode: .createOrMigrate)
    }

    /// The outgoing data store over the request database.
    func registry(_ database: RequestDatabase) throws -> DataStoreRegistry {
        try FileManager.default.createDirectory(at: dataStoreRoot, withIntermediateDirectories: true)
        return DataStoreRegistry(root: dataStoreRoot, store: database.outgoingDataStores)
    }
}

/// Prints a message on stderr and exits with `code`.
func fail(_ message: String, code: Int32) -> ExitCode {
    FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
    return ExitCode(code)
}
