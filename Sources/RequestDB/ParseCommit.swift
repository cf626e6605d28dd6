import GRDB
import PStampCore

/// Everything one parse of a request produced, written by `RequestStore.commitParse` in one transaction
/// with the request's state change: a process killed at any moment of a parse leaves either nothing of
/// it (the request still `new`, parsed again from the start) or all of it, never half.
public struct ParsedRequest: Sendable {
    public var reqID: Int64
    /// The columns the parse sets (outdir, uri, name, label, outProduct, username, reqType…).
    public var change = RequestChange()
    /// `run`, or `parsed` for a PREVIEW.
    public var state: RequestState = .run
    /// The jobs, in the order they were made (stand-in jobs for rejected rows included).
    public var jobs: [ParsedJob] = []

    public init(reqID: Int64) { self.reqID = reqID }
}

/// One job of a parse, with the image component it waits for (if any).
public struct ParsedJob: Sendable {
    public var job: NewJob
    /// A cleaned input: the open dependent of this component is found or created in the same transaction.
    public var dependent: NeededDependent?
    /// The job's parameters record (`pstampJobParameters`), written with it unless the job is stopped
    /// because its dependent is faulted.
    public var parameters: String?

    public init(job: NewJob, dependent: NeededDependent? = nil, parameters: String? = nil) {
        self.job = job
        self.dependent = dependent
        self.parameters = parameters
    }
}

/// The `-getdependent` arguments of a job whose input must be updated first.
public struct NeededDependent: Sendable, Hashable {
    public var key: DependentKey
    public var outdir: String?
    public var rlabel: String?
    public init(key: DependentKey, outdir: String?, rlabel: String?) {
        self.key = key
        self.outdir = outdir
        self.rlabel = rlabel
    }
}

extension RequestStore {
    /// Writes a parse: in one IMMEDIATE transaction the request must still be `new` with fault 0 (else
    /// nothing is written and false is returned); jobs left by an earlier, interrupted parse are removed;
    /// each needed dependent is found or created (`-getdependent`); the jobs are inserted with one
    /// prepared statement, each with its parameters record (none for a job stopped by its faulted
    /// dependent); and the request takes `parsed.change` and moves to `parsed.state`.
    /// - Parameter faultedDependent: the stop code of a job whose open dependent has this fault.
    public func commitParse(
        _ parsed: ParsedRequest,
        faultedDependent: (PStampCode) -> PStampCode
    ) throws -> Bool {
        try StateTransitions.request.check(from: .new, to: parsed.state)
        let checked = try parsed.jobs.map { try JobStore.checked($0.job) }
        return try writer.immediateTransaction { db -> Bool in
            guard let request = try RequestStore.get(db, reqID: parsed.reqID), request.state == .new,
                (request.fault ?? .success) == .success
            else {
                return false
            }
            try db.execute(sql: "DELETE FROM pstampJob WHERE req_id = ?", arguments: [parsed.reqID])
            var dependents: [NeededDependent: GetDependentResult] = [:]
            for (index, planned) in parsed.jobs.enumerated() {
                var job = planned.job
                var parameters = planned.parameters
                if let need = planned.dependent {
                    let result: GetDependentResult
                    if let known = dependents[need] {
                        result = known
                    } else {
                        result = try DependentStore.getDependent(db, need.key, outdir: need.outdir, rlabel: need.rlabel)
                        dependents[need] = result
                    }
                    switch result {
                    case .created(let id), .found(let id): job.depID = id
                    case .faulted(_, let fault):
                        job.state = .stop
                        job.fault = faultedDependent(fault)
                        parameters = nil
                    case .notFound: break
                    }
                }
                let id = try JobStore.insert(db, job, isParent: checked[index])
                if let parameters {
                    try JobParameterStore.insert(db, jobID: id, parameters)
                }
            }
            var change = parsed.change
            change.state = parsed.state
            var c = SQLConditions()
            c.add("req_id", "=", parsed.reqID)
            c.add("state", "=", RequestState.new)
            return try Self.update(db, c, change) == 1
        }
    }
}
