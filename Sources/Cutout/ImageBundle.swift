// get_image jobs: the whole component (image, mask, variance) in one gzip-compressed tar bundle
// (IPP `pstamp_get_image_job.pl` / `dist_bundle.pl`). Made by the system's tar, file names flattened.
import Foundation
import PStampCore

public enum ImageBundle {
    /// Writes `<outputBase>.tgz` holding `files` (their base names) and returns its path.
    /// A missing input is code 26 (PSTAMP_GONE).
    @discardableResult
    public static func write(files: [String], outputBase: String) throws -> String {
        let fm = FileManager.default
        for f in files where !fm.isReadableFile(atPath: f) {
            throw PStampError(.gone, "get_image input missing: \(f)")
        }
        let bundle = outputBase + ".tgz"
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/bin/tar")
        var arguments = ["-czf", bundle]
        for f in files {
            let url = URL(fileURLWithPath: f)
            arguments += ["-C", url.deletingLastPathComponent().path, url.lastPathComponent]
        }
        tar.arguments = arguments
        let errors = Pipe()
        tar.standardError = errors
        do { try tar.run() } catch { throw PStampError(.sysError, "cannot run tar: \(error)") }
        tar.waitUntilExit()
        guard tar.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            try? fm.removeItem(atPath: bundle)
            throw PStampError(.sysError, "tar failed making \(bundle): \(text)")
        }
        return bundle
    }
}
