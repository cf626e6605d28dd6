import Foundation

/// How to reach a MySQL/MariaDB image database, with the IPP's site-configuration names:
/// DBSERVER, DBPORT, DBUSER, DBPASSWORD, DBNAME, and (PStamp's addition) DBSOCKET for a local
/// socket. The IPP tools take the same values as `-dbserver -dbport -dbuser -dbpassword -dbname`.
public struct MySQLSettings: Sendable, Equatable {
    public var server: String?
    public var port: Int
    public var user: String?
    public var password: String?
    public var database: String?
    public var socket: String?

    public init(
        server: String? = nil, port: Int = 0, user: String? = nil, password: String? = nil,
        database: String? = nil, socket: String? = nil
    ) {
        self.server = server; self.port = port; self.user = user
        self.password = password; self.database = database; self.socket = socket
    }

    /// Reads DBSERVER, DBPORT, DBUSER, DBPASSWORD, DBNAME and DBSOCKET from a site configuration
    /// (or the environment). A missing key leaves the library default. A non-numeric DBPORT is an error.
    public init(configuration: [String: String]) throws {
        func value(_ key: String) -> String? {
            guard let v = configuration[key]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        var port = 0
        if let p = value("DBPORT") {
            guard let n = Int(p), n >= 0, n < 65536 else {
                throw SQLError("DBPORT must be a port number, not '\(p)'")
            }
            port = n
        }
        self.init(
            server: value("DBSERVER"), port: port, user: value("DBUSER"), password: value("DBPASSWORD"),
            database: value("DBNAME"), socket: value("DBSOCKET"))
    }

    /// The same settings naming another database (the IPP's `-dbname` override).
    public func with(database: String?) -> MySQLSettings {
        var copy = self
        copy.database = database
        return copy
    }
}
