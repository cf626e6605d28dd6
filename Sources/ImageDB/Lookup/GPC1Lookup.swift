import Foundation
import PStampCore

/// Locates the images of one request row in a gpc1 database: the IPP's Job.pm lookup matrix
/// (REQ_TYPE × IMG_TYPE) with its cuts, written as SQL that runs unchanged on SQLite and MySQL,
/// and with the IPP's external coordinate programs replaced by stored footprints.
struct GPC1Lookup {
    let db: any SQLExecutor
    let footprints: FootprintIndex
    let query: ImageQuery
    /// Why candidates were left out (a fault code, or 23 for other reasons); decides the row's code.
    var dropped: [Int] = []

    /// Unconvolved gpc1 stacks exist only from this stack_id on (older ones give code 25).
    static let firstUnconvolvedStackID: Int64 = 30067
    /// Run states a byexp/byskycell lookup skips before keeping the newest run of each exposure.
    static let skippedRunStates: Set<String> = ["new", "purged", "scrubbed"]
    /// Tessellations skipped by bycoord unless TESS_ID asks for them.
    static let obsoleteTessellations: Set<String> = ["FIXNS", "ALLSKY", "RINGS.V0"]

    init(db: any SQLExecutor, footprints: FootprintIndex, query: ImageQuery) {
        self.db = db; self.footprints = footprints; self.query = query
    }

    mutating func run() throws -> [LocatedImage] {
        let q = query
        let candidates: [LocatedImage]
        switch (q.requestType, q.imageType) {
        case (.byexp, .stack), (.byexp, .stackSummary):
            throw PStampError(.notImplemented, "byexp is not implemented for \(q.imageType.rawValue)")
        case (.byskycell, .raw), (.byskycell, .chip):
            throw PStampError(.noImageMatch, "byskycell is not supported for \(q.imageType.rawValue)")
        case (.byskycell, _) where q.tessID == nil || q.component == nil:
            if q.imageType == .stackSummary {
                throw PStampError(.invalidRequest, "byskycell needs TESS_ID and COMPONENT")
            }
            throw PStampError(.noImageMatch, "byskycell needs TESS_ID and COMPONENT (skycell_id)")
        case (.bycoord, _) where q.skyCenter == nil:
            throw PStampError(.invalidRequest, "bycoord needs a sky centre (RA/Dec in degrees)")
        case (.bydiff, .stackSummary):
            throw PStampError(.invalidRequest, "bydiff does not apply to stack_summary")
        case (_, .raw), (_, .chip):
            candidates = try exposureStage()
        case (_, .warp):
            candidates = try warps()
        case (_, .diff):
            candidates = try diffs()
        case (_, .stack):
            candidates = try stacks()
        case (_, .stackSummary):
            candidates = try stackSummaries()
        }
        let usable = candidates.filter { keep($0) }
        if usable.isEmpty {
            if dropped.contains(26) { throw PStampError(.gone, "the matching images are gone (fault 26)") }
            if dropped.contains(25) { throw PStampError(.notAvailable, "the matching images are not available") }
            throw PStampError(.noImageMatch, "no image matches the request row")
        }
        return usable
    }

    /// Job.pm's last filter: faulted components, bad quality (not raw) and missing path_base are left out.
    private mutating func keep(_ image: LocatedImage) -> Bool {
        if image.fault != 0 { dropped.append(image.fault); return false }
        // Raw and chip images need their exposure's astrometry (Job.pm find_astrometry), else 25.
        if (image.stage == .raw || image.stage == .chip) && image.camID == nil { dropped.append(25); return false }
        if image.stage != .raw && image.quality != 0 { dropped.append(23); return false }
        if image.stage != .raw && (image.pathBase ?? "").isEmpty { dropped.append(23); return false }
        if image.stage == .stack && image.unconvolved && image.stageID < Self.firstUnconvolvedStackID {
            dropped.append(25); return false
        }
        return true
    }

    // MARK: - Shared cuts

    /// The dateobs / filter / data_group cuts of non-stack lookups, on the given exposure and run aliases.
    func exposureCuts(_ w: inout WhereClause, exposure e: String, run: String?, applyGroup: Bool = true) {
        if let begin = DateCut.dateobs(mjd: query.mjdMin) { w.add("\(e).dateobs >= ?", .text(begin)) }
        if let end = DateCut.dateobs(mjd: query.mjdMax) { w.add("\(e).dateobs <= ?", .text(end)) }
        if let filter = query.filter { w.add("\(e).filter LIKE ?", .text(filter)) }
        if applyGroup, let run, let group = query.dataGroup { w.add("\(run).data_group LIKE ?", .text(group)) }
    }

    /// The release to look through, when the row's REQ_TYPE × IMG_TYPE uses releases (Job.pm lookup).
    var release: ReleaseSelector? { ReleaseSelector(query) }

    /// Keeps, for each exposure, only the newest run (highest run id) not in new/purged/scrubbed.
    func newestRunPerExposure(_ images: [LocatedImage]) -> [LocatedImage] {
        var newest: [Int64: Int64] = [:]
        for image in images where !Self.skippedRunStates.contains(image.runState) {
            guard let exp = image.expID else { continue }
            newest[exp] = max(newest[exp] ?? .min, image.stageID)
        }
        return images.filter { image in
            guard let exp = image.expID else { return true }
            return !Self.skippedRunStates.contains(image.runState) && newest[exp] == image.stageID
        }
    }

    /// The tessellations a bycoord row searches.
    var coordinateTessellations: [String]? {
        if let tess = query.tessID { return [tess] }
        if let survey = ReleaseSelector.surveyForTessellations(query) {
            return ReleaseSelector.defaultTessellations(survey: survey)
        }
        return nil
    }

    /// The skycells (tess_id, skycell_id) holding a bycoord row's centre, or code 23 (no image: Job.pm answers 23, 28 is only for cutting).
    func skycellsAtCenter() throws -> [(tess: String, skycell: String)] {
        guard let point = query.skyCenter else { throw PStampError(.invalidRequest, "bycoord needs a sky centre") }
        let tessellations = coordinateTessellations
        let cells = try footprints.skycells(containing: point, tessellations: tessellations).filter {
            tessellations != nil || !Self.obsoleteTessellations.contains($0.tessID)
        }
        if cells.isEmpty {
            throw PStampError(.noImageMatch, "no skycell contains RA \(point.ra) Dec \(point.dec)")
        }
        return cells.map { ($0.tessID, $0.component) }
    }
}

/// Builds an AND-ed WHERE clause with its bound values.
struct WhereClause {
    var clauses: [String] = []
    var arguments: [SQLValue] = []
    mutating func add(_ clause: String, _ values: SQLValue...) {
        clauses.append(clause); arguments.append(contentsOf: values)
    }
    mutating func add(_ fragment: (sql: String, arguments: [SQLValue])?) {
        guard let fragment else { return }
        clauses.append(fragment.sql); arguments.append(contentsOf: fragment.arguments)
    }
    var sql: String { clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ") }
}

extension SQLRow {
    /// rawExp.ra/decl are radians; located images carry degrees.
    func degrees(_ name: String) -> Double? { double(name).map { $0 * 180 / .pi } }
}
