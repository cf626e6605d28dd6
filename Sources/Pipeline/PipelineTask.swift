import Foundation
import RequestDB

/// One unit of work a task found pending: a request to parse, a job to run, a dependent to check…
/// `key` identifies the row: the scheduler never runs two items with the same key of one task at once
/// (the pantasks book's `-uniq`); the row's guarded state change keeps two processes apart.
public struct WorkItem: Sendable {
    public let key: String
    /// Label priority (higher first); items of equal priority keep the order the task gave them.
    public let priority: Int
    public let run: @Sendable () async throws -> Void

    public init(key: String, priority: Int = 0, run: @escaping @Sendable () async throws -> Void) {
        self.key = key
        self.priority = priority
        self.run = run
    }
}

/// A UTC time-of-day window (seconds since midnight, inclusive start, exclusive end) inside which a
/// task may run, and how many passes it may make in one window (pantasks `trange` / `nmax`).
public struct DailyWindow: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public var maxRuns: Int

    public init(start: Int, end: Int, maxRuns: Int) {
        self.start = start
        self.end = end
        self.maxRuns = maxRuns
    }

    /// Seconds since UTC midnight of `date`.
    static func secondOfDay(_ date: Date) -> Int {
        let seconds = Int(exactly: date.timeIntervalSince1970.rounded(.down)) ?? 0
        return ((seconds % 86_400) + 86_400) % 86_400
    }

    /// The UTC day number of `date` (days since 1970-01-01).
    static func day(_ date: Date) -> Int {
        Int(exactly: (date.timeIntervalSince1970 / 86_400).rounded(.down)) ?? 0
    }

    func contains(_ date: Date) -> Bool {
        let s = Self.secondOfDay(date)
        return s >= start && s < end
    }

    /// Seconds until the window next opens (0 when inside it).
    func secondsUntilOpen(from date: Date) -> Int {
        let s = Self.secondOfDay(date)
        if s >= start && s < end { return 0 }
        return s < start ? start - s : 86_400 - s + start
    }
}

/// How the scheduler runs a task: its period, how many of its items run at once, how many it loads
/// per pass, which request-database changes wake it at once, and an optional daily window.
public struct TaskSchedule: Sendable {
    public var period: Duration
    public var concurrency: Int
    public var loadLimit: Int
    public var wakeOn: Set<RequestDBTable>
    public var window: DailyWindow?

    public init(
        period: Duration, concurrency: Int = 1, loadLimit: Int = 32,
        wakeOn: Set<RequestDBTable> = [], window: DailyWindow? = nil
    ) {
        self.period = period
        self.concurrency = max(1, concurrency)
        self.loadLimit = max(1, loadLimit)
        self.wakeOn = wakeOn
        self.window = window
    }
}

/// A task of the pipeline (one per file: Parser, JobRunner, …). The scheduler asks it for pending work
/// in priority order (inactive labels already left out by the request-database queries) and runs the
/// items it returns. A sweep task (a revert, the stop of faulted jobs) returns one item per pass.
public protocol PipelineTask: Sendable {
    var name: String { get }
    func pending(limit: Int) async throws -> [WorkItem]
    /// When the task next has work that no change to the database will announce (a faulted row's
    /// retry falling due); nil when there is none. The scheduler wakes the task then.
    func nextDue() async throws -> Date?
}

extension PipelineTask {
    public func nextDue() async throws -> Date? { nil }

    /// One item keyed by the task's name: for tasks that do their whole pass in one go.
    public func sweep(_ body: @escaping @Sendable () async throws -> Void) -> [WorkItem] {
        [WorkItem(key: name, run: body)]
    }
}
