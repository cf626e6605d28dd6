import Foundation
import PStampCore

/// One file to register in a fileset: a line `name|bytes|md5|type|ts0|ts1|…|` of a dsreg list
/// (`--list`). Blank bytes or md5 are measured at registration.
public struct RegistrationEntry: Sendable, Equatable {
    /// The path as listed, relative to the data path (or absolute); the file keeps its last component.
    public var path: String
    public var bytes: Int64?
    public var md5: String?
    public var type: String
    /// `type_col_0..7` values.
    public var values: [String?]

    public init(path: String, bytes: Int64? = nil, md5: String? = nil, type: String, values: [String?] = []) {
        self.path = path; self.bytes = bytes; self.md5 = md5; self.type = type; self.values = values
    }

    /// The name the file gets in the fileset: the last component of `path`.
    public var name: String { (path as NSString).lastPathComponent }

    /// The entry's line: `name|bytes|md5|type|ts0|…|` (blank bytes and md5 when not measured).
    public var line: String {
        ([name, bytes.map(String.init) ?? "", md5 ?? "", type] + values.map { $0 ?? "" }).joined(separator: "|") + "|"
    }

    /// A list of `entries`, one line each.
    public static func list(_ entries: [RegistrationEntry]) -> String { entries.map { $0.line + "\n" }.joined() }

    /// The entry with the size and md5 of its file (`path` as a path on disk).
    public func measured() throws -> RegistrationEntry {
        let measured = try FileChecksum.measure(URL(fileURLWithPath: path))
        var entry = self
        entry.bytes = measured.bytes
        entry.md5 = measured.md5
        return entry
    }

    /// Reads a dsreg list. Blank lines are skipped; a line with fewer than 4 fields is an error
    /// (PS_EXIT_PROG_ERROR, as dsreg), and so is an empty list unless `allowEmpty` (a job that made no
    /// file).
    public static func parseList(_ text: String, allowEmpty: Bool = false) throws -> [RegistrationEntry] {
        var entries: [RegistrationEntry] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.trimmedBlanks.isEmpty { continue }
            var fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            while let last = fields.last, last.isEmpty, fields.count > 4 { fields.removeLast() }
            guard fields.count >= 4, !fields[0].isEmpty else {
                throw PStampError(.progError, "malformed list line \(i + 1): \(line)")
            }
            let bytesText = fields[1].trimmedBlanks
            var bytes: Int64? = nil
            if !bytesText.isEmpty {
                guard let b = Int64(bytesText), b >= 0 else {
                    throw PStampError(.progError, "list line \(i + 1): bytes '\(bytesText)' is not a number")
                }
                bytes = b
            }
            let md5 = fields[2].trimmedBlanks
            let values = fields.dropFirst(4).map { $0.isEmpty ? nil : $0 } as [String?]
            entries.append(
                RegistrationEntry(
                    path: fields[0], bytes: bytes == 0 ? nil : bytes, md5: md5.isEmpty ? nil : md5,
                    type: fields[3].trimmedBlanks, values: values))
        }
        if entries.isEmpty && !allowEmpty { throw PStampError(.progError, "empty filelist") }
        return entries
    }
}
