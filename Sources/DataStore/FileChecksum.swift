import CCrypto
import Foundation
import PStampCore

/// The checksums of files: size and md5 of a file on disk, read in chunks (files may be large bundles),
/// and the SHA-256 a site archive lists.
public enum FileChecksum {
    public static func measure(_ url: URL) throws -> (bytes: Int64, md5: String) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let md5 = MD5()
        var bytes: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            md5.update(chunk)
            bytes += Int64(chunk.count)
        }
        return (bytes, md5.hexDigest)
    }

    /// The SHA-256 of `data` in lowercase hex (OpenSSL's libcrypto, EVP), as `sha256sum` prints it.
    public static func sha256(_ data: Data) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        data.withUnsafeBytes { bytes in
            _ = EVP_Digest(bytes.baseAddress, bytes.count, &digest, &length, EVP_sha256(), nil)
        }
        return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }
}
