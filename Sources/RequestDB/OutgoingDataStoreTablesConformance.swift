import PStampCore

/// The request database keeps the outgoing data store's tables the DataStore module registers and
/// serves filesets through.
extension OutgoingDataStoreStore: OutgoingDataStoreTables {
    public func access(product: String) throws -> AccessRules.ProductAccess { try productAccess.access(product: product) }
    public func accessByProduct() throws -> [String: AccessRules.ProductAccess] { try productAccess.all() }
}
