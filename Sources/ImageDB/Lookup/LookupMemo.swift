import FITS
import Foundation

/// What the lookups of one parse ask again and again: the same SELECT with the same values (a request
/// of many positions on one image asks its image's query once per row) and the same footprint's WCS
/// (each candidate skycell's header parsed by wcslib, under its global parse lock, once per row).
/// Kept for one parse on one thread, so a change to the image database is seen by the next request.
public final class LookupMemo {
    private struct Statement: Hashable {
        let sql: String
        let arguments: [SQLValue]
    }

    private var rows: [Statement: [SQLRow]] = [:]
    private var parsedWCS: [String: WCS] = [:]

    public init() {}

    /// The rows of a SELECT, as first answered in this parse.
    func rows(_ sql: String, _ arguments: [SQLValue], _ query: () throws -> [SQLRow]) rethrows -> [SQLRow] {
        let key = Statement(sql: sql, arguments: arguments)
        if let known = rows[key] { return known }
        let found = try query()
        rows[key] = found
        return found
    }

    /// The WCS of a footprint's header cards, parsed once in this parse (a header that fails is not kept).
    func wcs(header: String) throws -> WCS {
        if let known = parsedWCS[header] { return known }
        let parsed = try WCS(header: header)
        parsedWCS[header] = parsed
        return parsed
    }
}

/// An executor that answers a SELECT asked before in the same parse from the memo; writes pass through.
struct MemoizedExecutor: SQLExecutor {
    let base: any SQLExecutor
    let memo: LookupMemo

    func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        try memo.rows(sql, arguments) { try base.query(sql, arguments) }
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
        try base.execute(sql, arguments)
    }
}
