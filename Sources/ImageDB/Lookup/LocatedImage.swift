import Foundation
import PStampCore

/// The files of one located image, built from its path_base with the GPC1 file rules
/// (ippconfig/recipes/filerules-split.mdc as Job.pm uses them). Paths are as stored in the
/// database (`neb://`, `file://`, `path://NAME/…` or plain); `ImagePaths.resolve` maps them to disk.
public struct ImageFiles: Sendable, Equatable, Codable {
    public var image: String
    public var mask: String?
    public var variance: String?
    public var sources: String?
    public var psf: String?
    public var backgroundModel: String?
    /// The exposure's astrometry (camera-stage smf), for raw and chip.
    public var astrometry: String?
    /// Stack exposure-time and exposure-count maps.
    public var expMap: String?
    public var numMap: String?
    /// Ready-made JPEGs (stack summaries only): of the image, the exposure-time and the count map.
    public var jpeg: String?
    public var expJPEG: String?
    public var numJPEG: String?

    public init(
        image: String, mask: String? = nil, variance: String? = nil, sources: String? = nil, psf: String? = nil,
        backgroundModel: String? = nil, astrometry: String? = nil, expMap: String? = nil, numMap: String? = nil
    ) {
        self.image = image; self.mask = mask; self.variance = variance; self.sources = sources; self.psf = psf
        self.backgroundModel = backgroundModel; self.astrometry = astrometry; self.expMap = expMap; self.numMap = numMap
    }

    /// Every path passed through `transform` (the image database's paths resolved to disk).
    public func map(_ transform: (String) throws -> String) rethrows -> ImageFiles {
        func each(_ path: String?) throws -> String? { try path.map(transform) }
        var files = ImageFiles(
            image: try transform(image), mask: try each(mask), variance: try each(variance), sources: try each(sources),
            psf: try each(psf), backgroundModel: try each(backgroundModel), astrometry: try each(astrometry),
            expMap: try each(expMap), numMap: try each(numMap))
        files.jpeg = try each(jpeg)
        files.expJPEG = try each(expJPEG)
        files.numJPEG = try each(numJPEG)
        return files
    }

    /// Chip: image `B.C.ch.fits`, the camera-stage mask `CAM.C.mk.fits` (what Job.pm reads), variance
    /// `B.C.ch.wt.fits`, `B.C.cmf`, `B.C.psf`, `B.C.mdl.fits`, astrometry `CAM.smf`.
    static func chip(base: String, classID: String, camBase: String?) -> ImageFiles {
        ImageFiles(
            image: "\(base).\(classID).ch.fits",
            mask: camBase.map { "\($0).\(classID).mk.fits" },
            variance: "\(base).\(classID).ch.wt.fits",
            sources: "\(base).\(classID).cmf", psf: "\(base).\(classID).psf",
            backgroundModel: "\(base).\(classID).mdl.fits",
            astrometry: camBase.map { "\($0).smf" })
    }

    /// Warp: `B.fits`, `B.mask.fits`, `B.wt.fits`, `B.cmf`, `B.psf`.
    static func skycell(base: String) -> ImageFiles {
        ImageFiles(
            image: "\(base).fits", mask: "\(base).mask.fits", variance: "\(base).wt.fits",
            sources: "\(base).cmf", psf: "\(base).psf")
    }

    /// Diff: as a warp, or the inverse products `B.inv.*` of a bothways diff.
    static func diff(base: String, inverse: Bool) -> ImageFiles {
        guard inverse else { return skycell(base: base) }
        return ImageFiles(
            image: "\(base).inv.fits", mask: "\(base).inv.mask.fits", variance: "\(base).inv.wt.fits",
            sources: "\(base).inv.cmf", psf: "\(base).psf")
    }

    /// Stack: `B.fits`, `B.mask.fits`, `B.wt.fits`, `B.cmf`, `B.target.psf`; unconvolved `B.unconv.fits`,
    /// `B.unconv.mask.fits`, `B.unconv.wt.fits`. The exposure maps are the unconvolved stack's,
    /// `B.unconv.exp.fits` and `B.unconv.num.fits`, whichever stack was asked for (pstamp_job_run.pl).
    static func stack(base: String, unconvolved: Bool) -> ImageFiles {
        let img = unconvolved ? "\(base).unconv" : base
        return ImageFiles(
            image: "\(img).fits", mask: "\(img).mask.fits", variance: "\(img).wt.fits",
            sources: "\(base).cmf", psf: "\(base).target.psf",
            expMap: "\(base).unconv.exp.fits", numMap: "\(base).unconv.num.fits")
    }

