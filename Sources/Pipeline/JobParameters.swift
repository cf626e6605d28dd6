import Foundation
import ImageDB
import PStampCore
import RequestDB

/// The parameters record of one job: everything the parser learned about the job's image and the
/// request row that the job runner and the finisher need (the IPP's `<outputBase>.mdc` params block).
/// Kept as a JSON object in `pstampJobParameters`, written by the parse with the job; a job without a
/// row there (added by `pstamptool -addjob`, or parsed by an earlier version) has it as
/// `<outputBase>.params.json` next to its outputs.
public struct JobParameters: Codable, Sendable, Equatable {
    public var rownum: Int
    public var jobType: JobType
    /// The stage of the image; a record naming a stage this server does not know cannot be read.
    public var stage: ImageType
    public var stageID: Int64?
    public var component: String?
    public var imagedb: String?
    /// The image's files on disk (already resolved from the image database's paths): the image, mask
    /// and variance, and the companions beyond them — the source catalogue (OPTION_MASK bit 8), the PSF
    /// model and background model copied whole (16, 32), the exposure's astrometry (the IPP's first
    /// choice of sources for a chip), the stack's exposure-time and exposure-count maps (128, 256), a
    /// stack summary's ready-made JPEGs.
    public var files: ImageFiles
    /// Region: nil centre = whole file.
    public var center: StampCenter?
    public var width: Double
    public var height: Double
    /// True: WIDTH/HEIGHT in pixels (COORD_MASK bit 2); false: arcseconds.
    public var sizeInPixels: Bool
    public var optionMask: Int
    // Exposure information for the results table.
    public var expID: Int64?
    public var expName: String?
    public var filter: String?
    public var mjdObs: Double?
    public var raObs: Double?
    public var decObs: Double?
    public var expTime: Double?
    /// The exposure's `rawExp.dateobs` (UTC text), from which the results' MJD_OBS is computed as the IPP
    /// does (`ExposureMJD`).
    public var dateobs: String?

    public init(
        rownum: Int, jobType: JobType = .stamp, stage: ImageType, stageID: Int64? = nil, component: String? = nil,
        imagedb: String? = nil, files: ImageFiles, center: StampCenter?, width: Double, height: Double,
        sizeInPixels: Bool, optionMask: Int, expID: Int64? = nil, expName: String? = nil, filter: String? = nil,
        mjdObs: Double? = nil, raObs: Double? = nil, decObs: Double? = nil, expTime: Double? = nil
    ) {
        self.rownum = rownum; self.jobType = jobType; self.stage = stage; self.stageID = stageID
        self.component = component; self.imagedb = imagedb; self.files = files; self.center = center
        self.width = width; self.height = height; self.sizeInPixels = sizeInPixels; self.optionMask = optionMask
        self.expID = expID; self.expName = expName; self.filter = filter; self.mjdObs = mjdObs; self.raObs = raObs
        self.decObs = decObs; self.expTime = expTime
    }

