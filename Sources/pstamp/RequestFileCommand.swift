import ArgumentParser
import FITS
import Foundation
import PStampCore

/// `pstamp request-file`: builds a `PS1_PS_REQUEST` request file from the text format, as the IPP's
/// `pstamp_request_file` does (formats-and-cutouts.md §2).
///
///   pstamp request-file --input sample.txt --output r.fits
///   psmkreq … | pstamp request-file --input - --req_name myreq --email me@example.edu
///
/// Errors in the text name their line and exit with status 1. Rows or headers the server would refuse
/// are written anyway (the file is the client's to send) and reported as warnings with the code the
/// server would answer.
struct RequestFileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request-file",
        abstract: "Build a postage-stamp request file (PS1_PS_REQUEST FITS table) from its text description.",
        discussion: """
            Input: a header line `REQ_NAME EXTVER [ACTION EMAIL]`, then one row per line: 23 fields \
            (version 2) or 18 (version 1), then `|` and a comment. Lines starting with # are skipped; a \
            row of at least 6 fields inherits the rest from the row above; ROWNUM 0 is numbered \
            automatically.
            """)

    @Option(name: [.customShort("i"), .customLong("input")], help: "The text description, or - for standard input.")
    var input: String

    @Option(name: [.customShort("r"), .customLong("req_name")], help: "Request name (overrides the header line).")
    var reqName: String?

    @Option(name: .customLong("email"), help: "Submitter's email (overrides the header line).")
    var email: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output file (default: <REQ_NAME>.fits).")
    var output: String?

    func run() throws {
        let text: String
        if input == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: input) else {
                fail("cannot open \(input) for reading")
            }
            text = String(decoding: data, as: UTF8.self)
        }

        let document: RequestTextFormat.Document
        do {
            document = try RequestTextFormat.parse(text, reqName: reqName, email: email)
        } catch let error as RequestTextFormat.ParseError {
            fail("\(input == "-" ? "standard input" : input): \(error.description)")
        }
        for warning in document.warnings { note("warning: \(warning)") }

        do { try document.header.validate() } catch {
            note("warning: the server will refuse this request with code \(error.code): \(error.message)")
        }
        for outcome in document.rows.map(RequestRow.validate) {
            if case .failure(let rejection) = outcome {
                note("warning: the server will answer row \(rejection.rownum) with code \(rejection.code): \(rejection.message)")
            }
        }

        let path = output ?? "\(document.header.reqName).fits"
        do {
            try RequestFile.write(header: document.header, rows: document.rows, to: path)
        } catch {
            fail("cannot write \(path): \(error)")
        }
        note("wrote \(path): \(document.rows.count) row\(document.rows.count == 1 ? "" : "s"), version \(document.header.version)")
    }

    private func note(_ message: String) {
        FileHandle.standardError.write(Data("pstamp request-file: \(message)\n".utf8))
    }

    private func fail(_ message: String) -> Never {
        note("error: \(message)")
        Foundation.exit(1)
    }
}
