import DataStore
import Foundation
import PStampCore

/// A standalone site's archive of image files: the files at their image-root relative paths, listed
/// with their SHA-256 in `SHA256SUMS` (`sha256sum` output). Restoring copies a file back into an image
/// root after checking its checksum; a file missing, unlisted or damaged is a system fault (2).
public struct SiteArchive: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    /// `SHA256SUMS`: relative path → hex digest.
    public func checksums() throws -> [String: String] {
        let url = root.appendingPathComponent("SHA256SUMS")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw PStampError(.sysError, "the archive has no readable \(url.path)")
        }
        var sums: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2 else { continue }
            var path = parts[1].trimmingCharacters(in: .whitespaces)
            if path.hasPrefix("*") { path.removeFirst() }
            sums[path] = String(parts[0]).lowercased()
        }
        return sums
    }

    /// The listed files whose relative path starts with `prefix`, sorted.
    public func files(withPrefix prefix: String) throws -> [(path: String, sha256: String)] {
        try checksums().filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Copies `relativePath` into `imageRoot` (same relative path) when its SHA-256 is `sha256`; the
    /// file appears at once (written beside it, then renamed) or not at all.
    public func restore(_ relativePath: String, sha256: String, into imageRoot: URL) throws {
        let source = root.appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: source.path) else {
            throw PStampError(.sysError, "archive file \(source.path) is missing")
        }
        let digest = FileChecksum.sha256(data)
        guard digest == sha256 else {
            throw PStampError(.sysError, "archive file \(source.path) has SHA-256 \(digest), SHA256SUMS says \(sha256)")
        }
        let target = imageRoot.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let partial = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString)")
        try data.write(to: partial)
        if FileManager.default.fileExists(atPath: target.path) { try? FileManager.default.removeItem(at: target) }
        try FileManager.default.moveItem(at: partial, to: target)
    }
}
