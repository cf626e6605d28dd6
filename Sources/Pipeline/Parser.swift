import DataStore
import FITS
import Foundation
import ImageDB
import Logging
import PStampCore
import RequestDB

/// `pstamp.request.run` (pstamp_parser_run.pl + pstampparse.pl): a `new` request's file is downloaded
/// (http/https, 120 s) or copied into `<workdir>/YYYY/MM/DD/<req_id>/` (UTC), read and checked; a
/// duplicate REQ_NAME gives 20 and renames the request `ERROR.<UTC YYYYmmddHHMMSS>.<req_id>`; EMAIL
/// gives the access level (user, then domain, then PSTAMP_DEFAULT_ACCESS_LEVEL; no user@domain: 29) and
/// may replace a web request's label and the default product; every valid row is looked up in its
/// project's image database within the level's date cap and gets one job per image (`run`, or `parsed`
/// for PREVIEW) with its parameters record, or a stopped job carrying the row's code (29 for an
/// exposure newer than the cap); cleaned inputs get a dependent (label `ps_ud_<label>`), or 25/26 as
/// §5.1 says. A WEB/PSI request of more than 100 rows or 400 jobs moves to `WEB.BIG`/`PSI.BIG`.
/// `parse_error.txt` says why each rejected row was rejected. Then `run`/`parsed`.
///
/// A failed download faults the request with HTTP status − 300 (500 → 200, 404 → 104) and leaves it
/// `new` for the reverter; a system failure during the parse faults it likewise (the revert drops the
/// jobs it had made).
///
/// QUIRKS fixed: the duplicate-name test compares names exactly (the IPP used LIKE, so `_` and `%` in a
/// name matched other names); a project without a pstampAccessLevel row for the requester's level is
/// not date-capped (the IPP faulted such requests with 3 and retried them forever).
public struct Parser: PipelineTask {
    public let name = "pstamp.request.run"
    let database: RequestDatabase
    let settings: PipelineSettings
    /// The image database named by a project's dbname: nil when the site has none of that name (the
    /// row answers 22); throws when it has one that cannot be reached now (the request faults and is
    /// retried).
    let images: @Sendable (String) throws -> (any ImageDatabase)?
    let datapath: [String: String]
    let logger: Logger
    let now: @Sendable () -> Date
    let fetcher: RequestFetch

    public init(database: RequestDatabase, settings: PipelineSettings, datapath: [String: String] = [:],
                images: @escaping @Sendable (String) throws -> (any ImageDatabase)?, client: DataStoreClient = DataStoreClient(),
                logger: Logger = Logger(label: "pstamp.parse"), now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.settings = settings
        self.datapath = datapath
        self.images = images
        self.fetcher = RequestFetch(client: client)
        self.logger = logger
        self.now = now
    }

    public func pending(limit: Int) async throws -> [WorkItem] {
        try database.requests.pending(labels: settings.labels, limit: limit).map { pending in
            WorkItem(key: "req:\(pending.request.reqID)", priority: Int(pending.priority)) {
                _ = try await self.run(pending)
            }
        }
    }

    /// One pending request as pstamp_parser_run.pl takes it: still `new` and unfaulted when its turn
    /// comes (a pass that listed it while an earlier run was finishing must not parse it twice), its
    /// output product that of the data store it came from (`ds_outProduct`; else the site default).
    @discardableResult
    public func run(_ pending: PendingRequest) async throws -> RequestState? {
        guard var request = try database.requests.get(reqID: pending.request.reqID),
              request.state == RequestState.new.rawValue, (request.fault ?? 0) == 0 else { return nil }
        if nonNull(request.outProduct) == nil, let product = nonNull(pending.dsOutProduct) {
            var change = RequestChange()
            change.outProduct = product
            try update(request.reqID, change)
            request.outProduct = product
        }
        return try await parse(request)
    }

    /// Parses one `new` request; returns its new state (nil when it faulted).
    @discardableResult
    public func parse(_ request: RequestRecord) async throws -> RequestState? {
        let reqID = request.reqID
        let outdir = URL(fileURLWithPath: nonNull(request.outdir)
                         ?? settings.workdir.appendingPathComponent("\(UTC.dayPath(now()))/\(reqID)").path)
        var change = RequestChange()
        change.outdir = outdir.path
        let local: URL
        do {
            local = try await fetcher.fetch(nonNull(request.uri), into: outdir)
        } catch {
            change.fault = RequestFetch.fault(of: error)
            try update(reqID, change)
            logger.error("request \(reqID): cannot fetch \(request.uri ?? "NULL"): \(error) (fault \(change.fault!))")
            return nil
        }
        change.uri = local.path
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
        do {
            return try parse(request, file: file, outdir: outdir, change: change)
        } catch {
            // A system failure half-way: the request is faulted and stays `new`; the reverter drops the
            // jobs made so far and clears the fault, and the next parse starts again.
            var fault = RequestChange()
            fault.fault = RequestFetch.fault(of: error)
            _ = try? update(reqID, fault)
            logger.error("request \(reqID): parse failed: \(error) (fault \(fault.fault!))")
            throw error
        }
    }

