import Foundation
import Testing

/// `pstamp request-file` must never leave an output file behind a refusal (such as one with OPTION_MASK
/// clamped to 2147483647): a value the 32-bit column cannot hold is refused, and no file is left.
@Suite(.serialized) struct RequestFileRefusalTests {
    @Test("OPTION_MASK 3000000007: exit 1, a message naming the column, and no output file")
    func hugeOptionMask() throws {
        let dir = try RequestFileCommandTests.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = """
            huge.mask 2 PROCESS me@example.org
            1 150.02 1.98 20 20 2 stamp 3000000007 gpc1 null null byid chip 211 null null null null 0 0 null 0 0 | too big
            """
        let run = try RequestFileCommandTests.run(["--input", "-", "--output", "out.fits"], stdin: text, in: dir)
        #expect(run.status == 1)
        #expect(run.stderr.contains("OPTION_MASK") && run.stderr.contains("2147483647"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.fits").path))
    }
}
