import Foundation
import ImageDB
import Logging
import PStampCore
import RequestDB

/// `pstamp.queue.update.cleanup` (pstamp_queue_update_cleanup.pl, nightly 22:00–24:00 UTC): when no
/// dependent is open (faulted ones included), the image-database runs regenerated for the server (label
/// `ps_ud_*`) go back to `goto_cleaned`, label `goto_cleaned`, for the image database's cleanup.
public struct UpdateCleanup: PipelineTask {
    public let name = "pstamp.queue.update.cleanup"
    let database: RequestDatabase
    let imageDatabases: [any ImageDatabase]
    let labelLike: String
    let logger: Logger

    public init(
        database: RequestDatabase, imageDatabases: [any ImageDatabase], labelLike: String = "ps_ud%",
        logger: Logger = Logger(label: "pstamp.update.cleanup")
    ) {
        self.database = database
        self.imageDatabases = imageDatabases
        self.labelLike = labelLike
        self.logger = logger
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        sweep { _ = try self.cleanup() }
    }

    /// Returns the number of runs sent back to cleanup, or nil when dependents are still open.
    public func cleanup() throws -> Int? {
        var filter = DependentFilter()
        filter.includeFaulted = true
        filter.limit = 1
        if !(try database.dependents.pending(filter).isEmpty) {
            logger.info("dependents outstanding: update runs left alone")
            return nil
        }
        var total = 0
        for images in imageDatabases {
            for stage in [UpdateStage.chip, .warp, .diff] {
                total += try images.updateRuns(
                    stage, labelLike: labelLike, setState: .gotoCleaned,
                    setLabel: "goto_cleaned")
            }
        }
        return total
    }
}
