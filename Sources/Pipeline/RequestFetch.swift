import DataStore
import Foundation
import PStampCore

/// pstamp_parser_run.pl's first step: the request file is brought into the request's work directory.
/// An http(s) URI is downloaded (the IPP's `dsget --timeout 120`, with the size and md5 check when the
/// fileset's index lists the file); a local path (or file://) is copied, replacing an older copy.
struct RequestFetch {
    let client: DataStoreClient

    /// The local copy of `uri` in `outdir`.
    func fetch(_ uri: String?, into outdir: URL) async throws -> URL {
        try FileManager.default.createDirectory(at: outdir, withIntermediateDirectories: true)
        guard let uri, !uri.isEmpty, uri != "NULL" else {
            throw PStampError(.configError, "the request has no uri")
        }
        let lower = uri.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            let local = RequestWorkDirectory(outdir).file(Self.fileName(ofURI: uri))
            // The request's own directory: a name that could leave it became request.fits.
            try await client.downloadListedFile(uri, to: local)
            return local
        }
        guard !uri.contains("://") || lower.hasPrefix("file://") else {
            throw PStampError(.configError, "request uri \(uri): only http, https and local files can be fetched")
        }
        let source = URL(fileURLWithPath: lower.hasPrefix("file://") ? String(uri.dropFirst(7)) : uri)
        let local = RequestWorkDirectory(outdir).file(source.lastPathComponent)
        if source.standardizedFileURL.path != local.standardizedFileURL.path {
            try? FileManager.default.removeItem(at: local)
            try FileManager.default.copyItem(at: source, to: local)
        }
        return local
    }

    /// The last path segment of an http URI (query and fragment dropped, percent-decoded);
    /// `request.fits` when it is empty or could leave the work directory (`..`, `%2e%2e`, `a%2Fb`, NUL).
    static func fileName(ofURI uri: String) -> String {
        var path = Substring(uri)
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<cut] }
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let name = last.removingPercentEncoding ?? last
        if name.isEmpty || name == "." || name == ".." || name.contains("/") || name.contains("\0") || name.contains(":") {
            return "request.fits"
        }
        return name
    }

    /// The request fault for a failed fetch or parse: HTTP status − 300 (500 → 200, retried by the
    /// reverter; 404 → 104), 6 for a timeout, a PStamp error's own code below 10, else
    /// PS_EXIT_UNKNOWN_ERROR (1), as pstamp_parser_run.pl records a failed copy.
    static func fault(of error: Error) -> PStampCode {
        if let http = error as? HTTPTransferError { return http.fault }
        if let e = error as? PStampError, e.code.isRetryable { return e.code }
        return .unknownError
    }
}
