import Foundation
import PStampCore

/// Maps the IPP's stored paths to files on disk, as psModules' pmConfigConvertFilename and
/// PS::IPP::Config's convert_filename_absolute do: `file://X` is the absolute path `/X` however many
/// slashes follow the scheme (`file://data/x` is `/data/x`); `path://NAME/rest` is the site DATAPATH
/// entry NAME + `/rest`; a plain path is unchanged. `neb://` needs Nebulous and is refused.
///
/// A DATAPATH entry may list several roots separated by `:` (PStamp's extension; the IPP has one root
/// per name): a writable image root first (where regenerated files are written), then read-only ones
/// such as the committed fixtures. A path resolves to the first root holding the file, else to the
/// first root.
public enum ImagePaths {
    public static func resolve(_ uri: String, datapath: [String: String]) throws -> String {
        if uri.lowercased().hasPrefix("file:") {
            return "/" + uri.dropFirst("file:".count).drop { $0 == "/" }
        }
        if uri.lowercased().hasPrefix("path://") {
            let (name, rest) = try split(uri)
            guard let entry = datapath[name] else {
                throw SQLError("no DATAPATH entry '\(name)' for \(uri)")
            }
            let roots = self.roots(entry)
            let candidates = roots.map { $0 + "/" + rest }
            return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
        }
        if uri.hasPrefix("neb://") { throw SQLError("Nebulous paths are not supported here: \(uri)") }
        return uri
    }

    /// `path://NAME/rest` → (NAME, rest); a name without `/rest` is a syntax error, as in psModules.
    public static func split(_ uri: String) throws -> (name: String, rest: String) {
        let body = uri.dropFirst("path://".count)
        guard let slash = body.firstIndex(of: "/"), slash != body.startIndex else {
            throw SQLError("syntax error in path:// name \(uri) (path://NAME/file)")
        }
        return (String(body[..<slash]), String(body[body.index(after: slash)...].drop { $0 == "/" }))
    }

    /// The roots of one DATAPATH entry (`root1:root2`), trailing slashes dropped.
    public static func roots(_ entry: String) -> [String] {
        let roots = entry.split(separator: ":", omittingEmptySubsequences: true).map { root -> String in
            var r = String(root)
            while r.count > 1, r.hasSuffix("/") { r.removeLast() }
            return r
        }
        return roots.isEmpty ? [entry] : roots
    }

    /// The roots of the DATAPATH that are not readable directories, each with what is wrong.
    public static func missingRoots(_ datapath: [String: String]) -> [(name: String, root: String, problem: String)] {
        var problems: [(String, String, String)] = []
        for (name, entry) in datapath.sorted(by: { $0.key < $1.key }) {
            for root in roots(entry) {
                var isDirectory: ObjCBool = false
                if !FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) {
                    problems.append((name, root, "does not exist"))
                } else if !isDirectory.boolValue {
                    problems.append((name, root, "is not a directory"))
                } else if !FileManager.default.isReadableFile(atPath: root) {
                    problems.append((name, root, "is not readable"))
                }
            }
        }
        return problems
    }
}
