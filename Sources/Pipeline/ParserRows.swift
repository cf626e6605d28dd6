import Foundation
import ImageDB
import PStampCore
import RequestDB

/// A valid request row becomes jobs: its images are located in its project's image database within the
/// access level's date cap, and each gets a job (with its parameters record) or a stopped job with the
/// row's code; an image that must be regenerated first gets a dependent.
extension Parser {
    /// The jobs of one valid row, added to `batch`; returns how many were made (stand-in jobs included).
    func jobs(
        for row: RequestRow, reqID: Int64, outdir: URL, label: String?, accessLevel: Int, preview: Bool,
        memo: ParseMemo = ParseMemo(), errors: inout [String], into batch: inout ParsedRequest
    ) throws -> Int {
        var row = row
        guard let project = try memo.project(row.project, { try database.projects.list(name: $0).first }), let dbname = project.dbname
        else {
            errors.append("row \(row.rownum): unknown project \(row.project)")
            fakeJob(&batch, rownum: row.rownum, code: .unknownProject)
            return 1
        }
        guard let imageDB = try images(dbname) else {
            errors.append(
                "row \(row.rownum): project \(row.project): this server has no image database \(dbname) (see the site's image_db settings)")
            logger.error(
                "request \(reqID) row \(row.rownum): project \(row.project) needs image database \(dbname), which this server does not have: answered \(PStampCode.unknownProject)"
            )
            fakeJob(&batch, rownum: row.rownum, code: .unknownProject)
            return 1
        }
        // The access level's date cap (stacks are not date-filtered).
        let cap = try memo.dateCap(project: row.project, level: accessLevel) {
            try database.access.dateCap(project: row.project, level: accessLevel)
        }
        let limit = cap.flatMap { AccessDateLimit.limit(levelMJDMax: $0.mjdMax, rowMJDMax: row.mjdMax) }
        if let limit, limit < 0 {
            errors.append("row \(row.rownum): the user is not authorized for data from project \(row.project)")
            fakeJob(&batch, rownum: row.rownum, code: .notAuthorized)
            return 1
        }
        let datedStage = row.imgType != .stack
        if row.reqType == .bycoord && datedStage && row.mjdMin == 0 { row.mjdMin = AccessDateLimit.bycoordMJDMin }
        if let limit, datedStage, row.reqType == .bycoord || row.reqType == .byskycell {
            if row.mjdMax != 0 { errors.append("row \(row.rownum): access rights limit MJD_MAX to \(limit)") }
            row.mjdMax = limit
        }
        let located: [LocatedImage]
        do {
            let query = ImageQuery(row: row)
            located = try memo.locate(query, in: dbname) { try imageDB.locate(query, memo: $0) }
        } catch let error as PStampError {
            errors.append("row \(row.rownum): \(error.message)")
            fakeJob(&batch, rownum: row.rownum, code: error.code.isReported ? error.code : .noImageMatch)
            return 1
        }
        if located.isEmpty {
            fakeJob(&batch, rownum: row.rownum, code: .noImageMatch)
            return 1
        }
        var made = 0
        for image in located {
            made += 1
            let jobnum = made
            if let limit, datedStage, image.stage != .stack {
                let mjd = image.stage == .diff ? AccessDateLimit.diffMJD(expName: image.expName) : image.mjd
                if let mjd, mjd > limit {
                    errors.append(
                        "row \(row.rownum): the user is not authorized for stamps from exposure \(image.expName ?? "?") (exp_id \(image.expID.map(String.init) ?? "NULL"))"
                    )
                    fakeJob(&batch, rownum: row.rownum, code: .notAuthorized, expID: image.expID)
                    continue
                }
            }
            let base = RequestWorkDirectory(outdir).outputBase(
                StampNaming.outputBase(
                    rowNumber: Int(row.rownum), jobNumber: jobnum, filter: image.filter, sourceFile: image.files.image))
            var new = NewJob(
                reqID: reqID, rownum: String(row.rownum), jobType: row.jobType == .getImage ? .getImage : .stamp,
                outputBase: base, state: preview ? .parsed : .run)
            new.options = row.optionMask.rawValue
            new.expID = image.expID
            var needed: NeededDependent? = nil
            switch dependency(image, row: row, outdir: outdir, label: label, dbname: dbname) {
            case .none: break
            case .dependent(let need): needed = need
            case .stop(let code):
                new.state = .stop
                new.fault = code
            }
            // As pstampparse.pl (write_params before queueUpdatesIfNeeded): a job stopped here (25, 26) keeps
            // its image's parameters too, so its results row carries the exposure's details.
            let record: JobParameters?
            if new.state != .stop {
                // An image path the site's DATAPATH cannot map (no entry for its name, neb://) is answered
                // 25 with the path named, instead of failing the whole request over and over.
                do {
                    record = try parameters(row, image, memo: memo)
                } catch let error as SQLError {
                    errors.append("row \(row.rownum): image \(image.files.image): \(error.message)")
                    logger.error("request \(reqID) row \(row.rownum): \(error.message): answered \(PStampCode.notAvailable)")
                    new.state = .stop
                    new.fault = .notAvailable
                    batch.jobs.append(ParsedJob(job: new, dependent: nil))
                    continue
                }
            } else {
                record = try? parameters(row, image, memo: memo)
            }
            batch.jobs.append(ParsedJob(job: new, dependent: needed, parameters: try record?.text()))
        }
        return made
    }

