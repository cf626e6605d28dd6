import Foundation
import PStampCore

/// One file a job made, with its data-store type (`pstamp` for stamp products, `fits` for whole-file
/// copies, `tgz` for get_image bundles).
public struct JobOutput: Sendable, Equatable {
    public var path: String
    public var type: String
    public init(_ path: String, type: String = "pstamp") { self.path = path; self.type = type }

    /// Copies a whole input file to an output name, replacing an older output (a job run again).
    static func copyWhole(_ source: String, to target: String) throws {
        try? FileManager.default.removeItem(atPath: target)
        do {
            try FileManager.default.copyItem(atPath: source, toPath: target)
        } catch {
            throw PStampError(.sysError, "cannot copy \(source) to \(target): \(error)")
        }
    }
}
