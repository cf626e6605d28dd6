/// One row of a results file (`PS1_PS_RESULTS`, formats-and-cutouts.md §3.1): one per output file,
/// or one per failed or fake job.
public struct ResultRow: Sendable, Equatable {
    public var rownum: Int64
    public var errorCode: PStampCode
    /// File name inside the fileset, or `0` for a failed job.
    public var imgName: String
    public var jobID: Int64
    public var raDeg: Double
    public var decDeg: Double
    public var mjdObs: Double
    public var raObs: Double
    public var decObs: Double
    public var filter: String
    public var exptime: Double
    public var fpaID: String
    // Copied from the request row as requested (empty → `null`; all `0` for request-level errors).
    public var project: String
    public var jobType: String
    public var reqType: String
    public var imgType: String
    public var id: String
    public var tessID: String
    public var component: String
    public var dataGroup: String
    public var optionMask: Int64
    public var mjdMin: Double
    public var mjdMax: Double
    public var reqfilt: String
    public var coordMask: Int64
    public var centerX: Double
    public var centerY: Double
    public var width: Double
    public var height: Double
    public var comment: String

    /// ERROR_STR: the code's name in the IPP's list, `undefined` for 7–9 and 13–19, else `unknown` (31 too).
    public var errorString: String { errorCode.errorString }

    /// A row for one output file (or a failed job, `imgName` "0") of the request row `request` as written.
    public init(
        request: RawRequestRow, errorCode: PStampCode, imgName: String = "0", jobID: Int64,
        raDeg: Double = 0, decDeg: Double = 0, mjdObs: Double = 0, raObs: Double = 0, decObs: Double = 0,
        filter: String = "0", exptime: Double = 0, fpaID: String = "0"
    ) {
        func text(_ column: String) -> String {
            let t = request[column].text?.trimmedBlanks ?? ""
            return t.isEmpty ? "null" : t
        }
        func number(_ column: String) -> Double { request[column].number ?? 0 }
        // Echoed integers must fit their column (J: int32, ROWNUM V: uint32); a value that does not (a
        // rejected row's OPTION_MASK of 3000000007) is echoed as 0, as a missing one is.
        func integer(_ column: String, max: Int64 = Int64(Int32.max)) -> Int64 {
            request[column].digits.flatMap { $0 <= max ? $0 : nil } ?? 0
        }
        rownum = integer("ROWNUM", max: Int64(UInt32.max))
        self.errorCode = errorCode
        self.imgName = imgName
        self.jobID = jobID
        self.raDeg = raDeg; self.decDeg = decDeg; self.mjdObs = mjdObs
        self.raObs = raObs; self.decObs = decObs
        self.filter = filter; self.exptime = exptime; self.fpaID = fpaID
        project = text("PROJECT"); jobType = text("JOB_TYPE"); reqType = text("REQ_TYPE")
        imgType = text("IMG_TYPE"); id = text("ID"); tessID = text("TESS_ID")
        component = text("COMPONENT")
        dataGroup = request["DATA_GROUP"] == .missing ? (RequestRow.optionalText(request["LABEL"]) ?? "null") : text("DATA_GROUP")
        optionMask = integer("OPTION_MASK")
        mjdMin = number("MJD_MIN"); mjdMax = number("MJD_MAX")
        reqfilt = text("REQFILT")
        coordMask = integer("COORD_MASK")
        centerX = number("CENTER_X"); centerY = number("CENTER_Y")
        width = number("WIDTH"); height = number("HEIGHT")
        comment = text("COMMENT")
    }

    /// The row of one job result answering the request row `request`; RA_DEG/DEC_DEG are the stamp's centre.
    public init(request: RawRequestRow, result: JobResult, raDeg: Double = 0, decDeg: Double = 0) {
        let exposure = result.exposure
        self.init(
            request: request, errorCode: result.errorCode, imgName: result.imageName, jobID: result.jobID,
            raDeg: raDeg, decDeg: decDeg, mjdObs: exposure.mjdObs ?? 0, raObs: exposure.raObs ?? 0,
            decObs: exposure.decObs ?? 0, filter: exposure.filter ?? "0", exptime: exposure.expTime ?? 0,
            fpaID: exposure.expName ?? "0")
    }

    /// The row as the IPP's results writer receives it: pstamp_finish.pl hands every number over as Perl
    /// text (`%.15g`), the request's echoed numbers included (read through pstampdump, F64 `%.15g`), so
    /// its results.fits holds them to 15 significant digits. RA_DEG/DEC_DEG are the stamp header's own text.
    public var asIPPText: ResultRow {
        func text(_ x: Double) -> Double {
            guard x.isFinite else { return x }
            return Double(MetadataConfig.general(x, digits: 15)) ?? x
        }
        var row = self
        for keyPath in [
            \ResultRow.mjdObs, \.raObs, \.decObs, \.exptime, \.mjdMin, \.mjdMax, \.centerX, \.centerY,
            \.width, \.height,
        ] {
            row[keyPath: keyPath] = text(row[keyPath: keyPath])
        }
        return row
    }

    /// The row of a request-level fault (ROWNUM 0: duplicate name, empty table, bad email …):
    /// every copied request field is `0`.
    public static func requestLevel(errorCode: PStampCode, jobID: Int64) -> ResultRow {
        var row = ResultRow(request: RawRequestRow(), errorCode: errorCode, jobID: jobID)
        row.rownum = 0
        for keyPath in [
            \ResultRow.project, \.jobType, \.reqType, \.imgType, \.id, \.tessID, \.component,
            \.dataGroup, \.reqfilt, \.comment,
        ] {
            row[keyPath: keyPath] = "0"
        }
        return row
    }
}

/// The layout of `results.fits`: EXTNAME, header keywords and the 31 columns in order.
public enum ResultsFileFormat {
    public static let extname = "PS1_PS_RESULTS"
    public static let reqNameComment = "Postage Stamp Request Name"
    public static let reqIDComment = "Postage Stamp Server Request id"

    /// (name, TFORM), as pstamp_results_file.pl defines them. `V` is unsigned 32-bit (stored by cfitsio as
    /// J with TZERO 2^31). ERROR_STR is `24A`: every string of the IPP's list fits (31 is `unknown`).
    public static let columns: [(name: String, tform: String)] = [
        ("ROWNUM", "V"), ("ERROR_CODE", "V"), ("ERROR_STR", "24A"), ("IMG_NAME", "64A"), ("JOB_ID", "K"),
        ("RA_DEG", "D"), ("DEC_DEG", "D"), ("MJD_OBS", "D"), ("RA_OBS", "D"), ("DEC_OBS", "D"),
        ("FILTER", "16A"), ("EXPTIME", "D"), ("FPA_ID", "20A"),
        ("PROJECT", "16A"), ("JOB_TYPE", "16A"), ("REQ_TYPE", "16A"), ("IMG_TYPE", "16A"), ("ID", "16A"),
        ("TESS_ID", "64A"), ("COMPONENT", "64A"), ("DATA_GROUP", "64A"),
        ("OPTION_MASK", "J"), ("MJD_MIN", "D"), ("MJD_MAX", "D"), ("REQFILT", "16A"), ("COORD_MASK", "J"),
        ("CENTER_X", "D"), ("CENTER_Y", "D"), ("WIDTH", "D"), ("HEIGHT", "D"), ("COMMENT", "64A"),
    ]
}
