import PStampCore
import RequestDB

/// `GET /api/v1/workload`: the request database's `WorkloadSummary` (the one the workload page
/// draws) in the API's `Workload` schema.
struct APIWorkload {
    let database: RequestDatabase

    func summary() throws -> Components.Schemas.Workload {
        let workload = try database.workload()
        return Components.Schemas.Workload(
            requests: workload.requests.filter { $0.requests > 0 }.map { .init(key: $0.state.rawValue, count: $0.requests) },
            jobsPending: workload.pendingJobs,
            jobsFaulted: workload.faultedJobs.map { .init(key: String($0.fault.rawValue), count: $0.jobs) },
            dependentsWaiting: workload.waitingDependents.count,
            labels: workload.labels.map {
                .init(label: $0.label, priority: Int32(clamping: $0.priority), active: $0.active)
            })
    }
}
