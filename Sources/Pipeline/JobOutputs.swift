import DataStore
import Foundation
import PStampCore

/// The files a job makes are entries of its request's results fileset, listed in the job's registration
/// list: `pstamp` for stamp products, `fits` for whole-file copies, `tgz` for get_image bundles.
extension RegistrationEntry {
    /// A stamp product (`pstamp`): it gets a results row.
    static func stamp(_ path: String) -> RegistrationEntry { RegistrationEntry(path: path, type: "pstamp") }

    /// A whole-file copy of an input (`fits`).
    static func wholeFile(_ path: String) -> RegistrationEntry { RegistrationEntry(path: path, type: "fits") }

    /// Stamp products and get_image bundles each get a row in the results table.
    var hasResultsRow: Bool { type == "pstamp" || type == "tgz" }

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
