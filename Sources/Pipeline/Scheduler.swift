import Foundation
import Logging
import PStampCore
import RequestDB

/// The scheduler that replaces pantasks: every task runs periodically (the IPP's periods by default), is
/// woken at once when a change it cares about is committed to the request database, runs at most
/// `concurrency` items at a time, and dispatches them in label-priority order.
///
/// Nothing is booked outside the database: a row is pending because of its state, so a process killed at
/// any moment leaves rows a new scheduler finds again. `shutdown()` (SIGTERM) stops dispatching and
/// waits for the running items; cancelling the task that called `run()` also cancels the running items,
/// which leave their rows to be resumed.
public actor Scheduler {
    public struct Entry: Sendable {
        public let task: any PipelineTask
        public let schedule: TaskSchedule
        public init(_ task: any PipelineTask, _ schedule: TaskSchedule) {
            self.task = task
            self.schedule = schedule
        }
    }

    /// What a task has done so far (for status pages, metrics and tests).
    public struct Statistics: Sendable, Equatable {
        public var passes = 0
        public var dispatched = 0
        public var failed = 0
        public var running = 0
        public var maxRunning = 0
    }

    private let entries: [Entry]
    private let changes: (any ChangeSource)?
    private let logger: Logger
    private let bells: [String: Doorbell]
    private var stats: [String: Statistics] = [:]
    private var running: [String: Set<String>] = [:]
    /// Tasks whose last pass found more pending items than it could start: a finished item makes room,
    /// so it wakes the task at once. A task whose pass started everything it found (a sweep such as the
    /// reverter) waits for its period or a change instead — waking it after its own item would spin.
    private var backlogged: Set<String> = []
    private var windowRuns: [String: (day: Int, runs: Int)] = [:]
    /// When each task said its next work falls due (`PipelineTask.nextDue`), with the timer that rings
    /// its bell then.
    private var dueTimers: [String: (due: Date, timer: Task<Void, Never>)] = [:]
    /// The shortest wait a due time makes, so a row due but not healed is not tried in a busy loop.
    static let shortestDueWait: TimeInterval = 1
    private var stopping = false

    public init(
        _ entries: [Entry], changes: (any ChangeSource)? = nil,
        logger: Logger = Logger(label: "pstamp.scheduler")
    ) {
        precondition(Set(entries.map(\.task.name)).count == entries.count, "task names must be unique")
        self.entries = entries
        self.changes = changes
        self.logger = logger
        var bells: [String: Doorbell] = [:]
        for entry in entries { bells[entry.task.name] = Doorbell() }
        self.bells = bells
    }

    /// Runs every task until `shutdown()` is called or the calling task is cancelled.
    public func run() async {
        stopping = false
        // One change stream per task that wants waking: a commit to one of its tables rings its bell.
        var forwarders: [Task<Void, Never>] = []
        if let changes {
            for entry in entries where !entry.schedule.wakeOn.isEmpty {
                guard let bell = bells[entry.task.name] else { continue }
                let stream = changes.changes(of: entry.schedule.wakeOn.map(\.rawValue).sorted())
                forwarders.append(
                    Task {
                        for await _ in stream { await bell.ring() }
                    })
            }
        }
        defer { for forwarder in forwarders { forwarder.cancel() } }
        defer { cancelDueTimers() }
        await withDiscardingTaskGroup { group in
            for entry in entries {
                group.addTask { await self.loop(entry) }
            }
        }
    }

    /// Graceful stop: no new item is dispatched; `run()` returns once the running items have finished.
    public func shutdown() async {
        stopping = true
        for bell in bells.values { await bell.ring() }
    }

    /// Wakes every task that cares about one of `tables`.
    public func wake(_ tables: Set<RequestDBTable>) async {
        for entry in entries where !entry.schedule.wakeOn.isDisjoint(with: tables) {
            await bells[entry.task.name]?.ring()
        }
    }

    /// Wakes one task by name (e.g. an operator's "run now").
    public func wake(task name: String) async {
        await bells[name]?.ring()
    }

    public func statistics(_ name: String) -> Statistics { stats[name] ?? Statistics() }

    // MARK: - the loop of one task

    private func loop(_ entry: Entry) async {
        let name = entry.task.name
        let schedule = entry.schedule
        guard let bell = bells[name] else { return }
        await withDiscardingTaskGroup { group in
            while !stopping && !Task.isCancelled {
                var wait = schedule.period
                if let window = schedule.window, !mayRun(name, window, at: Date()) {
                    let open = window.secondsUntilOpen(from: Date())
                    if open > 0 { wait = min(wait, .seconds(open)) }
                } else if (running[name]?.count ?? 0) < schedule.concurrency {
                    for item in await load(entry) {
                        let key = item.key
                        group.addTask {
                            await self.execute(item, of: name)
                            let (backlogged, idle) = await self.finished(key, of: name)
                            if backlogged { await bell.ring() }
                            // Once a pass's items are done: the task's next due time (a revert's next retry).
                            if idle { await self.learnDue(entry.task, of: name, bell: bell) }
                        }
                    }
                }
                _ = await bell.wait(timeout: wait)
            }
        }
    }

    /// Asks the task when its next work falls due and sets the timer that rings its bell then (a pass
    /// at the due time, whatever the period).
    private func learnDue(_ task: any PipelineTask, of name: String, bell: Doorbell) async {
        let due: Date?
        do { due = try await withTaskExecutorPreference(BlockingWork.executor) { try await task.nextDue() } } catch {
            logger.error("\(name): next due time unknown: \(error)")
            return
        }
        if let current = dueTimers[name], current.due == due { return }
        dueTimers.removeValue(forKey: name)?.timer.cancel()
        guard let due, !stopping else { return }
        let seconds = max(due.timeIntervalSinceNow, Self.shortestDueWait)
        let timer = Task {
            try? await Task.sleep(for: .milliseconds(WholeNumber.rounded(seconds * 1000, .up, limit: Int.max) ?? 0))
            if !Task.isCancelled { await bell.ring() }
        }
        dueTimers[name] = (due, timer)
    }

    private func cancelDueTimers() {
        for entry in dueTimers.values { entry.timer.cancel() }
        dueTimers.removeAll()
    }

    private func mayRun(_ name: String, _ window: DailyWindow, at now: Date) -> Bool {
        guard window.contains(now) else { return false }
        let day = DailyWindow.day(now)
        let record = windowRuns[name]
        return record?.day != day || (record?.runs ?? 0) < window.maxRuns
    }

    /// One pass: asks the task for pending items and marks the ones that will be started as running.
    private func load(_ entry: Entry) async -> [WorkItem] {
        let name = entry.task.name
        stats[name, default: Statistics()].passes += 1
        if entry.schedule.window != nil {
            let day = DailyWindow.day(Date())
            let runs = windowRuns[name]?.day == day ? windowRuns[name]!.runs : 0
            windowRuns[name] = (day, runs + 1)
        }
        let items: [WorkItem]
        do {
            items = try await Self.pending(entry)
        } catch is CancellationError {
            return []
        } catch {
            logger.error("\(name): pending query failed: \(error)")
            return []
        }
        if stopping { return [] }
        // Stable sort: higher label priority first, the task's own order within a priority.
        let ordered = items.enumerated().sorted {
            $0.element.priority != $1.element.priority
                ? $0.element.priority > $1.element.priority : $0.offset < $1.offset
        }.map(\.element)
        var busy = running[name] ?? []
        var started: [WorkItem] = []
        for item in ordered where busy.count < entry.schedule.concurrency && !busy.contains(item.key) {
            busy.insert(item.key)
            started.append(item)
        }
        running[name] = busy
        if started.count < items.count || items.count >= entry.schedule.loadLimit {
            backlogged.insert(name)
        } else {
            backlogged.remove(name)
        }
        var s = stats[name, default: Statistics()]
        s.dispatched += started.count
        s.running = busy.count
        s.maxRunning = max(s.maxRunning, busy.count)
        stats[name] = s
        return started
    }

    /// A task's pending items, asked on the blocking threads (its queries are synchronous).
    private nonisolated static func pending(_ entry: Entry) async throws -> [WorkItem] {
        try await withTaskExecutorPreference(BlockingWork.executor) { try await entry.task.pending(limit: entry.schedule.loadLimit) }
    }

    private nonisolated func execute(_ item: WorkItem, of name: String) async {
        do {
            // The item's synchronous work runs on the blocking threads, not the cooperative pool.
            try await withTaskExecutorPreference(BlockingWork.executor) { try await item.run() }
        } catch is CancellationError {
            // Left for the next start: the row is still in its pending state.
        } catch {
            await failed(item.key, of: name, error)
        }
    }

    private func failed(_ key: String, of name: String, _ error: any Error) {
        stats[name, default: Statistics()].failed += 1
        logger.error("\(name) \(key): \(error)")
    }

    /// Marks an item done; returns whether its task has a backlog that should be loaded at once, and
    /// whether none of its items is running any more.
    private func finished(_ key: String, of name: String) -> (backlogged: Bool, idle: Bool) {
        running[name]?.remove(key)
        let count = running[name]?.count ?? 0
        stats[name, default: Statistics()].running = count
        return (backlogged.contains(name), count == 0)
    }
}
