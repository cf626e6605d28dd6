import Foundation
@testable import Pipeline
import Testing

/// The local name a fetched request file gets in its request's work directory: the URI's last path
/// segment, never a name that could leave the directory.
@Suite("ParserRun") struct ParserRunTests {
    @Test("a data-store file URI keeps its file name; queries and fragments are dropped")
    func plainNames() {
        #expect(ParserRun.fileName(of: "http://mops/ds/mops/fs1/req.fits", reqID: 7) == "req.fits")
        #expect(ParserRun.fileName(of: "https://mops/ds/mops/fs1/req%201.fits?x=1#y", reqID: 7) == "req 1.fits")
        #expect(ParserRun.isRemote("HTTP://mops/ds/x") && ParserRun.isRemote("https://a/b"))
        #expect(!ParserRun.isRemote("/data/req.fits") && !ParserRun.isRemote("file:///data/req.fits"))
    }

    @Test("names that would leave the work directory, or are empty, become request.<req_id>.fits")
    func hostileNames() {
        for uri in ["http://mops/ds/mops/fs1/", "http://mops/ds/mops/fs1/..", "http://mops/ds/mops/fs1/%2e%2e",
                    "http://mops/ds/mops/fs1/..%2F..%2Fetc%2Fpasswd", "http://mops/ds/mops/fs1/a%2Fb.fits",
                    "http://mops/ds/mops/fs1/.", "http://mops/ds/mops/fs1/%00.fits"] {
            #expect(ParserRun.fileName(of: uri, reqID: 42) == "request.42.fits", "\(uri)")
        }
    }
}
