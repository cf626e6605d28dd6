import Foundation

/// Where `-dbname NAME` points: a path (anything with a `/` or ending in `.sqlite`/`.db`), or a name
/// inside the data directory (`$PSTAMP_DATA_DIR`, default `./var`) as `<dir>/<NAME>.sqlite`.
/// Without -dbname the name is `$PS_DBNAME` (the IPP site-config key), default `requestdb`, which is
/// where `make run` and `pstamp serve` keep the request database.
public enum DatabaseLocation {
    public static let defaultName = "requestdb"

    public static func dataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = environment["PSTAMP_DATA_DIR"], !dir.isEmpty { return dir }
        return "./var"
    }

    public static func path(dbname: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let name = dbname ?? environment["PS_DBNAME"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultName
        if name.contains("/") || name.hasSuffix(".sqlite") || name.hasSuffix(".db") { return name }
        return (dataDirectory(environment: environment) as NSString).appendingPathComponent(name + ".sqlite")
    }
}
