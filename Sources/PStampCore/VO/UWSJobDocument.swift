/// A UWS 1.1 job as the `/{jobs}/{job-id}` resource shows it (namespace
/// `http://www.ivoa.net/xml/UWS/v1.0`, `version="1.1"`), with the job list and the results list.
///
/// A route fills it from the request row and its jobs and answers `xml`:
/// ```
/// let job = UWSJob(jobId: String(req.req_id), phase: UWSPhase(request: …), creationTime: req.time, …)
/// return Response(status: .ok, contentType: "text/xml", body: job.xml)
/// ```
public struct UWSJob: Sendable, Equatable {
    /// One job parameter: its value as given, or a URL when `byReference` (an inline upload).
    public struct Parameter: Sendable, Equatable {
        public var id: String
        public var value: String
        public var byReference: Bool
        public init(id: String, value: String, byReference: Bool = false) {
            self.id = id
            self.value = value
            self.byReference = byReference
        }
    }

    /// The `errorSummary` of a job in ERROR; `hasDetail` says that `…/error` holds a document.
    public struct ErrorSummary: Sendable, Equatable {
        public var message: String
        public var isTransient: Bool
        public var hasDetail: Bool
        public init(message: String, isTransient: Bool, hasDetail: Bool = true) {
            self.message = message
            self.isTransient = isTransient
            self.hasDetail = hasDetail
        }
        public init(_ error: DALIError) { self.init(message: error.description, isTransient: error.isTransient) }
    }

    public var jobId: String
    public var runId: String?
    public var ownerId: String?
    public var phase: UWSPhase
    public var quote: MetadataTime?
    public var creationTime: MetadataTime?
    public var startTime: MetadataTime?
    public var endTime: MetadataTime?
    /// Seconds of wall-clock time allowed; 0 means unlimited.
    public var executionDuration: Int
    public var destruction: MetadataTime?
    public var parameters: [Parameter]
    public var results: [UWSResult]
    public var errorSummary: ErrorSummary?

    public init(
        jobId: String, runId: String? = nil, ownerId: String? = nil, phase: UWSPhase, quote: MetadataTime? = nil,
        creationTime: MetadataTime? = nil, startTime: MetadataTime? = nil, endTime: MetadataTime? = nil,
        executionDuration: Int = 0, destruction: MetadataTime? = nil, parameters: [Parameter] = [],
        results: [UWSResult] = [], errorSummary: ErrorSummary? = nil
    ) {
        self.jobId = jobId
        self.runId = runId
        self.ownerId = ownerId
        self.phase = phase
        self.quote = quote
        self.creationTime = creationTime
        self.startTime = startTime
        self.endTime = endTime
        self.executionDuration = executionDuration
        self.destruction = destruction
        self.parameters = parameters
        self.results = results
        self.errorSummary = errorSummary
    }

    /// The namespaces every UWS document declares.
    static let namespaces =
        "xmlns:uws=\"http://www.ivoa.net/xml/UWS/v1.0\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
        + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""

