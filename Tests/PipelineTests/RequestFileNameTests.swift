import Foundation
import Testing

@testable import Pipeline

/// The local name a fetched request file gets in its request's work directory: the URI's last path
/// segment, never a name that could leave the directory.
@Suite("Request file names in the work directory") struct RequestFileNameTests {
    @Test("a data-store file URI keeps its file name; queries and fragments are dropped")
    func plainNames() {
        #expect(RequestFetch.fileName(ofURI: "http://mops/ds/mops/fs1/req.fits") == "req.fits")
        #expect(RequestFetch.fileName(ofURI: "https://mops/ds/mops/fs1/req%201.fits?x=1#y") == "req 1.fits")
    }

    @Test("names that would leave the work directory, or are empty, become request.fits")
    func hostileNames() {
        for uri in [
            "http://mops/ds/mops/fs1/", "http://mops/ds/mops/fs1/..", "http://mops/ds/mops/fs1/%2e%2e",
            "http://mops/ds/mops/fs1/..%2F..%2Fetc%2Fpasswd", "http://mops/ds/mops/fs1/a%2Fb.fits",
            "http://mops/ds/mops/fs1/.", "http://mops/ds/mops/fs1/%00.fits",
        ] {
            #expect(RequestFetch.fileName(ofURI: uri) == "request.fits", "\(uri)")
        }
    }
}
