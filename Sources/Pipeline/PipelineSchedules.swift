import Foundation
import RequestDB

/// The IPP's pantasks periods and limits (ippTasks/pstamp.pro, server-internals §6) as the default
/// schedule of each task. The load period of a pantasks load/run pair is the task's period here; the
/// change notification makes the hot path (new request → parse → jobs → finish) independent of it.
public enum PipelineSchedules {
    public static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// pstamp.request.load (exec 5 s) + pstamp.request.run; PSTAMP_PARSE_LIMIT 20.
    public static var parse: TaskSchedule {
        TaskSchedule(period: .seconds(5), concurrency: cores, loadLimit: 20, wakeOn: [.request, .label])
    }
    /// pstamp.job.load (exec 5 s) + pstamp.job.run: one job runner per core.
    public static var job: TaskSchedule {
        TaskSchedule(period: .seconds(5), concurrency: cores, loadLimit: 32, wakeOn: [.request, .job, .dependent, .label])
    }
    /// pstamp.dependent.load (exec 15 s, POLL_DEP 500) + pstamp.dependent.run.
    public static var dependent: TaskSchedule {
        TaskSchedule(period: .seconds(15), concurrency: cores, loadLimit: 500, wakeOn: [.dependent, .label])
    }
    /// request.finish.load (exec 5 s, limit 8) + request.finish.run (4 at once).
    public static var finish: TaskSchedule {
        TaskSchedule(period: .seconds(5), concurrency: 4, loadLimit: 8, wakeOn: [.request, .job, .label])
    }
    /// Update processing for standalone sites (not a pantasks task of the IPP's pstamp.pro).
    public static var update: TaskSchedule {
        TaskSchedule(period: .seconds(15), concurrency: cores, loadLimit: 32, wakeOn: [.dependent])
    }
    /// pstamp.request.revert (every 1200 s in the IPP): woken by a change to a request, so a new fault is
    /// scheduled at once, and when the next request's retry falls due (`RequestReverter.nextDue`).
    public static var requestRevert: TaskSchedule { TaskSchedule(period: .seconds(1200), wakeOn: [.request]) }
    /// pstamp.job.revert (every 300 s in the IPP): woken by job changes and when a job's retry falls due.
    public static var jobRevert: TaskSchedule { TaskSchedule(period: .seconds(300), wakeOn: [.job]) }
    /// pstamp.dependent.revert (every 900 s in the IPP): woken by dependent changes and when a retry falls due.
    public static var dependentRevert: TaskSchedule { TaskSchedule(period: .seconds(900), wakeOn: [.dependent]) }
    /// pstamp.uws.expiry (PStamp's own): woken by UWS job changes and when the next deadline falls due.
    public static var uwsExpiry: TaskSchedule { TaskSchedule(period: .seconds(60), wakeOn: [.uwsJob]) }
    /// pstamp.stopfaulted: every 30 s.
    public static var stopFaulted: TaskSchedule { TaskSchedule(period: .seconds(30)) }
    /// pstamp.cleanup.load (exec 5 s) + pstamp.cleanup.run (2 at once, to spare the disks).
    public static var cleanup: TaskSchedule {
        TaskSchedule(period: .seconds(5), concurrency: 2, loadLimit: 32, wakeOn: [.request])
    }
    /// pstamp.queue.cleanup: every 600 s.
    public static var queueCleanup: TaskSchedule { TaskSchedule(period: .seconds(600)) }
    /// pstamp.queue.update.cleanup: hourly inside 22:00–23:59:59 UTC, at most 2 passes a night.
    public static var updateCleanup: TaskSchedule {
        TaskSchedule(period: .seconds(3600), window: DailyWindow(start: 22 * 3600, end: 24 * 3600 - 1, maxRuns: 2))
    }
}
