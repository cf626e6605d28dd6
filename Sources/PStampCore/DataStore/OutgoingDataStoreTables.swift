import Foundation

/// The outgoing data store's tables (dsProduct, dsFileset, dsFile and the products' access settings)
/// as the data store needs them: the DataStore module registers and serves filesets through this, and
/// the request database (RequestDB's `OutgoingDataStoreStore`) keeps them.
public protocol OutgoingDataStoreTables: Sendable {
    /// Every product, ordered by type (as the IPP root index) then by creation.
    func products() throws -> [DSProduct]
    func product(named name: String) throws -> DSProduct?
    /// Adds a product; `productExists` when the name is taken.
    func addProduct(name: String, type: String, description: String, columnLabels: [String]) throws -> DSProduct
    /// A product's visible filesets in registration order, after the fileset `after` when given; nil
    /// when `after` is not one of them.
    func filesets(product: String, after: String?) throws -> [DSFileset]?
    func fileset(product: String, name: String) throws -> DSFileset?
    func files(filesetID: Int64) throws -> [DSFile]
    /// One file of a fileset by name (what serving one file asks), nil when the fileset has none.
    func file(filesetID: Int64, name: String) throws -> DSFile?
    /// The labels of the type-specific file columns, by file type.
    func fileTypeColumns() throws -> [String: [String]]
    /// Registers a fileset and its files in one transaction; `filesetExists` / `productNotFound`.
    func insertFileset(
        product: String, name: String, type: String, values: [String?], files: [DSFile], registered: Date
    ) throws -> DSFileset
    /// Removes a fileset's rows; `productNotFound` / `filesetNotFound`.
    func deleteFileset(product: String, name: String) throws
    /// Who may read a product.
    func access(product: String) throws -> AccessRules.ProductAccess
    /// Every product's access setting that is not the default.
    func accessByProduct() throws -> [String: AccessRules.ProductAccess]
}

extension OutgoingDataStoreTables {
    /// All of a product's visible filesets.
    public func filesets(product: String) throws -> [DSFileset]? { try filesets(product: product, after: nil) }

    public func file(filesetID: Int64, name: String) throws -> DSFile? {
        try files(filesetID: filesetID).first { $0.name == name }
    }
}
