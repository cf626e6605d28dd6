import PStampCore
import RequestDB

/// The operator's actions of the API (the seed's pstamptool and labeltool commands), each behind the
/// admin token, each through the request database's guarded changes.
extension PStampAPI {
    func holdRequest(_ input: Operations.HoldRequest.Input) async throws -> Operations.HoldRequest.Output {
        try APICaller.requireOperator()
        let record = try request(input.path.reqId)
        try move(record, to: .hold)
        return .ok(.init(body: .json(try representation(try request(record.reqID)))))
    }

    /// A held request goes back to `run`, or to `new` when it had not been parsed (it has no jobs).
    func releaseRequest(_ input: Operations.ReleaseRequest.Input) async throws -> Operations.ReleaseRequest.Output {
        try APICaller.requireOperator()
        let record = try request(input.path.reqId)
        guard record.state == .hold else {
            throw APIProblem(.conflict, "request \(record.reqID) is \(record.state?.rawValue ?? "NULL"), not hold: nothing to release")
        }
        try move(record, to: try jobs(of: record.reqID).isEmpty ? .new : .run)
        return .ok(.init(body: .json(try representation(try request(record.reqID)))))
    }

    /// `-revertreq` and `-revertjob` on the request: its fault cleared (unless stopped), its jobs'
    /// system faults (1–9) cleared so they run again.
    func revertRequest(_ input: Operations.RevertRequest.Input) async throws -> Operations.RevertRequest.Output {
        try APICaller.requireOperator()
        let record = try request(input.path.reqId)
        var requests = RequestRevertSelector()
        requests.reqID = record.reqID
        _ = try database.requests.revert(requests)
        var jobs = JobRevertSelector()
        jobs.reqID = record.reqID
        _ = try database.jobs.revert(jobs)
        return .ok(.init(body: .json(try representation(try request(record.reqID)))))
    }

    /// `goto_cleaned`: the cleaner removes the request's work and results. A request already
    /// `goto_cleaned` or `cleaned` is left as it is.
    func cleanRequest(_ input: Operations.CleanRequest.Input) async throws -> Operations.CleanRequest.Output {
        try APICaller.requireOperator()
        let record = try request(input.path.reqId)
        if let state = record.state, state != .gotoCleaned, state != .cleaned { try move(record, to: .gotoCleaned) }
        return .ok(.init(body: .json(try representation(try request(record.reqID)))))
    }

    /// Sets the request's fault to a PStamp code (0 clears it), as `-updatereq -set_fault`.
    func faultRequest(_ input: Operations.FaultRequest.Input) async throws -> Operations.FaultRequest.Output {
        try APICaller.requireOperator()
        let record = try request(input.path.reqId)
        guard case .json(let body) = input.body else { throw APIProblem(.unsupportedMediaType, "send {\"fault\": CODE} as JSON") }
        guard (0..<300).contains(body.fault) else {
            throw APIProblem(.badRequest, "\(body.fault) is not a PStamp error code (0–31, or a data store's HTTP status − 300)")
        }
        let code = PStampCode(body.fault)
        var selector = RequestSelector()
        selector.reqID = record.reqID
        var change = RequestChange()
        if code == .success { change.clearFault = true } else { change.fault = code }
        _ = try database.requests.update(selector, change)
        return .ok(.init(body: .json(try representation(try request(record.reqID)))))
    }

    /// The request's jobs still `run` with a system fault (1–9) stop with 25 (NOT_AVAILABLE), as the
    /// stop-faulted task does once a job has faulted too often.
    func stopFaultedJobs(_ input: Operations.StopFaultedJobs.Input) async throws -> Operations.StopFaultedJobs.Output {
        try APICaller.requireOperator()
        let record = try request(input.path.reqId)
        var selector = JobSelector()
        selector.reqID = record.reqID
        let stopped = try database.jobs.stopSystemFaulted(selector, with: .notAvailable)
        return .ok(.init(body: .json(.init(reqId: record.reqID, stopped: stopped))))
    }

    /// The label's priority (and activity) in the request database, and its `ps_ud_` update label's in
    /// every image database (the seed's labeltool pair); a label not defined yet is defined (active
    /// unless said otherwise).
    func setLabel(_ input: Operations.SetLabel.Input) async throws -> Operations.SetLabel.Output {
        try APICaller.requireOperator()
        guard case .json(let body) = input.body else {
            throw APIProblem(.unsupportedMediaType, "send {\"priority\": N} as JSON")
        }
        let label = input.path.label
        guard (1...64).contains(label.count), label.allSatisfy(DataStoreName.isAllowed) else {
            throw APIProblem(.badRequest, "'\(label)' is not a label name (1 to 64 letters, digits and - + _ . :)")
        }
        let change = LabelChange(priority: body.priority, active: body.active)
        try Self.set(label, change, in: database.labels)
        var updated: [Components.Schemas.Label.ImageLabelsPayloadPayload] = []
        for (name, catalog) in imageLabels {
            try Self.set("ps_ud_\(label)", change, in: catalog)
            updated.append(.init(imagedb: name, label: "ps_ud_\(label)"))
        }
        let entry = try database.labels.list(LabelQuery(pattern: label)).first { $0.label == label }
        return .ok(
            .init(
                body: .json(
                    .init(
                        label: label, priority: entry?.priority ?? body.priority, active: entry?.active ?? true,
                        imageLabels: updated))))
    }

    /// Updates the label, or defines it when it does not exist.
    static func set(_ label: String, _ change: LabelChange, in catalog: any LabelCatalog) throws {
        if try catalog.update(label: label, change) == 0 {
            try catalog.define(LabelEntry(label: label, priority: change.priority, active: change.active ?? true, comment: nil))
        }
    }

    /// One guarded state change; a change the transition table does not allow, or a request moved by
    /// someone else meanwhile, is 409.
    func move(_ record: RequestRecord, to target: RequestState) throws {
        guard let from = record.state else {
            throw APIProblem(.conflict, "request \(record.reqID) is in state '\(record.state?.rawValue ?? "NULL")'")
        }
        do { try StateTransitions.request.check(from: from, to: target) } catch {
            throw APIProblem(.conflict, "request \(record.reqID): \(error.message)")
        }
        guard try database.requests.transition(reqID: record.reqID, from: from, to: target) else {
            throw APIProblem(.conflict, "request \(record.reqID) changed state meanwhile; read it again")
        }
    }
}
