import Foundation
import Logging
import PStampCore

/// The outgoing data store: filesets registered under `<root>/<product>/<fileset>/` and in the
/// request database (dsProduct, dsFileset, dsFile), and served through `DataStoreCatalog`.
/// Registration is the IPP's `dsreg --add` / `--del` (server-internals §7.3).
///
/// Every product, fileset and file name is checked against the data-store character set before it
/// touches the disk, so no name can lead outside the root.
public struct DataStoreRegistry: DataStoreCatalog {
    /// How listed files get into the fileset directory.
    public enum Placement: String, Sendable, CaseIterable {
        /// Linked from the source (`--link`): a hard link, or a copy where the source is on another
        /// filesystem. The fileset holds the file itself, so what is served never lies outside the root
        /// and cleaning the source's directory leaves the fileset whole.
        case link
        /// A copy (`--copy`).
        case copy
        /// Already in the fileset directory (dsreg with neither option).
        case inPlace
    }

    public let root: URL
    public let store: any OutgoingDataStoreTables
    let logger: Logger

    public init(root: URL, store: any OutgoingDataStoreTables, logger: Logger = Logger(label: "pstamp.datastore")) {
        self.root = root.standardizedFileURL
        self.store = store
        self.logger = logger
    }

    /// `<root>/<product>`, for a checked name.
    public func productDirectory(_ product: String) throws -> URL {
        try DataStoreName.validate(product, as: .product)
        return root.appendingPathComponent(product, isDirectory: true)
    }

    /// `<root>/<product>/<fileset>`, for checked names.
    public func filesetDirectory(product: String, fileset: String) throws -> URL {
        try DataStoreName.validate(fileset, as: .fileset)
        return try productDirectory(product).appendingPathComponent(fileset, isDirectory: true)
    }

    /// `dsprodtool --add`: creates a product (row and directory).
    @discardableResult
    public func addProduct(_ name: String, type: String, description: String, columnLabels: [String] = []) throws -> DSProduct {
        try DataStoreName.validate(type, as: .type)
        for label in columnLabels { try DataStoreName.validate(label, as: .type) }
        let dir = try productDirectory(name)
        let product = try store.addProduct(name: name, type: type, description: description, columnLabels: columnLabels)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return product
    }

