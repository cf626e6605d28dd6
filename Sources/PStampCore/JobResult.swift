/// What the finisher knows of one row of a request's results table: one per output file of each job
/// (one with IMG_NAME `0` for a job without outputs), with the job's code and its exposure. The
/// results file's `ResultRow` is made from it and the request row it answers.
public struct JobResult: Sendable, Equatable {
    public var rownum: Int
    public var errorCode: PStampCode
    public var imageName: String
    public var jobID: Int64
    public var jobType: JobType
    public var exposure: ResultsExposure

    public init(
        rownum: Int, errorCode: PStampCode, imageName: String, jobID: Int64, jobType: JobType,
        exposure: ResultsExposure = ResultsExposure()
    ) {
        self.rownum = rownum; self.errorCode = errorCode; self.imageName = imageName; self.jobID = jobID
        self.jobType = jobType; self.exposure = exposure
    }
}

/// The exposure columns of a job's results rows (MJD_OBS, RA_OBS, DEC_OBS, FILTER, EXPTIME, FPA_ID), as
/// pstamp_finish.pl fills them from the job's parameters: stacks give their own `mjd_obs` and filter and
/// zeros for the rest; stack summaries carry no exposure (all zeros); every other stage gives the
/// exposure's values with MJD_OBS in TAI (UTC dateobs + 34 s from 2009, else 33 s: `ExposureMJD`).
/// nil values are written as the IPP writes unknowns: 0, or `0` for the text columns.
public struct ResultsExposure: Sendable, Equatable {
    public var mjdObs: Double?
    public var raObs: Double?
    public var decObs: Double?
    public var filter: String?
    public var expTime: Double?
    public var expName: String?

    public init(
        mjdObs: Double? = nil, raObs: Double? = nil, decObs: Double? = nil, filter: String? = nil, expTime: Double? = nil,
        expName: String? = nil
    ) {
        self.mjdObs = mjdObs; self.raObs = raObs; self.decObs = decObs; self.filter = filter; self.expTime = expTime
        self.expName = expName
    }
}
