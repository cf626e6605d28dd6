import Foundation
import GRDB
import PStampCore

/// The tables of the outgoing data store (`dsProduct`, `dsFileset`, `dsFile`, `dsFileType`):
/// what `/ds` lists, and the rows `dsreg --add/--del` writes. Files on disk are the caller's
/// (DataStore's `DataStoreRegistry`); this store only keeps the rows, each change in one transaction.
public struct OutgoingDataStoreStore: Sendable {
    let writer: any DatabaseWriter

    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// Who may read each product over HTTP (`dsProductAccess`).
    public var productAccess: ProductAccessStore { ProductAccessStore(writer) }

    /// UTC now as a DATETIME text, `YYYY-MM-DD HH:MM:SS`.
    public static func timestamp(_ date: Date = Date()) -> String { UTCTime.databaseText(date) }

    // MARK: products

    /// Every product, ordered by type (as the IPP root index) then by creation.
    public func products() throws -> [DSProduct] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM dsProduct ORDER BY type, prod_id").map(DSProduct.init(row:))
        }
    }

    public func product(named name: String) throws -> DSProduct? {
        try writer.read { db in try Self.product(db, name) }
    }

    static func product(_ db: Database, _ name: String) throws -> DSProduct? {
        try Row.fetchOne(db, sql: "SELECT * FROM dsProduct WHERE prod_name = ?", arguments: [name]).map(DSProduct.init(row:))
    }

    /// `dsprodtool --add`: a new product. `columnLabels` are the product-specific column labels (up to 8).
    @discardableResult
    public func addProduct(name: String, type: String, description: String, columnLabels: [String] = []) throws -> DSProduct {
        try writer.write { db in
            if try Self.product(db, name) != nil { throw OutgoingDataStoreError.productExists(name) }
            var labels: [String?] = Array(columnLabels.prefix(8))
            labels += Array(repeating: nil, count: 8 - labels.count)
            try db.execute(
                sql: """
                    INSERT INTO dsProduct (prod_name, type, description, prod_col_0, prod_col_1, prod_col_2, prod_col_3,
                                           prod_col_4, prod_col_5, prod_col_6, prod_col_7)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: StatementArguments([name, type, description] + labels))
            return try Self.product(db, name)!
        }
    }

    // MARK: filesets

    /// The non-hidden filesets of a product in registration order; with `after`, only those
    /// registered after that fileset (looked up hidden ones included). Nil when `after` names no
    /// fileset of the product. Throws `productNotFound`.
    public func filesets(product: String, after: String? = nil) throws -> [DSFileset]? {
        try writer.read { db in
            guard let p = try Self.product(db, product) else { throw OutgoingDataStoreError.productNotFound(product) }
            var after_id: Int64 = 0
            if let after {
                guard
                    let id = try Int64.fetchOne(
                        db, sql: "SELECT fileset_id FROM dsFileset WHERE prod_id = ? AND fileset_name = ?",
                        arguments: [p.prodID, after])
                else { return nil }
                after_id = id
            }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM dsFileset WHERE prod_id = ? AND hide = 0 AND fileset_id > ? ORDER BY fileset_id
                    """, arguments: [p.prodID, after_id]
            ).map(DSFileset.init(row:))
        }
    }

    /// One fileset by name, hidden or not.
    public func fileset(product: String, name: String) throws -> DSFileset? {
        try writer.read { db in
            guard let p = try Self.product(db, product) else { throw OutgoingDataStoreError.productNotFound(product) }
            return try Row.fetchOne(
                db, sql: "SELECT * FROM dsFileset WHERE prod_id = ? AND fileset_name = ?",
                arguments: [p.prodID, name]
            ).map(DSFileset.init(row:))
        }
    }

    /// The files of a fileset in registration order.
    public func files(filesetID: Int64) throws -> [DSFile] {
        try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM dsFile WHERE fileset_id = ? ORDER BY file_id",
                arguments: [filesetID]
            ).map(DSFile.init(row:))
        }
    }

    /// One file of a fileset by name (the unique (fileset_id, file_name) index), nil when it has none.
    public func file(filesetID: Int64, name: String) throws -> DSFile? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM dsFile WHERE fileset_id = ? AND file_name = ?",
                arguments: [filesetID, name]
            ).map(DSFile.init(row:))
        }
    }

    /// The labels of each file type's specific columns (`dsFileType`), up to the first NULL.
    public func fileTypeColumns() throws -> [String: [String]] {
        try writer.read { db in
            var out: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM dsFileType") {
                let labels: [String?] = (0..<4).map { row["type_col_\($0)"] }
                out[row["type"]] = labels.prefix { $0 != nil }.map { $0! }
            }
            return out
        }
    }

    /// Registers a fileset and its files in one transaction: the dsFileset row (reg_time now, UTC),
    /// one dsFile row per file in order, and the product's last_update and last_fs.
    @discardableResult
    public func insertFileset(
        product: String, name: String, type: String, values: [String?] = [],
        files: [DSFile], registered: Date = Date()
    ) throws -> DSFileset {
        try writer.write { db in
            guard let p = try Self.product(db, product) else { throw OutgoingDataStoreError.productNotFound(product) }
            if try Bool.fetchOne(
                db, sql: "SELECT 1 FROM dsFileset WHERE prod_id = ? AND fileset_name = ?",
                arguments: [p.prodID, name]) == true
            {
                throw OutgoingDataStoreError.filesetExists(fileset: name, product: product)
            }
            let time = Self.timestamp(registered)
            var cols: [String?] = Array(values.prefix(8))
            cols += Array(repeating: nil, count: 8 - cols.count)
            try db.execute(
                sql: """
                    INSERT INTO dsFileset (prod_id, fileset_name, reg_time, type, prod_col_0, prod_col_1, prod_col_2,
                                           prod_col_3, prod_col_4, prod_col_5, prod_col_6, prod_col_7)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: StatementArguments([p.prodID, name, time, type] + cols.map { $0 as (any DatabaseValueConvertible)? }))
            let filesetID = db.lastInsertedRowID
            for file in files {
                var tcols: [String?] = Array(file.values.prefix(8))
                tcols += Array(repeating: nil, count: 8 - tcols.count)
                try db.execute(
                    sql: """
                        INSERT INTO dsFile (fileset_id, file_name, bytes, md5sum, type, type_col_0, type_col_1, type_col_2,
                                            type_col_3, type_col_4, type_col_5, type_col_6, type_col_7)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: StatementArguments(
                        [filesetID, file.name, file.bytes, file.md5, file.type]
                            + tcols.map { $0 as (any DatabaseValueConvertible)? }))
            }
            try db.execute(
                sql: "UPDATE dsProduct SET last_update = ?, last_fs = ? WHERE prod_id = ?",
                arguments: [time, name, p.prodID])
            return try Row.fetchOne(db, sql: "SELECT * FROM dsFileset WHERE fileset_id = ?", arguments: [filesetID])
                .map(DSFileset.init(row:))!
        }
    }

    /// Removes a fileset's rows in one transaction; if it was the product's last_fs, last_fs
    /// becomes the newest remaining fileset (or NULL). Throws `productNotFound` / `filesetNotFound`.
    public func deleteFileset(product: String, name: String) throws {
        try writer.write { db in
            guard let p = try Self.product(db, product) else { throw OutgoingDataStoreError.productNotFound(product) }
            guard
                let id = try Int64.fetchOne(
                    db, sql: "SELECT fileset_id FROM dsFileset WHERE prod_id = ? AND fileset_name = ?",
                    arguments: [p.prodID, name])
            else {
                throw OutgoingDataStoreError.filesetNotFound(fileset: name, product: product)
            }
            try db.execute(sql: "DELETE FROM dsFile WHERE fileset_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM dsFileset WHERE fileset_id = ?", arguments: [id])
            if p.lastFileset == name {
                let newest = try String.fetchOne(
                    db,
                    sql: """
                        SELECT fileset_name FROM dsFileset WHERE prod_id = ? ORDER BY fileset_id DESC LIMIT 1
                        """, arguments: [p.prodID])
                try db.execute(sql: "UPDATE dsProduct SET last_fs = ? WHERE prod_id = ?", arguments: [newest, p.prodID])
            }
        }
    }

    /// Sets a fileset's `hide` flag (hidden filesets leave the product index but stay fetchable).
    public func setHidden(product: String, name: String, hidden: Bool) throws {
        try writer.write { db in
            guard let p = try Self.product(db, product) else { throw OutgoingDataStoreError.productNotFound(product) }
            try db.execute(
                sql: "UPDATE dsFileset SET hide = ? WHERE prod_id = ? AND fileset_name = ?",
                arguments: [hidden ? 1 : 0, p.prodID, name])
            if db.changesCount == 0 { throw OutgoingDataStoreError.filesetNotFound(fileset: name, product: product) }
        }
    }
}
