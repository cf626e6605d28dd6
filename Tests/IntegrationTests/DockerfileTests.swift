import Foundation
import Testing

/// The Dockerfile, checked without a Docker engine: Docker runs each RUN line with `/bin/sh -c`, which is
/// dash on Debian, so every RUN line must be POSIX sh; the build stage's copy step is run for real under
/// dash (with a stand-in `swift`), which is where brace expansion (`{a,b,c}`, a bash-ism) broke the image.
@Suite struct DockerfileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The Dockerfile's instructions, continuation lines joined, comments dropped: (keyword, rest).
    static func instructions() throws -> [(keyword: String, text: String)] {
        let text = try String(contentsOf: root.appendingPathComponent("Dockerfile"), encoding: .utf8)
        var result: [(String, String)] = []
        var current = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if current.isEmpty
                && (line.trimmingCharacters(in: .whitespaces).hasPrefix("#")
                    || line.trimmingCharacters(in: .whitespaces).isEmpty)
            {
                continue
            }
            if line.hasSuffix("\\") {
                current += line.dropLast()  // Docker drops the backslash and the newline
                continue
            }
            current += line
            let trimmed = current.trimmingCharacters(in: .whitespaces)
            let keyword = String(trimmed.prefix { !$0.isWhitespace })
            result.append((keyword.uppercased(), String(trimmed.dropFirst(keyword.count)).trimmingCharacters(in: .whitespaces)))
            current = ""
        }
        return result
    }

    static func dash(_ arguments: [String], in directory: URL? = nil, path: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dash")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let path {
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = path
            process.environment = environment
        }
        return try process.runForOutput()
    }

    @Test func everyRunLineIsValidUnderDash() throws {
        let runs = try Self.instructions().filter { $0.keyword == "RUN" }
        #expect(runs.count >= 3)
        for run in runs {
            let checked = try Self.dash(["-n", "-c", run.text])
            #expect(checked.status == 0, "sh -n: \(run.text)\n\(checked.output)")
        }
    }

    @Test func theBuildStageCopiesEveryToolAndBundleUnderDash() throws {
        let run = try #require(try Self.instructions().first { $0.keyword == "RUN" && $0.text.contains("swift build") })
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("dockerfile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let fm = FileManager.default
        let bin = work.appendingPathComponent("release"), stubs = work.appendingPathComponent("stubs")
        let src = work.appendingPathComponent("src")
        for dir in [bin, stubs, src, bin.appendingPathComponent("A_B.resources"), bin.appendingPathComponent("C_D.resources")] {
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        }
        for tool in ["pstamp", "pstamptool", "labeltool", "other"] {
            try Data(tool.utf8).write(to: bin.appendingPathComponent(tool))
        }
        try Data("m".utf8).write(to: bin.appendingPathComponent("A_B.resources/0001.sql"))
        // A stand-in `swift`: builds nothing, answers --show-bin-path with the fake release folder.
        let swift = stubs.appendingPathComponent("swift")
        try Data(
            """
            #!/bin/sh
            for a in "$@"; do [ "$a" = --show-bin-path ] && { echo "\(bin.path)"; exit 0; }; done
            exit 0

            """.utf8
        ).write(to: swift)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: swift.path)

        let result = try Self.dash(["-e", "-c", run.text], in: src, path: stubs.path + ":/usr/bin:/bin")
        #expect(result.status == 0, "\(run.text)\n\(result.output)")
        let out = src.appendingPathComponent("out")
        for name in ["pstamp", "pstamptool", "labeltool", "A_B.resources/0001.sql", "C_D.resources"] {
            #expect(fm.fileExists(atPath: out.appendingPathComponent(name).path), "\(name) not copied: \(result.output)")
        }
        // The runtime stage copies what the build stage left.
        #expect(try Self.instructions().contains { $0.keyword == "COPY" && $0.text.hasPrefix("--from=build /src/out/") })
    }

    @Test func theImageRunsAsAUserWithAVolumeAndAHealthCheck() throws {
        let all = try Self.instructions()
        let runtime = all.suffix(from: try #require(all.lastIndex { $0.keyword == "FROM" }))
        let user = try #require(runtime.last { $0.keyword == "USER" })
        #expect(user.text != "root" && user.text != "0")
        #expect(runtime.contains { $0.keyword == "VOLUME" && $0.text.contains("/srv/pstamp/var") })
        let health = try #require(runtime.first { $0.keyword == "HEALTHCHECK" })
        #expect(health.text.contains("CMD") && health.text.contains("http://127.0.0.1:8080/"))
        // The health check's curl is installed in the runtime image.
        #expect(runtime.contains { $0.keyword == "RUN" && $0.text.contains(" curl") })

        let ignore = try String(contentsOf: Self.root.appendingPathComponent(".dockerignore"), encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(ignore.contains(".build/") && ignore.contains("var/"))
    }
}
