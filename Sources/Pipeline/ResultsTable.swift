import Foundation
import PStampCore

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
