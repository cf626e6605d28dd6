import Foundation
import PStampCore
import PStampTestSupport
import RequestDB
import Testing

/// The VO face from a real VO client: `docs/vo_example.py` (pyvo and astropy) against a served site on
/// the fixtures. It finds the warps at RA 150.02 Dec 1.98 through SIA 2 (one of them cleaned), cuts one
/// through SODA sync and all through a UWS job (the cleaned warp is restored first), checks every stamp
/// against its parent with astropy and every VOTable with astropy's validator, and destroys the job.
/// Skipped only when pyvo is missing and PSTAMP_REQUIRE_VO is unset.
@Suite(.serialized) struct VOClientTests {
    @Test("pyvo finds fixture warps with SIA 2, cuts them with SODA sync and a UWS job, astropy checks every stamp")
    func theExampleScriptPassesAgainstAServedSite() async throws {
        guard VOClientTests.available else {
            print("skipped: python3 with pyvo and astropy is missing (set PSTAMP_REQUIRE_VO=1 to make this a failure)")
            return
        }
        let site = try ServedSite()
        defer { site.stop() }
        try await site.start()
        let script = ServedSite.packageRoot.appendingPathComponent("docs/vo_example.py").path
        let run = try runProcess("/usr/bin/env", ["python3", script, site.base], in: site.root)
        #expect(run.status == 0, "\(run.output)\nserver log:\n\(site.log.text.suffix(4000))")
        let output = run.output
        #expect(output.contains("SIA 2:") && output.contains("3 warps"), "\(output)")
        #expect(output.contains("gpc1/warp/502/skycell.1405.044  cleaned"), "the cleaned warp is listed and marked: \(output)")
        #expect(output.contains("COMPLETED with 3 stamps"), "\(output)")
        #expect(output.contains("all checks passed"), "\(output)")

        // The cut-outs were ordinary requests labelled SODA, as pstamptool shows them; the UWS job's request
        // went to cleanup when it was destroyed.
        var soda = RequestListFilter()
        soda.label = "SODA"
        let requests = try site.requests().list(soda)
        #expect(requests.count == 2, "\(requests.map { ($0.name ?? "", $0.state?.rawValue ?? "") })")
        #expect(requests.contains { $0.state == .gotoCleaned || $0.state == .cleaned }, "the destroyed job's request is cleaned up")
        let listed = try site.run("pstamptool", ["-dbname", site.databasePath, "-listreq", "-label", "SODA", "-simple"])
        #expect(listed.status == 0 && listed.stdout.contains("soda_"), "\(listed.stdout)\(listed.stderr)")
    }

    static var available: Bool {
        if ProcessInfo.processInfo.environment["PSTAMP_REQUIRE_VO"].map({ !$0.isEmpty && $0 != "0" }) == true { return true }
        return (try? runProcess("/usr/bin/env", ["python3", "-c", "import astropy, pyvo"]).status) == 0
    }
}
