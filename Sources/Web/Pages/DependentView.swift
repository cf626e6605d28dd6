import RequestDB

/// A dependent as the request and workload pages show it; `log` (the request page) and `jobs`/`age`
/// (the workload page) are there where the page has them.
struct DependentView {
    var depID: Int64
    var state: String
    var stage: String
    var stageID: String
    var component: String
    /// Nil when 0.
    var fault: Int?
    var log: String?
    var jobs: Int?
    var age: String?

    init(_ d: DependentSummary, log: String? = nil, jobs: Int? = nil, age: String? = nil) {
        depID = d.depID
        state = d.state.rawValue
        stage = d.stage?.rawValue ?? ""
        stageID = d.stageID.map(String.init) ?? ""
        component = d.component ?? ""
        fault = d.fault == .success ? nil : d.fault.rawValue
        self.log = log
        self.jobs = jobs
        self.age = age
    }
}
