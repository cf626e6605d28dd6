import DataStore
import Foundation
import PStampCore
import RequestDB

/// One request's page as the template shows it: state, progress, each job with its fault and
/// ERROR_STR and its files, thumbnails of the JPEG stamps, the parse errors and the dependents with
/// their checkdep logs. While the request is under way the page asks the browser to reload it.
struct RequestPageView {
    struct Link {
        var name: String
        var url: String
    }
    struct JobLine {
        var rownum: String
        var jobID: Int64
        var jobType: String
        var state: String
        var fault: Int
        var errorString: String
        var expID: String
        var depID: String
        var files: [Link]
    }
    struct Row {
        var rownum: String
        var jobs: [JobLine]
    }
    struct Fileset {
        var name: String
        var url: String
    }

    /// Seconds between reloads while the request is under way (nil once it has finished).
    static let refreshSeconds = 5
    /// The longest checkdep log shown (its end).
    static let logLimit = 8_000

    var reqID: Int64
    var name: String
    var state: String
    var fault: Int?
    var label: String
    var username: String?
    var registered: String
    var changed: String
    var done: Int
    var total: Int
    var percent: Int
    var refresh: Int?
    var underWay: Bool
    var fileset: Fileset?
    var thumbnails: [Link]
    var hasThumbnails: Bool
    var parseErrors: [String]
    var hasParseErrors: Bool
    var rows: [Row]
    var hasRows: Bool
    var dependents: [DependentView]
    var hasDependents: Bool

    init(_ progress: RequestProgress, registry: DataStoreRegistry) async throws {
        reqID = progress.reqID
        name = progress.name
        state = progress.state.rawValue
        fault = progress.fault == .success ? nil : progress.fault.rawValue
        label = progress.label ?? ""
        username = progress.username
        registered = PageTime.text(progress.registered)
        changed = PageTime.text(progress.changed)
        done = progress.doneJobs
        total = progress.jobs.count
        percent = progress.percentDone
        underWay = progress.isUnderWay
        refresh = progress.isUnderWay ? Self.refreshSeconds : nil

        var files: [DSFile] = []
        if let product = progress.outProduct, let set = try Self.fileset(registry, product: product, name: progress.name) {
            let url = "/ds/\(Self.segment(product))/\(Self.segment(set.name))/"
            fileset = Fileset(name: set.name, url: url)
            files = try registry.store.files(filesetID: set.filesetID)
        }
        let base = fileset?.url ?? ""
        func link(_ file: DSFile) -> Link { Link(name: file.name, url: base + Self.segment(file.name)) }
        thumbnails = files.filter { $0.name.lowercased().hasSuffix(".jpg") }.map(link)
        hasThumbnails = !thumbnails.isEmpty

        rows = progress.rows.map { row in
            Row(
                rownum: row.rownum,
                jobs: row.jobs.map { job in
                    let stem = job.outputBase.map { URL(fileURLWithPath: $0).lastPathComponent }
                    return JobLine(
                        rownum: job.rownum, jobID: job.jobID, jobType: job.jobType ?? "",
                        state: job.running ? "\(job.state.rawValue) (running)" : job.state.rawValue, fault: job.fault.rawValue,
                        errorString: job.fault.errorString, expID: job.expID.map(String.init) ?? "",
                        depID: job.depID.map(String.init) ?? "",
                        files: stem.map { stem in files.filter { $0.name.hasPrefix(stem) }.map(link) } ?? [])
                })
        }
        hasRows = !rows.isEmpty

        parseErrors = Self.lines(of: progress.outdir.map { RequestWorkDirectory(path: $0).parseErrors.path }, limit: Self.logLimit)
        hasParseErrors = !parseErrors.isEmpty
        dependents = progress.dependents.map { d in
            let log = Self.lines(of: d.logfile, limit: Self.logLimit).joined(separator: "\n")
            return DependentView(d, log: log.isEmpty ? nil : log)
        }
        hasDependents = !dependents.isEmpty
    }

    /// The results fileset, or nil before it is registered (the product itself may not exist yet).
    static func fileset(_ registry: DataStoreRegistry, product: String, name: String) throws -> DSFileset? {
        do { return try registry.store.fileset(product: product, name: name) } catch OutgoingDataStoreError.productNotFound { return nil }
    }

    /// The lines of a text file's last `limit` bytes (none when it is missing).
    static func lines(of path: String?, limit: Int) -> [String] {
        guard let path, let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data.suffix(limit), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    static func segment(_ name: String) -> String { name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name }
}

/// Times on the pages: UTC, `YYYY-MM-DD HH:MM:SS`, as the database keeps them.
enum PageTime {
    static func text(_ date: Date?) -> String { date.map(UTCTime.databaseText) ?? "" }

    /// A duration as people say it: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`.
    static func age(_ seconds: Int) -> String {
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3600 { return "\(seconds / 60) min" }
        if seconds < 86_400 { return "\(seconds / 3600) h \(seconds % 3600 / 60) min" }
        return "\(seconds / 86_400) d \(seconds % 86_400 / 3600) h"
    }
}
