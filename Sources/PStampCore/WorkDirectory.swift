import Foundation

/// The server's work directory (PSTAMP_WORKDIR) and where things live in it: a request's own folder
/// `<workdir>/YYYY/MM/DD/<req_id>` (the UTC day of its parse) and the web intake's request files
/// `<workdir>/webreq/YYYY/MM/DD/`.
public struct WorkDirectory: Sendable, Equatable {
    public var root: URL

    public init(_ root: URL) { self.root = root }

    /// `<workdir>/YYYY/MM/DD/<req_id>`.
    public func request(_ reqID: Int64, on date: Date) -> RequestWorkDirectory {
        RequestWorkDirectory(root.appendingPathComponent(UTCTime.dayFolder(date)).appendingPathComponent(String(reqID)))
    }

    /// `<workdir>/webreq/YYYY/MM/DD`: where the upload page and the request form keep request files.
    public func uploads(on date: Date) -> URL {
        root.appendingPathComponent("webreq").appendingPathComponent(UTCTime.dayFolder(date), isDirectory: true)
    }
}

/// One request's work directory (`pstampRequest.outdir`) and the files the tasks keep in it: the request
/// file's copy, each job's outputs and parameters record, the jobs' registration lists, the dependents'
/// checkdep logs, parse_error.txt and the results.
public struct RequestWorkDirectory: Sendable, Equatable {
    public var url: URL

    public init(_ url: URL) { self.url = url }
    public init(path: String) { url = URL(fileURLWithPath: path, isDirectory: true) }

    public var path: String { url.path }

    /// `parse_error.txt`: why rows (or the whole request) were refused, registered with the results.
    public static let parseErrorName = "parse_error.txt"
    public var parseErrors: URL { url.appendingPathComponent(Self.parseErrorName) }

    /// `reglist<job_id>`: a job's outputs, one registration line each, as earlier versions wrote them (the
    /// list is now the job's row of `pstampJobOutputs`; the finisher reads this file for jobs without one).
    public func registrationList(jobID: Int64) -> URL { url.appendingPathComponent("reglist\(jobID)") }

    /// `checkdep.<dep_id>.log`: every pass of the dependency check over a dependent.
    public func checkdepLog(depID: Int64) -> URL { url.appendingPathComponent("checkdep.\(depID).log") }

    /// `results.fits` and `results.mdc`: the request's results table and its metadata dump.
    public static let resultsTableName = "results.fits"
    public static let resultsDumpName = "results.mdc"
    public var resultsTable: URL { url.appendingPathComponent(Self.resultsTableName) }
    public var resultsDump: URL { url.appendingPathComponent(Self.resultsDumpName) }

    /// A file of the request by its name inside the directory (the request file's copy, a stamp).
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// The output base of a job's files: `<outdir>/<name>`.
    public func outputBase(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// `<outputBase>.params.json`: a job's parameters record, next to its outputs.
    public static func parametersFile(outputBase: String) -> String { outputBase + ".params.json" }

    /// The work directory holding a job's outputs.
    public init(outputBase: String) { url = URL(fileURLWithPath: outputBase).deletingLastPathComponent() }
}
