import PStampCore
import Testing

/// A SODA async job is a request: its UWS phase comes from the request row, and PHASE=RUN, ABORT and
/// DELETE are request state changes the one transition table allows.
@Suite struct VOUWSTests {
    func phase(_ s: RequestState, fault: PStampCode = .success, preview: Bool = false, finished: Int = 0, cancelled: Int = 0) -> UWSPhase {
        UWSPhase(request: s, fault: fault, preview: preview, jobsFinished: finished, jobsCancelled: cancelled)
    }

    @Test func requestStatesShowAsPhases() {
        #expect(phase(.new, preview: true) == .pending)
        #expect(phase(.parsed) == .pending)
        #expect(phase(.new) == .queued)
        #expect(phase(.run) == .queued)
        #expect(phase(.run, finished: 1) == .executing)
        #expect(phase(.run, fault: .sysError, finished: 1) == .suspended)
        #expect(phase(.hold) == .held)
        #expect(phase(.stop, finished: 3) == .completed)
        #expect(phase(.stop, fault: .invalidRequest) == .error)
        #expect(phase(.stop, finished: 1, cancelled: 2) == .aborted)
        #expect(phase(.gotoCleaned) == .archived)
        #expect(phase(.cleaned) == .archived)
        #expect(UWSPhase.allCases.count == 10)
    }

    @Test func runAbortAndDeleteAreLegalRequestChanges() throws {
        #expect(UWSAction.run.requestState(from: .parsed, hasJobs: true) == .run)
        #expect(UWSAction.run.requestState(from: .new, hasJobs: false) == .new)
        #expect(UWSAction.run.requestState(from: .hold, hasJobs: true) == .run)
        #expect(UWSAction.run.requestState(from: .hold, hasJobs: false) == .new)
        #expect(UWSAction.run.requestState(from: .stop, hasJobs: true) == nil)
        #expect(UWSAction.abort.requestState(from: .run, hasJobs: true) == .stop)
        #expect(UWSAction.abort.requestState(from: .parsed, hasJobs: true) == .stop)
        #expect(UWSAction.abort.requestState(from: .new, hasJobs: false) == .gotoCleaned)
        #expect(UWSAction.abort.requestState(from: .stop, hasJobs: true) == nil)
        #expect(UWSAction.destroy.requestState(from: .stop, hasJobs: true) == .gotoCleaned)
        #expect(UWSAction.destroy.requestState(from: .cleaned, hasJobs: true) == .cleaned)
        for action in UWSAction.allCases {
            for state in RequestState.allCases {
                if let to = action.requestState(from: state, hasJobs: true) {
                    #expect(StateTransitions.request.isLegal(from: state, to: to), "\(action) from \(state)")
                }
            }
        }
        #expect(Set(UWSAction.cancelledJobStates) == [.run, .parsed])
        #expect(throws: DALIError.usage("PHASE 'SUSPEND' cannot be set: only RUN and ABORT")) { try UWSAction.parsePhase("SUSPEND") }
        #expect(try UWSAction.parsePhase("run") == .run)
    }

    static let created = MetadataTime(year: 2026, month: 12, day: 3, hour: 6, minute: 51, second: 36)

    static let job = UWSJob(
        jobId: "42", runId: "night <1>", phase: .completed, creationTime: created, startTime: created, endTime: created,
        executionDuration: 600, destruction: MetadataTime(year: 2026, month: 12, day: 10),
        parameters: [.init(id: "ID", value: "ivo://example.org/pstamp?gpc1/warp/1/s&t"), .init(id: "CIRCLE", value: "150 2 0.01")],
        results: [UWSResult(id: "stamp-1", href: "http://h/ds/42/1.fits?a=1&b=2", size: 2880, mimeType: "image/fits")],
        errorSummary: .init(DALIError.usage("row 2 <bad>")))

    @Test func theJobDocumentIsInTheUWSNamespaceAndEscaped() {
        let xml = Self.job.xml
        #expect(xml.contains("<uws:job xmlns:uws=\"http://www.ivoa.net/xml/UWS/v1.0\""))
        #expect(xml.contains("version=\"1.1\""))
        #expect(xml.contains("<uws:runId>night &lt;1&gt;</uws:runId>"))
        #expect(xml.contains("<uws:ownerId xsi:nil=\"true\"/>"))
        #expect(xml.contains("<uws:creationTime>2026-12-03T06:51:36.000000Z</uws:creationTime>"))
        #expect(xml.contains("xlink:href=\"http://h/ds/42/1.fits?a=1&amp;b=2\""))
        #expect(xml.contains("<uws:errorSummary type=\"fatal\" hasDetail=\"true\">"))
        #expect(Self.job.errorText == "UsageError: row 2 <bad>\n")
        let list = UWSJob.listXML([Self.job]) { "http://h/soda/async/\($0)" }
        #expect(list.contains("<uws:jobref id=\"42\" xlink:href=\"http://h/soda/async/42\">"))
    }

    @Test func theJobListFiltersByPhaseAfterAndLast() throws {
        func job(_ id: String, _ phase: UWSPhase, day: Int) -> UWSJob {
            UWSJob(jobId: id, phase: phase, creationTime: MetadataTime(year: 2026, month: 12, day: day))
        }
        let jobs = [job("1", .completed, day: 1), job("2", .executing, day: 2), job("3", .archived, day: 3), job("4", .completed, day: 4)]
        #expect(try UWSJobFilter(DALIParameters([])).apply(jobs).map(\.jobId) == ["1", "2", "4"])
        #expect(try UWSJobFilter(DALIParameters([("PHASE", "ARCHIVED")])).apply(jobs).map(\.jobId) == ["3"])
        #expect(try UWSJobFilter(DALIParameters([("phase", "COMPLETED"), ("PHASE", "EXECUTING")])).apply(jobs).count == 3)
        #expect(try UWSJobFilter(DALIParameters([("AFTER", "2026-12-01T12:00:00Z")])).apply(jobs).map(\.jobId) == ["2", "4"])
        #expect(try UWSJobFilter(DALIParameters([("LAST", "1")])).apply(jobs).map(\.jobId) == ["4"])
        #expect(throws: DALIError.self) { try UWSJobFilter(DALIParameters([("PHASE", "DONE")])) }
        #expect(throws: DALIError.self) { try UWSJobFilter(DALIParameters([("AFTER", "yesterday")])) }
    }
}
