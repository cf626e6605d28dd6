import DataStore
import Foundation
import ImageDB
import Logging
import PStampCore
import RequestDB

/// The tasks a PStamp server runs, each with its default (IPP) schedule: what `pstamp serve` hands to
/// the Scheduler.
public enum StandardPipeline {
    /// - Parameter pollEvery: seconds between looks for incoming data stores due for a poll (nil: no polling).
    /// - Parameter archive: a standalone site's image archive (`SHA256SUMS` and the files): when given
    ///   (or `updateCommands`, per stage), an UpdateProcessor regenerates each image database's `update`
    ///   components from it.
    /// - Parameter parserImages: the Parser's image databases by name, throwing when a configured one
    ///   cannot be reached (default `images`).
    /// - Parameter images: the image databases by name, for dependency checking and automatic recovery
    ///   (nil: cleaned images are not regenerated; their dependents wait).
    public static func entries(
        database: RequestDatabase, registry: DataStoreRegistry, settings: PipelineSettings,
        pollEvery: Int? = 10,
        images: (@Sendable (String) -> (any ImageDatabase)?)? = nil,
        imageDatabases: [any ImageDatabase] = [],
        datapath: [String: String] = [:],
        archive: URL? = nil,
        updateCommands: [UpdateStage: String] = [:],
        parserImages: (@Sendable (String) throws -> (any ImageDatabase)?)? = nil
    ) -> [Scheduler.Entry] {
        var entries: [Scheduler.Entry] = [
            .init(JobRunner(database: database, settings: settings), PipelineSchedules.job),
            .init(
                Finisher(database: database, registry: registry, writer: FITSResultsWriter(), settings: settings),
                PipelineSchedules.finish),
            .init(RequestReverter(database: database, settings: settings), PipelineSchedules.requestRevert),
            .init(JobReverter(database: database, settings: settings), PipelineSchedules.jobRevert),
            .init(
                DependentReverter(database: database, settings: settings, images: images ?? { _ in nil }),
                PipelineSchedules.dependentRevert),
            .init(StopFaulted(database: database, settings: settings), PipelineSchedules.stopFaulted),
            .init(CleanupQueue(database: database, settings: settings), PipelineSchedules.queueCleanup),
            .init(Cleaner(database: database, registry: registry, settings: settings), PipelineSchedules.cleanup),
            .init(UWSExpiry(database: database), PipelineSchedules.uwsExpiry),
        ]
        if let images {
            entries.append(
                .init(
                    DependencyChecker(database: database, settings: settings, images: images),
                    PipelineSchedules.dependent))
        }
        // pstamp_parser_run.pl: a data-store request file is fetched, then parsed. It runs even without
        // an image database, so a request never waits for ever: its rows answer 22 (no image database
        // of the project's name).
        let lookup: @Sendable (String) throws -> (any ImageDatabase)? = parserImages ?? images ?? { _ in nil }
        entries.append(
            .init(
                Parser(database: database, settings: settings, datapath: datapath, images: lookup),
                PipelineSchedules.parse))
        if archive != nil || !updateCommands.isEmpty {
            // One update processor per image database (the site's own regeneration).
            for (index, images) in imageDatabases.enumerated() {
                entries.append(
                    .init(
                        UpdateProcessor(
                            images: images, database: index == 0 ? nil : "\(index + 1)",
                            archive: archive, datapath: datapath, commands: updateCommands),
                        PipelineSchedules.update))
            }
        }
        if !imageDatabases.isEmpty {
            entries.append(
                .init(
                    UpdateCleanup(database: database, imageDatabases: imageDatabases),
                    PipelineSchedules.updateCleanup))
        }
        if let pollEvery, pollEvery > 0 {
            let poller = Poller(database: database, logger: Logger(label: "pstamp.poller"))
            entries.append(
                .init(
                    PollerTask(poller: poller),
                    TaskSchedule(period: .seconds(pollEvery), wakeOn: [.dataStore])))
        }
        return entries
    }
}

/// pstamp.request.find: the data-store engineer's Poller, run by the Scheduler (woken at once when an
/// incoming data store is added or changed).
struct PollerTask: PipelineTask {
    let name = "pstamp.request.find"
    let poller: Poller
    func pending(limit: Int) async throws -> [WorkItem] {
        sweep { _ = try await poller.pollDue() }
    }
}
