import Foundation
import PStampCore

/// parse_error.txt in a request's work directory: why rows (or the whole request) were refused, one line
/// each. Written by the Parser, added to by the Reverter and the Finisher, registered with the results.
enum ParseErrorFile {
    static func url(in dir: URL) -> URL { RequestWorkDirectory(dir).parseErrors }

    /// Replaces the file with `lines` (none: no file).
    static func write(_ lines: [String], in dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: url(in: dir))
        guard !lines.isEmpty else { return }
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: url(in: dir))
    }

    /// Adds a line.
    static func append(_ line: String, in dir: URL) throws {
        var text = (try? String(contentsOf: url(in: dir), encoding: .utf8)) ?? ""
        text += line + "\n"
        try Data(text.utf8).write(to: url(in: dir))
    }

    static func exists(in dir: URL) -> Bool { FileManager.default.fileExists(atPath: url(in: dir).path) }
}
