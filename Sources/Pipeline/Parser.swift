import FITS
import Foundation
import ImageDB
import Logging
import PStampCore
import RequestDB

/// `pstamp.request.run` (pstamp_parser_run.pl + pstampparse.pl): a `new` request's file is copied into
/// `<workdir>/YYYY/MM/DD/<req_id>/` (UTC), read and checked; a duplicate REQ_NAME gives 20 and renames
/// the request `ERROR.<UTC YYYYmmddHHMMSS>.<req_id>`; every valid row is looked up in its project's image
/// database and gets one job per image (`run`, or `parsed` for PREVIEW) with its parameters record, or
/// a stopped job carrying the row's code; cleaned inputs get a dependent (label `ps_ud_<label>`), or
/// 25/26 as §5.1 says. `parse_error.txt` says why each rejected row was rejected. Then `run`/`parsed`.
///
/// QUIRK fixed: the duplicate-name test compares names exactly (the IPP used LIKE, so `_` and `%` in a
/// name matched other names). Not yet here: access levels (29) and the .BIG relabelling.
public struct Parser: PipelineTask {
    public let name = "pstamp.request.run"
    let database: RequestDatabase
    let settings: PipelineSettings
    /// The image database named by a project's dbname.
    let images: @Sendable (String) -> (any ImageDatabase)?
    let datapath: [String: String]
    let logger: Logger
    let now: @Sendable () -> Date

    public init(database: RequestDatabase, settings: PipelineSettings, datapath: [String: String] = [:],
                images: @escaping @Sendable (String) -> (any ImageDatabase)?,
                logger: Logger = Logger(label: "pstamp.parse"), now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.settings = settings
        self.datapath = datapath
        self.images = images
        self.logger = logger
        self.now = now
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        try database.requests.pending(labels: settings.labels, limit: limit).map { pending in
            WorkItem(key: "req:\(pending.request.reqID)", priority: Int(pending.priority)) {
                _ = try self.parse(pending.request)
            }
        }
    }

    /// Parses one `new` request; returns its new state (nil when it faulted).
    @discardableResult
    public func parse(_ request: RequestRecord) throws -> RequestState? {
        let reqID = request.reqID
        let outdir = URL(fileURLWithPath: nonNull(request.outdir)
                         ?? settings.workdir.appendingPathComponent("\(UTC.dayPath(now()))/\(reqID)").path)
        var change = RequestChange()
        change.outdir = outdir.path
        let local: URL
        do {
            try FileManager.default.createDirectory(at: outdir, withIntermediateDirectories: true)
            guard let uri = nonNull(request.uri), !uri.contains("://") || uri.hasPrefix("file://") else {
                throw PStampError(.configError, "request \(reqID): only local request files can be parsed here")
            }
            let source = URL(fileURLWithPath: uri.hasPrefix("file://") ? String(uri.dropFirst(7)) : uri)
            local = outdir.appendingPathComponent(source.lastPathComponent)
            if source.standardizedFileURL.path != local.standardizedFileURL.path {
                try? FileManager.default.removeItem(at: local)
                try FileManager.default.copyItem(at: source, to: local)
            }
        } catch {
            let code = (error as? PStampError)?.code.rawValue ?? PStampCode.sysError.rawValue
            change.fault = code < PStampCode.firstReportedCode ? code : PStampCode.sysError.rawValue
            try update(reqID, change)
            throw error
        }
        change.uri = local.path
        // Jobs left by an earlier, interrupted parse of this request are replaced.
        var errors: [String] = []
        let file: RequestFile
        do {
            file = try RequestFile.read(local.path)
        } catch {
            errors.append(error.message)
            change.reqType = "unknown"
            change.outProduct = nonNull(request.outProduct) ?? settings.dataStoreProduct
            try update(reqID, change)
            try fakeJob(reqID, rownum: 0, code: error.code)
            try writeParseErrors(errors, outdir)
            return try finish(reqID, to: .run)
        }
        let header = file.header
        change.reqType = "pstamp"
        change.username = header.email
        change.outProduct = nonNull(request.outProduct) ?? settings.dataStoreProduct
        let preview = header.action?.uppercased() == "PREVIEW"

        // Duplicate name: compared exactly.
        var filter = RequestListFilter()
        filter.name = header.reqName
        filter.notReqID = reqID
        let duplicates = try database.requests.list(filter).filter { $0.name == header.reqName }
        if !duplicates.isEmpty {
            change.name = "ERROR.\(UTC.compact(now())).\(reqID)"
            try update(reqID, change)
            try fakeJob(reqID, rownum: 0, code: .dupRequest)
            try writeParseErrors(["REQ_NAME \(header.reqName) has already been used"], outdir)
            return try finish(reqID, to: .run)
        }
        change.name = header.reqName
        try update(reqID, change)

        let label = request.label
        var jobCount = 0
        for result in file.validatedRows() {
            switch result {
            case .failure(let rejection):
                errors.append(rejection.description)
                try fakeJob(reqID, rownum: rejection.rownum, code: rejection.code)
            case .success(let row):
                let made = try jobs(for: row, reqID: reqID, outdir: outdir, label: label, preview: preview,
                                    errors: &errors)
                jobCount += made
            }
        }
        if file.rows.isEmpty {
            errors.append("the request table has no rows")
            try fakeJob(reqID, rownum: 0, code: .invalidRequest)
        }
        try writeParseErrors(errors, outdir)
        logger.info("request \(reqID) \(header.reqName): \(jobCount) job(s)")
        return try finish(reqID, to: preview ? .parsed : .run)
    }

