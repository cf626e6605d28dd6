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

    @Test func errorStringsFollowTheIPPListAndName31() {
        #expect(PStampCode(0).errorString == "PSTAMP_SUCCESS")
        #expect(PStampCode(2).errorString == "PS_EXIT_SYS_ERROR")
        #expect(PStampCode(8).errorString == "undefined")
        #expect(PStampCode(15).errorString == "undefined")
        #expect(PStampCode(28).errorString == "PSTAMP_NO_OVERLAP")
        // QUIRK fixed: the IPP answered "unknown" for 31.
        #expect(PStampCode(31).errorString == "PSTAMP_BG_RESTORE_NOT_AVAILABLE")
        #expect(PStampCode(32).errorString == "unknown")
        #expect(PStampCode(-1).errorString == "unknown")
    }
}
