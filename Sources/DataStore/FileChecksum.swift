import Foundation
import PStampCore

/// Size and md5 of a file on disk, read in chunks (files may be large bundles).
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
}
