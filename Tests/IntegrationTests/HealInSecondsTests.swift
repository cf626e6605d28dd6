import Foundation
import PStampCore
import RequestDB
import Testing

/// Faults heal in seconds, on each row's own back-off, in a served site with real HTTP: the IPP
/// reverted a request fault on its next 1200 s pass.
@Suite(.serialized) struct HealInSecondsTests {
    @Test("a request file that answers HTTP 500 once faults its request with 200, which heals on its own within 60 s")
    func aOneOffHTTP500HealsInSeconds() async throws {
        let site = try ServedSite()
        defer { site.stop() }
        let remoteRoot = site.root.appendingPathComponent("remote")
        let remote = StaticHTTPServer(directory: remoteRoot, failingOnce: "request.fits")
        defer { remote.stop() }
        let name = "heal.\(UUID().uuidString.prefix(8).lowercased())"
        let request = try site.requestFile(sample: "fixture.chip.byid", name: name, at: "remote/ds/mops/fs1/request.fits")
        try DataStorePollTests.publish(remoteRoot, fileset: "fs1", request: request, all: ["fs1"])
        try await remote.start()
        try await site.start()
        let r = try site.run(
            "pstamptool",
            [
                "-dbname", site.databasePath, "-adddatastore", "-set_uri", "\(remote.base)/ds/mops",
                "-set_out_product", "pstampresults", "-set_label", "MOPS", "-set_poll_interval", "1",
            ])
        #expect(r.status == 0, "\(r.stderr)")

        // The first fetch of the request file fails: the request is faulted with 200 (HTTP 500 − 300).
        var faultedAt: Date?
        let deadline = Date().addingTimeInterval(60)
        while faultedAt == nil && Date() < deadline {
            var fromStore = RequestListFilter()
            fromStore.label = "MOPS"
            if try site.requests().list(fromStore).contains(where: { $0.fault == .dataStoreServerError }) {
                faultedAt = Date()
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let faulted = try #require(faultedAt, "the request never faulted with 200:\n\(site.log.text)\n\(remote.log.text)")
        // Nobody reverts it: the request reverter retries it when its back-off (about 10 s) has passed.
        let stopped = try #require(try await site.waitForStop(name: name, seconds: 90), "server log:\n\(site.log.text)")
        let healed = Date().timeIntervalSince(faulted)
        print("one-off HTTP 500: request fault 200 healed, request finished \(String(format: "%.1f", healed)) s after the fault")
        #expect(stopped.fault == .success)
        #expect(healed < 60, "healed in \(healed) s")
        #expect(try site.requests().get(reqID: stopped.reqID)?.faultCount == 1, "one fault, one revert")
        #expect(remote.log.text.contains("request.fits HTTP/1.1\" 500"), "the store failed once: \(remote.log.text)")
        // The operator sees the revert counted.
        let metrics = try site.http("/metrics").text
        #expect(metrics.contains("pstamp_reverts_total{kind=\"request\"} 1"), "\(metrics)")
    }
}
