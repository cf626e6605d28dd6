import Foundation
import ImageDB
import RequestDB

/// What one parse looks up again and again, asked once per parse: the rows of a request mostly name the
/// same project, the same access cap, the same images (a byid row list) and the same files. Each answer
/// is kept for the one parse only, so a change to the databases is seen by the next request.
final class ParseMemo {
    private var projects: [String: ProjectRecord?] = [:]
    private var caps: [String: AccessDateCap?] = [:]
    private var resolved: [String: String] = [:]
    private var lookups: [String: LookupMemo] = [:]

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

    /// The images of a query in one image database, as last answered for one of the few queries asked
    /// last (a byid row list asks one query for all its rows). A row at a different place misses at the
    /// cost of a few comparisons, and its lookup gets the database's `LookupMemo`: the same SELECTs and
    /// footprint headers as the rows before it are answered from there. Failures are not kept.
    func locate(_ query: ImageQuery, in dbname: String, _ lookup: (LookupMemo) throws -> [LocatedImage]) rethrows -> [LocatedImage] {
        if let known = recent.first(where: { $0.dbname == dbname && $0.query == query }) { return known.images }
        let memo = lookups[dbname] ?? LookupMemo()
        lookups[dbname] = memo
        let found = try lookup(memo)
        recent.insert((dbname, query, found), at: 0)
        if recent.count > Self.recentQueries { recent.removeLast() }
        return found
    }

    static let recentQueries = 8
    private var recent: [(dbname: String, query: ImageQuery, images: [LocatedImage])] = []

    /// A file path of the image database resolved through DATAPATH.
    func resolve(_ uri: String, _ lookup: (String) throws -> String) rethrows -> String {
        if let known = resolved[uri] { return known }
        let found = try lookup(uri)
        resolved[uri] = found
        return found
    }
}
