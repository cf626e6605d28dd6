import Foundation
import PStampCore

/// What the HTTP side of the outgoing data store needs: the three index texts and where a
/// registered file lies on disk. `DataStoreRegistry` is the real one (the request database plus
/// the data-store root); the web routes depend only on this.
public protocol DataStoreCatalog: Sendable {
    /// `/ds/index.txt`.
    func rootIndex() async throws -> String
    /// `/ds/<product>/index.txt[?<after>]`: with `after`, only the non-hidden filesets registered
    /// after that one.
    func productIndex(product: String, after: String?) async throws -> String
    /// `/ds/<product>/<fileset>/index.txt` (hidden filesets too).
    func filesetIndex(product: String, fileset: String) async throws -> String
    /// The file behind `/ds/<product>/<fileset>/<file>`: registered files only, always inside the root.
    func fileLocation(product: String, fileset: String, file: String) async throws -> URL
    /// Who may read a product over HTTP (`AccessRules.ProductAccess`; public without a setting).
    func productAccess(_ product: String) async throws -> AccessRules.ProductAccess
    /// `/ds/index.txt` listing only the products `identity` may read (`AccessRules.mayRead`).
    func rootIndex(readableBy identity: RequestIdentity) async throws -> String
}

extension DataStoreCatalog {
    /// A catalog without access settings: every product is public.
    public func productAccess(_ product: String) async throws -> AccessRules.ProductAccess { .public }
    public func rootIndex(readableBy identity: RequestIdentity) async throws -> String { try await rootIndex() }
}

/// A data-store lookup that found nothing. The IPP's index CGI answers these with `404 ERROR`,
/// `text/plain`, and the script's message as the body.
public struct DataStoreNotFound: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body of the 404 answer, byte for byte as the IPP writes it (may be empty).
    public let body: String
    public init(body: String) { self.body = body }

    /// An unknown product: `failed to find <product> in product list`.
    public static func product(_ product: String) -> DataStoreNotFound {
        .init(body: "failed to find \(product) in product list\n")
    }
    /// An unknown fileset: `failed to find <fileset> in <product>`.
    public static func fileset(_ fileset: String, in product: String) -> DataStoreNotFound {
        .init(body: "failed to find \(fileset) in \(product)\n")
    }
    /// An unknown `?<fileset>` cursor: the IPP script writes nothing, so the body is empty.
    public static let cursor = DataStoreNotFound(body: "")
    /// A file that is not registered in the fileset.
    public static func file(_ file: String, in fileset: String) -> DataStoreNotFound {
        .init(body: "failed to find \(file) in \(fileset)\n")
    }

    public var description: String { body.isEmpty ? "not found" : body.trimmingCharacters(in: .newlines) }
}
