import Foundation

/// Where one image database (the IPP's gpc1) is: an SQLite file, or a database on a MySQL/MariaDB server.
///
/// Written as an operator writes it in `--image-db` or the settings file:
///
/// | text | meaning |
/// |---|---|
/// | `/data/gpc1.sqlite`, `sqlite:/data/gpc1.sqlite`, `file:///data/gpc1.sqlite` | an SQLite file |
/// | `mysql://ipp@db01:3306/gpc1` | database gpc1 on server db01, port 3306, user ipp |
/// | `mysql://ipp@localhost/gpc1?socket=/run/mysqld/mysqld.sock` | the same through a local socket |
/// | `mysql://ipp@db01/gpc1?password_file=/etc/pstamp/gpc1.pass` | with the password read from a file |
///
/// A password is never part of the location (it would end up on command lines, in `ps` and in logs):
/// `mysql://user:secret@…` is refused. It comes from `password_file=` here, the settings file's
/// `dbpassword_file` or `DBPASSWORD`, or the environment (`PSTAMP_DBPASSWORD`).
public enum ImageDatabaseAddress: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case mysql(MySQLLocation)

    /// Reads a location; a bad one is refused with PS_EXIT_CONFIG_ERROR and the reason.
    public static func parse(_ text: String) throws(PStampError) -> ImageDatabaseAddress {
        let value = text.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw PStampError(.configError, "an empty image database location") }
        let lower = value.lowercased()
        if lower.hasPrefix("mysql://") || lower.hasPrefix("mariadb://") {
            return .mysql(try MySQLLocation.parse(value))
        }
        if lower.hasPrefix("sqlite://") { return .sqlite(path: String(value.dropFirst("sqlite://".count))) }
        if lower.hasPrefix("sqlite:") { return .sqlite(path: String(value.dropFirst("sqlite:".count))) }
        if lower.hasPrefix("file://") {
            // The IPP's file:// rule: the path is absolute however many slashes follow the scheme.
            return .sqlite(path: "/" + value.dropFirst("file://".count).drop { $0 == "/" })
        }
        if value.contains("://") {
            throw PStampError(.configError, "image database '\(value)': only an SQLite path or a mysql:// location is understood")
        }
        return .sqlite(path: value)
    }

    /// What the logs and check-site print: never a password.
    public var description: String {
        switch self {
        case .sqlite(let path): return "SQLite \(path)"
        case .mysql(let location): return location.description
        }
    }
}

/// A database on a MySQL/MariaDB server, with the IPP's site-configuration names in mind (DBSERVER,
/// DBPORT, DBUSER, DBNAME; DBSOCKET for a local socket). The password is not here: only where to read it.
public struct MySQLLocation: Sendable, Hashable, CustomStringConvertible {
    public var server: String?
    /// 0: the client library's default (3306).
    public var port: Int
    public var user: String?
    public var database: String?
    public var socket: String?
    /// A file holding the password (its first line).
    public var passwordFile: String?

    public init(
        server: String? = nil, port: Int = 0, user: String? = nil, database: String? = nil,
        socket: String? = nil, passwordFile: String? = nil
    ) {
        self.server = server; self.port = port; self.user = user; self.database = database
        self.socket = socket; self.passwordFile = passwordFile
    }

    /// `mysql://[user@][host][:port]/database[?socket=PATH&password_file=PATH]`.
    public static func parse(_ text: String) throws(PStampError) -> MySQLLocation {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "mysql" || scheme == "mariadb"
        else {
            throw PStampError(.configError, "image database '\(text)' is not a mysql://user@host:port/database location")
        }
        if components.password != nil {
            throw PStampError(
                .configError,
                "image database location \(scheme)://\(components.user ?? "")@…: a password does not belong in the location "
                    + "(it would show in command lines and logs); put it in a file named by password_file= or dbpassword_file, "
                    + "or in the environment as PSTAMP_DBPASSWORD")
        }
        var location = MySQLLocation()
        location.user = components.user.flatMap { $0.isEmpty ? nil : $0 }
        location.server = components.host.flatMap { $0.isEmpty ? nil : $0 }
        location.port = components.port ?? 0
        guard (0..<65536).contains(location.port) else { throw PStampError(.configError, "port \(location.port) is out of range") }
        let path = components.path.drop { $0 == "/" }
        guard !path.isEmpty, !path.contains("/") else {
            throw PStampError(.configError, "image database '\(text)' names no database (mysql://user@host:port/DATABASE)")
        }
        location.database = String(path)
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name.lowercased() {
            case "socket": location.socket = value.isEmpty ? nil : value
            case "password_file": location.passwordFile = value.isEmpty ? nil : value
            case "password":
                throw PStampError(.configError, "image database location: a password does not belong in the location; use password_file=")
            default:
                throw PStampError(.configError, "image database location: unknown parameter '\(item.name)' (socket, password_file)")
            }
        }
        return location
    }

    /// The same server naming another database (the IPP tools' `-dbname`).
    public func with(database: String) -> MySQLLocation {
        var copy = self
        copy.database = database
        return copy
    }

    public var description: String {
        let who = user.map { "\($0)@" } ?? ""
        let place = socket.map { "socket \($0)" } ?? "\(server ?? "localhost")\(port > 0 ? ":\(port)" : "")"
        return "MySQL \(who)\(place) database \(database ?? "(none)")"
    }
}
