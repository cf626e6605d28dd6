import Foundation
import PStampCore

/// What the finisher knows of one row of a request's results table (PS1_PS_RESULTS, server-internals §7.2): one per output file of
/// each job (one with IMG_NAME `0` for a job without outputs), with the job's code and exposure data.
public struct JobResult: Sendable, Equatable {
    public var rownum: Int
    public var errorCode: Int
    public var imageName: String
    public var jobID: Int64
    public var jobType: String
    public var expName: String?
    public var filter: String?
    public var mjdObs: Double?
    public var raObs: Double?
    public var decObs: Double?
    public var expTime: Double?

    /// ERROR_STR: the code's name as the IPP writes it.
    public var errorString: String { PStampCode(errorCode).errorString }

    public init(
        rownum: Int, errorCode: Int, imageName: String, jobID: Int64, jobType: String,
        expName: String? = nil, filter: String? = nil, mjdObs: Double? = nil, raObs: Double? = nil,
        decObs: Double? = nil, expTime: Double? = nil
    ) {
        self.rownum = rownum; self.errorCode = errorCode; self.imageName = imageName; self.jobID = jobID
        self.jobType = jobType; self.expName = expName; self.filter = filter; self.mjdObs = mjdObs
        self.raObs = raObs; self.decObs = decObs; self.expTime = expTime
    }
}

/// A request's results, ready to be written.
public struct RequestResults: Sendable, Equatable {
    public var reqName: String
    public var reqID: Int64
    /// The request file (the writer echoes each row's request columns from it).
    public var requestFile: String?
    public var rows: [JobResult]
}

/// Writes `results.fits` and `results.mdc` for a request into its work directory (the FITS module's
/// results writer). Returns the names of the files written.
public protocol ResultsWriter: Sendable {
    func write(_ results: RequestResults, in directory: URL) throws -> [String]
}
