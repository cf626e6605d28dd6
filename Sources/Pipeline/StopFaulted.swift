import Foundation
import Logging
import PStampCore
import RequestDB

/// `pstamp.stopfaulted` (pstampstopfaulted, every 30 s): jobs still faulted after `maxFaultCount`
/// attempts stop with 25 (NOT_AVAILABLE), and so do the jobs of dependents faulted that often.
///
/// QUIRK fixed: the IPP matched `fault_count >= 3` whatever the current fault, so a job or dependent
/// that had just been reverted (fault 0) and was about to run was stopped too. Here only rows that are
/// faulted now (system fault 1–9) are stopped.
public struct StopFaulted: PipelineTask {
    public let name = "pstamp.stopfaulted"
    let database: RequestDatabase
    let settings: PipelineSettings
    /// Says which rows were given up: the operator's sign of a component or input that keeps failing.
    let logger: Logger

    public init(database: RequestDatabase, settings: PipelineSettings, logger: Logger = Logger(label: "pstamp.stopfaulted")) {
        self.database = database
        self.settings = settings
        self.logger = logger
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        sweep { _ = try self.stop() }
    }

    /// Returns the number of jobs stopped (directly and through their dependents).
    public func stop() throws -> (jobs: Int, dependentJobs: Int) {
        var jobs = 0, dependentJobs = 0
        let notAvailable = PStampCode.notAvailable
        defer {
            if jobs + dependentJobs > 0 {
                logger.warning(
                    "\(jobs) faulted job(s) and \(dependentJobs) job(s) of faulted dependents stopped with \(notAvailable.rawValue) after \(settings.maxFaultCount) attempts"
                )
            }
        }
        var selector = JobSelector()
        selector.faultCount = settings.maxFaultCount
        selector.labels = settings.labels
        jobs = try database.jobs.stopSystemFaulted(selector, with: notAvailable)
        for fault in (1..<PStampCode.firstReportedCode).map(PStampCode.init(rawValue:)) {
            var dependents = DependentJobSelector()
            dependents.fault = fault
            dependents.faultCount = settings.maxFaultCount
            dependents.labels = settings.labels
            dependentJobs += try database.jobs.stopDependentJobs(dependents, fault: notAvailable)
        }
        return (jobs, dependentJobs)
    }
}
