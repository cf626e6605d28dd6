import Foundation
import Hummingbird
import PStampCore
import RequestDB

/// The workload page (`/workload`): the operator's view of `psstatus` and `pstamp_server_status` —
/// requests by state, the unfinished ones with their jobs, labels with their priorities, faulted jobs
/// by code, dependents waiting and for how long, what finished in the last day, the incoming data
/// stores, and a plot of the day's throughput and queue.
enum WorkloadPage {
    struct Line {
        var reqID: Int64
        var name: String
        var state: String
        var label: String
        var fault: Int?
        var rows: Int
        var jobs: Int
        var done: Int
        var pending: Int
        var faulted: Int
        var registered: String
        var changed: String
    }
    struct Fault {
        var code: Int
        var errorString: String
        var name: String
        var jobs: Int
    }
    struct Store {
        var dsID: Int64
        var uri: String
        var state: String
        var label: String
        var lastPoll: String
        var lastFileset: String
        var errors: [Line]
    }
    struct Label {
        var label: String
        var priority: Int
        var active: String
        var requests: Int
        var unfinishedJobs: Int
    }
    struct View {
        var taken: String
        var states: [WorkloadSummary.StateCount]
        var pendingJobs: Int
        var runningJobs: Int
        var finishedCount: Int
        var plot: String
        var running: [Line]
        var hasRunning: Bool
        var labels: [Label]
        var hasLabels: Bool
        var faults: [Fault]
        var hasFaults: Bool
        var dependents: [DependentView]
        var hasDependents: Bool
        var finished: [Line]
        var hasFinished: Bool
        var stores: [Store]
        var hasStores: Bool
    }

    static func line(_ r: WorkloadSummary.RequestLine) -> Line {
        Line(
            reqID: r.reqID, name: r.name, state: r.state.rawValue, label: r.label ?? "",
            fault: r.fault == .success ? nil : r.fault.rawValue,
            rows: r.rows, jobs: r.jobs, done: r.doneJobs, pending: r.pendingJobs, faulted: r.faultedJobs,
            registered: PageTime.text(r.registered), changed: PageTime.text(r.changed))
    }

    static func view(_ s: WorkloadSummary) -> View {
        let running = s.running.map(line), finished = s.finished.map(line)
        let labels = s.labels.map {
            Label(
                label: $0.label, priority: $0.priority, active: $0.active ? "yes" : "no", requests: $0.requests,
                unfinishedJobs: $0.unfinishedJobs)
        }
        let faults = s.faultedJobs.map {
            Fault(code: $0.fault.rawValue, errorString: $0.fault.errorString, name: $0.fault.name ?? "", jobs: $0.jobs)
        }
        let dependents = s.waitingDependents.map { DependentView($0.dependent, jobs: $0.jobs, age: PageTime.age($0.ageSeconds)) }
        let stores = s.dataStores.map {
            Store(
                dsID: $0.dsID, uri: $0.uri ?? "", state: $0.state?.rawValue ?? "", label: $0.label ?? "",
                lastPoll: PageTime.text($0.lastPoll),
                lastFileset: $0.lastFileset ?? "", errors: $0.faultedRequests.map(line))
        }
        return View(
            taken: PageTime.text(s.taken), states: s.requests, pendingJobs: s.pendingJobs, runningJobs: s.runningJobs,
            finishedCount: s.finished.count, plot: WorkloadPlot.svg(s.history), running: running, hasRunning: !running.isEmpty,
            labels: labels, hasLabels: !labels.isEmpty, faults: faults, hasFaults: !faults.isEmpty, dependents: dependents,
            hasDependents: !dependents.isEmpty, finished: finished, hasFinished: !finished.isEmpty, stores: stores,
            hasStores: !stores.isEmpty)
    }

    static func response(_ summary: WorkloadSummary) throws -> Response { try PageTemplates.render(view(summary), "workload") }
}
