import PStampCore
import RequestDB

/// The workload summary of `GET /api/v1/workload`, made from the request database's existing
/// listings (requests by state, pending jobs, faulted jobs by code, waiting dependents, labels).
struct APIWorkload {
    let database: RequestDatabase

    func summary() throws -> Components.Schemas.Workload {
        var requests: [Components.Schemas.Count] = []
        for state in RequestState.allCases {
            var filter = RequestListFilter()
            filter.state = state
            let count = try database.requests.list(filter).count
            if count > 0 { requests.append(.init(key: state.rawValue, count: count)) }
        }
        var faulted = JobListFilter()
        faulted.state = JobState.run.rawValue
        faulted.faulted = true
        let byCode = Dictionary(grouping: try database.jobs.list(faulted), by: { $0.job.fault ?? 0 })
        let labels = try database.labels.list(LabelQuery(order: .highToLow)).map {
            Components.Schemas.Workload.LabelsPayloadPayload(
                label: $0.label, priority: $0.priority ?? Int32(LabelEntry.missingPriority), active: $0.active ?? true)
        }
        return Components.Schemas.Workload(
            requests: requests, jobsPending: try database.jobs.pending().count,
            jobsFaulted: byCode.keys.sorted().map { .init(key: String($0), count: byCode[$0]!.count) },
            dependentsWaiting: try database.dependents.pending().count, labels: labels)
    }
}
