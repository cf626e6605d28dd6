import Foundation
import PStampCore

/// The client side of the data-store protocol over libcurl: what the IPP's dsproductls, dsfilesetls
/// and dsget do. URIs are the level's base without `/index.txt` (a `pstampDataStore.uri` is a
/// product URI, `http://host/ds/<product>`).
public struct DataStoreClient: Sendable {
    /// Timeout for index reads (the poller's 10 s in the IPP).
    public var indexTimeout: TimeInterval
    /// Timeout for a file download (the IPP parser's 120 s).
    public var downloadTimeout: TimeInterval

    /// Told about the lines of an index that were left out (malformed, as the IPP client rules say),
    /// with the index's URL: the poller logs them, so a store that writes a bad line is visible.
    public var onSkippedLines: (@Sendable (_ url: String, _ skipped: [DataStoreIndexParser.Skip]) -> Void)?
    /// Extra request header lines sent with every transfer (a token: `Authorization: Bearer …`).
    public var headers: [String] = []

    public init(
        indexTimeout: TimeInterval = 10, downloadTimeout: TimeInterval = 120,
        onSkippedLines: (@Sendable (_ url: String, _ skipped: [DataStoreIndexParser.Skip]) -> Void)? = nil
    ) {
        self.indexTimeout = indexTimeout
        self.downloadTimeout = downloadTimeout
        self.onSkippedLines = onSkippedLines
    }

    /// A fileset listed by a product index, with the URI of its own index.
    public struct RemoteFileset: Sendable, Equatable {
        public var entry: DataStoreIndexParser.Fileset
        public var uri: String
        public var name: String { entry.name }
    }

    /// A file listed by a fileset index, with its download URI.
    public struct RemoteFile: Sendable, Equatable {
        public var entry: DataStoreIndexParser.File
        public var uri: String
        public var name: String { entry.name }
    }

    /// A level's URI without a trailing `/index.txt` or `/` (stores are sometimes entered with it).
    public static func levelURI(_ uri: String) -> String {
        var u = uri
        if u.hasSuffix("/index.txt") { u.removeLast("/index.txt".count) }
        while u.hasSuffix("/") { u.removeLast() }
        return u
    }

    /// Joins a base URI and one path segment with exactly one `/`.
    public static func join(_ base: String, _ segment: String) -> String {
        (base.hasSuffix("/") ? base : base + "/") + segment
    }

    /// `GET <product>/index.txt[?<lastFileset>]`: the filesets registered after `lastFileset`
    /// (all of them without one). Throws `HTTPTransferError` (a 404 here means an unknown cursor
    /// or product).
    public func filesets(productURI: String, after lastFileset: String? = nil) async throws -> [RemoteFileset] {
        let productURI = Self.levelURI(productURI)
        var url = Self.join(productURI, "index.txt")
        if let lastFileset, !lastFileset.isEmpty {
            url += "?" + (lastFileset.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? lastFileset)
        }
        let text = String(decoding: try await CurlTransfer.get(url, timeout: indexTimeout, headers: headers), as: UTF8.self)
        let listing = DataStoreIndexParser.filesets(text)
        if !listing.skipped.isEmpty { onSkippedLines?(url, listing.skipped) }
        return listing.entries.map {
            RemoteFileset(entry: $0, uri: Self.join(productURI, $0.name))
        }
    }

    /// `GET <fileset>/index.txt`: the files of one fileset, in listed order.
    public func files(filesetURI: String) async throws -> [RemoteFile] {
        let filesetURI = Self.levelURI(filesetURI)
        let url = Self.join(filesetURI, "index.txt")
        let text = String(decoding: try await CurlTransfer.get(url, timeout: indexTimeout, headers: headers), as: UTF8.self)
        let listing = DataStoreIndexParser.files(text)
        if !listing.skipped.isEmpty { onSkippedLines?(url, listing.skipped) }
        return listing.entries.map {
            RemoteFile(entry: $0, uri: Self.join(filesetURI, $0.name))
        }
    }

