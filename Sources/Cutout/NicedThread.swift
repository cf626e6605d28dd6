import Foundation

/// A thread of its own at a lower CPU priority (`nice` above the process's), for blocking work that
/// must not slow the web server's threads: the batch engine's workers and the pipeline's blocking
/// executor both start theirs here.
public enum NicedThread {
    /// Starts a thread with an 8 MiB stack that lowers its own priority by `nice`, then runs `body`.
    public static func start(name: String? = nil, nice: Int32, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            // On Linux, who = 0 is the calling thread: only this thread is lowered.
            if nice != 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice) }
            body()
        }
        if let name { thread.name = name }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
