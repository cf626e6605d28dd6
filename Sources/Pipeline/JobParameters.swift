import Foundation
import PStampCore

/// The parameters record of one job: everything the parser learned about the job's image and the
/// request row that the job runner and the finisher need (the IPP's `<outputBase>.mdc` params block).
/// Kept as `<outputBase>.params.json` next to the job's outputs.
public struct JobParameters: Codable, Sendable, Equatable {
    public enum Center: Codable, Sendable, Equatable {
        case sky(ra: Double, dec: Double)
        case pixel(x: Double, y: Double)
    }

    public var rownum: Int
    public var jobType: String
    /// raw, chip, warp, stack, diff, stack_summary.
    public var stage: String
    public var stageID: Int64?
    public var component: String?
    public var imagedb: String?
    /// Files on disk (already resolved from the image database's paths).
    public var image: String
    public var mask: String?
    public var variance: String?
    /// Region: nil centre = whole file.
    public var center: Center?
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
    /// does (`ExposureMJD`). Absent in parameters written before it was kept.
    public var dateobs: String?
    /// Companion files, resolved, for the products beyond image/mask/variance: the source catalogue
    /// (bit 8), the PSF model and background model copied whole (16, 32), the stack's exposure-time
    /// and exposure-count maps (128, 256). Absent in parameters written before they were kept.
    public var sources: String?
    /// The exposure's astrometry (camera-stage smf) for raw and chip jobs: the IPP's first choice of
    /// sources for a chip.
    public var astrometry: String?
    public var psf: String?
    public var backgroundModel: String?
    public var expMap: String?
    public var numMap: String?
    /// Stack summaries' ready-made JPEGs (image, exposure-time map, count map), copied whole.
    public var jpeg: String?
    public var expJPEG: String?
    public var numJPEG: String?

    public init(
        rownum: Int, jobType: String = "stamp", stage: String, stageID: Int64? = nil, component: String? = nil,
        imagedb: String? = nil, image: String, mask: String? = nil, variance: String? = nil,
        center: Center?, width: Double, height: Double, sizeInPixels: Bool, optionMask: Int,
        expID: Int64? = nil, expName: String? = nil, filter: String? = nil, mjdObs: Double? = nil,
        raObs: Double? = nil, decObs: Double? = nil, expTime: Double? = nil
    ) {
        self.rownum = rownum; self.jobType = jobType; self.stage = stage; self.stageID = stageID
        self.component = component; self.imagedb = imagedb; self.image = image; self.mask = mask
        self.variance = variance; self.center = center; self.width = width; self.height = height
        self.sizeInPixels = sizeInPixels; self.optionMask = optionMask; self.expID = expID; self.expName = expName
        self.filter = filter; self.mjdObs = mjdObs; self.raObs = raObs; self.decObs = decObs; self.expTime = expTime
    }

    /// `<outputBase>.params.json`.
    public static func path(outputBase: String) -> String { outputBase + ".params.json" }

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

    public init(_ p: JobParameters) {
        switch p.stage {
        case ImageType.stack.rawValue:
            mjdObs = p.mjdObs; filter = p.filter
        case ImageType.stackSummary.rawValue:
            break
        default:
            mjdObs = p.dateobs.flatMap { ExposureMJD.tai(dateobs: $0) } ?? p.mjdObs.map { ExposureMJD.tai(utcMJD: $0) }
            raObs = p.raObs; decObs = p.decObs; filter = p.filter; expTime = p.expTime; expName = p.expName
        }
    }
}
