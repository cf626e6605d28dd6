import Foundation
import ImageDB
import Logging
import PStampCore

/// Update processing for standalone sites (where no IPP runs the image database): the processing side
/// of gpc1-image-db.md §2.6. It takes the image-database components in `update` (chips, then warps whose
/// input chips are full, then diffs), regenerates each by restoring its files from the site's archive
/// (SHA-256 checked) into the writable image root, and marks it `full` (chiptool -tofullimfile,
/// warptool/difftool -tofullskyfile). A component whose files cannot be restored gets fault 2
/// (PS_EXIT_SYS_ERROR, as chip_imfile.pl's `-updateprocessedimfile -fault <exit code>`): the dependency
/// checker then faults its dependent, the reverters retry, and after 3 faults its jobs stop with 25.
/// A stage may instead have a configured command (`/bin/sh -c`), run with PSTAMP_STAGE, PSTAMP_STAGE_ID,
/// PSTAMP_COMPONENT, PSTAMP_PATH_BASE and PSTAMP_OUTPUT_BASE (the writable path its files go to, without
/// suffix) in its environment: exit 0 marks the component full, another exit status is its fault.
///
/// Where the files go: for `path://NAME/rest`, the first root of DATAPATH NAME (a site's `update_output`
/// is put there, as `<update_output>/NAME`, by `pstamp serve`); for `file://` and plain paths, the path
/// itself. The archive holds `path://NAME/rest` as `rest` and a
/// file path as that path without its leading `/`.
public struct UpdateProcessor: PipelineTask {
    public let name: String
    let images: any ImageDatabase
    /// Which image database, in the task's name, work keys and logs (a site may have several; nil: the only one).
    let database: String?
    let archive: SiteArchive?
    /// DATAPATH: where `path://NAME/…` lives; regenerated files go to the first root of NAME's entry.
    let datapath: [String: String]
    /// Per-stage commands used instead of the archive.
    let commands: [UpdateStage: String]
    let logger: Logger

    public init(
        images: any ImageDatabase, database: String? = nil, archive: URL?, datapath: [String: String],
        commands: [UpdateStage: String] = [:], logger: Logger = Logger(label: "pstamp.update")
    ) {
        self.images = images
        self.database = database
        name = database.map { "pstamp.update.run.\($0)" } ?? "pstamp.update.run"
        self.archive = archive.map { SiteArchive(root: $0) }
        self.datapath = datapath
        self.commands = commands
        self.logger = logger
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        try images.pendingUpdates(limit: limit).map { update in
            WorkItem(key: "update:\(database ?? ""):\(update.stage.rawValue):\(update.stageID):\(update.component)") {
                _ = try self.process(update)
            }
        }
    }

    /// Regenerates one component: returns true when it was marked full, false when it was faulted.
    @discardableResult
    public func process(_ update: PendingUpdate) throws -> Bool {
        let what = "\(database.map { "\($0) " } ?? "")\(update.stage.rawValue) \(update.stageID) \(update.component)"
        do {
            let (root, prefix) = try target(update)
            if let command = commands[update.stage] {
                let status = try run(command, update, outputBase: root.path + "/" + prefix.dropLast())
                guard status == 0 else {
                    logger.error("\(what): update command exited \(status) -> fault \(status)")
                    try images.setComponentFault(update.stage, id: update.stageID, component: update.component, fault: Int(status))
                    return false
                }
                try images.setComponentDataState(update.stage, id: update.stageID, component: update.component, to: .full)
                logger.info("\(what): update command done, full")
                return true
            }
            guard let archive else {
                throw PStampError(.sysError, "no archive and no update command for \(update.stage.rawValue) is configured")
            }
            let files = try archive.files(withPrefix: prefix)
            guard !files.isEmpty else {
                throw PStampError(.sysError, "the archive lists no file for \(what) (\(prefix)*)")
            }
            for file in files { try archive.restore(file.path, sha256: file.sha256, into: root) }
            try images.setComponentDataState(update.stage, id: update.stageID, component: update.component, to: .full)
            logger.info("\(what): \(files.count) file(s) restored, full")
            return true
        } catch {
            logger.error("\(what): \(error) -> fault \(PStampCode.sysError.rawValue)")
            try images.setComponentFault(
                update.stage, id: update.stageID, component: update.component,
                fault: PStampCode.sysError.rawValue)
            return false
        }
    }

    /// The image root the component's files go to and their common relative-path prefix (the archive's
    /// relative path). A chip's path_base is its run's (`<exp>.ch.<chip_id>`): its files are
    /// `<path_base>.<class_id>.*`.
    func target(_ update: PendingUpdate) throws -> (root: URL, prefix: String) {
        let base = update.pathBase
        var root: URL
        var relative: String
        if base.lowercased().hasPrefix("path://") {
            let (name, rest) = try ImagePaths.split(base)
            guard let entry = datapath[name], let first = ImagePaths.roots(entry).first else {
                throw PStampError(.sysError, "no DATAPATH entry '\(name)' for \(base)")
            }
            root = URL(fileURLWithPath: first, isDirectory: true)
            relative = rest
        } else if base.lowercased().hasPrefix("file:") || base.hasPrefix("/") {
            let path = try ImagePaths.resolve(base, datapath: datapath)
            root = URL(fileURLWithPath: "/", isDirectory: true)
            relative = String(path.drop { $0 == "/" })
        } else {
            throw PStampError(.sysError, "path_base \(base) is neither path://NAME/…, file:// nor an absolute path: it cannot be restored")
        }
        if update.stage == .chip && !relative.hasSuffix(".\(update.component)") { relative += ".\(update.component)" }
        return (root, relative + ".")
    }

    /// Runs a stage's update command and returns its exit status.
    func run(_ command: String, _ update: PendingUpdate, outputBase: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var environment = ProcessInfo.processInfo.environment
        environment["PSTAMP_STAGE"] = update.stage.rawValue
        environment["PSTAMP_STAGE_ID"] = String(update.stageID)
        environment["PSTAMP_COMPONENT"] = update.component
        environment["PSTAMP_PATH_BASE"] = update.pathBase
        environment["PSTAMP_OUTPUT_BASE"] = outputBase
        process.environment = environment
        try FileManager.default.createDirectory(
            atPath: (outputBase as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        try process.run()
        process.waitUntilExit()
        return process.terminationReason == .exit ? process.terminationStatus : PStampCode.sysError.rawValue.int32
    }
}

private extension Int { var int32: Int32 { Int32(truncatingIfNeeded: self) } }
