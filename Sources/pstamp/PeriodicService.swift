import Logging
import ServiceLifecycle

/// Runs `body` every `period` until the service group shuts down. A stand-in for the pipeline
/// Scheduler where `pstamp serve` needs one periodic task (the Poller) before the Scheduler runs it.
struct PeriodicService: Service {
    let name: String
    let period: Duration
    let logger: Logger
    let body: @Sendable () async throws -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await body() } catch { logger.error("\(name): \(error)") }
                try? await Task.sleep(for: period)
            }
        }
    }
}
