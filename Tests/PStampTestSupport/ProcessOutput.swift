import Foundation

/// Runs a program to its end and returns its exit status with its standard output and error together,
/// as a test reads a tool's verdict (fitsverify, python with astropy).
public func runProcess(
    _ executable: String, _ arguments: [String], in directory: URL? = nil
) throws -> (
    status: Int32, output: String
) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
