import Foundation
import ImageDB
import RequestDB

/// What one parse looks up again and again, asked once per parse: the rows of a request mostly name the
/// same project, the same access cap, the same images (a byid row list) and the same files. Each answer
/// is kept for the one parse only, so a change to the databases is seen by the next request.
final class ParseMemo {
    private var projects: [String: ProjectRecord?] = [:]
    private var caps: [String: AccessDateCap?] = [:]
    private var located: [String: [LocatedImage]] = [:]
    private var resolved: [String: String] = [:]

    func project(_ name: String, _ lookup: (String) throws -> ProjectRecord?) rethrows -> ProjectRecord? {
        if let known = projects[name] { return known }
        let found = try lookup(name)
        projects[name] = .some(found)
        return found
    }

    func dateCap(project: String, level: Int, _ lookup: () throws -> AccessDateCap?) rethrows -> AccessDateCap? {
        let key = "\(level) \(project)"
        if let known = caps[key] { return known }
        let found = try lookup()
        caps[key] = .some(found)
        return found
    }

    /// The images of a query in one image database; the key is the database's name and the query's
    /// every field (ImageQuery is a plain value, so its description names them all). Failures are not kept.
    func locate(_ query: ImageQuery, in dbname: String, _ lookup: () throws -> [LocatedImage]) rethrows -> [LocatedImage] {
        let key = dbname + "\u{1F}" + String(describing: query)
        if let known = located[key] { return known }
        let found = try lookup()
        located[key] = found
        return found
    }

    /// A file path of the image database resolved through DATAPATH.
    func resolve(_ uri: String, _ lookup: (String) throws -> String) rethrows -> String {
        if let known = resolved[uri] { return known }
        let found = try lookup(uri)
        resolved[uri] = found
        return found
    }
}
