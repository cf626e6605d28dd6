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
/// gives the access level (user, then domain, then PSTAMP_DEFAULT_ACCESS_LEVEL; no user@domain: 29) only
/// as far as the identity stored with the request allows (`AccessRules`: anonymous requests get at most
/// the default; a token user's own address counts; an elevated user's results go to a product only that
/// user may read) and
/// may replace a web request's label and the default product; every valid row is looked up in its
/// project's image database within the level's date cap and gets one job per image (`run`, or `parsed`
/// for PREVIEW) with its parameters record, or a stopped job carrying the row's code (29 for an
/// exposure newer than the cap); cleaned inputs get a dependent (label `ps_ud_<label>`), or 25/26 as
/// §5.1 says. A WEB/PSI request of more than 100 rows or 400 jobs moves to `WEB.BIG`/`PSI.BIG`.
/// `parse_error.txt` says why each rejected row was rejected. Then `run`/`parsed`.
///
/// A failed download faults the request with HTTP status − 300 (500 → 200, 404 → 104) and leaves it
/// `new` for the reverter; a system failure during the parse faults it likewise.
///
/// Atomic: the jobs, stand-in jobs and dependents of a parse are written in one transaction with the
/// request's move out of `new` (`RequestStore.commitParse`), so a process killed during a parse leaves
/// no half of it, and a parse after a restart makes each job exactly once.
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
    var logger: Logger
    let now: @Sendable () -> Date
    let fetcher: RequestFetch

    public init(
        database: RequestDatabase, settings: PipelineSettings, datapath: [String: String] = [:],
        images: @escaping @Sendable (String) throws -> (any ImageDatabase)?, client: DataStoreClient = DataStoreClient(),
        logger: Logger = Logger(label: "pstamp.parse"), now: @escaping @Sendable () -> Date = Date.init
    ) {
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
                var parser = self
                parser.logger = logger.about(reqID: pending.request.reqID)
                _ = try await parser.run(pending)
            }
        }
    }

    /// One pending request as pstamp_parser_run.pl takes it: still `new` and unfaulted when its turn
    /// comes (a pass that listed it while an earlier run was finishing must not parse it twice), its
    /// output product that of the data store it came from (`ds_outProduct`; else the site default).
    @discardableResult
    public func run(_ pending: PendingRequest) async throws -> RequestState? {
        guard var request = try database.requests.get(reqID: pending.request.reqID),
            request.state == .new, (request.fault ?? .success) == .success
        else { return nil }
        if nonNull(request.outProduct) == nil, let product = nonNull(pending.dsOutProduct) {
            var change = RequestChange()
            change.outProduct = product
            try update(request.reqID, change)
            request.outProduct = product
        }
        let parseRequest = request
        return try await WorkGuard(database: database, settings: settings, logger: logger).run(
            .request(request.reqID), .parse, work: { try await parse(parseRequest) },
            setAside: { _ in try setAside(parseRequest) })
    }

    /// A request whose parse killed the process too often: answered with one row of 10 and finished
    /// without its request file being read again.
    func setAside(_ request: RequestRecord) throws -> RequestState? {
        let change = Self.setAsideChange(request, settings: settings, now: now())
        try ParseErrorFile.write(
            ["the server died \(settings.maxCrashes) times while parsing this request: it is set aside"],
            in: RequestWorkDirectory(path: change.outdir!).url)
        return try database.requests.setAside(reqID: request.reqID, code: WorkGuard.setAsideCode, change: change)
            ? .run : nil
    }

    /// Parses one `new` request; returns its new state (nil when it faulted).
    @discardableResult
    public func parse(_ request: RequestRecord) async throws -> RequestState? {
        let reqID = request.reqID
        let outdir = workDirectory(request, now: now()).url
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
            change.reqType = .unknown
            change.outProduct = nonNull(request.outProduct) ?? settings.dataStoreProduct
            var batch = ParsedRequest(reqID: reqID)
            batch.change = change
            fakeJob(&batch, rownum: 0, code: error.code)
            try ParseErrorFile.write(errors, in: outdir)
            return try commit(batch, to: .run)
        }
        do {
            return try parse(request, file: file, outdir: outdir, change: change)
        } catch {
            // A system failure half-way: nothing of the parse was written; the request is faulted and stays
            // `new`, and the reverter clears the fault so the next parse starts again.
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
        // Nothing is written to the request database until the whole parse is known: then one commit.
        var batch = ParsedRequest(reqID: reqID)
        let header = file.header
        change.reqType = .pstamp
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
            fakeJob(&batch, rownum: 0, code: .dupRequest)
            change.name = Self.errorName(reqID, now: now())
        } else if unusable {
            errors.append("REQ_NAME \(header.reqName) cannot name a results fileset (allowed are letters, digits and - + _ . :)")
            fakeJob(&batch, rownum: 0, code: .invalidRequest)
            change.name = Self.errorName(reqID, now: now())
        } else {
            change.name = header.reqName
        }

        // Access: version 1 files carry no EMAIL and are refused (EMAIL is taken as `null`).
        if header.version == 1 {
            errors.append("Version 1 postage stamp requests are no longer accepted: use version 2 with an EMAIL")
        }
        let email = header.version >= 2 ? header.email : nil
        // Who sent it was decided where it came in; the EMAIL counts only as AccessRules say.
        let identity = try database.identities.get(reqID: reqID)
        var grant = try database.access.grant(identity: identity, email: email, defaultLevel: settings.defaultAccessLevel)
        if let user = identity.user { change.username = user }
        if grant.level < 0 {
            errors.append("Data access is forbidden for \(email ?? "null")")
            fakeJob(&batch, rownum: 0, code: .notAuthorized)
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
        if grant.level >= 0, let user = identity.user,
            AccessRules.needsOwnProduct(level: grant.level, defaultLevel: settings.defaultAccessLevel, identity: identity)
        {
            // Elevated results are never public: the user's own product (never the site's default) if it is
            // (or can become) theirs alone, else their private one.
            let own = grant.product.flatMap { $0 == settings.dataStoreProduct ? nil : $0 }
            let product =
                try own.flatMap { try database.productAccess.claim(product: $0, owner: user) ? $0 : nil }
                ?? AccessRules.privateProduct(for: user)
            guard try database.productAccess.claim(product: product, owner: user) else {
                throw PStampError(.configError, "product \(product) for \(user)'s results belongs to someone else")
            }
            change.outProduct = product
            grant.product = product
        }
        if duplicate || unusable || grant.level < 0 {
            batch.change = change
            try ParseErrorFile.write(errors, in: outdir)
            return try commit(batch, to: .run)
        }

        if file.rows.isEmpty {
            errors.append("the request table has no rows")
            fakeJob(&batch, rownum: 0, code: .invalidRequest)
            batch.change = change
            try ParseErrorFile.write(errors, in: outdir)
            return try commit(batch, to: .run)
        }
        if file.rows.count > settings.maxRequestRows {
            errors.append(
                "the request table has \(file.rows.count) rows; this server takes at most \(settings.maxRequestRows) (max_request_rows)")
            fakeJob(&batch, rownum: 0, code: .invalidRequest)
            batch.change = change
            try ParseErrorFile.write(errors, in: outdir)
            return try commit(batch, to: .run)
        }
        var big = BigRequestWatch(label: label)
        if let relabel = big.rows(file.rows.count) { label = move(reqID, to: relabel, &change) }
        var jobCount = 0
        let memo = ParseMemo()
        for result in file.validatedRows() {
            switch result {
            case .failure(let rejection):
                errors.append(rejection.description)
                fakeJob(&batch, rownum: rejection.rownum, code: rejection.code)
                jobCount += 1
            case .success(let row):
                jobCount += try jobs(
                    for: row, reqID: reqID, outdir: outdir, label: label, accessLevel: grant.level,
                    preview: preview, memo: memo, errors: &errors, into: &batch)
            }
            if let relabel = big.jobs(jobCount) { label = move(reqID, to: relabel, &change) }
            if jobCount > settings.maxRequestJobs {
                // Refused as a whole, as a request with too many rows: none of its jobs is kept.
                errors.append(
                    "the request makes more than \(settings.maxRequestJobs) jobs; this server takes at most \(settings.maxRequestJobs) (max_request_jobs)"
                )
                batch.jobs.removeAll()
                fakeJob(&batch, rownum: 0, code: .invalidRequest)
                batch.change = change
                try ParseErrorFile.write(errors, in: outdir)
                logger.error(
                    "request \(reqID) \(header.reqName): refused with 21, more than \(settings.maxRequestJobs) jobs (max_request_jobs)")
                return try commit(batch, to: .run)
            }
        }
        batch.change = change
        try ParseErrorFile.write(errors, in: outdir)
        let state = try commit(batch, to: preview ? .parsed : .run)
        logger.info(
            "request \(reqID) \(header.reqName): \(jobCount) job(s), access level \(grant.level) (\(grant.source), \(identity.description))"
        )
        return state
    }

    /// Gives the request its `.BIG` label (written with the parse); returns it.
    func move(_ reqID: Int64, to label: String, _ change: inout RequestChange) -> String {
        change.label = label
        logger.info("request \(reqID) is big: label \(label)")
        return label
    }

    /// A stand-in job: a row (or the whole request, row 0) answered with `code`.
    func fakeJob(_ batch: inout ParsedRequest, rownum: Int64, code: PStampCode, expID: Int64? = nil) {
        var job = NewJob(reqID: batch.reqID, rownum: String(rownum), jobType: .none, state: .stop, fault: code)
        job.expID = expID
        batch.jobs.append(ParsedJob(job: job))
    }

    func update(_ reqID: Int64, _ change: RequestChange) throws {
        var selector = RequestSelector()
        selector.reqID = reqID
        _ = try database.requests.update(selector, change)
    }

    /// Writes the whole parse in one transaction with the request's move to `state`; nil when the request
    /// was no longer `new` and unfaulted (nothing is written then). A job stopped because its dependent is
    /// faulted keeps no parameters record.
    func commit(_ batch: ParsedRequest, to state: RequestState) throws -> RequestState? {
        var batch = batch
        batch.state = state
        guard try database.requests.commitParse(batch, faultedDependent: Self.stopCode) else {
            logger.info("request \(batch.reqID) was no longer new: its parse was not written")
            return nil
        }
        return state
    }

    /// The columns a request set aside needs to be finished: a work directory, an output product, a name.
    static func setAsideChange(_ request: RequestRecord, settings: PipelineSettings, now: Date) -> RequestChange {
        var change = RequestChange()
        change.outdir = Parser.workDirectory(request, settings: settings, now: now).path
        change.outProduct = nonNull(request.outProduct) ?? settings.dataStoreProduct
        if nonNull(request.name) == nil { change.name = errorName(request.reqID, now: now) }
        return change
    }

    /// The request's work directory: the one it has, else `<workdir>/YYYY/MM/DD/<req_id>` of today.
    static func workDirectory(_ request: RequestRecord, settings: PipelineSettings, now: Date) -> RequestWorkDirectory {
        nonNull(request.outdir).map(RequestWorkDirectory.init(path:)) ?? settings.work.request(request.reqID, on: now)
    }

    func workDirectory(_ request: RequestRecord, now: Date) -> RequestWorkDirectory {
        Self.workDirectory(request, settings: settings, now: now)
    }

    /// `ERROR.<UTC YYYYmmddHHMMSS>.<req_id>`: the name of a request refused for its name (or set aside without one).
    static func errorName(_ reqID: Int64, now: Date) -> String { "ERROR.\(UTCTime.compact(now)).\(reqID)" }

}
