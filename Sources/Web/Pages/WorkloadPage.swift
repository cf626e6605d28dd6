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
        var reqType: String
        var fault: Int?
        var rows: Int
        var jobs: Int
        var done: Int
        var pending: Int
        var faulted: Int
        var updates: Int
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
        /// How full the work directory's file system is (pstamp_server_status), when it can be read.
        var disk: String?
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
            reqID: r.reqID, name: r.name, state: r.state.rawValue, label: r.label ?? "", reqType: r.reqType ?? "",
            fault: r.fault == .success ? nil : r.fault.rawValue,
            rows: r.rows, jobs: r.jobs, done: r.doneJobs, pending: r.pendingJobs, faulted: r.faultedJobs, updates: r.imageUpdates,
            registered: PageTime.text(r.registered), changed: PageTime.text(r.changed))
    }

    static func view(_ s: WorkloadSummary, workdir: URL) -> View {
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
            finishedCount: s.finished.count, disk: disk(workdir), plot: WorkloadPlot.svg(s.history), running: running,
            hasRunning: !running.isEmpty,
            labels: labels, hasLabels: !labels.isEmpty, faults: faults, hasFaults: !faults.isEmpty, dependents: dependents,
            hasDependents: !dependents.isEmpty, finished: finished, hasFinished: !finished.isEmpty, stores: stores,
            hasStores: !stores.isEmpty)
    }

    static func response(_ summary: WorkloadSummary, workdir: URL) throws -> Response {
        try PageTemplates.render(view(summary, workdir: workdir), "workload")
    }

    /// `37 % full, 12.3 GB free of 50.0 GB` for the file system holding `workdir`.
    static func disk(_ workdir: URL) -> String? {
        var existing = workdir  // before its first request the directory may not exist yet: its parent's disk
        while !FileManager.default.fileExists(atPath: existing.path), existing.pathComponents.count > 1 {
            existing.deleteLastPathComponent()
        }
        guard let attributes = try? FileManager.default.attributesOfFileSystem(forPath: existing.path),
            let size = (attributes[.systemSize] as? NSNumber)?.doubleValue, size > 0,
            let free = (attributes[.systemFreeSize] as? NSNumber)?.doubleValue
        else { return nil }
        let gb = 1e9
        return String(format: "%.0f %% full, %.1f GB free of %.1f GB", 100 * (size - free) / size, free / gb, size / gb)
    }
}