    // The record is one flat JSON object: the image's files sit beside the other fields, as every
    // record written so far has them.
    private enum CodingKeys: String, CodingKey {
        case rownum, jobType, stage, stageID, component, imagedb, center, width, height, sizeInPixels, optionMask
        case expID, expName, filter, mjdObs, raObs, decObs, expTime, dateobs
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            rownum: try c.decode(Int.self, forKey: .rownum), jobType: try c.decode(JobType.self, forKey: .jobType),
            stage: try c.decode(ImageType.self, forKey: .stage), stageID: try c.decodeIfPresent(Int64.self, forKey: .stageID),
            component: try c.decodeIfPresent(String.self, forKey: .component),
            imagedb: try c.decodeIfPresent(String.self, forKey: .imagedb), files: try ImageFiles(from: decoder),
            center: try c.decodeIfPresent(StampCenter.self, forKey: .center), width: try c.decode(Double.self, forKey: .width),
            height: try c.decode(Double.self, forKey: .height), sizeInPixels: try c.decode(Bool.self, forKey: .sizeInPixels),
            optionMask: try c.decode(Int.self, forKey: .optionMask), expID: try c.decodeIfPresent(Int64.self, forKey: .expID),
            expName: try c.decodeIfPresent(String.self, forKey: .expName),
            filter: try c.decodeIfPresent(String.self, forKey: .filter), mjdObs: try c.decodeIfPresent(Double.self, forKey: .mjdObs),
            raObs: try c.decodeIfPresent(Double.self, forKey: .raObs), decObs: try c.decodeIfPresent(Double.self, forKey: .decObs),
            expTime: try c.decodeIfPresent(Double.self, forKey: .expTime))
        dateobs = try c.decodeIfPresent(String.self, forKey: .dateobs)
    }

    public func encode(to encoder: any Encoder) throws {
        try files.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rownum, forKey: .rownum)
        try c.encode(jobType, forKey: .jobType)
        try c.encode(stage, forKey: .stage)
        try c.encodeIfPresent(stageID, forKey: .stageID)
        try c.encodeIfPresent(component, forKey: .component)
        try c.encodeIfPresent(imagedb, forKey: .imagedb)
        try c.encodeIfPresent(center, forKey: .center)
        try c.encode(width, forKey: .width)
        try c.encode(height, forKey: .height)
        try c.encode(sizeInPixels, forKey: .sizeInPixels)
        try c.encode(optionMask, forKey: .optionMask)
        try c.encodeIfPresent(expID, forKey: .expID)
        try c.encodeIfPresent(expName, forKey: .expName)
        try c.encodeIfPresent(filter, forKey: .filter)
        try c.encodeIfPresent(mjdObs, forKey: .mjdObs)
        try c.encodeIfPresent(raObs, forKey: .raObs)
        try c.encodeIfPresent(decObs, forKey: .decObs)
        try c.encodeIfPresent(expTime, forKey: .expTime)
        try c.encodeIfPresent(dateobs, forKey: .dateobs)
    }

    /// `<outputBase>.params.json`.
    public static func path(outputBase: String) -> String { RequestWorkDirectory.parametersFile(outputBase: outputBase) }

    /// Writes the record as the `<outputBase>.params.json` file earlier versions kept per job (the parse
    /// now keeps it in `pstampJobParameters`; the file is still read for jobs without a row).
    public func write(outputBase: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: Self.path(outputBase: outputBase)))
    }

    public static func read(outputBase: String) throws -> JobParameters {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(outputBase: outputBase)))
        return try JSONDecoder().decode(JobParameters.self, from: data)
    }

    /// The record as the compact JSON text kept in `pstampJobParameters`.
    public func text() throws -> String {
        String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
    }

    /// A record read back from its JSON text.
    public init(text: String) throws {
        self = try JSONDecoder().decode(JobParameters.self, from: Data(text.utf8))
    }

    /// The job's record: its `pstampJobParameters` row, else its `<outputBase>.params.json`; nil when it
    /// has neither.
    public static func read(job: JobRecord, database: RequestDatabase) throws -> JobParameters? {
        try read(job: job, stored: database.jobParameters.get(jobID: job.jobID))
    }

    /// The job's record from its row's text (`stored`, read by the caller), else from its
    /// `<outputBase>.params.json`; nil when it has neither.
    public static func read(job: JobRecord, stored: String?) throws -> JobParameters? {
        if let stored { return try JobParameters(text: stored) }
        guard let base = nonNull(job.outputBase), FileManager.default.fileExists(atPath: path(outputBase: base)) else { return nil }
        return try read(outputBase: base)
    }
}

extension ResultsExposure {
    /// The exposure columns of a job's results rows, from its parameters record.
    public init(_ p: JobParameters) {
        self.init()
        switch p.stage {
        case .stack:
            mjdObs = p.mjdObs; filter = p.filter
        case .stackSummary:
            break
        default:
            mjdObs = p.dateobs.flatMap { ExposureMJD.tai(dateobs: $0) } ?? p.mjdObs.map { ExposureMJD.tai(utcMJD: $0) }
            raObs = p.raObs; decObs = p.decObs; filter = p.filter; expTime = p.expTime; expName = p.expName
        }
    }
}
