import Foundation
import ImageDB
import Logging
import PStampCore
import RequestDB

/// `pstamp.dependent.run`: for each pending dependent (state `new`, fault 0, needed by a job `run` of a
/// request `run`, label active), one pass of the dependency check (`DependencyCheck`), appended to
/// `<outdir>/checkdep.<dep_id>.log`. `full` releases the dependent's jobs; a transient failure faults the
/// dependent (fault_count + 1; the reverter retries it, StopFaulted gives up after 3); an image that is
/// gone or will not come back stops the dependent's jobs with 26 or 25.
public struct DependencyChecker: PipelineTask {
    public let name = "pstamp.dependent.run"
    let database: RequestDatabase
    let settings: PipelineSettings
    /// The image database named by a dependent's `imagedb` column.
    let images: @Sendable (String) -> (any ImageDatabase)?
    var logger: Logger

    public init(
        database: RequestDatabase, settings: PipelineSettings,
        images: @escaping @Sendable (String) -> (any ImageDatabase)?,
        logger: Logger = Logger(label: "pstamp.dependent")
    ) {
        self.database = database
        self.settings = settings
        self.images = images
        self.logger = logger
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        var filter = DependentFilter()
        filter.labels = settings.labels
        filter.limit = limit
        return try database.dependents.pending(filter).map { pending in
            WorkItem(key: "dep:\(pending.dependent.depID)", priority: Int(pending.priority)) {
                var checker = self
                checker.logger = logger.about(depID: pending.dependent.depID)
                _ = try checker.check(pending)
            }
        }
    }

    /// One pass over one dependent; returns the verdict it applied.
    @discardableResult
    public func check(_ pending: PendingDependent) throws -> DependencyVerdict {
        try WorkGuard(database: database, settings: settings, logger: logger).run(
            .dependent(pending.dependent.depID), .check, work: { try attempt(pending) },
            setAside: { _ in
                // Its jobs stop with 10 and the dependent keeps fault 10 (never reverted).
                let code = WorkGuard.setAsideCode
                var selector = DependentJobSelector()
                selector.depID = pending.dependent.depID
                _ = try database.jobs.stopDependentJobs(selector, fault: code)
                appendLog(pending, ["set aside: the process died during this dependent's check \(settings.maxCrashes) times in a row"])
                return .stopJobs(code)
            })
    }

    /// One pass of the check.
    func attempt(_ pending: PendingDependent) throws -> DependencyVerdict {
        let dep = pending.dependent
        let imagedb = dep.imagedb ?? "gpc1"
        var lines: [String] = []
        let verdict: DependencyVerdict
        if let images = images(imagedb) {
            let label = pending.label.map { "ps_ud_\($0)" } ?? dep.rlabel
            var check = DependencyCheck(
                images: images, updateLabel: label, faultCount: dep.faultCount ?? 0,
                maxFaultCount: settings.maxFaultCount)
            do {
                verdict = try check.check(
                    stage: dep.stage, stageID: dep.stageID ?? 0,
                    component: dep.component ?? "")
            } catch {
                lines = check.log + ["image database error: \(error)"]
                try apply(.faulted(.sysError), to: dep.depID)
                appendLog(pending, lines + ["-> fault \(PStampCode.sysError.rawValue)"])
                throw error
            }
            lines = check.log
        } else {
            lines = ["no image database '\(imagedb)' is configured"]
            verdict = .faulted(.configError)
        }
        try apply(verdict, to: dep.depID)
        appendLog(pending, lines + ["-> \(verdict)"])
        recordMetrics(verdict, pending)
        return verdict
    }

    /// A released dependent's wait (from its first request's registration) and faulted checks.
    private func recordMetrics(_ verdict: DependencyVerdict, _ pending: PendingDependent) {
        switch verdict {
        case .full:
            let registered = try? database.requests.get(reqID: pending.firstReqID)?.registered
            if let since = registered?.date {
                PipelineMetrics.dependentReleased(waited: Date().timeIntervalSince(since))
            }
        case .faulted(let code): PipelineMetrics.dependentFaulted(code)
        case .waiting, .stopJobs: break
        }
    }

    func apply(_ verdict: DependencyVerdict, to depID: Int64) throws {
        switch verdict {
        case .full:
            try database.dependents.transition(depID: depID, from: .new, to: .full)
        case .waiting:
            break
        case .faulted(let fault):
            try database.dependents.update(depID: depID, fault: fault)
        case .stopJobs(let code):
            var selector = JobSelector()
            selector.depID = depID
            selector.state = .run
            let stopped = try database.jobs.update(selector, state: .stop, fault: code)
            logger.info("dependent \(depID): \(stopped) job(s) stopped with \(code.rawValue)")
        }
    }

    /// Appends one pass to `<outdir>/checkdep.<dep_id>.log`.
    func appendLog(_ pending: PendingDependent, _ lines: [String]) {
        let dep = pending.dependent
        guard let url = dep.outdir.map({ RequestWorkDirectory(path: $0).checkdepLog(depID: dep.depID) }) else { return }
        let text = "== \(UTCTime.databaseText(Date())) dep_id \(dep.depID)\n" + lines.map { $0 + "\n" }.joined()
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if let handle = try? FileHandle(forWritingTo: url) {
            defer { try? handle.close() }
            _ = try? handle.seekToEnd()
            try? handle.write(contentsOf: Data(text.utf8))
        } else {
            try? Data(text.utf8).write(to: url)
        }
    }
}
