import FITS
import Foundation
import PStampCore
import Testing

/// `pstamp request-file` as a user runs it: text in, a request file out that the project's reader reads back.
@Suite(.serialized) struct RequestFileCommandTests {
    /// `.build/debug`, found from this file's place in the package.
    static let bin = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug")

    struct Run { let status: Int32; let stderr: String }

    static func run(_ arguments: [String], stdin: String? = nil, in directory: URL) throws -> Run {
        let process = Process()
        process.executableURL = bin.appendingPathComponent("pstamp")
        process.arguments = ["request-file"] + arguments
        process.currentDirectoryURL = directory
        let err = Pipe(), input = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-rf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("--input FILE --output OUT writes a v2 file with all 24 columns that reads back")
    func fileToFile() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = """
            # wiki sample_pstamp_request
            CHANGEME 2 PROCESS myemail@myinstitution.edu
            1 18.876667 -0.861489 100 100 2 stamp 1 gpc1 3PI 3PI.PV3 bycoord chip null null null null null 55249 0 null 0 0 |search by coords
            2 18.9 -0.87 100 100 2 |same images, new centre
            """
        try text.write(to: dir.appendingPathComponent("sample.txt"), atomically: true, encoding: .utf8)
        let run = try Self.run(["--input", "sample.txt", "--output", "r.fits"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let file = try RequestFile.read(dir.appendingPathComponent("r.fits").path)
        #expect(file.header.reqName == "CHANGEME" && file.header.email == "myemail@myinstitution.edu")
        #expect(file.columnNames.count == 24)
        #expect(file.rows.count == 2)
        #expect(file.rows[1]["ROWNUM"] == .integer(2))
        #expect(file.rows[1]["IPP_RELEASE"] == .text("3PI.PV3"))
        #expect(file.validatedRows().allSatisfy { if case .success = $0 { return true } else { return false } })
    }

    @Test("standard input, --req_name and --email, default output <REQ_NAME>.fits")
    func stdinAndOverrides() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text =
            "CHANGEME 2 PROCESS null\n1 241.54949 55.4273 1500 1500 2 stamp 65 gpc1 MD08 null byexp warp o6136g0055o null null null i 0 0 null 0 10 |\n"
        let run = try Self.run(["-i", "-", "--req_name", "mine.1", "--email", "me@inst.edu"], stdin: text, in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let file = try RequestFile.read(dir.appendingPathComponent("mine.1.fits").path)
        #expect(file.header == RequestHeader(reqName: "mine.1", version: 2, action: "PROCESS", email: "me@inst.edu"))
    }

    @Test("an error names its line and exits 1; rows the server would refuse are warned about")
    func errorsAndWarnings() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = "CHANGEME 2 PROCESS a@b.edu\n\n1 1 1 1 1\n"
        let run = try Self.run(["--input", "-", "--output", "x.fits"], stdin: bad, in: dir)
        #expect(run.status == 1)
        #expect(run.stderr.contains("line 3"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.fits").path))

        let refused =
            "CHANGEME 2 PROCESS null\n1 10 10 100 100 3 stamp 1 gpc1 3PI null bycoord chip null null XY01 null null 0 0 null 0 0 |\n"
        let warned = try Self.run(["--input", "-", "--output", "y.fits"], stdin: refused, in: dir)
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("code 29"))  // EMAIL null
        #expect(warned.stderr.contains("row 1"))  // bycoord with a pixel centre: 21
    }
}
