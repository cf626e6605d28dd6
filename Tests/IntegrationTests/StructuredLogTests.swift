import Foundation
import PStampCore
import RequestDB
import Testing

/// `pstamp serve --log-format json` as a log collector reads it: one JSON object per line with the time,
/// level, logger and message, and the rows a line is about (`req_id`, `job_id`) as fields of their own;
/// the tokens a client sends never reach the log.
@Suite(.serialized) struct StructuredLogTests {
    @Test("JSON log lines carry req_id and job_id; no token sent by a client appears in the log")
    func jsonLogsWithRowFieldsAndNoSecrets() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        let admin = "admin-\(UUID().uuidString)"
        site.serveArguments = ["--log-format", "json"]
        site.serveEnvironment = ["PSTAMP_ADMIN_TOKEN": admin]
        try await site.start()
        let file = try site.requestFile(sample: "fixture.warp.byid", name: "logs.one", at: "logs.fits")
        #expect(try site.run("pstamp", ["submit", file.path, "--server", site.base]).status == 0)
        let done = try #require(try await site.waitForStop(name: "logs.one"), "\(site.log.text)")
        #expect(done.state == .stop)
        // Clients send tokens: the operator's, a wrong one, and one in a query string.
        let wrong = "wrong-\(UUID().uuidString)"
        _ = try site.http("/api/v1/requests/\(done.reqID)", headers: ["Authorization: Bearer \(admin)"])
        _ = try site.http("/api/v1/requests/\(done.reqID)/hold", post: Data(), headers: ["Authorization: Bearer \(wrong)"])
        _ = try site.http("/ds/pstampresults/index.txt?token=\(wrong)", headers: ["Authorization: Bearer \(wrong)"])
        try await Task.sleep(for: .milliseconds(300))

        let lines = site.log.text.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(lines.count >= 3, "\(site.log.text)")
        var objects: [[String: String]] = []
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
            let fields = try #require(object, "not a JSON object of strings: \(line)")
            for key in ["time", "level", "logger", "message"] { #expect(fields[key] != nil, "\(key) missing: \(line)") }
            objects.append(fields)
        }
        let reqID = String(done.reqID)
        #expect(objects.contains { $0["req_id"] == reqID && $0["job_id"] == nil }, "no line names the request alone: \(lines)")
        #expect(objects.contains { $0["job_id"] != nil && $0["req_id"] == reqID }, "no line names a job of the request: \(lines)")
        #expect(!site.log.text.contains(admin), "the admin token reached the log")
        #expect(!site.log.text.contains(wrong), "a client's token reached the log")
    }
}