    /// `dsreg --add`: places the files (`placement`, sources relative to `dataPath` unless absolute),
    /// measures missing or stale sizes and md5 sums, and records the fileset in one transaction.
    /// On any failure the new fileset directory is removed and nothing is recorded.
    ///
    /// - Parameters:
    ///   - values: the product-specific values (`--ps0..7`; pstamp puts the req_id in the first).
    ///   - createProduct: make the product (type `psresults`) if it does not exist yet.
    @discardableResult
    public func register(
        product: String, fileset: String, type: String, files: [RegistrationEntry],
        dataPath: URL? = nil, placement: Placement = .link, values: [String?] = [],
        createProduct: Bool = false, registered: Date = Date()
    ) throws -> DSFileset {
        try DataStoreName.validate(type, as: .type)
        let dir = try filesetDirectory(product: product, fileset: fileset)
        for entry in files {
            try DataStoreName.validate(entry.name, as: .file)
            try DataStoreName.validate(entry.type, as: .type)
            if entry.name == "index.txt" {
                throw PStampError(.dataError, "a file may not be called index.txt: that name is the fileset's listing")
            }
        }
        if Set(files.map(\.name)).count != files.count {
            throw PStampError(.dataError, "two listed files have the same name in fileset \(fileset)")
        }
        if try store.product(named: product) == nil {
            guard createProduct else { throw OutgoingDataStoreError.productNotFound(product) }
            do {
                try addProduct(product, type: "psresults", description: "Postage Stamp Results")
            } catch {
                // Two requests finishing at once both found no product: the other one made it.
                guard try store.product(named: product) != nil else { throw error }
            }
        }
        if try store.fileset(product: product, name: fileset) != nil {
            throw OutgoingDataStoreError.filesetExists(fileset: fileset, product: product)
        }

        let fm = FileManager.default
        if placement == .inPlace {
            let rows = try files.map { entry -> DSFile in
                let path = dir.appendingPathComponent(entry.name)
                guard fm.fileExists(atPath: path.path) else { throw PStampError(.unknownError, "file \(path.path) not found") }
                return try measured(entry, at: path)
            }
            return try store.insertFileset(
                product: product, name: fileset, type: type, values: values, files: rows,
                registered: registered)
        }
        // Files are placed in a staging directory (a name no fileset can have) and moved into place
        // once the rows are recorded, so a failed or losing registration never touches a live fileset.
        let staging = dir.deletingLastPathComponent().appendingPathComponent(".\(fileset).\(UUID().uuidString).staging", isDirectory: true)
        defer { try? fm.removeItem(at: staging) }
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        // Placed and measured on all cores: a big request's fileset has thousands of small files.
        let rows: [DSFile] = try files.concurrentMap { entry in
            let source =
                entry.path.hasPrefix("/") || dataPath == nil
                ? URL(fileURLWithPath: entry.path)
                : dataPath!.appendingPathComponent(entry.path)
            guard fm.isReadableFile(atPath: source.path) else {
                throw PStampError(.sysError, "source file \(source.path) does not exist or is not accessible")
            }
            let destination = staging.appendingPathComponent(entry.name)
            switch placement {
            case .link:
                // One link(2) that follows a symlinked source to its file; across file systems, a copy.
                if linkat(AT_FDCWD, source.path, AT_FDCWD, destination.path, AT_SYMLINK_FOLLOW) != 0 {
                    try fm.copyItem(at: source.standardizedFileURL.resolvingSymlinksInPath(), to: destination)
                }
            case .copy: try fm.copyItem(at: source, to: destination)
            case .inPlace: break
            }
            return try measured(entry, at: destination)
        }
        let recorded = try store.insertFileset(
            product: product, name: fileset, type: type, values: values, files: rows,
            registered: registered)
        do {
            if fm.fileExists(atPath: dir.path) { try fm.removeItem(at: dir) }  // a leftover of an old fileset
            try fm.moveItem(at: staging, to: dir)
        } catch {
            try? store.deleteFileset(product: product, name: fileset)
            throw PStampError(.sysError, "cannot move the files of \(fileset) into \(dir.path): \(error)")
        }
        return recorded
    }

    /// The dsFile row of one placed file: the listed size is checked against the disk; a missing
    /// or stale size or md5 is measured (dsreg re-measures both when the size changed).
    private func measured(_ entry: RegistrationEntry, at url: URL) throws -> DSFile {
        var info = stat()  // stat(2) follows a symlink to the file it names
        guard stat(url.path, &info) == 0 else {
            throw PStampError(.sysError, "cannot read the size of \(url.path): \(String(cString: strerror(errno)))")
        }
        let size = Int64(info.st_size)
        var bytes = entry.bytes
        var md5 = entry.md5?.lowercased()
        if let listed = bytes, listed != size {
            logger.warning("size on disk for \(url.path): \(size) does not match listed size \(listed); using the size on disk")
            bytes = nil; md5 = nil
        }
        if let m = md5, !DataStoreIndexParser.isMD5(m) {
            throw PStampError(.dataError, "listed md5 '\(m)' of \(entry.name) is not 32 hex digits")
        }
        if bytes == nil || md5 == nil {
            let measured = try FileChecksum.measure(url)
            bytes = measured.bytes
            md5 = measured.md5
        }
        return DSFile(name: entry.name, bytes: bytes, md5: md5, type: entry.type, values: entry.values)
    }

