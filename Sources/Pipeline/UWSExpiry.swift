import Foundation
import Logging
import PStampCore
import RequestDB

/// `pstamp.uws.expiry`: the clock of the asynchronous SODA jobs (UWS 1.1 §2.2.3). A job past its
/// DESTRUCTION time is destroyed (its request goes to goto_cleaned, and the cleaner removes its
/// files); a job running longer than its EXECUTIONDURATION is aborted. Woken when a UWS job changes
/// and when the next deadline falls due.
public struct UWSExpiry: PipelineTask {
    public let name = "pstamp.uws.expiry"
    let database: RequestDatabase
    let logger: Logger
    let clock: @Sendable () -> Date

    public init(database: RequestDatabase, logger: Logger = Logger(label: "pstamp.uws"), clock: @escaping @Sendable () -> Date = Date.init)
    {
        self.database = database
        self.logger = logger
        self.clock = clock
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        sweep { _ = try self.expire() }
    }

    public func nextDue() async throws -> Date? { try database.uwsJobs.nextDeadline() }

    /// Destroys and aborts what is due; returns how many of each.
    public func expire() throws -> (destroyed: Int, aborted: Int) {
        let now = clock()
        var destroyed = 0, aborted = 0
        for reqID in try database.uwsJobs.overrun(now: now) where try database.uwsJobs.abort(reqID: reqID) {
            logger.info("UWS job \(reqID) ran past its execution duration: aborted")
            aborted += 1
        }
        for reqID in try database.uwsJobs.destructionDue(now: MetadataTime(now)) where try database.uwsJobs.destroy(reqID: reqID) {
            logger.info("UWS job \(reqID) reached its destruction time: sent to cleanup")
            destroyed += 1
        }
        return (destroyed, aborted)
    }
}