    /// The jobs of one valid row; returns how many were made (stand-in jobs included).
    func jobs(for row: RequestRow, reqID: Int64, outdir: URL, label: String?, preview: Bool,
              errors: inout [String]) throws -> Int {
        guard let project = try database.projects.list(name: row.project).first, let dbname = project.dbname,
              let imageDB = images(dbname) else {
            errors.append("row \(row.rownum): unknown project \(row.project)")
            try fakeJob(reqID, rownum: row.rownum, code: .unknownProject)
            return 1
        }
        guard let requestType = ImageDB.RequestType(rawValue: row.reqType.rawValue),
              let imageType = ImageDB.ImageType(rawValue: row.imgType.rawValue) else {
            errors.append("row \(row.rownum): \(row.reqType.rawValue) × \(row.imgType.rawValue) is not supported")
            try fakeJob(reqID, rownum: row.rownum, code: .notImplemented)
            return 1
        }
        let query = ImageQuery(
            requestType: requestType, imageType: imageType, id: row.id,
            skyCenter: row.isSkyCenter && !row.isWholeFile ? SkyPoint(ra: row.centerX, dec: row.centerY) : nil,
            component: row.component, tessID: row.tessID, dataGroup: row.dataGroup, filter: row.reqfilt,
            mjdMin: row.mjdMin, mjdMax: row.mjdMax, runType: row.runType, fwhmMin: row.fwhmMin, fwhmMax: row.fwhmMax,
            surveyName: row.surveyName, ippRelease: row.ippRelease,
            useImfileID: row.optionMask.contains(.useImfileID), inverse: row.optionMask.contains(.inverse),
            unconvolved: row.optionMask.contains(.unconvolved))
        let located: [LocatedImage]
        do {
            located = try imageDB.locate(query)
        } catch let error as PStampError {
            errors.append("row \(row.rownum): \(error.message)")
            try fakeJob(reqID, rownum: row.rownum, code: error.code.isReported ? error.code : .noImageMatch)
            return 1
        }
        if located.isEmpty {
            try fakeJob(reqID, rownum: row.rownum, code: .noImageMatch)
            return 1
        }
        for (index, image) in located.enumerated() {
            let jobnum = index + 1
            let base = outdir.appendingPathComponent(StampNaming.outputBase(
                rowNumber: Int(row.rownum), jobNumber: jobnum, filter: image.filter, sourceFile: image.files.image)).path
            var new = NewJob(reqID: reqID, rownum: String(row.rownum), jobType: row.jobType == .getImage ? RequestDB.JobType.getImage : .stamp,
                             outputBase: base, state: preview ? .parsed : .run)
            new.options = row.optionMask.rawValue
            new.expID = image.expID
            switch try dependency(image, row: row, outdir: outdir, label: label, dbname: dbname) {
            case .none: break
            case .dependent(let depID): new.depID = depID
            case .stop(let code):
                new.state = .stop
                new.fault = code.rawValue
            }
            if new.state != .stop {
                try parameters(row, image).write(outputBase: base)
            }
            _ = try database.jobs.add(new)
        }
        return located.count
    }