    /// Everything after the request file was read.
    func parse(_ request: RequestRecord, file: RequestFile, outdir: URL, change: RequestChange) throws -> RequestState? {
        let reqID = request.reqID
        var change = change
        var errors: [String] = []
        let header = file.header
        change.reqType = "pstamp"
        change.username = header.email.flatMap { $0.lowercased() == "null" ? nil : $0 }
        let preview = header.effectiveAction == .preview

        // Duplicate name: compared exactly.
        var filter = RequestListFilter()
        filter.name = header.reqName
        filter.notReqID = reqID
        let duplicate = try database.requests.list(filter).contains { $0.name == header.reqName }
        // The name becomes the results fileset's: one the data store cannot hold (`../x`, `a/b`, blanks)
        // is refused with 21 and answered under an ERROR name, as a duplicate is (it was retried forever).
        let unusable = !DataStoreName.isValid(header.reqName, as: .fileset)
        if duplicate {
            errors.append("REQ_NAME \(header.reqName) has already been used")
            try fakeJob(reqID, rownum: 0, code: .dupRequest)
            change.name = "ERROR.\(UTC.compact(now())).\(reqID)"
        } else if unusable {
            errors.append("REQ_NAME \(header.reqName) cannot name a results fileset (allowed are letters, digits and - + _ . :)")
            try fakeJob(reqID, rownum: 0, code: .invalidRequest)
            change.name = "ERROR.\(UTC.compact(now())).\(reqID)"
        } else {
            change.name = header.reqName
        }

        // Access: version 1 files carry no EMAIL and are refused (EMAIL is taken as `null`).
        if header.version == 1 {
            errors.append("Version 1 postage stamp requests are no longer accepted: use version 2 with an EMAIL")
        }
        let email = header.version >= 2 ? header.email : nil
        let grant = try database.access.grant(email: email, defaultLevel: settings.defaultAccessLevel)
        if grant.level < 0 {
            errors.append("Data access is forbidden for \(email ?? "null")")
            try fakeJob(reqID, rownum: 0, code: .notAuthorized)
        }
        var label = request.label
        if let current = label, current == "WEB.UP" || current == "WEB", let own = grant.label {
            label = own
            change.label = own
        }
        let stored = nonNull(request.outProduct)
        if stored == nil || stored == settings.dataStoreProduct {
            change.outProduct = grant.product ?? settings.dataStoreProduct
        } else {
            change.outProduct = stored
        }
        try update(reqID, change)
        if duplicate || unusable || grant.level < 0 {
            try writeParseErrors(errors, outdir)
            return try finish(reqID, to: .run)
        }

        if file.rows.isEmpty {
            errors.append("the request table has no rows")
            try fakeJob(reqID, rownum: 0, code: .invalidRequest)
            try writeParseErrors(errors, outdir)
            return try finish(reqID, to: .run)
        }
        var big = BigRequestWatch(label: label)
        if let relabel = big.rows(file.rows.count) { label = try move(reqID, to: relabel) }
        var jobCount = 0
        for result in file.validatedRows() {
            switch result {
            case .failure(let rejection):
                errors.append(rejection.description)
                try fakeJob(reqID, rownum: rejection.rownum, code: rejection.code)
                jobCount += 1
            case .success(let row):
                jobCount += try jobs(for: row, reqID: reqID, outdir: outdir, label: label, accessLevel: grant.level,
                                     preview: preview, errors: &errors)
            }
            if let relabel = big.jobs(jobCount) { label = try move(reqID, to: relabel) }
        }
        try writeParseErrors(errors, outdir)
        logger.info("request \(reqID) \(header.reqName): \(jobCount) job(s), access level \(grant.level) (\(grant.source))")
        return try finish(reqID, to: preview ? .parsed : .run)
    }

    /// Gives the request its `.BIG` label; returns it.
    func move(_ reqID: Int64, to label: String) throws -> String {
        var change = RequestChange()
        change.label = label
        try update(reqID, change)
        logger.info("request \(reqID) is big: label \(label)")
        return label
    }

