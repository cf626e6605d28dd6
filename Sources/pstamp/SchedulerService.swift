import Logging
import Pipeline
import ServiceLifecycle

/// Runs the pipeline Scheduler inside `pstamp serve`'s service group: on SIGTERM/SIGINT it stops
/// dispatching and waits for the running items; every row left pending is picked up at the next start.
struct SchedulerService: Service {
    let scheduler: Scheduler

    func run() async throws {
        let scheduler = scheduler
        await withGracefulShutdownHandler {
            await scheduler.run()
        } onGracefulShutdown: {
            Task { await scheduler.shutdown() }
        }
    }
}
