import Foundation
import Hummingbird
import PStampCore
import Prometheus
import RequestDB

/// `/metrics` in the Prometheus text format: what the pipeline counted (stamps written, jobs stopped and
/// faulted by code, dependent waits, poll errors, reverts; through swift-metrics into `registry`) and,
/// read from the request database at each scrape, the requests, jobs and dependents in each state and
/// the faults standing now.
struct MetricsRoutes<Context: RequestContext>: Sendable {
    let registry: PrometheusCollectorRegistry
    let database: RequestDatabase

    func register(on router: Router<Context>) {
        router.get("metrics") { _, _ in
            let database = database
            let census = try await Task.detached { try database.census() }.value
            record(census)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }

    /// Every state gets its gauge (0 when empty), so a state that empties drops to 0 rather than vanishing.
    func record(_ census: StateCensus) {
        for state in RequestState.allCases {
            gauge("pstamp_requests", ("state", state.rawValue), "requests in each state").set(Int64(census.requests[state] ?? 0))
        }
        for state in JobState.allCases {
            gauge("pstamp_jobs", ("state", state.rawValue), "jobs in each state").set(Int64(census.jobs[state] ?? 0))
        }
        for state in DependentState.allCases {
            gauge("pstamp_dependents", ("state", state.rawValue), "dependents in each state").set(Int64(census.dependents[state] ?? 0))
        }
        for (code, count) in census.faultedRequests {
            gauge("pstamp_requests_faulted", ("fault", String(code.rawValue)), "requests with a fault set").set(Int64(count))
        }
        for (code, count) in census.faultedJobs {
            gauge("pstamp_jobs_faulted", ("fault", String(code.rawValue)), "jobs of unfinished requests with a fault set").set(Int64(count))
        }
    }

    private func gauge(_ name: String, _ label: (String, String), _ help: String) -> Gauge {
        registry.makeGauge(name: name, labels: [label], help: help)
    }
}
