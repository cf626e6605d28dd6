import Foundation
import Logging
import PStampCore
import RequestDB

/// The work a task does on one row, as the log and `PSTAMP_TEST_ABORT` name it.
enum WorkPhase: String, Sendable {
    /// A request's parse (Parser).
    case parse
    /// A job's run (JobRunner).
    case run
    /// A request's finish (Finisher).
    case finish
    /// A dependent's check (DependencyChecker).
    case check
}

/// Poison protection for the tasks: each marks the row it starts working on in the request database
/// (`WorkMarkers.begin`) and unmarks it when the work ends (`end`, also when it throws or is cancelled).
/// A row under whose work the process died `PipelineSettings.maxCrashes` times in a row is not started
/// again: the task sets it aside with PSTAMP_SYSTEM_ERROR (10), and the log names it.
struct WorkGuard: Sendable {
    let database: RequestDatabase
    let settings: PipelineSettings
    let logger: Logger

    /// The code a set-aside row is stopped with.
    static let setAsideCode = PStampCode.systemError

    /// Runs `work` on `row` between the markers; when the row is poison, runs `setAside` instead.
    func run<T>(
        _ row: WorkRow, _ what: WorkPhase, work: () async throws -> T,
        setAside: (Int) throws -> T
    ) async throws -> T {
        if let deaths = try poisoned(row, what) { return try setAside(deaths) }
        defer { end(row) }
        CrashTestHook.check(what, row)
        return try await work()
    }

    /// The synchronous form, for tasks whose work blocks.
    func run<T>(_ row: WorkRow, _ what: WorkPhase, work: () throws -> T, setAside: (Int) throws -> T) throws -> T {
        if let deaths = try poisoned(row, what) { return try setAside(deaths) }
        defer { end(row) }
        CrashTestHook.check(what, row)
        return try work()
    }

    /// Marks the row started; the deaths under its work when it is poison (and must be set aside), else nil.
    private func poisoned(_ row: WorkRow, _ what: WorkPhase) throws -> Int? {
        switch try database.work.begin(row, maxDeaths: settings.maxCrashes) {
        case .poisoned(let deaths):
            logger.error(
                "\(row) set aside: the process died \(deaths) time(s) in a row during its \(what.rawValue); it stops with \(Self.setAsideCode.rawValue) (\(Self.setAsideCode.errorString))"
            )
            return deaths
        case .started(let deaths):
            if deaths > 0 { logger.warning("\(row): the process died \(deaths) time(s) during its \(what.rawValue); trying again") }
            return nil
        }
    }

    private func end(_ row: WorkRow) {
        do { try database.work.end(row) } catch { logger.error("\(row): work marker not cleared: \(error)") }
    }
}

/// Test only: `PSTAMP_TEST_ABORT=<work>:<row>` (e.g. `parse:request 3`, `run:job 12`) makes the process
/// abort when it starts that work on that row, to prove poison protection with a real death.
enum CrashTestHook {
    static let spec = ProcessInfo.processInfo.environment["PSTAMP_TEST_ABORT"]

    static func check(_ what: WorkPhase, _ row: WorkRow) {
        guard let spec, spec == "\(what.rawValue):\(row)" else { return }
        FileHandle.standardError.write(Data("PSTAMP_TEST_ABORT: aborting during the \(what.rawValue) of \(row)\n".utf8))
        abort()
    }
}
