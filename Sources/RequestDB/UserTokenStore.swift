import CCrypto
import Foundation
import GRDB
import PStampCore

/// The users' API tokens (`pstampUserToken`): issued by `pstamptool -adduser` / `-addtoken`, listed by
/// `-listtoken`, revoked by `-deltoken` (or with the user by `-deluser`). Only the SHA-256 of a token
/// is stored; the token is returned once, when it is issued.
public struct UserTokenStore: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// A newly issued token: the secret (shown once) and its row id.
    public struct Issued: Sendable, Hashable {
        public let tokenID: Int64
        public let token: String
    }

    /// Issues a token for an existing `pstampUser` row.
    public func issue(user: String, domain: String) throws -> Issued {
        let token = Self.newToken()
        return try writer.immediateTransaction { db in
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM pstampUser WHERE userName = ? AND domainName = ?",
                    arguments: [user, domain]) == true
            else {
                throw PStampError(.configError, "no user \(user)@\(domain): add it with -adduser first")
            }
            try db.execute(
                sql: "INSERT INTO pstampUserToken (userName, domainName, tokenHash) VALUES (?, ?, ?)",
                arguments: [user, domain, Self.hash(token)])
            return Issued(tokenID: db.lastInsertedRowID, token: token)
        }
    }

    /// The user (`user@domain`) a token belongs to, or nil for a token that is unknown or revoked.
    public func user(forToken token: String) throws -> (user: String, tokenID: Int64)? {
        let hash = Self.hash(token)
        return try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT token_id, userName, domainName FROM pstampUserToken WHERE tokenHash = ?",
                arguments: [hash]
            ).map {
                ("\($0["userName"] as String)@\($0["domainName"] as String)", $0["token_id"] as Int64)
            }
        }
    }

    /// `-listtoken` rows (never the token): token_id, userName, domainName, created.
    public func list(user: String? = nil, domain: String? = nil, limit: Int? = nil) throws -> [MetadataRow] {
        var c = SQLConditions()
        c.add("userName", "=", user)
        c.add("domainName", "=", domain)
        return try writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT token_id, userName, domainName, created FROM pstampUserToken WHERE \(c.sql) ORDER BY token_id"
                    + limitSQL(limit), arguments: c.arguments
            ).map { row in
                MetadataRow([
                    MetadataItem("token_id", .s64(row["token_id"])),
                    MetadataItem("userName", .str(row["userName"])),
                    MetadataItem("domainName", .str(row["domainName"])),
                    MetadataItem("created", .time(row.time("created"))),
                ])
            }
        }
    }

    /// `-deltoken`: revokes one token, or every token of a user; returns how many were revoked.
    public func revoke(tokenID: Int64? = nil, user: String? = nil, domain: String? = nil) throws -> Int {
        var c = SQLConditions()
        c.add("token_id", "=", tokenID)
        c.add("userName", "=", user)
        c.add("domainName", "=", domain)
        guard !c.isEmpty else { throw PStampError(.configError, "say which token: -token_id, or -user and -domain") }
        return try writer.immediateTransaction { db in
            try db.execute(sql: "DELETE FROM pstampUserToken WHERE \(c.sql)", arguments: c.arguments)
            return db.changesCount
        }
    }

    /// A new secret: `pst_` and 64 hex digits (256 random bits from the system's generator).
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        var text = "pst_"
        for _ in 0..<4 {
            let word = generator.next() as UInt64
            let hex = String(word, radix: 16)
            text += String(repeating: "0", count: 16 - hex.count) + hex
        }
        return text
    }

    /// SHA-256 of the token's UTF-8 bytes, in lowercase hex (OpenSSL's libcrypto). A token carries 256
    /// random bits, so a fast hash is enough: there is nothing to guess from it.
    public static func hash(_ token: String) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var size: UInt32 = 0
        let bytes = Array(token.utf8)
        let ok = bytes.withUnsafeBufferPointer { input in
            EVP_Digest(input.baseAddress, input.count, &digest, &size, EVP_sha256(), nil)
        }
        precondition(ok == 1 && size == 32, "libcrypto SHA-256 failed")
        return digest.prefix(Int(size)).map { String(format: "%02x", $0) }.joined()
    }
}