    /// Downloads `uri` to `destination` through a temporary file next to it, checking the size and
    /// md5 when given; only a file that passed the checks appears at `destination`.
    /// Throws `HTTPTransferError` for HTTP and transport failures, `PStampError` (PS_EXIT_DATA_ERROR)
    /// for a size or md5 mismatch.
    @discardableResult
    public func download(
        _ uri: String, to destination: URL, bytes: Int64? = nil, md5: String? = nil,
        timeout: TimeInterval? = nil
    ) async throws -> (bytes: Int64, md5: String) {
        let directory = destination.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = Self.temporary(for: destination)
        let got = try await CurlTransfer.download(uri, to: temporary, timeout: timeout ?? downloadTimeout, headers: headers)
        try Self.accept(uri, temporary, as: destination, got: got, bytes: bytes, md5: md5)
        return got
    }

    /// Downloads every file of a fileset into `directory`, checking each size and md5 from the index.
    public func fetchFileset(filesetURI: String, into directory: URL) async throws -> [RemoteFile] {
        let files = try await self.files(filesetURI: filesetURI)
        for file in files {
            // The listing's names passed the client rule (no '/'); refuse the two that still climb.
            guard file.name != ".", file.name != ".." else {
                throw PStampError(.dataError, "\(filesetURI) lists a file named '\(file.name)'")
            }
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let targets = files.map { directory.appendingPathComponent($0.name) }
        let temporaries = targets.map(Self.temporary(for:))
        let got: [(bytes: Int64, md5: String)]
        do {
            got = try await CurlTransfer.download(
                zip(files, temporaries).map { (url: $0.uri, file: $1) }, parallel: Self.parallelTransfers,
                timeout: downloadTimeout, headers: headers)
        } catch {
            for temporary in temporaries { try? FileManager.default.removeItem(at: temporary) }
            throw error
        }
        for (i, file) in files.enumerated() {
            try Self.accept(
                file.uri, temporaries[i], as: targets[i], got: got[i], bytes: file.entry.bytes, md5: file.entry.md5)
        }
        return files
    }

    /// Transfers of one fileset at once (each keeps its connection).
    public static let parallelTransfers = 8

    static func temporary(for destination: URL) -> URL {
        destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
    }

    /// Checks a downloaded file's size and md5 against the index and moves it into place; a file that
    /// fails a check is removed and the check's error thrown.
    static func accept(
        _ uri: String, _ temporary: URL, as destination: URL, got: (bytes: Int64, md5: String), bytes: Int64?, md5: String?
    ) throws {
        do {
            if let bytes, bytes != got.bytes {
                throw PStampError(.dataError, "\(uri): got \(got.bytes) bytes, the index says \(bytes)")
            }
            if let md5, !md5.isEmpty, md5.lowercased() != got.md5 {
                throw PStampError(.dataError, "\(uri): md5 \(got.md5) does not match \(md5) from the index")
            }
            if FileManager.default.fileExists(atPath: destination.path) {
                try FileManager.default.removeItem(at: destination)
            }
            try FileManager.default.moveItem(at: temporary, to: destination)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// The fault the IPP records for a failed transfer or check: HTTP status − 300 for HTTP
    /// failures, the error's own code for PStamp errors, PS_EXIT_SYS_ERROR otherwise.
    public static func fault(of error: Error) -> PStampCode {
        if let e = error as? HTTPTransferError { return e.fault }
        if let e = error as? PStampError { return e.code }
        return .sysError
    }
}

extension DataStoreClient {
    /// Downloads a request file named by its data-store URI (`…/<product>/<fileset>/<file>`), as
    /// the parser does (IPP `dsget --timeout 120`), checking size and md5 against the fileset's
    /// `index.txt` when that index lists the file. A URI outside the data-store layout (no index,
    /// or the index does not list it) is downloaded without the checks.
    /// Throws `HTTPTransferError` (fault = HTTP status − 300: a 500 is fault 200, retried by the
    /// reverter) or `PStampError` for a failed check.
    @discardableResult
    public func downloadListedFile(_ uri: String, to destination: URL) async throws -> (bytes: Int64, md5: String) {
        var listed: DataStoreIndexParser.File? = nil
        if let slash = uri.lastIndex(of: "/") {
            let name = String(uri[uri.index(after: slash)...])
            let filesetURI = String(uri[..<slash])
            do {
                listed = try await files(filesetURI: filesetURI).first { $0.name == name }?.entry
            } catch let error as HTTPTransferError where error.httpStatus == 404 {
                listed = nil
            }
        }
        return try await download(uri, to: destination, bytes: listed?.bytes, md5: listed?.md5)
    }
}
