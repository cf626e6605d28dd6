import Foundation
import RequestDB

/// Waiting for a request to reach a state, woken by the request database's change notification (every
/// commit of this process that touches the tables; each second for other processes' writes), not by polling.
enum RequestWait {
    /// Returns `check`'s first non-nil answer, asked at once and after every change of `tables`, or nil
    /// when `timeout` passes first.
    static func until<T: Sendable>(
        _ database: RequestDatabase, tables: [String] = ["pstampRequest"], timeout: Duration,
        _ check: @escaping @Sendable () throws -> T?
    ) async throws -> T? {
        // The observation starts before the first check (the stream's first wake-up), so no change between
        // the two is missed; a wake-up each second also sees writes of other processes.
        let wakeUps = database.wakeUps(onChangesOf: tables, orEvery: .seconds(1))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                for await _ in wakeUps {
                    if let answer = try check() { return answer }
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