    /// What the commit does with a job whose dependent is open with a fault: it stops with that fault, a
    /// system fault (< 10) as NOT_AVAILABLE.
    static func stopCode(faultedDependent fault: PStampCode) -> PStampCode {
        fault.isReported ? fault : .notAvailable
    }

    enum Dependency { case none, dependent(NeededDependent), stop(PStampCode) }

    /// §5.1: does the image need an update first? Raw images never do; a gone image (or one whose
    /// cleaning failed) answers 26; a full one is cut now; any other needs a dependent, except stacks and
    /// stack summaries (26), rows with NO_WAIT_FOR_UPDATE (25) and diffs too old to regenerate (26).
    func dependency(_ image: LocatedImage, row: RequestRow, outdir: URL, label: String?, dbname: String) -> Dependency {
        if image.stage == .raw { return .none }
        switch image.state.availability {
        case .gone, .errorCleaned: return .stop(.gone)
        case .full: return .none
        case .updatable, .pending: break
        }
        // Stacks and stack summaries are never regenerated.
        guard let stage = UpdateStage(image.stage), stage != .stack else { return .stop(.gone) }
        if row.optionMask.contains(.noWaitForUpdate) { return .stop(.notAvailable) }
        if stage == .diff && image.stageID <= Self.oldestRegenerableDiff { return .stop(.gone) }
        return .dependent(
            NeededDependent(
                key: DependentKey(stage: stage, stageID: image.stageID, component: image.component, imagedb: dbname),
                outdir: outdir.path, rlabel: label.map { "ps_ud_\($0)" }))
    }

    /// The diffs up to this diff_id were made before their inputs were kept: they cannot be regenerated.
    static let oldestRegenerableDiff: Int64 = 22778

    func parameters(_ row: RequestRow, _ image: LocatedImage, memo: ParseMemo = ParseMemo()) throws -> JobParameters {
        let center: StampCenter? =
            row.isWholeFile
            ? nil
            : (row.isSkyCenter ? .sky(ra: row.centerX, dec: row.centerY) : .pixel(x: row.centerX, y: row.centerY))
        var parameters = JobParameters(
            rownum: Int(row.rownum), jobType: row.jobType == .getImage ? .getImage : .stamp,
            stage: image.stage, stageID: image.stageID, component: image.component,
            files: try image.files.map { try memo.resolve($0) { try ImagePaths.resolve($0, datapath: datapath) } }, center: center,
            width: row.width, height: row.height, sizeInPixels: row.isRangeInPixels, optionMask: Int(row.optionMask.rawValue),
            expID: image.expID, expName: image.expName, filter: image.filter, mjdObs: image.stackMJDObs ?? image.mjd,
            raObs: image.ra, decObs: image.dec, expTime: image.expTime)
        parameters.dateobs = image.stage == .stack ? nil : image.dateobs
        return parameters
    }
}
