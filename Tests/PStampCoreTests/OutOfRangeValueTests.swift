import Testing

@testable import PStampCore

/// A value of a request row that no later step can hold is refused with 21 at
/// validation, before anything is stored; and the pure geometry never traps on what slips through.
@Suite("Out-of-range request values")
struct OutOfRangeValueTests {
    static func rejection(_ change: (inout RawRequestRow) -> Void) -> RequestRowRejection? {
        RequestRowValidationTests.rejection(change)
    }

    @Test(
        "an MJD_MIN or MJD_MAX beyond year 9999 (1e308 trapped DateCut in a crash loop): 21",
        arguments: [
            ("MJD_MIN", RequestValue.real(1e308)), ("MJD_MAX", .real(1e308)), ("MJD_MAX", .real(1e15)),
            ("MJD_MIN", .real(-1e308)), ("MJD_MAX", .text("1e300")), ("MJD_MIN", .real(2_973_484)),
        ])
    func hugeMJD(column: String, value: RequestValue) {
        let r = Self.rejection { $0[column] = value }
        #expect(r?.code == .invalidRequest)
        #expect(r?.message.contains(column) == true, "\(String(describing: r))")
        #expect(r?.rownum == 1)
    }

    @Test("an MJD up to year 9999 passes")
    func lastMJD() throws {
        var raw = RequestRowValidationTests.good()
        raw["MJD_MAX"] = .real(2_973_483)
        #expect(try RequestRow(validating: raw).mjdMax == 2_973_483)
    }

    @Test("a number in IPP syntax that no Double holds (1e999) is not a number: 21")
    func overflowingText() {
        #expect(RequestValue.text("1e999").number == nil)
        #expect(RequestValue.text("-1e999").number == nil)
        #expect(Self.rejection { $0["FWHM_MAX"] = .text("1e999") }?.code == .invalidRequest)
        #expect(Self.rejection { $0["CENTER_X"] = .text("1e999") }?.code == .invalidRequest)
    }

    @Test(
        "a pixel centre beyond 10^6 pixels (1e308 trapped PixelConvention in StampGeometry.place): 21",
        arguments: [1e308, -1e308, 1e7, 2e9])
    func hugePixelCentre(x: Double) {
        let r = Self.rejection {
            $0["COORD_MASK"] = .integer(3); $0["REQ_TYPE"] = .text("byid"); $0["ID"] = .text("211")
            $0["COMPONENT"] = .text("XY33"); $0["CENTER_X"] = .real(x); $0["CENTER_Y"] = .real(10)
        }
        #expect(r?.code == .invalidRequest)
        #expect(r?.message.contains("pixel centre") == true, "\(String(describing: r))")
    }

    @Test("a sky centre off RA −360…360 or Dec −90…90: 21", arguments: [(1e308, 0.0), (0, 1e308), (400, 0), (10, 90.5), (10, -91)])
    func skyCentre(ra: Double, dec: Double) {
        let r = Self.rejection {
            $0["CENTER_X"] = .real(ra); $0["CENTER_Y"] = .real(dec)
        }
        #expect(r?.code == .invalidRequest)
        #expect(r?.message.contains("sky centre") == true, "\(String(describing: r))")
    }

    @Test(
        "OPTION_MASK above the 32-bit column it is echoed in (3000000007 made the finish fail forever): 21",
        arguments: [Int64(3_000_000_007), Int64(Int32.max) + 1, 1 << 62])
    func hugeOptionMask(mask: Int64) {
        let r = Self.rejection { $0["OPTION_MASK"] = .integer(mask) }
        #expect(r?.code == .invalidRequest)
        #expect(r?.message.contains("OPTION_MASK") == true)
        #expect(Self.rejection { $0["OPTION_MASK"] = .text(String(mask)) }?.code == .invalidRequest)
    }

    @Test("a rejected row with a ROWNUM the results cannot echo (2^62) is named row 0, not 2^62")
    func hugeRownum() {
        let r = Self.rejection { $0["ROWNUM"] = .integer(1 << 62) }
        #expect(r?.code == .invalidRequest)
        #expect(r?.rownum == 0)
        #expect(Self.rejection { $0["ROWNUM"] = .real(4.6e18) }?.rownum == 0)
    }

    @Test("the results echo only what their columns hold: a too-large OPTION_MASK, COORD_MASK or ROWNUM is echoed as 0")
    func resultEcho() {
        var raw = RequestRowValidationTests.good()
        raw["OPTION_MASK"] = .integer(3_000_000_007)
        raw["COORD_MASK"] = .real(1e300)
        let row = ResultRow(request: raw, errorCode: .invalidRequest, jobID: 1)
        #expect(row.optionMask == 0 && row.coordMask == 0 && row.rownum == 1)
        raw["ROWNUM"] = .integer(1 << 62)
        raw["OPTION_MASK"] = .integer(Int64(Int32.max))
        let other = ResultRow(request: raw, errorCode: .invalidRequest, jobID: 1)
        #expect(other.rownum == 0 && other.optionMask == Int64(Int32.max))
    }

    @Test("whole numbers of hostile doubles: nil or held, never a trap")
    func wholeNumbers() {
        for v in [Double.nan, .infinity, -.infinity, 1e308, -1e308, 9.3e18, 4e9] {
            #expect(WholeNumber.floor(v) == nil, "\(v)")
            #expect(WholeNumber.rounded(v) == nil, "\(v)")
            #expect(abs(WholeNumber.saturatingFloor(v)) == WholeNumber.pixelLimit, "\(v)")
        }
        #expect(WholeNumber.floor(-0.5) == -1 && WholeNumber.floor(99.99) == 99)
        #expect(WholeNumber.rounded(7.9, .towardZero) == 7)
        #expect(WholeNumber.saturatingFloor(-3.2) == -4)
    }

    @Test("a region with NaN or huge bounds is not representable and has no trapping size")
    func hostileRegion() {
        for bad in [Double.nan, 1e308, -.infinity] {
            let r = StampRegion(x0: bad, y0: 0, x1: 10, y1: 10)
            #expect(!r.isRepresentable)
            _ = (r.width, r.height, r.startX, r.startY, r.description)
        }
        let (region, _) = RegionOfInterest.pixelRegion(centerX: 1e308, centerY: .nan, width: 10, height: 10)
        #expect(!region.isRepresentable)
        #expect(StampRegion(x0: 0, y0: 0, x1: 10, y1: 10).isRepresentable)
        #expect(StampJPEGScale(black: 0, white: 1).grey(.greatestFiniteMagnitude) == 255)
    }
}
