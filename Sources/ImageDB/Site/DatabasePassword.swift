import Foundation
import PStampCore

/// Where a MySQL image database's password comes from, first found wins: the location's
/// `password_file=`, the settings file's DBPASSWORD_FILE, the environment's PSTAMP_DBPASSWORD, the
/// settings file's DBPASSWORD (the IPP's key). Never the command line; never printed.
public struct DatabasePassword: Sendable {
    public var siteFile: String?
    public var sitePassword: String?
    public var environment: [String: String]

    public init(
        siteFile: String? = nil, sitePassword: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.siteFile = siteFile
        self.sitePassword = sitePassword
        self.environment = environment
    }

    /// The password for `location` (nil: none, the server's passwordless or socket authentication), and
    /// where it came from for the logs. A named file that cannot be read is a configuration error.
    public func resolve(for location: MySQLLocation) throws -> (password: String?, source: String) {
        if let file = location.passwordFile ?? siteFile {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw PStampError(.configError, "the password file \(file) cannot be read")
            }
            let text = String(decoding: data, as: UTF8.self)
            let first = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            return (first.trimmingCharacters(in: CharacterSet(charactersIn: "\r")), "password from \(file)")
        }
        if let password = environment["PSTAMP_DBPASSWORD"], !password.isEmpty {
            return (password, "password from $PSTAMP_DBPASSWORD")
        }
        if let sitePassword, !sitePassword.isEmpty { return (sitePassword, "password from DBPASSWORD") }
        return (nil, "no password")
    }
}

extension MySQLSettings {
    /// The client settings of a location, with its password.
    public init(location: MySQLLocation, password: String?) {
        self.init(
            server: location.server, port: location.port, user: location.user, password: password,
            database: location.database, socket: location.socket)
    }
}