    /// The `<uws:job>` document, children in the order of UWS.xsd `JobSummary`.
    public var xml: String {
        var lines = [VOXML.declaration, "<uws:job \(Self.namespaces) version=\"1.1\">"]
        lines.append("  " + VOXML.element("uws:jobId", text: jobId))
        if let runId { lines.append("  " + VOXML.element("uws:runId", text: runId)) }
        lines.append("  " + Self.nillable("uws:ownerId", ownerId))
        lines.append("  " + VOXML.element("uws:phase", text: phase.rawValue))
        lines.append("  " + Self.nillable("uws:quote", quote.map(Self.time)))
        if let creationTime { lines.append("  " + VOXML.element("uws:creationTime", text: Self.time(creationTime))) }
        lines.append("  " + Self.nillable("uws:startTime", startTime.map(Self.time)))
        lines.append("  " + Self.nillable("uws:endTime", endTime.map(Self.time)))
        lines.append("  " + VOXML.element("uws:executionDuration", text: String(executionDuration)))
        lines.append("  " + Self.nillable("uws:destruction", destruction.map(Self.time)))
        lines.append("  " + parametersXML.replacingNewlines(indent: "  "))
        lines.append("  " + UWSResult.listXML(results, declared: false).replacingNewlines(indent: "  "))
        if let e = errorSummary {
            let type = e.isTransient ? "transient" : "fatal"
            lines.append("  <uws:errorSummary type=\"\(type)\" hasDetail=\"\(e.hasDetail)\">")
            lines.append("    " + VOXML.element("uws:message", text: e.message))
            lines.append("  </uws:errorSummary>")
        }
        lines.append("</uws:job>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `<uws:parameters>` element (also the `…/parameters` resource with a declaration in front).
    public var parametersXML: String {
        var lines = ["<uws:parameters>"]
        for p in parameters {
            let attrs: [(String, String?)] = [("id", p.id), ("byReference", p.byReference ? "true" : nil)]
            lines.append("  " + VOXML.element("uws:parameter", attrs, text: p.value))
        }
        lines.append("</uws:parameters>")
        return lines.joined(separator: "\n")
    }

    /// The `…/parameters` resource: the parameters element as a document of its own.
    public var parametersDocument: String {
        VOXML.declaration + "\n" + parametersXML.replacingOccurrences(of: "<uws:parameters>", with: "<uws:parameters \(Self.namespaces)>")
            + "\n"
    }

    /// The `…/error` resource of a job in ERROR (`text/plain`, starting with the DALI error label).
    public var errorText: String? { errorSummary.map { $0.message + "\n" } }

    /// A UWS time: ISO 8601 in UTC with the `Z` (`2026-12-03T06:51:36.000000Z`).
    public static func time(_ t: MetadataTime) -> String { t.iso + "Z" }

    static func nillable(_ name: String, _ text: String?) -> String {
        if let text { return VOXML.element(name, text: text) }
        return "<\(name) xsi:nil=\"true\"/>"
    }

    /// The `<uws:jobs>` job list: one `jobref` per job with its phase, runId, ownerId and creationTime.
    /// `href` gives the job's URL from its id.
    public static func listXML(_ jobs: [UWSJob], href: (String) -> String) -> String {
        var lines = [VOXML.declaration, "<uws:jobs \(namespaces) version=\"1.1\">"]
        for job in jobs {
            lines.append("  <uws:jobref\(VOXML.attributes([("id", job.jobId), ("xlink:href", href(job.jobId))]))>")
            lines.append("    " + VOXML.element("uws:phase", text: job.phase.rawValue))
            if let runId = job.runId { lines.append("    " + VOXML.element("uws:runId", text: runId)) }
            lines.append("    " + nillable("uws:ownerId", job.ownerId))
            if let c = job.creationTime { lines.append("    " + VOXML.element("uws:creationTime", text: time(c))) }
            lines.append("  </uws:jobref>")
        }
        lines.append("</uws:jobs>")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// One result of a job: a stamp file (or, for a row that gave no stamp, a `text/plain` error document).
public struct UWSResult: Sendable, Equatable {
    public var id: String
    public var href: String
    public var size: Int64?
    public var mimeType: String?
    public init(id: String, href: String, size: Int64? = nil, mimeType: String? = nil) {
        self.id = id
        self.href = href
        self.size = size
        self.mimeType = mimeType
    }

    /// The `<uws:results>` element; `declared` makes it a document of its own (the `…/results` resource).
    public static func listXML(_ results: [UWSResult], declared: Bool = true) -> String {
        let open = declared ? "<uws:results \(UWSJob.namespaces)>" : "<uws:results>"
        var lines = declared ? [VOXML.declaration, open] : [open]
        for r in results {
            let attrs: [(String, String?)] = [
                ("id", r.id), ("xlink:href", r.href), ("size", r.size.map(String.init)), ("mime-type", r.mimeType),
            ]
            lines.append("  " + VOXML.empty("uws:result", attrs))
        }
        lines.append("</uws:results>")
        return lines.joined(separator: "\n") + (declared ? "\n" : "")
    }
}

/// The filters of the job list (`?PHASE=…&AFTER=…&LAST=…`, UWS 1.1 §2.2.2.1), AND-ed.
public struct UWSJobFilter: Sendable, Equatable {
    /// The phases asked for (union); empty means every phase but ARCHIVED.
    public var phases: [UWSPhase]
    public var after: MetadataTime?
    public var last: Int?

    public init(_ p: DALIParameters) throws(DALIError) {
        var phases: [UWSPhase] = []
        for v in p.values("PHASE") { phases.append(try UWSPhase.parse(v)) }
        self.phases = phases
        if let text = try p.single("AFTER") {
            guard let t = MetadataTime(text) else { throw .usage("AFTER '\(text)' is not an ISO 8601 time") }
            after = t
        }
        if let text = try p.single("LAST") {
            guard let n = Int(text), n > 0 else { throw .usage("LAST '\(text)' is not a whole number above 0") }
            last = n
        }
    }

    /// True when the job passes the phase and AFTER filters (LAST is applied by `apply`).
    public func admits(_ job: UWSJob) -> Bool {
        let phaseOK = phases.isEmpty ? job.phase != .archived : phases.contains(job.phase)
        let afterOK = after.map { a in job.creationTime.map { $0 > a } ?? false } ?? true
        return phaseOK && afterOK
    }

    /// The jobs that pass, the `LAST` most recent by creation time, newest first when LAST is given.
    public func apply(_ jobs: [UWSJob]) -> [UWSJob] {
        let kept = jobs.filter(admits)
        guard let last else { return kept }
        let newest = kept.sorted { ($0.creationTime ?? .distantPast) > ($1.creationTime ?? .distantPast) }
        return Array(newest.prefix(last))
    }
}

extension MetadataTime {
    fileprivate static let distantPast = MetadataTime(year: 1, month: 1, day: 1)
}

extension String {
    /// Indents every line after the first (for nesting a multi-line element).
    fileprivate func replacingNewlines(indent: String) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + indent)
    }
}
