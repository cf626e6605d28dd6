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
        // RA_DEG/DEC_DEG: each stamp's centre from its own header, as pstamp_finish.pl reads it.
        let stamps = results.rows.indices.filter { i in
            let r = results.rows[i]
            return r.rownum != 0 && r.imageName != "0" && byRow[Int64(r.rownum)] != nil
        }
        var centres = [(ra: Double, dec: Double)](repeating: (0, 0), count: results.rows.count)
        for (i, centre) in zip(stamps, StampCentre.read(stamps.map { outdir.file(results.rows[$0].imageName).path })) {
            centres[i] = centre
        }
        let rows: [ResultRow] = try Array(results.rows.enumerated()).concurrentMap { i, r in
            guard r.rownum != 0, let raw = byRow[Int64(r.rownum)] else {
                return ResultRow.requestLevel(errorCode: r.errorCode, jobID: r.jobID)
            }
            return ResultRow(request: raw, result: r, raDeg: centres[i].ra, decDeg: centres[i].dec).asIPPText
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
