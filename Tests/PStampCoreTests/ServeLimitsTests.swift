import Testing

@testable import PStampCore

/// The limits of `pstamp serve --config`.
@Suite("Serve limits")
struct ServeLimitsTests {
    @Test("max_stamp_pixels and max_request_rows are read; 0, negative or text are refused with the line")
    func limits() throws {
        let config = try ServeConfig.parse("max_stamp_pixels = 4000\nmax_request_rows = 500\n")
        #expect(config.maxStampPixels == 4000 && config.maxRequestRows == 500)
        for bad in ["max_stamp_pixels = 0", "max_request_rows = -3", "max_stamp_pixels = 1e9"] {
            #expect(throws: PStampError.self) { try ServeConfig.parse(bad) }
        }
    }
}
