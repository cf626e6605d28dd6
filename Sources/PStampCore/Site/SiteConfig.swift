import Foundation

/// The site's part of the settings file (`pstamp serve --config FILE`, `pstamp check-site`): its image
/// databases and its file layout. ServeConfig reads the file and hands these keys here.
///
/// | key | meaning |
/// |---|---|
/// | `image_db.NAME = LOCATION` | the image database of projects whose `dbname` (pstampDependent `imagedb`) is NAME; `image_db` (ServeConfig) is the one for every other name |
/// | `DBSERVER`, `DBPORT`, `DBUSER`, `DBNAME`, `DBSOCKET` | the IPP's keys: a MySQL server on which each project's dbname is a database (the IPP tools' `-dbname`); DBNAME (default gpc1) is the one checked first; DBNAME NONE or XXX: no server, as psModules reads it |
/// | `DBPASSWORD_FILE`, `DBPASSWORD` | the server's password: a file holding it, or (the IPP's key) the password itself in this file |
/// | `DATAPATH  METADATA` … `NAME  STR  root1:root2` … `END` | the IPP's DATAPATH block: `path://NAME/rest` is `<root>/rest`; several roots (PStamp's extension) are searched in order |
/// | `datapath.NAME = root1:root2` | the same, one entry per line |
/// | `archive` | a directory of archived image files with `SHA256SUMS`, from which cleaned images are restored |
/// | `update_command.chip` (`.warp`, `.diff`) | a shell command that regenerates a component of that stage instead of the archive |
/// | `update_output` | where regenerated files go: `path://NAME/rest` is written to `<update_output>/NAME/rest` (searched first); default the first root of NAME |
/// | `fixtures` | the fixture sky's directory (the self-contained mode's image database and images) |
public struct SiteConfig: Sendable, Equatable {
    /// `image_db.NAME`: by project dbname.
    public var imageDatabases: [String: ImageDatabaseAddress] = [:]
    /// DATAPATH: NAME → its roots, in search order.
    public var datapath: [String: [String]] = [:]
    public var archive: String?
    /// Per stage (`chip`, `warp`, `diff`): the regeneration command.
    public var updateCommands: [String: String] = [:]
    public var updateOutput: String?
    public var fixtures: String?
    // The IPP's database keys.
    public var dbServer: String?
    public var dbPort: Int?
    public var dbUser: String?
    public var dbName: String?
    public var dbSocket: String?
    public var dbPasswordFile: String?
    /// DBPASSWORD as the IPP's site.config holds it (kept out of every description and log).
    public var dbPassword: String?

    public init() {}

    /// The stages an update command can be given for.
    public static let updateStages: Set<String> = ["chip", "warp", "diff"]

    /// The MySQL server of the IPP keys, or nil when DBSERVER/DBSOCKET are not given or DBNAME is NONE/XXX.
    public var ippServer: MySQLLocation? {
        guard dbServer != nil || dbSocket != nil else { return nil }
        if let name = dbName, ["none", "xxx"].contains(name.lowercased()) { return nil }
        return MySQLLocation(
            server: dbServer, port: dbPort ?? 0, user: dbUser, database: dbName ?? "gpc1",
            socket: dbSocket, passwordFile: dbPasswordFile)
    }

    /// Takes one `key = value` (or `KEY TYPE value`) setting if it is a site key; false when it is not.
    public mutating func set(_ rawKey: String, _ rawValue: String, line n: Int) throws(PStampError) -> Bool {
        let lower = rawKey.lowercased()
        var value = rawValue
        if value.count >= 2, value.first == "\"", value.last == "\"" { value = String(value.dropFirst().dropLast()) }
        func text() throws(PStampError) -> String {
            guard !value.isEmpty else { throw PStampError(.configError, "line \(n): \(rawKey) is empty") }
            return value
        }
        if lower.hasPrefix("image_db.") || lower.hasPrefix("image-db.") {
            let name = String(rawKey.dropFirst("image_db.".count))
            guard !name.isEmpty else { throw PStampError(.configError, "line \(n): image_db. needs a database name") }
            do { imageDatabases[name] = try ImageDatabaseAddress.parse(try text()) } catch {
                throw PStampError(.configError, "line \(n): \(error.message)")
            }
            return true
        }
        if lower.hasPrefix("datapath.") {
            try setDataPath(String(rawKey.dropFirst("datapath.".count)), try text(), line: n)
            return true
        }
        if lower.hasPrefix("update_command.") || lower.hasPrefix("pstamp_update_command_") {
            let stage = String(
                lower.dropFirst(
                    lower.hasPrefix("update_command.")
                        ? "update_command.".count
                        : "pstamp_update_command_".count))
            guard Self.updateStages.contains(stage) else {
                throw PStampError(.configError, "line \(n): \(rawKey): updates are made for chip, warp and diff only")
            }
            updateCommands[stage] = try text()
            return true
        }
        switch lower {
        case "archive", "pstamp_archive": archive = try text()
        case "update_output", "pstamp_update_output": updateOutput = try text()
        case "fixtures", "pstamp_fixtures": fixtures = try text()
        case "dbserver": dbServer = try text()
        case "dbport":
            guard let port = Int(value), (0..<65536).contains(port) else {
                throw PStampError(.configError, "line \(n): DBPORT needs a port number, not '\(value)'")
            }
            dbPort = port
        case "dbuser": dbUser = try text()
        case "dbname": dbName = try text()
        case "dbsocket": dbSocket = try text()
        case "dbpassword_file": dbPasswordFile = try text()
        case "dbpassword": dbPassword = value
        default: return false
        }
        return true
    }

    /// Takes a `NAME METADATA … END` block if it is a site block (DATAPATH); false when it is not.
    public mutating func setBlock(
        _ name: String, _ entries: [(key: String, value: String, line: Int)],
        line n: Int
    ) throws(PStampError) -> Bool {
        guard name.uppercased() == "DATAPATH" else { return false }
        for entry in entries { try setDataPath(entry.key, entry.value, line: entry.line) }
        return true
    }

    mutating func setDataPath(_ name: String, _ value: String, line n: Int) throws(PStampError) {
        guard !name.isEmpty, !name.contains("/") else {
            throw PStampError(.configError, "line \(n): '\(name)' cannot name a DATAPATH entry")
        }
        let roots = value.split(separator: ":", omittingEmptySubsequences: true).map {
            String($0).trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        guard !roots.isEmpty else { throw PStampError(.configError, "line \(n): DATAPATH \(name) has no directory") }
        for root in roots where !root.hasPrefix("/") {
            throw PStampError(.configError, "line \(n): DATAPATH \(name): '\(root)' is not an absolute directory")
        }
        datapath[name] = roots
    }

    /// DATAPATH as the pipeline takes it: NAME → `root1:root2`.
    public var datapathText: [String: String] { datapath.mapValues { $0.joined(separator: ":") } }
}
