import Foundation
import RequestDB
import Testing

@testable import Pipeline

/// Records what a test task saw, shared between the task and the test.
actor Recorder {
    var started: [String] = []
    var finished: [String] = []
    var running = 0
    var maxRunning = 0
    var passes = 0
    var cancelled: [String] = []

    func pass() { passes += 1 }
    func start(_ key: String) {
        started.append(key)
        running += 1
        maxRunning = max(maxRunning, running)
    }
    func finish(_ key: String) {
        finished.append(key)
        running -= 1
    }
    func cancel(_ key: String) {
        cancelled.append(key)
        running -= 1
    }
}

/// A gate that items wait on until the test opens it.
actor Gate {
    private var open = false
    var isOpen: Bool { open }
    private var waiters: [CheckedContinuation<Void, Never>] = []
    func wait() async {
        if open { return }
        await withCheckedContinuation { waiters.append($0) }
    }
    func release() {
        open = true
        for w in waiters { w.resume() }
        waiters.removeAll()
    }
}

/// A queue of work rows, standing in for a pending query: items stay pending until done.
actor Rows {
    var pending: [(key: String, priority: Int)] = []
    func add(_ key: String, priority: Int = 0) { pending.append((key, priority)) }
    func done(_ key: String) { pending.removeAll { $0.key == key } }
    func list() -> [(key: String, priority: Int)] { pending }
}

struct RowTask: PipelineTask {
    let name: String
    let rows: Rows
    let recorder: Recorder
    var gate: Gate? = nil
    var ignoreCancellation = false

    func pending(limit: Int) async throws -> [WorkItem] {
        await recorder.pass()
        return await rows.list().prefix(limit).map { row in
            WorkItem(key: row.key, priority: row.priority) {
                await recorder.start(row.key)
                if let gate {
                    if ignoreCancellation {
                        await gate.wait()
                    } else {
                        while !(await gate.isOpen) && !Task.isCancelled {
                            try? await Task.sleep(for: .milliseconds(5))
                        }
                        if Task.isCancelled {
                            await recorder.cancel(row.key)
                            return
                        }
                    }
                }
                await rows.done(row.key)
                await recorder.finish(row.key)
            }
        }
    }
}

/// A change source the test posts to by hand: each subscription watches a set of tables.
final class ManualChanges: ChangeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var subscribers: [(tables: Set<String>, continuation: AsyncStream<Void>.Continuation)] = []
    var subscriberCount: Int { lock.withLock { subscribers.count } }
    func changes(of tables: [String]) -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        lock.withLock { subscribers.append((Set(tables), continuation)) }
        return stream
    }
    func post(_ tables: Set<RequestDBTable>) {
        let names = Set(tables.map(\.rawValue))
        for s in lock.withLock({ subscribers }) where !s.tables.isDisjoint(with: names) { s.continuation.yield() }
    }
}

/// Polls `condition` every 10 ms for up to `seconds`.
func eventually(_ seconds: Double = 10, _ condition: () async -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}

@Suite("Scheduler")
struct SchedulerTests {
    @Test("a change notification wakes a task at once, long before its period")
    func wakesOnNotify() async throws {
        let rows = Rows(), recorder = Recorder(), changes = ManualChanges()
        let task = RowTask(name: "job.run", rows: rows, recorder: recorder)
        let scheduler = Scheduler(
            [.init(task, TaskSchedule(period: .seconds(3600), wakeOn: [.job]))],
            changes: changes)
        let runner = Task { await scheduler.run() }
        #expect(await eventually { await recorder.passes == 1 })
        #expect(await eventually { changes.subscriberCount == 1 })
        await rows.add("job:1")
        changes.post([.job])
        #expect(await eventually { await recorder.finished == ["job:1"] })
        // A change to another table does not wake this task.
        await rows.add("job:2")
        let passes = await recorder.passes
        changes.post([.dependent])
        try await Task.sleep(for: .milliseconds(300))
        #expect(await recorder.passes == passes)
        #expect(await recorder.finished == ["job:1"])
        await scheduler.shutdown()
        await runner.value
    }

    @Test("a task that names when its next work falls due (a retry) is woken then, long before its period")
    func wakesWhenDue() async throws {
        let recorder = Recorder()
        let task = DueTask(recorder: recorder, dueAfter: 1.5)
        let scheduler = Scheduler([.init(task, TaskSchedule(period: .seconds(3600)))])
        let started = Date()
        let runner = Task { await scheduler.run() }
        #expect(await eventually { await recorder.passes == 1 })
        #expect(await eventually(10) { await recorder.passes >= 2 }, "woken at its due time")
        #expect(Date().timeIntervalSince(started) >= 1.4, "not before it was due")
        try await Task.sleep(for: .milliseconds(300))
        #expect(await recorder.passes == 2, "nothing more is due: it waits its period")
        await scheduler.shutdown()
        await runner.value
    }

    @Test("without a change a task waits its period and then finds the work")
    func periodicPass() async throws {
        let rows = Rows(), recorder = Recorder()
        await rows.add("req:1")
        let scheduler = Scheduler([
            .init(
                RowTask(name: "revert", rows: rows, recorder: recorder),
                TaskSchedule(period: .milliseconds(50)))
        ])
        let runner = Task { await scheduler.run() }
        #expect(await eventually { await recorder.finished == ["req:1"] })
        await rows.add("req:2")
        #expect(await eventually { await recorder.finished == ["req:1", "req:2"] })
        await scheduler.shutdown()
        await runner.value
    }