    enum Dependency { case none, dependent(Int64), stop(PStampCode) }

    /// §5.1: does the image need an update first?
    func dependency(_ image: LocatedImage, row: RequestRow, outdir: URL, label: String?, dbname: String) throws -> Dependency {
        let stage = image.stage.rawValue
        if stage == "raw" { return .none }
        let run = image.runState, data = image.dataState
        if image.fault == PStampCode.gone.rawValue { return .stop(.gone) }
        if run.contains("purged") || run.contains("scrubbed") || run == "drop" { return .stop(.gone) }
        if run == "error_cleaned" || data == "error_cleaned" { return .stop(.gone) }
        guard data != "full" || run == "goto_cleaned" else { return .none }
        if stage.hasPrefix("stack") { return .stop(.gone) }
        if row.optionMask.contains(.noWaitForUpdate) { return .stop(.notAvailable) }
        if stage == "diff" && image.stageID <= 22778 { return .stop(.gone) }
        let result = try database.dependents.getDependent(
            DependentKey(stage: stage, stageID: image.stageID, component: image.component, imagedb: dbname),
            outdir: outdir.path, rlabel: label.map { "ps_ud_\($0)" })
        switch result {
        case .created(let id), .found(let id): return .dependent(id)
        case .faulted(_, let fault):
            return .stop(fault < PStampCode.firstReportedCode ? .notAvailable : PStampCode(fault))
        case .notFound: return .none
        }
    }

    func parameters(_ row: RequestRow, _ image: LocatedImage) throws -> JobParameters {
        func path(_ p: String?) throws -> String? { try p.map { try ImagePaths.resolve($0, datapath: datapath) } }
        let center: JobParameters.Center? = row.isWholeFile ? nil
            : (row.isSkyCenter ? .sky(ra: row.centerX, dec: row.centerY) : .pixel(x: row.centerX, y: row.centerY))
        var parameters = JobParameters(
            rownum: Int(row.rownum), jobType: row.jobType == .getImage ? "get_image" : "stamp",
            stage: image.stage.rawValue, stageID: image.stageID, component: image.component,
            image: try path(image.files.image) ?? image.files.image, mask: try path(image.files.mask),
            variance: try path(image.files.variance), center: center, width: row.width, height: row.height,
            sizeInPixels: row.isRangeInPixels, optionMask: Int(row.optionMask.rawValue), expID: image.expID,
            expName: image.expName, filter: image.filter, mjdObs: image.mjd, raObs: image.ra, decObs: image.dec,
            expTime: image.expTime)
        parameters.sources = try path(image.files.sources)
        parameters.psf = try path(image.files.psf)
        parameters.backgroundModel = try path(image.files.backgroundModel)
        parameters.expMap = try path(image.files.expMap)
        parameters.numMap = try path(image.files.numMap)
        return parameters
    }

    func fakeJob(_ reqID: Int64, rownum: Int64, code: PStampCode) throws {
        _ = try database.jobs.add(NewJob(reqID: reqID, rownum: String(rownum), jobType: .none, state: .stop,
                                         fault: code.rawValue))
    }

    func update(_ reqID: Int64, _ change: RequestChange) throws {
        var selector = RequestSelector()
        selector.reqID = reqID
        _ = try database.requests.update(selector, change)
    }

    func finish(_ reqID: Int64, to state: RequestState) throws -> RequestState? {
        try database.requests.transition(reqID: reqID, from: .new, to: state) ? state : nil
    }

    func writeParseErrors(_ errors: [String], _ outdir: URL) throws {
        let url = outdir.appendingPathComponent("parse_error.txt")
        try? FileManager.default.removeItem(at: url)
        guard !errors.isEmpty else { return }
        try Data(errors.map { $0 + "\n" }.joined().utf8).write(to: url)
    }
}
