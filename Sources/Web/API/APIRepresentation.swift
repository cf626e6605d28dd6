import Foundation
import PStampCore
import RequestDB

/// The request database's rows as the API's JSON shapes (`openapi.yaml` components).
extension PStampAPI {
    static let base = "/api/v1"

    static func url(reqID: Int64) -> String { "\(base)/requests/\(reqID)" }

    static func filesetURL(product: String, name: String) -> String { "/ds/\(product)/\(name)/" }

    /// A request with its progress; `jobs` when the caller has them already.
    func representation(_ record: RequestRecord, jobs: [JobRecord]? = nil) throws -> Components.Schemas.Request {
        let jobs = try jobs ?? self.jobs(of: record.reqID)
        guard let state = record.state.flatMap({ Components.Schemas.RequestState(rawValue: $0.rawValue) }) else {
            throw APIProblem(.internalServerError, "request \(record.reqID) is in state '\(record.state?.rawValue ?? "NULL")'")
        }
        let done = jobs.filter { $0.state.map(JobState.finished.contains) ?? false }.count
        let published = record.outProduct.flatMap { product in
            record.name.flatMap { name in (try? registry.store.fileset(product: product, name: name)) != nil ? (product, name) : nil }
        }
        return Components.Schemas.Request(
            reqId: record.reqID, name: record.name, state: state, fault: (record.fault ?? .success).rawValue, label: record.label,
            username: record.username, outProduct: record.outProduct, registered: record.registered?.description,
            timestamp: record.timestamp?.description, jobsTotal: jobs.count, jobsDone: done, url: Self.url(reqID: record.reqID),
            filesetUrl: published.map { Self.filesetURL(product: $0.0, name: $0.1) })
    }

    static func representation(_ job: JobRecord) throws -> Components.Schemas.Job {
        guard let state = job.state.flatMap({ Components.Schemas.JobState(rawValue: $0.rawValue) }) else {
            throw APIProblem(.internalServerError, "job \(job.jobID) is in state '\(job.state?.rawValue ?? "NULL")'")
        }
        return Components.Schemas.Job(
            jobId: job.jobID, rownum: job.rownum, state: state, jobType: job.jobType?.rawValue, fault: (job.fault ?? .success).rawValue,
            faultCount: job.faultCount, expId: job.expID, depId: job.depID, outputBase: job.outputBase)
    }

    static func representation(_ dependent: DependentRecord) throws -> Components.Schemas.Dependent {
        guard let state = dependent.state.flatMap({ Components.Schemas.DependentState(rawValue: $0.rawValue) }) else {
            throw APIProblem(.internalServerError, "dependent \(dependent.depID) is in state '\(dependent.state?.rawValue ?? "NULL")'")
        }
        return Components.Schemas.Dependent(
            depId: dependent.depID, state: state, stage: dependent.stage?.rawValue, stageId: dependent.stageID,
            component: dependent.component, imagedb: dependent.imagedb, fault: (dependent.fault ?? .success).rawValue,
            faultCount: dependent.faultCount)
    }
}

extension JobState {
    /// The states of a job whose work is over (`stop`, `cancel`): the request's progress counts them.
    static let finished: Set<JobState> = [.stop, .cancel]
}
