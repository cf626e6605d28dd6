import Foundation

/// The SQL migrations shipped inside the build: `Migrations/requestdb/NNNN_<what>.sql` and
/// `Migrations/gpc1/{sqlite,mysql}/NNNN_<what>.sql`, found from any working directory.
public enum MigrationFiles {
    /// The directory holding one family of migrations, e.g. `"requestdb"` or `"gpc1/sqlite"`.
    public static func directory(_ family: String) -> URL? {
        guard let root = Bundle.module.resourceURL else { return nil }
        let url = root.appendingPathComponent(family, isDirectory: true)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The migrations of one family in version order: (version, name, SQL text).
    public static func load(_ family: String) throws -> [(version: Int, name: String, sql: String)] {
        guard let dir = directory(family) else { return [] }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sql") }.sorted()
        return try names.compactMap { file in
            guard let version = Int(file.prefix { $0.isNumber }) else { return nil }
            let stem = String(file.dropLast(4))
            let name = stem.drop { $0.isNumber || $0 == "_" }
            let sql = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            return (version, String(name), sql)
        }
    }
}
