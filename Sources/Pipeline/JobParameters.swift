import Foundation
import ImageDB
import PStampCore

/// The parameters record of one job: everything the parser learned about the job's image and the
/// request row that the job runner and the finisher need (the IPP's `<outputBase>.mdc` params block).
/// Kept as `<outputBase>.params.json` next to the job's outputs.
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

    /// `<outputBase>.params.json`.
    public static func path(outputBase: String) -> String { RequestWorkDirectory.parametersFile(outputBase: outputBase) }

    public func write(outputBase: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: Self.path(outputBase: outputBase)), options: .atomic)
    }

    public static func read(outputBase: String) throws -> JobParameters {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(outputBase: outputBase)))
        return try JSONDecoder().decode(JobParameters.self, from: data)
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