    /// `dsreg --del`: removes the fileset's rows and, with `removeFiles`, its directory.
    /// Throws `filesetNotFound` / `productNotFound` unless `force` (then a missing one is fine).
    public func delete(product: String, fileset: String, removeFiles: Bool = true, force: Bool = false) throws {
        let dir = try filesetDirectory(product: product, fileset: fileset)
        do {
            try store.deleteFileset(product: product, name: fileset)
        } catch let error as OutgoingDataStoreError where force {
            logger.info("\(error)")
            return
        }
        if removeFiles, FileManager.default.fileExists(atPath: dir.path) {
            try FileManager.default.removeItem(at: dir)
        }
    }

    // MARK: DataStoreCatalog

    /// Every product, whoever may read it (the operator's view: `pstamp ds products`).
    public func rootIndex() async throws -> String {
        DataStoreIndex.rootText(try store.products().map(rootEntry))
    }

    public func rootIndex(readableBy identity: RequestIdentity) async throws -> String {
        let settings = try store.accessByProduct()
        return DataStoreIndex.rootText(
            try store.products().filter {
                AccessRules.mayRead(settings[$0.name] ?? .public, identity: identity)
            }.map(rootEntry))
    }

    private func rootEntry(_ p: DSProduct) -> DataStoreIndex.ProductEntry {
        .init(
            name: p.name, lastFileset: p.lastFileset, lastUpdate: UTCTime.date(databaseText: p.lastUpdate),
            type: p.type, description: p.description)
    }

    public func productAccess(_ product: String) async throws -> AccessRules.ProductAccess {
        try store.access(product: product)
    }

    public func productIndex(product: String, after: String?) async throws -> String {
        guard let p = try store.product(named: product) else { throw DataStoreNotFound.product(product) }
        guard let filesets = try store.filesets(product: product, after: after) else { throw DataStoreNotFound.cursor }
        do {
            return try DataStoreIndex.productText(
                labels: p.columnLabels,
                filesets: filesets.map {
                    .init(
                        name: $0.name, registered: UTCTime.date(databaseText: $0.registered) ?? Date(timeIntervalSince1970: 0),
                        type: $0.type, values: $0.values)
                })
        } catch let error as DataStoreIndex.MissingFilesetType {
            throw DataStoreNotFound(body: "fileset \(error.fileset) has no type\n")
        }
    }

    public func filesetIndex(product: String, fileset: String) async throws -> String {
        guard try store.product(named: product) != nil else { throw DataStoreNotFound.product(product) }
        guard let fs = try store.fileset(product: product, name: fileset) else {
            throw DataStoreNotFound.fileset(fileset, in: product)
        }
        return DataStoreIndex.filesetText(
            try store.files(filesetID: fs.filesetID).map {
                .init(name: $0.name, bytes: $0.bytes, md5: $0.md5, type: $0.type, values: $0.values)
            }, typeColumns: try store.fileTypeColumns())
    }

    public func fileLocation(product: String, fileset: String, file: String) async throws -> URL {
        guard DataStoreName.isValid(product, as: .product), DataStoreName.isValid(fileset, as: .fileset),
            DataStoreName.isValid(file, as: .file)
        else { throw DataStoreNotFound.file(file, in: fileset) }
        guard try store.product(named: product) != nil else { throw DataStoreNotFound.product(product) }
        guard let fs = try store.fileset(product: product, name: fileset) else {
            throw DataStoreNotFound.fileset(fileset, in: product)
        }
        guard try store.file(filesetID: fs.filesetID, name: file) != nil else {
            throw DataStoreNotFound.file(file, in: fileset)
        }
        let location = try filesetDirectory(product: product, fileset: fileset).appendingPathComponent(file)
        // A registered file is served only where it really lies under the root: a symlink put in its
        // place that points elsewhere is not followed.
        let realRoot = root.resolvingSymlinksInPath().path
        guard location.resolvingSymlinksInPath().path.hasPrefix(realRoot + "/") else {
            logger.warning("not serving \(location.path): it resolves outside the data store root \(realRoot)")
            throw DataStoreNotFound.file(file, in: fileset)
        }
        return location
    }
}
