import Foundation
import PStampCore
import RequestDB
import Testing

@testable import Pipeline

/// A task listing the request database's pending requests, recording when it saw each.
actor SeenRequests {
    var seen: [Int64] = []
    func saw(_ ids: [Int64]) { for id in ids where !seen.contains(id) { seen.append(id) } }
}

struct PendingRequestWatcher: PipelineTask {
    let name = "watch.requests"
    let database: RequestDatabase
    let seen: SeenRequests
    func pending(limit: Int) async throws -> [WorkItem] {
        await seen.saw(try database.requests.pending(limit: limit).map(\.request.reqID))
        return []
    }
}

@Suite("Change notification")
struct ChangeWakeupTests {
    @Test("a request written to the database wakes the scheduler's task at once (its period is an hour)")
    func databaseWriteWakes() async throws {
        let f = try PipelineFixture()
        defer { f.cleanup() }
        let seen = SeenRequests()
        let scheduler = Scheduler(
            [
                .init(
                    PendingRequestWatcher(database: f.database, seen: seen),
                    TaskSchedule(period: .seconds(3600), wakeOn: [.request]))
            ], changes: f.database)
        let runner = Task { await scheduler.run() }
        #expect(
            await eventually {
                let passes = await scheduler.statistics("watch.requests").passes
                return passes == 1
            })
        let reqID = try f.database.requests.add(NewRequest(uri: "/tmp/req.fits", name: "wake.me"))
        #expect(await eventually { await seen.seen == [reqID] })
        await scheduler.shutdown()
        await runner.value
    }
}
