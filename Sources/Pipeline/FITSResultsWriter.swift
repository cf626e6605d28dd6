import FITS
import Foundation
import PStampCore

/// The FITS module's results writer: re-reads the request file (as pstamp_finish.pl does) to echo each
/// row's request columns, and writes `results.fits` (PS1_PS_RESULTS) and `results.mdc`.
public struct FITSResultsWriter: ResultsWriter {
    public init() {}

    public func write(_ results: RequestResults, in directory: URL) throws -> [String] {
        let outdir = RequestWorkDirectory(directory)
        var byRow: [Int64: RawRequestRow] = [:]
        if let file = results.requestFile, FileManager.default.fileExists(atPath: file) {
            let request = try RequestFile.read(file)
            for row in request.rows {
                if let n = row["ROWNUM"].digits { byRow[n] = row }
            }
        }
        // Rows built on all cores: each stamp's RA_DEG/DEC_DEG is its centre from its own header, as
        // pstamp_finish.pl reads it (an open and a header parse per stamp).
        let rows: [ResultRow] = results.rows.concurrentMap { r in
            guard r.rownum != 0, let raw = byRow[Int64(r.rownum)] else {
                return ResultRow.requestLevel(errorCode: r.errorCode, jobID: r.jobID)
            }
            let centre = r.imageName == "0" ? (ra: 0.0, dec: 0.0) : StampCentre.read(outdir.file(r.imageName).path)
            return ResultRow(request: raw, result: r, raDeg: centre.ra, decDeg: centre.dec).asIPPText
        }
        do {
            try ResultsFile.write(
                reqName: results.reqName, reqID: results.reqID, rows: rows,
                to: outdir.resultsTable.path)
        } catch let error as FITSError where error.status == FITSError.numericOverflow {
            // A value of the request's own data that its column cannot hold: the request's fault (21),
            // not the server's; trying again would fail again.
            throw PStampError(.invalidRequest, "results.fits cannot hold a value of the request: \(error)")
        }
        try ResultsFile.writeMetadataDump(rows: rows, to: outdir.resultsDump.path)
        return [RequestWorkDirectory.resultsTableName, RequestWorkDirectory.resultsDumpName]
    }
}