    @Test("no more items run at once than the task's concurrency, and all of them run")
    func boundedConcurrency() async throws {
        let rows = Rows(), recorder = Recorder(), gate = Gate()
        for i in 1...10 { await rows.add("job:\(i)") }
        let task = RowTask(name: "job.run", rows: rows, recorder: recorder, gate: gate)
        let scheduler = Scheduler([.init(task, TaskSchedule(period: .seconds(3600), concurrency: 3))])
        let runner = Task { await scheduler.run() }
        #expect(await eventually { await recorder.running == 3 })
        try await Task.sleep(for: .milliseconds(200))
        #expect(await recorder.running == 3)
        #expect(await recorder.started.count == 3)
        await gate.release()
        #expect(await eventually { await recorder.finished.count == 10 })
        #expect(await recorder.maxRunning == 3)
        #expect(Set(await recorder.finished).count == 10, "no item ran twice")
        #expect(await scheduler.statistics("job.run").maxRunning == 3)
        await scheduler.shutdown()
        await runner.value
    }

    @Test("items are dispatched highest label priority first, in the task's order within a priority")
    func priorityOrder() async throws {
        let rows = Rows(), recorder = Recorder()
        await rows.add("low:1", priority: 1)
        await rows.add("high:1", priority: 100)
        await rows.add("mid:1", priority: 10)
        await rows.add("high:2", priority: 100)
        await rows.add("low:2", priority: 1)
        let task = RowTask(name: "job.run", rows: rows, recorder: recorder)
        let scheduler = Scheduler([.init(task, TaskSchedule(period: .seconds(3600), concurrency: 1))])
        let runner = Task { await scheduler.run() }
        #expect(await eventually { await recorder.finished.count == 5 })
        #expect(await recorder.started == ["high:1", "high:2", "mid:1", "low:1", "low:2"])
        await scheduler.shutdown()
        await runner.value
    }

    @Test("shutdown stops dispatching and lets running items finish")
    func gracefulShutdown() async throws {
        let rows = Rows(), recorder = Recorder(), gate = Gate()
        for i in 1...4 { await rows.add("job:\(i)") }
        let task = RowTask(name: "job.run", rows: rows, recorder: recorder, gate: gate, ignoreCancellation: true)
        let scheduler = Scheduler([.init(task, TaskSchedule(period: .milliseconds(20), concurrency: 2))])
        let runner = Task { await scheduler.run() }
        #expect(await eventually { await recorder.running == 2 })
        await scheduler.shutdown()
        await gate.release()
        await runner.value
        #expect(await recorder.finished.count == 2)
        #expect(await recorder.started.count == 2, "nothing was dispatched after shutdown")
        #expect(await rows.list().count == 2, "the rest stays pending for the next start")
    }

    @Test("cancelling the scheduler cancels running items promptly and leaves their rows pending")
    func cancellation() async throws {
        let rows = Rows(), recorder = Recorder(), gate = Gate()
        for i in 1...3 { await rows.add("job:\(i)") }
        let task = RowTask(name: "job.run", rows: rows, recorder: recorder, gate: gate)
        let scheduler = Scheduler(
            [.init(task, TaskSchedule(period: .seconds(3600), concurrency: 2))],
            changes: ManualChanges())
        let runner = Task { await scheduler.run() }
        #expect(await eventually { await recorder.running == 2 })
        runner.cancel()
        await runner.value
        #expect(await recorder.cancelled.count == 2)
        #expect(await recorder.finished.isEmpty)
        #expect(await rows.list().count == 3)
    }

    @Test("a task with a daily window runs only inside it and at most maxRuns times a day")
    func dailyWindow() {
        let window = DailyWindow(start: 22 * 3600, end: 24 * 3600 - 1, maxRuns: 2)
        let evening = Date(timeIntervalSince1970: 86_400 * 100 + 22 * 3600 + 5)
        let noon = Date(timeIntervalSince1970: 86_400 * 100 + 12 * 3600)
        #expect(window.contains(evening))
        #expect(!window.contains(noon))
        #expect(window.secondsUntilOpen(from: noon) == 10 * 3600)
        #expect(window.secondsUntilOpen(from: evening) == 0)
    }
}

/// A sweep (the reverters, the request finder): every pass has exactly one item, the sweep itself.
struct SweepTask: PipelineTask {
    let name: String
    let recorder: Recorder
    func pending(limit: Int) async throws -> [WorkItem] {
        await recorder.pass()
        return [
            WorkItem(key: name, priority: 0) {
                await recorder.start(name)
                await recorder.finish(name)
            }
        ]
    }
}

@Suite("Scheduler sweeps")
struct SchedulerSweepTests {
    /// Bug seen in `pstamp serve`: an idle server used both cores because every sweep woke itself again
    /// as soon as its own item finished. A sweep that started everything it found waits for its period.
    @Test("a finished sweep does not wake its own task: an idle server stays idle")
    func aSweepWaitsForItsPeriod() async throws {
        let recorder = Recorder()
        let scheduler = Scheduler([
            .init(
                SweepTask(name: "sweep", recorder: recorder),
                TaskSchedule(period: .seconds(3600)))
        ])
        let runner = Task { await scheduler.run() }
        #expect(await eventually { await recorder.finished.count == 1 })
        try await Task.sleep(for: .milliseconds(500))
        #expect(await recorder.passes == 1)
        #expect(await recorder.finished.count == 1)
        await scheduler.shutdown()
        await runner.value
    }
}

/// A sweep task whose first pass leaves one retry due `dueAfter` seconds later, and nothing after the second.
struct DueTask: PipelineTask {
    let name = "retry.sweep"
    let recorder: Recorder
    let due: Date

    init(recorder: Recorder, dueAfter seconds: TimeInterval) {
        self.recorder = recorder
        due = Date().addingTimeInterval(seconds)
    }

    func pending(limit: Int) async throws -> [WorkItem] {
        sweep { await recorder.pass() }
    }

    func nextDue() async throws -> Date? {
        await recorder.passes < 2 ? due : nil
    }
}
