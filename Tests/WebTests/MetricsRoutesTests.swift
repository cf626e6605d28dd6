import Foundation
import Hummingbird
import HummingbirdTesting
import PStampCore
import PStampTestSupport
import Prometheus
import RequestDB
import Testing
import Web

/// `/metrics` through Hummingbird's test client: the request database's state counts as Prometheus
/// gauges, beside what the registry collected.
@Suite struct MetricsRoutesTests {
    @Test func metricsShowRequestsJobsAndFaultsByStateInThePrometheusTextFormat() async throws {
        let temporary = try TemporaryDirectory("pstamp-metrics")
        let database = try temporary.requestDatabase()
        let first = try database.requests.add(NewRequest(uri: "/a.fits", name: "m1"))
        _ = try database.requests.add(NewRequest(uri: "/b.fits", name: "m2"))
        var change = RequestChange()
        change.fault = .dataStoreServerError
        _ = try database.requests.transition(reqID: first, from: .new, to: .run, setting: change)
        for n in 1...3 { _ = try database.jobs.add(NewJob(reqID: first, rownum: String(n), outputBase: "/w/\(n)")) }
        let registry = PrometheusCollectorRegistry()
        registry.makeCounter(name: "pstamp_stamp_files_written_total", labels: []).increment(by: Int64(7))
        let web = WebApplication()
        web.addMetrics(registry: registry, database: database)
        try await web.application(port: 0).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                let text = String(buffer: response.body)
                #expect(text.contains("# TYPE pstamp_requests gauge"), "\(text)")
                #expect(text.contains("pstamp_requests{state=\"new\"} 1"), "\(text)")
                #expect(text.contains("pstamp_requests{state=\"run\"} 1"), "\(text)")
                #expect(text.contains("pstamp_requests{state=\"stop\"} 0"), "\(text)")
                #expect(text.contains("pstamp_jobs{state=\"run\"} 3"), "\(text)")
                #expect(text.contains("pstamp_requests_faulted{fault=\"200\"} 1"), "\(text)")
                #expect(text.contains("pstamp_stamp_files_written_total 7"), "\(text)")
            }
            // The gauges follow the database at each scrape.
            var stop = RequestChange()
            stop.clearFault = true
            _ = try database.requests.transition(reqID: first, from: .run, to: .stop, setting: stop)
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("pstamp_requests{state=\"run\"} 0"), "\(text)")
                #expect(text.contains("pstamp_requests{state=\"stop\"} 1"), "\(text)")
            }
        }
    }
}
