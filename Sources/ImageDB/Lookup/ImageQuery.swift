import Foundation
import PStampCore

/// What the image database needs from one request row to locate its images. A request row
/// (PStampCore's RequestRow) maps onto this one to one; values are already normalised by the
/// parser (a `null` text is nil, OPTION_MASK bits are split out, bycoord's MJD_MIN default of
/// 54922 applied).
public struct ImageQuery: Sendable, Equatable {
    public var requestType: RequestType
    public var imageType: ImageType
    /// ID: exp_id, chip_id, warp_id, stack_id, diff_id, sass_id (byid), exp_name (byexp),
    /// diff_skyfile_id (bydiff), or a component id with `useImfileID`.
    public var id: String?
    /// The centre in degrees when it is on the sky (COORD_MASK bit 1 clear); nil for a pixel centre.
    public var skyCenter: SkyPoint?
    /// COMPONENT: class_id (raw/chip) or skycell_id (warp/stack/diff); nil for null/all.
    public var component: String?
    public var tessID: String?
    /// DATA_GROUP, an SQL LIKE pattern.
    public var dataGroup: String?
    /// REQFILT; a single letter is widened to a prefix (`i` -> `i%`).
    public var filter: String?
    /// MJD_MIN / MJD_MAX; 0 means no limit.
    public var mjdMin: Double
    public var mjdMax: Double
    /// RUN_TYPE: diffs `warp_warp` `warp_stack` `stack_stack`; stacks (release lookups) a stack type.
    public var runType: String?
    /// FWHM_MIN / FWHM_MAX (release lookups only); 0 means no limit.
    public var fwhmMin: Double
    public var fwhmMax: Double
    public var surveyName: String?
    public var ippRelease: String?
    /// OPTION_MASK 16384 USE_IMFILE_ID.
    public var useImfileID: Bool
    /// OPTION_MASK 1024 SELECT_INVERSE.
    public var inverse: Bool
    /// OPTION_MASK 2048 SELECT_UNCONV.
    public var unconvolved: Bool

    public init(
        requestType: RequestType, imageType: ImageType, id: String? = nil, skyCenter: SkyPoint? = nil,
        component: String? = nil, tessID: String? = nil, dataGroup: String? = nil, filter: String? = nil,
        mjdMin: Double = 0, mjdMax: Double = 0, runType: String? = nil, fwhmMin: Double = 0, fwhmMax: Double = 0,
        surveyName: String? = nil, ippRelease: String? = nil, useImfileID: Bool = false,
        inverse: Bool = false, unconvolved: Bool = false
    ) {
        func clean(_ s: String?) -> String? {
            guard let t = s?.trimmingCharacters(in: .whitespaces), !t.isEmpty,
                t.lowercased() != "null"
            else { return nil }
            return t
        }
        self.requestType = requestType
        self.imageType = imageType
        self.id = clean(id)
        self.skyCenter = skyCenter
        let comp = clean(component)
        self.component = comp?.lowercased() == "all" ? nil : comp
        self.tessID = clean(tessID)
        self.dataGroup = clean(dataGroup)
        let f = clean(filter)
        self.filter = f.map { $0.count == 1 ? $0 + "%" : $0 }
        self.mjdMin = mjdMin
        self.mjdMax = mjdMax
        self.runType = clean(runType)
        self.fwhmMin = fwhmMin
        self.fwhmMax = fwhmMax
        self.surveyName = clean(surveyName)
        self.ippRelease = clean(ippRelease)
        self.useImfileID = useImfileID
        self.inverse = inverse
        self.unconvolved = unconvolved
    }

    /// The query of a request row as the parser has normalised it: bycoord finds its images by the
    /// centre even when the whole file is asked for (WIDTH = HEIGHT = 0); other rows have a sky centre
    /// only when they cut a region around one.
    public init(row: RequestRow) {
        self.init(
            requestType: row.reqType, imageType: row.imgType, id: row.id,
            skyCenter: row.isSkyCenter && (!row.isWholeFile || row.reqType == .bycoord)
                ? SkyPoint(ra: row.centerX, dec: row.centerY) : nil,
            component: row.component, tessID: row.tessID, dataGroup: row.dataGroup, filter: row.reqfilt,
            mjdMin: row.mjdMin, mjdMax: row.mjdMax, runType: row.runType, fwhmMin: row.fwhmMin, fwhmMax: row.fwhmMax,
            surveyName: row.surveyName, ippRelease: row.ippRelease, useImfileID: row.optionMask.contains(.useImfileID),
            inverse: row.optionMask.contains(.inverse), unconvolved: row.optionMask.contains(.unconvolved))
    }

    /// A positive integer ID, or code 21 (byid and bydiff need one).
    func numericID() throws -> Int64 {
        guard let id, let n = Int64(id), n > 0 else {
            throw PStampError(.invalidRequest, "\(requestType.rawValue) needs a positive integer ID, got '\(id ?? "")'")
        }
        return n
    }

    /// RUN_TYPE as a diff_mode (warp_warp 1, warp_stack 2, stack_stack 4; case-insensitive), or nil.
    var diffMode: Int? {
        switch runType?.lowercased() {
        case "warp_warp": return 1
        case "warp_stack": return 2
        case "stack_warp": return 3
        case "stack_stack": return 4
        default: return nil
        }
    }
}

/// A point on the sky in degrees.
public struct SkyPoint: Sendable, Equatable, Hashable {
    public var ra: Double
    public var dec: Double
    public init(ra: Double, dec: Double) { self.ra = ra; self.dec = dec }

    /// Great-circle distance in degrees.
    public func distance(to other: SkyPoint) -> Double {
        let d2r = Double.pi / 180
        let (a1, d1, a2, d2) = (ra * d2r, dec * d2r, other.ra * d2r, other.dec * d2r)
        let h = pow(sin((d2 - d1) / 2), 2) + cos(d1) * cos(d2) * pow(sin((a2 - a1) / 2), 2)
        return 2 * asin(min(1, sqrt(h))) / d2r
    }
}
