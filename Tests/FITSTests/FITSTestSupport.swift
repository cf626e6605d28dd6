import Foundation
import PStampTestSupport
import Testing

@testable import FITS

/// A fresh directory under the system temporary directory, removed when the value goes away.
final class TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("pstamp-fits-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    /// Set PSTAMP_KEEP_TEST_FILES=1 to keep the files for a look with fitsverify.
    deinit {
        if ProcessInfo.processInfo.environment["PSTAMP_KEEP_TEST_FILES"] == nil {
            try? FileManager.default.removeItem(at: url)
        }
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// Runs Debian's `fitsverify -q` on a file; returns its output. A clean file prints `verification OK`.
func fitsverify(_ path: String) throws -> String {
    let candidates = ["/usr/bin/fitsverify", "/usr/local/bin/fitsverify"]
    guard let tool = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        Issue.record("fitsverify is not installed (Debian package fitsverify; `make deps` installs it)")
        return ""
    }
    return try runProcess(tool, ["-q", path]).output
}

/// Expects fitsverify to report the file clean (no errors, no warnings).
func expectFitsverifyClean(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let output = try fitsverify(path)
    #expect(output.contains("verification OK"), "fitsverify: \(output)", sourceLocation: sourceLocation)
}

/// Deterministic pseudo-random numbers (no global state), for noise in test images.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 6364136223846793005 &+ 1442695040888963407 }
    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    /// Approximately normal (sum of 12 uniforms − 6).
    mutating func gaussian() -> Double { (0..<12).reduce(0) { acc, _ in acc + next() } - 6 }
}

/// An 80-character header card.
func card(_ text: String) -> String {
    text.count >= 80 ? String(text.prefix(80)) : text + String(repeating: " ", count: 80 - text.count)
}

/// A header (cards concatenated, END added) from "KEY = value" lines.
func header(_ lines: [String]) -> String {
    lines.map { line -> String in
        guard let eq = line.firstIndex(of: "=") else { return card(line) }
        let key = line[..<eq].trimmingCharacters(in: .whitespaces)
        var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        if !value.hasPrefix("'") { value = value.replacingOccurrences(of: "e", with: "E") }  // FITS: upper-case exponents
        return card(key.padding(toLength: 8, withPad: " ", startingAt: 0) + "= " + value)
    }.joined() + card("END")
}