    /// The jobs of one valid row; returns how many were made (stand-in jobs included).
    func jobs(for row: RequestRow, reqID: Int64, outdir: URL, label: String?, accessLevel: Int, preview: Bool,
              errors: inout [String]) throws -> Int {
        var row = row
        guard let project = try database.projects.list(name: row.project).first, let dbname = project.dbname else {
            errors.append("row \(row.rownum): unknown project \(row.project)")
            try fakeJob(reqID, rownum: row.rownum, code: .unknownProject)
            return 1
        }
        guard let imageDB = try images(dbname) else {
            errors.append("row \(row.rownum): project \(row.project): this server has no image database \(dbname) (see the site's image_db settings)")
            logger.error("request \(reqID) row \(row.rownum): project \(row.project) needs image database \(dbname), which this server does not have: answered \(PStampCode.unknownProject)")
            try fakeJob(reqID, rownum: row.rownum, code: .unknownProject)
            return 1
        }
        let requestType = row.reqType, imageType = row.imgType
        // The access level's date cap (stacks are not date-filtered).
        let cap = try database.access.dateCap(project: row.project, level: accessLevel)
        let limit = cap.flatMap { AccessDateLimit.limit(levelMJDMax: $0.mjdMax, rowMJDMax: row.mjdMax) }
        if let limit, limit < 0 {
            errors.append("row \(row.rownum): the user is not authorized for data from project \(row.project)")
            try fakeJob(reqID, rownum: row.rownum, code: .notAuthorized)
            return 1
        }
        let datedStage = row.imgType != .stack
        if row.reqType == .bycoord && datedStage && row.mjdMin == 0 { row.mjdMin = AccessDateLimit.bycoordMJDMin }
        if let limit, datedStage, row.reqType == .bycoord || row.reqType == .byskycell {
            if row.mjdMax != 0 { errors.append("row \(row.rownum): access rights limit MJD_MAX to \(limit)") }
            row.mjdMax = limit
        }
        let query = ImageQuery(
            requestType: requestType, imageType: imageType, id: row.id,
            // bycoord finds its images by the centre even when the whole file is asked for (WIDTH = HEIGHT = 0).
            skyCenter: row.isSkyCenter && (!row.isWholeFile || row.reqType == .bycoord)
                ? SkyPoint(ra: row.centerX, dec: row.centerY) : nil,
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
        var made = 0
        for image in located {
            made += 1
            let jobnum = made
            if let limit, datedStage, image.stage != .stack {
                let mjd = image.stage == .diff ? AccessDateLimit.diffMJD(expName: image.expName) : image.mjd
                if let mjd, mjd > limit {
                    errors.append("row \(row.rownum): the user is not authorized for stamps from exposure \(image.expName ?? "?") (exp_id \(image.expID.map(String.init) ?? "NULL"))")
                    try fakeJob(reqID, rownum: row.rownum, code: .notAuthorized, expID: image.expID)
                    continue
                }
            }
            let base = outdir.appendingPathComponent(StampNaming.outputBase(
                rowNumber: Int(row.rownum), jobNumber: jobnum, filter: image.filter, sourceFile: image.files.image)).path
            var new = NewJob(reqID: reqID, rownum: String(row.rownum), jobType: row.jobType == .getImage ? .getImage : .stamp,
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
                // An image path the site's DATAPATH cannot map (no entry for its name, neb://) is answered
                // 25 with the path named, instead of failing the whole request over and over.
                let params: JobParameters
                do {
                    params = try parameters(row, image)
                } catch let error as SQLError {
                    errors.append("row \(row.rownum): image \(image.files.image): \(error.message)")
                    logger.error("request \(reqID) row \(row.rownum): \(error.message): answered \(PStampCode.notAvailable)")
                    new.state = .stop
                    new.fault = PStampCode.notAvailable.rawValue
                    _ = try database.jobs.add(new)
                    continue
                }
                try params.write(outputBase: base)
            }
            _ = try database.jobs.add(new)
        }
        return made
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
        parameters.astrometry = try path(image.files.astrometry)
        parameters.psf = try path(image.files.psf)
        parameters.backgroundModel = try path(image.files.backgroundModel)
        parameters.expMap = try path(image.files.expMap)
        parameters.numMap = try path(image.files.numMap)
        parameters.jpeg = try path(image.files.jpeg)
        parameters.expJPEG = try path(image.files.expJPEG)
        parameters.numJPEG = try path(image.files.numJPEG)
        return parameters
    }

    func fakeJob(_ reqID: Int64, rownum: Int64, code: PStampCode, expID: Int64? = nil) throws {
        var job = NewJob(reqID: reqID, rownum: String(rownum), jobType: .none, state: .stop, fault: code.rawValue)
        job.expID = expID
        _ = try database.jobs.add(job)
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
