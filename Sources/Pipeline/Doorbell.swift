import Foundation

/// A wake-up signal for one scheduler task: `ring()` wakes the waiter at once; a ring with nobody waiting
/// is remembered (once), so a change written between two passes is never missed.
actor Doorbell {
    private var rung = false
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]

    /// Wakes every waiter, or marks the bell rung for the next one.
    func ring() {
        if waiters.isEmpty {
            rung = true
            return
        }
        let woken = waiters.values
        waiters.removeAll()
        for waiter in woken { waiter.resume() }
    }

    /// Waits until rung, `timeout` elapses, or the calling task is cancelled. Returns `true` when rung.
    func wait(timeout: Duration) async -> Bool {
        if rung {
            rung = false
            return true
        }
        if Task.isCancelled { return false }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitForRing() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    private func waitForRing() async -> Bool {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                if rung {
                    rung = false
                    continuation.resume()
                } else {
                    waiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
        return !Task.isCancelled
    }

    private func cancelWaiter(_ id: UUID) {
        waiters.removeValue(forKey: id)?.resume()
    }
}
