import Foundation

/// The release (IPP_RELEASE) or survey (SURVEY_NAME) a lookup goes through, as Job.pm decides:
/// releases apply to byexp (not raw), byskycell (not diff), bycoord and stack_summary rows that name
/// a release, or a survey other than `bypass`; bycoord/byskycell rows with neither and with no
/// DATA_GROUP and no TESS_ID default to the 3PI survey.
struct ReleaseSelector {
    var releaseName: String?
    var surveyName: String?

    init?(_ q: ImageQuery) {
        let applies: Bool
        switch q.requestType {
        case .byexp: applies = q.imageType != .raw
        case .byskycell: applies = q.imageType != .diff
        case .bycoord: applies = q.imageType != .diff
        case .byid, .bydiff: applies = q.imageType == .stackSummary
        }
        guard applies else { return nil }
        if let rel = q.ippRelease {
            releaseName = rel; surveyName = nil
        } else if let survey = q.surveyName, survey.lowercased() != "bypass" {
            releaseName = nil; surveyName = survey
        } else if q.surveyName == nil, q.dataGroup == nil, q.tessID == nil,
            q.requestType == .bycoord || q.requestType == .byskycell
        {
            releaseName = nil; surveyName = "3PI"
        } else {
            return nil
        }
    }

    /// The survey whose default tessellations a bycoord row searches (release prefix, survey, or 3PI).
    static func surveyForTessellations(_ q: ImageQuery) -> String? {
        if let rel = q.ippRelease { return String(rel.prefix { $0 != "." }) }
        if let survey = q.surveyName, survey.lowercased() != "bypass" { return survey }
        if q.surveyName == nil, q.dataGroup == nil, q.tessID == nil { return "3PI" }
        return nil
    }

    /// 3PI: RINGS.V3 and CNP.V3; SSS and SAS: RINGS.V3; MDxx: MDxx.V3 (Job.pm get_release_info).
    static func defaultTessellations(survey: String) -> [String] {
        let s = survey.uppercased()
        if s == "3PI" { return ["RINGS.V3", "CNP.V3"] }
        if s == "SSS" || s == "SAS" { return ["RINGS.V3"] }
        if s.hasPrefix("MD") { return ["\(survey).V3"] }
        return ["RINGS.V3"]
    }

    /// `select` (a sub-select joined to ippRelease as `ir`) restricted to the release's rows: the named
    /// release, or the survey's releases in use (priority > 0).
    private func releaseRows(_ select: String) -> (sql: String, arguments: [SQLValue]) {
        let sql = select + " JOIN survey sv ON sv.surveyID = ir.surveyID"
        if let releaseName { return (sql + " WHERE ir.release_name = ?", [.text(releaseName)]) }
        return (sql + " WHERE sv.surveyName = ? AND ir.priority > 0", [.text(surveyName ?? "")])
    }

    /// `column IN (…)` restricting exposure runs to the release's relExp rows (chip_id or cam_id),
    /// with the FWHM cut on the camera stage (releasetool -listrelexp).
    func exposureRuns(column: String, relExpColumn: String, fwhmMin: Double, fwhmMax: Double) -> (sql: String, arguments: [SQLValue]) {
        var (sql, args) = releaseRows(
            "\(column) IN (SELECT re.\(relExpColumn) FROM relExp re JOIN ippRelease ir ON ir.rel_id = re.rel_id")
        if fwhmMin > 0 || fwhmMax > 0 {
            sql += " AND re.cam_id IN (SELECT cpx.cam_id FROM camProcessedExp cpx WHERE 1 = 1"
            if fwhmMin > 0 { sql += " AND cpx.fwhm_major >= ?"; args.append(.double(fwhmMin)) }
            if fwhmMax > 0 { sql += " AND cpx.fwhm_major <= ?"; args.append(.double(fwhmMax)) }
            sql += ")"
        }
        return (sql + ")", args)
    }

    /// `column IN (…)` restricting stacks to the release's relStack rows, with RUN_TYPE as stack type
    /// (`notnightly` = deep and reference).
    func stacks(column: String, runType: String?) -> (sql: String, arguments: [SQLValue]) {
        var (sql, args) = releaseRows("\(column) IN (SELECT rs.stack_id FROM relStack rs JOIN ippRelease ir ON ir.rel_id = rs.rel_id")
        if let runType = runType?.lowercased() {
            if runType == "notnightly" {
                sql += " AND rs.stack_type IN ('deep', 'reference')"
            } else {
                sql += " AND rs.stack_type = ?"; args.append(.text(runType))
            }
        }
        return (sql + ")", args)
    }
}