    /// Stack summary (its own names, not the file rules): `B.image.b1.fits`, `B.mask.b1.fits`,
    /// `B.variance.b1.fits`, `B.exp.b1.fits`, `B.num.b1.fits` and the JPEGs `B.image.0.b1.jpeg`,
    /// `B.exp.0.b1.jpeg`, `B.num.0.b1.jpeg`. Jobs copy them whole.
    static func stackSummary(base: String) -> ImageFiles {
        var files = ImageFiles(
            image: "\(base).image.b1.fits", mask: "\(base).mask.b1.fits",
            variance: "\(base).variance.b1.fits", expMap: "\(base).exp.b1.fits",
            numMap: "\(base).num.b1.fits")
        files.jpeg = "\(base).image.0.b1.jpeg"
        files.expJPEG = "\(base).exp.0.b1.jpeg"
        files.numJPEG = "\(base).num.0.b1.jpeg"
        return files
    }
}

/// One image a request row located, with everything a job needs to cut it and to decide whether
/// it must be regenerated first (its `state`, whose fields read as the image's own).
@dynamicMemberLookup
public struct LocatedImage: Sendable, Equatable {
    /// `raw`, `chip`, `warp`, `stack`, `diff` or `stack_summary`.
    public var stage: ImageType
    /// chip_id, warp_id, stack_id, diff_id, sass_id; exp_id for raw.
    public var stageID: Int64
    /// class_id (raw, chip) or skycell_id (warp, stack, diff), projection cell (stack_summary).
    public var component: String
    /// The component-level id: raw_image_id, chip_imfile_id, warp_skyfile_id or diff_skyfile_id.
    public var imfileID: Int64?
    public var files: ImageFiles
    public var pathBase: String?
    public var expID: Int64?
    public var expName: String?
    public var camID: Int64?
    public var filter: String?
    /// rawExp.dateobs, 'YYYY-MM-DD HH:MM:SS' UTC.
    public var dateobs: String?
    /// Pointing centre in degrees (rawExp.ra/decl converted from radians), or the skycell centre.
    public var ra: Double?
    public var dec: Double?
    public var expTime: Double?
    public var tessID: String?
    public var state: ImageState
    /// Diffs: diff_mode (1 warp−warp, 2 warp−stack, 3 stack−warp, 4 stack−stack) and bothways.
    public var diffMode: Int?
    public var bothways: Bool
    public var inverse: Bool
    public var unconvolved: Bool

    public init(
        stage: ImageType, stageID: Int64, component: String, imfileID: Int64? = nil, files: ImageFiles,
        pathBase: String? = nil, expID: Int64? = nil, expName: String? = nil, camID: Int64? = nil,
        filter: String? = nil, dateobs: String? = nil, ra: Double? = nil, dec: Double? = nil,
        expTime: Double? = nil, tessID: String? = nil, runState: String, dataState: String, fault: Int = 0,
        quality: Int = 0, label: String? = nil, dataGroup: String? = nil, diffMode: Int? = nil,
        bothways: Bool = false, inverse: Bool = false, unconvolved: Bool = false
    ) {
        self.stage = stage; self.stageID = stageID; self.component = component; self.imfileID = imfileID
        self.files = files; self.pathBase = pathBase; self.expID = expID; self.expName = expName; self.camID = camID
        self.filter = filter; self.dateobs = dateobs; self.ra = ra; self.dec = dec; self.expTime = expTime
        self.tessID = tessID
        state = ImageState(runState: runState, dataState: dataState, fault: fault, quality: quality, label: label, dataGroup: dataGroup)
        self.diffMode = diffMode
        self.bothways = bothways; self.inverse = inverse; self.unconvolved = unconvolved
    }

    /// Stacks: the stack's own `mjd_obs` as stored (dateobs is only its whole-second UTC form).
    public var stackMJDObs: Double?

    public subscript<T>(dynamicMember keyPath: WritableKeyPath<ImageState, T>) -> T {
        get { state[keyPath: keyPath] }
        set { state[keyPath: keyPath] = newValue }
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<ImageState, T>) -> T { state[keyPath: keyPath] }

    /// The MJD of the exposure (no TAI correction), when dateobs is known.
    public var mjd: Double? { dateobs.flatMap { DateCut.mjd(dateobs: $0) } }
}
