/// The settings file of `pstamp serve --config FILE`: one setting per line, either `key = value` or the
/// IPP site-config style `KEY  TYPE  value` (`PSTAMP_PRESERVE_DAYS  S32  14`); `#` starts a comment.
/// Keys are case-insensitive and take the IPP's site-config names as aliases:
///
/// | key | IPP name | meaning |
/// |---|---|---|
/// | data_dir | | the data directory (request DB, data store, work) |
/// | workdir | PSTAMP_WORKDIR | the requests' work directories |
/// | preserve_days | PSTAMP_PRESERVE_DAYS | days a finished request's results are kept (14) |
/// | host, port | | the HTTP address (127.0.0.1, 8080) |
/// | labels | LABEL | the labels served, comma or space separated (empty: all) |
/// | image_db | | the image database (SQLite file) |
/// | poll_every | | seconds between looks for incoming data stores (10; 0 never) |
/// | default_access_level | PSTAMP_DEFAULT_ACCESS_LEVEL | the level of unknown requesters (1) |
/// | data_store_product | PSTAMP_DATA_STORE_PRODUCT | the default output product (pstampresults) |
/// | max_fault_count | PSTAMP_MAX_FAULT_COUNT | attempts before faulted jobs and dependents give up (3) |
/// | user_header | | a front-end login's header naming the user (user@domain), e.g. X-Remote-User (none) |
/// | trusted_proxies | | the front ends' addresses allowed to set user_header, comma or space separated |
/// | max_upload_bytes | | the largest request file the upload page takes (64 MiB; 413 beyond) |
/// | max_uploads | | uploads received at once (4; 503 with Retry-After beyond) |
/// | max_request_retries | | reverts of a faulted request before it stops with 10 (10) |
/// | max_crashes | | deaths in a row under one row's work before it is set aside with 10 (2) |
/// | max_stamp_pixels | | the largest stamp side in pixels, arcseconds converted (8000; larger: 21) |
/// | max_request_rows | | the most rows a request file may have (10000; more: 21) |
/// | max_request_jobs | | the most jobs a request's rows may make (50000; more: 21) |
/// | idle_timeout | | seconds a connection may send nothing (half a header, a stalled upload) before it is closed (30) |
/// | admin_token | | the operator's token for the API's operator actions (none: no operator actions over HTTP; $PSTAMP_ADMIN_TOKEN wins) |
/// | require_user_token | | yes: the API's reads and submissions need a user token (pstamptool -adduser); no (default): open |
/// | vo_authority | | the IVOA authority of the site's VO identifiers, `ivo://<authority>/pstamp?…` (pstamp.local) |
/// | public_url | | the URL clients reach the server at, for the VO documents' links (none: each request's Host) |
///
/// The site's image databases and file layout (`image_db.NAME`, DBSERVER…, `DATAPATH METADATA` blocks,
/// archive, update commands) are SiteConfig's keys: see there.
public struct ServeConfig: Sendable, Equatable {
    public var dataDir: String?
    public var workdir: String?
    public var preserveDays: Int?
    public var host: String?
    public var port: Int?
    public var labels: [String]?
    public var imageDB: String?
    public var pollEvery: Int?
    public var defaultAccessLevel: Int?
    public var dataStoreProduct: String?
    public var maxFaultCount: Int?
    public var userHeader: String?
    public var trustedProxies: [String]?
    public var maxUploadBytes: Int?
    public var maxUploads: Int?
    public var maxRequestRetries: Int?
    public var maxCrashes: Int?
    public var maxStampPixels: Int?
    public var maxRequestRows: Int?
    public var maxRequestJobs: Int?
    public var idleTimeout: Int?
    public var adminToken: String?
    public var requireUserToken: Bool?
    public var voAuthority: String?
    public var publicURL: String?
    /// The site's image databases and file layout.
    public var site = SiteConfig()

    public init() {}

    static let aliases: [String: String] = [
        "pstamp_workdir": "workdir", "pstamp_preserve_days": "preserve_days", "label": "labels",
        "pstamp_default_access_level": "default_access_level", "pstamp_data_store_product": "data_store_product",
        "pstamp_max_fault_count": "max_fault_count", "data-dir": "data_dir", "image-db": "image_db",
        "poll-every": "poll_every",
    ]
    static let ippTypes: Set<String> = ["STR", "S16", "S32", "S64", "U16", "U32", "U64", "F32", "F64", "BOOL"]

