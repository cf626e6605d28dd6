import ArgumentParser
import DataStore
import Foundation
import PStampCore

/// `pstamp submit FILE --server URL [--wait --outdir DIR]`: sends a request file to a PStamp
/// server's upload page and, with --wait, waits for its results fileset and downloads it.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Send a request FITS file to a PStamp server (its /upload page); optionally wait for the results.",
        discussion: """
        Prints `<req_id> <req_name>` as the server answers. With --wait, polls \
        <server>/ds/<product>/<req_name>/index.txt until the results fileset appears, then, with --outdir, \
        downloads it checking every md5 sum. Exit status: 0 on success; 5 for a refused file; 20 for a \
        request name already used; HTTP status − 300 for other HTTP failures; 6 when --wait times out.
        """)

    @Argument(help: "The request file (FITS table PS1_PS_REQUEST).") var file: String
    @Option(help: "The server, e.g. http://host:8080.") var server = "http://127.0.0.1:8080"
    @Flag(help: "Wait for the results fileset.") var wait = false
    @Option(help: "With --wait: download the results here.") var outdir: String?
    @Option(help: "With --wait: give up after this many seconds.") var waitLimit: Double = 3600
    @Option(help: "With --wait: the product holding the results (default: search every product).") var product: String?

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw fail("pstamp submit: cannot read \(file)", code: 5)
        }
        var base = server
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/ds") { base.removeLast(3) }
        let answer: String
        do {
            answer = String(decoding: try await CurlTransfer.post(base + "/upload", body: data, contentType: "application/fits",
                                                                timeout: 120), as: UTF8.self)
        } catch let error as HTTPTransferError {
            if case .status(let status, _, let body) = error {
                let message = body.trimmingCharacters(in: .whitespacesAndNewlines)
                switch status {
                case 409: throw fail("pstamp submit: \(message)", code: Int32(PStampCode.dupRequest.rawValue))
                case 400, 413, 415: throw fail("pstamp submit: \(message)", code: Int32(PStampCode.dataError.rawValue))
                default: break
                }
            }
            throw fail("pstamp submit: \(error)", code: Int32(clamping: error.fault.rawValue))
        }
        print(answer, terminator: answer.hasSuffix("\n") ? "" : "\n")
        guard wait else { return }
        let name = answer.split(separator: " ").dropFirst().first.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        let started = Date()
        while Date().timeIntervalSince(started) < waitLimit {
            let client = DataStoreClient()
            if let uri = try? await FetchCommand.locate(base: FetchCommand.dataStoreBase(base), reqName: name,
                                                        product: product, client: client) {
                print("results: \(uri)/index.txt")
                if let outdir {
                    do {
                        try await FetchCommand.download(uri, into: URL(fileURLWithPath: outdir, isDirectory: true), client: client)
                    } catch let error as HTTPTransferError {
                        throw fail("pstamp submit: \(error)", code: Int32(clamping: error.fault.rawValue))
                    } catch let error as PStampError {
                        throw fail("pstamp submit: \(error.message)", code: Int32(error.code.rawValue))
                    }
                }
                return
            }
            try await Task.sleep(for: .seconds(5))
        }
        throw fail("pstamp submit: no results for \(name) after \(Int(waitLimit)) s", code: Int32(PStampCode.timeoutError.rawValue))
    }
}
