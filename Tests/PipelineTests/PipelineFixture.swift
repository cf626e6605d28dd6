import Foundation
import PStampCore
import PStampTestSupport
import RequestDB
import Testing

@testable import Pipeline

/// A fresh request database and work directory in a temporary folder, removed by `cleanup()`.
struct PipelineFixture {
    let root: URL
    let database: RequestDatabase
    let settings: PipelineSettings

    init() throws {
        let directory = try TemporaryDirectory("pstamp-pipeline")
        root = directory.url
        database = try directory.requestDatabase()
        settings = PipelineSettings(workdir: root.appendingPathComponent("work"))
    }

    func cleanup() { try? FileManager.default.removeItem(at: root) }

    /// A request moved to `run` with its own work directory.
    func runningRequest(_ name: String, label: String? = nil) throws -> (reqID: Int64, outdir: URL) {
        let reqID = try database.requests.add(NewRequest(uri: "/dev/null", name: name, label: label))
        let outdir = settings.workdir.appendingPathComponent("2026/11/25/\(reqID)")
        try FileManager.default.createDirectory(at: outdir, withIntermediateDirectories: true)
        var change = RequestChange()
        change.outdir = outdir.path
        change.outProduct = "pstampresults"
        try #require(try database.requests.transition(reqID: reqID, from: .new, to: .run, setting: change))
        return (reqID, outdir)
    }

    func job(_ jobID: Int64) throws -> JobRecord { try #require(try database.jobs.get(jobID: jobID)) }
    func request(_ reqID: Int64) throws -> RequestRecord { try #require(try database.requests.get(reqID: reqID)) }

    /// Sets a system fault on a job `times` times (each adds 1 to fault_count), as failed runs do.
    func fault(job jobID: Int64, _ fault: PStampCode, times: Int = 1) throws {
        var selector = JobSelector()
        selector.jobID = jobID
        for _ in 0..<times { _ = try database.jobs.update(selector, fault: fault) }
    }
}
