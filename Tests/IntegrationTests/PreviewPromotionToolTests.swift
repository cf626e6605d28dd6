import Foundation
import Testing

/// The operator's way on from a PREVIEW request: `pstamptool -updatereq -set_state run` on a `parsed`
/// request moves its parsed jobs to `run` with it (the IPP had none).
@Suite(.serialized) struct PreviewPromotionToolTests {
    @Test func updatereqSetStateRunPromotesAParsedRequestAndItsParsedJobs() throws {
        let tools = try BuiltTools()
        defer { tools.cleanUp() }
        #expect(try tools.pstamptool("-create").status == 0)
        #expect(try tools.pstamptool("-addreq", "-uri", "/tmp/preview.fits", "-label", "WEB.UP").stdout == "1\n")
        // As the parser leaves a PREVIEW: the request parsed, its jobs parsed, a rejected row stopped.
        #expect(try tools.pstamptool("-updatereq", "-req_id", "1", "-set_state", "parsed").status == 0)
        #expect(
            try tools.pstamptool(
                "-addjob", "-req_id", "1", "-rownum", "1", "-outputBase", "/tmp/1_1_r_x",
                "-state", "parsed"
            ).stdout == "1\n")
        #expect(
            try tools.pstamptool(
                "-addjob", "-req_id", "1", "-rownum", "2", "-job_type", "none", "-state", "stop",
                "-fault", "22"
            ).stdout == "2\n")
        #expect(try tools.pstamptool("-pendingjob", "-simple").stdout == "", "a preview's jobs do not run")

        let promote = try tools.pstamptool("-updatereq", "-req_id", "1", "-state", "parsed", "-set_state", "run")
        #expect(promote.status == 0, "\(promote.stderr)")
        #expect(try tools.pstamptool("-listreq", "-req_id", "1", "-simple").stdout.contains(" run "))
        let pending = try tools.pstamptool("-pendingjob", "-simple").stdout
        #expect(pending.hasPrefix("1 1 1 run "), "\(pending)")
        let stopped = try tools.pstamptool("-listjob", "-job_id", "2", "-simple").stdout
        #expect(stopped.contains(" stop ") && stopped.contains(" 22 "), "\(stopped)")
        // The usage says so.
        let usage = try tools.pstamptool("-updatereq", "-help")
        #expect((usage.stdout + usage.stderr).contains("run on a parsed (PREVIEW) request promotes it and its parsed jobs"))
    }
}
