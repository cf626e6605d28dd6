import ArgumentParser
import DataStore
import Foundation
import PStampCore
import RequestDB

/// `pstamp ds`: the outgoing data store, as the IPP's dsreg and dsprodtool did it.
struct DataStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ds",
        abstract: "Register and list filesets of the server's outgoing data store (/ds).",
        subcommands: [Add.self, Del.self, Products.self, Filesets.self, Access.self]
    )

    /// Maps registry errors to a message and the dsreg exit status.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as PStampError {
            throw fail(error.message, code: Int32(error.code.rawValue))
        } catch let error as OutgoingDataStoreError {
            throw fail("\(error)", code: 1)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a fileset (dsreg --add): place its files and record their sizes and md5 sums.",
            discussion: """
                The list has one line per file, `name|bytes|md5|type|`, with bytes and md5 left blank to have \
                them measured. Files are hard-linked (--link, the default; copied where --datapath is on another \
                filesystem) or copied (--copy) from --datapath.
                """)

        @OptionGroup var data: DataDirectoryOptions
        @Argument(help: "The fileset name.") var fileset: String
        @Option(help: "The product to register in.") var product: String
        @Option(help: "The fileset type (PSRESULTS, PSREQUEST, ...).") var type: String
        @Option(help: "The file list, or - for standard input.") var list: String
        @Option(help: "The directory the listed files are in.") var datapath: String?
        @Flag(help: "Copy the files into the data store instead of linking them.") var copy = false
        @Flag(help: "The files are already in the fileset directory.") var inPlace = false
        @Option(name: .customLong("ps0"), help: "Product-specific value 0 (pstamp: the req_id).") var ps0: String?
        @Option(name: .customLong("ps1"), help: "Product-specific value 1.") var ps1: String?
        @Flag(help: "Create the product (type psresults) if it does not exist.") var createProduct = false

        func run() async throws {
            try await DataStoreCommand.run {
                let text: String
                if list == "-" {
                    text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                } else {
                    guard let contents = try? String(contentsOfFile: list, encoding: .utf8) else {
                        throw PStampError(.unknownError, "cannot open filelist file \(list)")
                    }
                    text = contents
                }
                let entries = try RegistrationEntry.parseList(text)
                let registry = try data.registry(try data.openDatabase())
                let fs = try registry.register(
                    product: product, fileset: fileset, type: type, files: entries,
                    dataPath: datapath.map { URL(fileURLWithPath: $0, isDirectory: true) },
                    placement: inPlace ? .inPlace : (copy ? .copy : .link),
                    values: [ps0, ps1], createProduct: createProduct)
                print("registered \(fs.name) in \(product): \(entries.count) file(s)")
            }
        }
    }

    struct Del: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a fileset (dsreg --del --rm).")
        @OptionGroup var data: DataDirectoryOptions
        @Argument(help: "The fileset name.") var fileset: String
        @Option(help: "The product it is in.") var product: String
        @Flag(help: "Keep the fileset's directory on disk.") var keepFiles = false
        @Flag(help: "Succeed when the product or fileset does not exist.") var force = false

        func run() async throws {
            try await DataStoreCommand.run {
                let registry = try data.registry(try data.openDatabase())
                try registry.delete(product: product, fileset: fileset, removeFiles: !keepFiles, force: force)
            }
        }
    }

    struct Products: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the products (the root index.txt), or create one with --add (dsprodtool --add).")
        @OptionGroup var data: DataDirectoryOptions
        @Option(help: "Create this product.") var add: String?
        @Option(help: "The new product's type (psresults, psrequest, ...).") var type = "psresults"
        @Option(help: "The new product's description.") var description = "Postage Stamp Results"
        @Option(help: "A label of a product-specific column (repeatable, up to 8).") var column: [String] = []

        func run() async throws {
            try await DataStoreCommand.run {
                let registry = try data.registry(try data.openDatabase())
                if let add {
                    try registry.addProduct(add, type: type, description: description, columnLabels: column)
                }
                print(try await registry.rootIndex(), terminator: "")
            }
        }
    }

    struct Filesets: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a product's filesets (its index.txt), or one fileset's files.")
        @OptionGroup var data: DataDirectoryOptions
        @Argument(help: "The product.") var product: String
        @Argument(help: "A fileset: list its files instead.") var fileset: String?
        @Option(help: "Only filesets registered after this one.") var after: String?

        func run() async throws {
            try await DataStoreCommand.run {
                let registry = try data.registry(try data.openDatabase())
                do {
                    if let fileset {
                        print(try await registry.filesetIndex(product: product, fileset: fileset), terminator: "")
                    } else {
                        print(try await registry.productIndex(product: product, after: after), terminator: "")
                    }
                } catch let error as DataStoreNotFound {
                    throw fail(error.body.isEmpty ? "fileset '\(after ?? "")' not found in \(product)" : error.body, code: 1)
                }
            }
        }
    }

    /// `pstamp ds access PRODUCT`: who may read a product over HTTP (`AccessRules.ProductAccess`).
    struct Access: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or set who may read a product under /ds: everyone (the default), one user, or nobody over HTTP.")

        @OptionGroup var data: DataDirectoryOptions
        @Argument(help: "The product.") var product: String
        @Option(help: "Only this user (user@domain, logged in with a token or the front-end header) may list and read it.")
        var owner: String?
        @Flag(help: "Everyone may read it (removes the setting).") var `public` = false
        @Flag(help: "Nobody may read it over HTTP.") var closed = false

        func run() async throws {
            try await DataStoreCommand.run {
                guard [owner != nil, `public`, closed].filter({ $0 }).count <= 1 else {
                    throw PStampError(.configError, "give one of --owner, --public, --closed")
                }
                let store = try data.openDatabase().productAccess
                if let owner { try store.set(product: product, .owner(owner)) }
                if `public` { try store.set(product: product, .public) }
                if closed { try store.set(product: product, .closed) }
                switch try store.access(product: product) {
                case .public: print("\(product): public")
                case .owner(let user): print("\(product): only \(user)")
                case .closed: print("\(product): closed (not served over HTTP)")
                }
            }
        }
    }
}
