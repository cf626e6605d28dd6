import Testing

@testable import PStampCore

@Suite struct PStampCodeTests {
    @Test func retryableSystemFaultsAreBelowTen() {
        #expect(PStampCode.sysError.isRetryable)
        #expect(!PStampCode.sysError.isReported)
        #expect(!PStampCode.notAvailable.isRetryable)
        #expect(PStampCode.notAvailable.isReported)
        #expect(!PStampCode.success.isRetryable)
    }

    @Test func dataStoreFaultsAreHTTPStatusMinus300() {
        #expect(PStampCode.dataStoreFault(httpStatus: 500).rawValue == 200)
        #expect(PStampCode.dataStoreFault(httpStatus: 404).rawValue == 104)
    }

    @Test func errorStringsFollowTheIPPList() {
        #expect(PStampCode(0).errorString == "PSTAMP_SUCCESS")
        #expect(PStampCode(2).errorString == "PS_EXIT_SYS_ERROR")
        #expect(PStampCode(8).errorString == "undefined")
        #expect(PStampCode(15).errorString == "undefined")
        #expect(PStampCode(28).errorString == "PSTAMP_NO_OVERLAP")
        // RequestFile.pm's list ends at 30: the IPP answers "unknown" for 31, and its clients see that.
        #expect(PStampCode(31).errorString == "unknown")
        #expect(PStampCode(31).name == "PSTAMP_BG_RESTORE_NOT_AVAILABLE")
        #expect(PStampCode.all.allSatisfy { $0.errorString.utf8.count <= 24 })
        #expect(PStampCode(32).errorString == "unknown")
        #expect(PStampCode(-1).errorString == "unknown")
    }
}
