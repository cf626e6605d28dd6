import DataStore
import Foundation
import PStampCore

/// Follows one request through the server's JSON API (`GET /api/v1/requests/{req_id}`) until it stops,
/// showing its progress: jobs done / total, as a bar redrawn in place when standard output is a
/// terminal, else one line each time the progress or the state changes.
struct RequestFollower {
    /// The fields of the API's Request that progress needs.
    struct Status: Decodable, Equatable {
        var reqID: Int64
        var state: String
        var fault: Int
        var jobsTotal: Int
        var jobsDone: Int
        var filesetURL: String?

        enum CodingKeys: String, CodingKey {
            case reqID = "req_id", state, fault, jobsTotal = "jobs_total", jobsDone = "jobs_done", filesetURL = "fileset_url"
        }

        /// The request has stopped: finished, or on its way to being cleaned.
        var isFinished: Bool {
            [RequestState.stop, .gotoCleaned, .cleaned].contains { $0.rawValue == state }
        }
    }

    let server: String
    let reqID: Int64
    let headers: [String]
    /// Seconds between looks.
    var interval: Double = 2
    var terminal = isatty(STDOUT_FILENO) == 1

    /// Waits until the request stops (or `seconds` pass: nil) and returns its last status.
    func follow(forAtMost seconds: Double) async throws -> Status? {
        let started = Date()
        var last: Status? = nil
        while Date().timeIntervalSince(started) < seconds {
            let data = try await CurlTransfer.get("\(server)/api/v1/requests/\(reqID)", timeout: 60, headers: headers)
            let status = try JSONDecoder().decode(Status.self, from: Data(Self.requestObject(data)))
            if status != last { show(status) }
            last = status
            if status.isFinished {
                endLine()
                return status
            }
            try await Task.sleep(for: .seconds(interval))
        }
        endLine()
        return nil
    }

    /// The `request` object of a RequestDetail.
    static func requestObject(_ data: Data) throws -> Data {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let request = object["request"] else {
            throw PStampError(.progError, "the server's answer has no request: \(String(decoding: data, as: UTF8.self))")
        }
        return try JSONSerialization.data(withJSONObject: request)
    }

    /// Ends the bar's line on a terminal.
    func endLine() { if terminal { FileHandle.standardOutput.write(Data("\n".utf8)) } }

    func show(_ status: Status) {
        let fault = status.fault == 0 ? "" : ", fault \(PStampCode(status.fault))"
        if terminal {
            // Written at once (print's buffer would hold a line without its newline back).
            let line = "\r\(Self.bar(done: status.jobsDone, total: status.jobsTotal)) \(status.state)\(fault)\u{1B}[K"
            FileHandle.standardOutput.write(Data(line.utf8))
        } else {
            // Unbuffered, so a log or a pipe shows each line as it happens.
            let line = "request \(status.reqID) \(status.state): \(status.jobsDone)/\(status.jobsTotal) jobs done\(fault)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }

    /// `[########------------]  8/20 jobs`.
    static func bar(done: Int, total: Int, width: Int = 30) -> String {
        let filled = total > 0 ? min(width, done * width / total) : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] \(done)/\(total) jobs"
    }
}
