import GRDB
import PStampCore

/// `pstampRequestIdentity`: the identity each request came with, written in the same transaction as the
/// request (`RequestStore.add`, the data-store poll) and read by the parser.
public struct RequestIdentityStore: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// The stored identity; a request without a row (none should lack one) is anonymous.
    public func get(reqID: Int64) throws -> RequestIdentity {
        try writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT source, user, token_id FROM pstampRequestIdentity WHERE req_id = ?",
                    arguments: [reqID]),
                let source = RequestIdentity.Source(rawValue: row["source"] ?? "")
            else { return .anonymous }
            return RequestIdentity(source: source, user: row["user"], tokenID: row["token_id"])
        }
    }

    /// Records `identity` for a request just inserted, inside the caller's transaction.
    static func record(_ identity: RequestIdentity, reqID: Int64, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO pstampRequestIdentity (req_id, source, user, token_id) VALUES (?, ?, ?, ?)",
            arguments: [reqID, identity.source.rawValue, identity.user, identity.tokenID])
    }
}
