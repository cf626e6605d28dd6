import GRDB
import PStampCore

/// `dsProductAccess`: who may read a product of the outgoing data store over HTTP. A product without
/// a row is public (the IPP's behaviour); with one, only its owner may (or nobody, owner NULL).
public struct ProductAccessStore: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    public func access(product: String) throws -> AccessRules.ProductAccess {
        try writer.read { db in try Self.access(product, db) }
    }

    /// Every product with a setting (the others are public).
    public func all() throws -> [String: AccessRules.ProductAccess] {
        try writer.read { db in
            var out: [String: AccessRules.ProductAccess] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT prod_name, owner FROM dsProductAccess") {
                out[row["prod_name"]] = (row["owner"] as String?).map { .owner($0) } ?? .closed
            }
            return out
        }
    }

    /// The operator's setting (`pstamp ds access`): `.public` removes the row.
    public func set(product: String, _ access: AccessRules.ProductAccess) throws {
        try writer.immediateTransaction { db in
            switch access {
            case .public:
                try db.execute(sql: "DELETE FROM dsProductAccess WHERE prod_name = ?", arguments: [product])
            case .closed:
                try db.execute(sql: "INSERT OR REPLACE INTO dsProductAccess (prod_name, owner) VALUES (?, NULL)", arguments: [product])
            case .owner(let owner):
                try db.execute(sql: "INSERT OR REPLACE INTO dsProductAccess (prod_name, owner) VALUES (?, ?)", arguments: [product, owner])
            }
        }
    }

    /// Makes `product` readable by `owner` only, if it may be: it is already theirs, or it has no
    /// setting and holds no fileset yet (a public product in use is never closed behind its readers'
    /// backs). Returns whether the product is now the owner's.
    public func claim(product: String, owner: String) throws -> Bool {
        try writer.immediateTransaction { db in
            switch try Self.access(product, db) {
            case .owner(let current): return current.lowercased() == owner.lowercased()
            case .closed: return false
            case .public:
                let inUse =
                    try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT 1 FROM dsFileset JOIN dsProduct ON dsProduct.prod_id = dsFileset.prod_id WHERE dsProduct.prod_name = ? LIMIT 1
                            """, arguments: [product]) == true
                if inUse { return false }
                try db.execute(sql: "INSERT INTO dsProductAccess (prod_name, owner) VALUES (?, ?)", arguments: [product, owner])
                return true
            }
        }
    }

    static func access(_ product: String, _ db: Database) throws -> AccessRules.ProductAccess {
        guard let row = try Row.fetchOne(db, sql: "SELECT owner FROM dsProductAccess WHERE prod_name = ?", arguments: [product]) else {
            return .public
        }
        return (row["owner"] as String?).map { .owner($0) } ?? .closed
    }
}