    /// Reads the text of a settings file. A line that is not a setting, an unknown key or a bad number
    /// is refused with its line number (PS_EXIT_CONFIG_ERROR).
    public static func parse(_ text: String) throws(PStampError) -> ServeConfig {
        var config = ServeConfig()
        var block: (name: String, line: Int, entries: [(key: String, value: String, line: Int)])? = nil
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let n = index + 1
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            line = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
            while let last = line.last, last == " " || last == "\t" || last == "\r" { line = line.dropLast() }
            if line.isEmpty { continue }
            // The IPP's `NAME  METADATA` … `END` blocks (DATAPATH): the site's.
            if try config.readBlockLine(line, n, &block) { continue }
            let key: String, value: String
            if let eq = line.firstIndex(of: "=") {
                key = line[..<eq].trimmingSpaces
                value = line[line.index(after: eq)...].trimmingSpaces
            } else {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard words.count >= 3, ippTypes.contains(words[1].uppercased()) else {
                    throw PStampError(.configError, "line \(n): '\(line)' is not 'key = value' nor 'KEY TYPE value'")
                }
                key = String(words[0])
                value = words[2...].joined(separator: " ")
            }
            try config.set(key, value, line: n)
        }
        if let block { throw PStampError(.configError, "line \(block.line): \(block.name) METADATA has no END") }
        return config
    }

    /// Handles the lines of a `NAME METADATA` … `END` block; false for a line outside any block.
    mutating func readBlockLine(
        _ line: Substring, _ n: Int,
        _ block: inout (name: String, line: Int, entries: [(key: String, value: String, line: Int)])?
    ) throws(PStampError) -> Bool {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if var open = block {
            if words.count == 1, words[0].uppercased() == "END" {
                block = nil
                guard try site.setBlock(open.name, open.entries, line: open.line) else {
                    throw PStampError(.configError, "line \(open.line): unknown block '\(open.name)'")
                }
                return true
            }
            guard words.count >= 3, Self.ippTypes.contains(words[1].uppercased()) else {
                throw PStampError(.configError, "line \(n): '\(line)' is not 'NAME TYPE value' inside \(open.name)")
            }
            open.entries.append((String(words[0]), words[2...].joined(separator: " "), n))
            block = open
            return true
        }
        if words.count == 2, words[1].uppercased() == "METADATA" {
            block = (String(words[0]), n, [])
            return true
        }
        return false
    }

    mutating func set(_ rawKey: String, _ value: String, line n: Int) throws(PStampError) {
        let lower = rawKey.lowercased()
        let key = Self.aliases[lower] ?? lower
        func int() throws(PStampError) -> Int {
            guard let v = Int(value) else { throw PStampError(.configError, "line \(n): \(rawKey) needs a whole number, not '\(value)'") }
            return v
        }
        func text() throws(PStampError) -> String {
            var v = value
            if v.count >= 2, v.first == "\"", v.last == "\"" { v = String(v.dropFirst().dropLast()) }
            guard !v.isEmpty else { throw PStampError(.configError, "line \(n): \(rawKey) is empty") }
            return v
        }
        /// A whole number of at least `minimum` (0: not negative).
        func count(atLeast minimum: Int) throws(PStampError) -> Int {
            let v = try int()
            guard v >= minimum else {
                throw PStampError(
                    .configError, "line \(n): \(rawKey) must " + (minimum == 0 ? "not be negative" : "be at least \(minimum)"))
            }
            return v
        }
        func list() -> [String] { value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init) }
        switch key {
        case "data_dir": dataDir = try text()
        case "workdir": workdir = try text()
        case "preserve_days": preserveDays = try count(atLeast: 0)
        case "host": host = try text()
        case "port":
            let v = try int()
            guard (0...65535).contains(v) else { throw PStampError(.configError, "line \(n): port \(v) is out of range") }
            port = v
        case "labels": labels = list()
        case "image_db": imageDB = try text()
        case "poll_every": pollEvery = try int()
        case "default_access_level": defaultAccessLevel = try int()
        case "data_store_product": dataStoreProduct = try text()
        case "max_fault_count": maxFaultCount = try count(atLeast: 1)
        case "user_header": userHeader = try text()
        case "max_upload_bytes": maxUploadBytes = try count(atLeast: 1)
        case "max_uploads": maxUploads = try count(atLeast: 1)
        case "trusted_proxies": trustedProxies = list()
        case "max_request_retries": maxRequestRetries = try count(atLeast: 0)
        case "max_crashes": maxCrashes = try count(atLeast: 1)
        case "max_stamp_pixels": maxStampPixels = try count(atLeast: 1)
        case "max_request_rows": maxRequestRows = try count(atLeast: 1)
        case "max_request_jobs": maxRequestJobs = try count(atLeast: 1)
        case "idle_timeout":
            let v = try int()
            guard (1...86_400).contains(v) else { throw PStampError(.configError, "line \(n): \(rawKey) must be 1 to 86400 seconds") }
            idleTimeout = v
        case "admin_token": adminToken = try text()
        case "vo_authority": voAuthority = try text()
        case "public_url": publicURL = try text()
        case "require_user_token":
            switch value.lowercased() {
            case "yes", "true", "1": requireUserToken = true
            case "no", "false", "0": requireUserToken = false
            default: throw PStampError(.configError, "line \(n): \(rawKey) is yes or no, not '\(value)'")
            }
        default:
            guard try site.set(rawKey, value, line: n) else {
                throw PStampError(.configError, "line \(n): unknown setting '\(rawKey)'")
            }
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
