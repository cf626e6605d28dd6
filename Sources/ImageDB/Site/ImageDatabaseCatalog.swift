import Foundation
import Logging
import PStampCore

/// A site's image databases by name: the name is a project's `dbname` (pstampDependent `imagedb`).
/// A name is served by, first found: its own `image_db.NAME` entry; the default `image_db` (it serves
/// every other name); the IPP keys' server (DBSERVER…), on which each name is a database of that name
/// (the IPP tools' `-dbname`). Databases are opened on first use, migrated (PStamp's own tables added),
/// and kept open; a database that cannot be opened is logged with the reason and tried again later.
public final class ImageDatabaseCatalog: @unchecked Sendable {
    public let named: [String: ImageDatabaseAddress]
    public let fallback: ImageDatabaseAddress?
    public let server: MySQLLocation?
    let passwords: DatabasePassword
    let logger: Logger
    /// Opens a database (tests give their own).
    let open: @Sendable (ImageDatabaseAddress, String?) throws -> any ImageDatabase
    private let lock = NSLock()
    private var opened: [ImageDatabaseAddress: any ImageDatabase] = [:]
    private var failures: [ImageDatabaseAddress: (message: String, at: Date)] = [:]

    public init(
        named: [String: ImageDatabaseAddress] = [:], fallback: ImageDatabaseAddress? = nil,
        server: MySQLLocation? = nil, passwords: DatabasePassword = DatabasePassword(),
        logger: Logger = Logger(label: "pstamp.imagedb"),
        open: (@Sendable (ImageDatabaseAddress, String?) throws -> any ImageDatabase)? = nil
    ) {
        self.named = named
        self.fallback = fallback
        self.server = server
        self.passwords = passwords
        self.logger = logger
        self.open = open ?? ImageDatabaseCatalog.openDriver
    }

    /// Whether any image database is configured at all.
    public var isEmpty: Bool { named.isEmpty && fallback == nil && server == nil }

    /// Where the image database called `name` is, or nil when none serves it.
    public func location(of name: String) -> ImageDatabaseAddress? {
        if let own = named[name] { return own }
        if let fallback { return fallback }
        return server.map { .mysql($0.with(database: name)) }
    }

    /// The image database called `name`, opened (and migrated) on first use; nil when no database
    /// serves the name or it cannot be opened now (logged).
    public func database(named name: String) -> (any ImageDatabase)? {
        guard let location = location(of: name) else { return nil }
        return try? database(at: location)
    }

    /// The database at `location`, opened on first use. A failed open is retried after 30 s.
    public func database(at location: ImageDatabaseAddress) throws -> any ImageDatabase {
        lock.lock(); defer { lock.unlock() }
        if let db = opened[location] { return db }
        if let failure = failures[location], Date().timeIntervalSince(failure.at) < 30 {
            throw PStampError(.sysError, failure.message)
        }
        do {
            var password: String? = nil
            var source = ""
            if case .mysql(let m) = location {
                (password, source) = try passwords.resolve(for: m)
                source = " (\(source))"
            }
            let db = try open(location, password)
            try db.migrate()
            opened[location] = db
            failures[location] = nil
            logger.info("image database \(location)\(source) open")
            return db
        } catch {
            let message = "image database \(location): \(error)"
            failures[location] = (message, Date())
            logger.error("\(message)")
            throw PStampError(.sysError, message)
        }
    }

    /// The distinct databases serving `names` (for the tasks that visit every image database:
    /// update processing, update cleanup), opened; names that fail are left out (logged).
    public func databases(serving names: [String]) -> [(name: String, database: any ImageDatabase)] {
        var seen: Set<ImageDatabaseAddress> = []
        var result: [(String, any ImageDatabase)] = []
        for name in names {
            guard let location = location(of: name), !seen.contains(location) else { continue }
            seen.insert(location)
            if let db = try? database(at: location) { result.append((name, db)) }
        }
        return result
    }

    /// The names this configuration mentions by itself: the named entries, the default's own database
    /// name (gpc1 for an SQLite default) and the IPP server's DBNAME.
    public var configuredNames: [String] {
        var names = named.keys.sorted()
        switch fallback {
        case .mysql(let m): names.append(m.database ?? "gpc1")
        case .sqlite: names.append("gpc1")
        case nil: break
        }
        if let server { names.append(server.database ?? "gpc1") }
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }

    /// Opens a driver: SQLite (the file must exist: a missing file is not silently created empty) or MySQL.
    @Sendable public static func openDriver(_ location: ImageDatabaseAddress, _ password: String?) throws -> any ImageDatabase {
        switch location {
        case .sqlite(let path):
            guard FileManager.default.fileExists(atPath: path) else {
                throw PStampError(.configError, "the SQLite file \(path) does not exist")
            }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw PStampError(.configError, "the SQLite file \(path) is not readable")
            }
            return try SQLiteImageDatabase(path: path)
        case .mysql(let m):
            return try MySQLImageDatabase(settings: MySQLSettings(location: m, password: password))
        }
    }
}
