import Foundation

/// Runs the built executables (pstamptool, labeltool, pstamp) as a user would, in a private data
/// directory, and captures what they print.
struct BuiltTools {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The directory holding the executables: next to the test bundle (`.build/<config>`).
    static let binDirectory: URL = {
        if let dir = ProcessInfo.processInfo.environment["PSTAMP_BIN"] { return URL(fileURLWithPath: dir) }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("pstamptool").path), url.path != "/" {
            url.deleteLastPathComponent()
        }
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("pstamptool").path) { return url }
        // swift test on Linux: the bundle lives in .build/<triple>/debug next to the executables.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug")
    }()

    /// A fresh data directory (PSTAMP_DATA_DIR) for one test.
    let dataDirectory: URL

    init() throws {
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("pstamp-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: dataDirectory) }

    /// The default request database of this data directory.
    var databasePath: String { dataDirectory.appendingPathComponent("requestdb.sqlite").path }

    @discardableResult
    func run(_ tool: String, _ arguments: [String]) throws -> Result {
        var environment = ProcessInfo.processInfo.environment
        environment["PSTAMP_DATA_DIR"] = dataDirectory.path
        environment.removeValue(forKey: "PS_DBNAME")
        return try Self.run(tool, arguments, in: dataDirectory, environment: environment)
    }

    /// Runs one built executable in `directory` and waits for it, capturing what it prints.
    @discardableResult
    static func run(
        _ tool: String, _ arguments: [String], in directory: URL,
        environment: [String: String]? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = binDirectory.appendingPathComponent(tool)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    func pstamptool(_ arguments: String...) throws -> Result { try run("pstamptool", arguments) }
    func labeltool(_ arguments: String...) throws -> Result { try run("labeltool", arguments) }
}

/// Collects a running process's output (written from another thread).
final class ProcessOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ d: Data) { lock.lock(); data.append(d); lock.unlock() }
    func reset() { lock.lock(); data = Data(); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }

    /// Sends `process`'s stdout and stderr here (call before `run()`).
    func collect(_ process: Process) {
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [self] handle in
            let chunk = handle.availableData
            if chunk.isEmpty { handle.readabilityHandler = nil } else { append(chunk) }
        }
    }
}

extension Process {
    /// Runs the process to its end; its exit status and its stdout and stderr together.
    func runForOutput() throws -> (status: Int32, output: String) {
        let pipe = Pipe()
        standardOutput = pipe
        standardError = pipe
        try run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        waitUntilExit()
        return (terminationStatus, output)
    }

    /// Ends a running process: SIGTERM, then SIGKILL after `grace` seconds; waits for it.
    func terminateAndWait(grace: TimeInterval = 10) {
        guard isRunning else { return }
        terminate()
        let deadline = Date().addingTimeInterval(grace)
        while isRunning, Date() < deadline { usleep(50_000) }
        if isRunning { kill(processIdentifier, SIGKILL) }
        waitUntilExit()
    }
}
