import Testing

@testable import PStampCore

/// The row checks of formats-and-cutouts.md §1.6, one test per rule, each with the IPP code.
@Suite("Request row validation (§1.6)")
struct RequestRowValidationTests {
    /// Sample 1 of §2 (wiki sample_pstamp_request) as a table row.
    static func good() -> RawRequestRow {
        RawRequestRow([
            "ROWNUM": .integer(1), "CENTER_X": .real(18.876667), "CENTER_Y": .real(-0.861489),
            "WIDTH": .real(100), "HEIGHT": .real(100), "COORD_MASK": .integer(2),
            "JOB_TYPE": .text("stamp"), "OPTION_MASK": .integer(1), "PROJECT": .text("gpc1"),
            "SURVEY_NAME": .text("3PI"), "IPP_RELEASE": .text("3PI.PV3"), "REQ_TYPE": .text("bycoord"),
            "IMG_TYPE": .text("chip"), "ID": .text("null"), "TESS_ID": .text("null"),
            "COMPONENT": .text("null"), "DATA_GROUP": .text("null"), "REQFILT": .text("null"),
            "MJD_MIN": .real(55249), "MJD_MAX": .real(0), "RUN_TYPE": .text("null"),
            "FWHM_MIN": .real(0), "FWHM_MAX": .real(0), "COMMENT": .text("search by coords"),
        ])
    }

    static func rejection(_ change: (inout RawRequestRow) -> Void) -> RequestRowRejection? {
        var raw = good()
        change(&raw)
        if case .failure(let r) = RequestRow.validate(raw) { return r }
        return nil
    }

    @Test("the sample row passes and is normalised")
    func goodRow() throws {
        let row = try RequestRow(validating: Self.good())
        #expect(row.rownum == 1)
        #expect(row.jobType == .stamp && row.reqType == .bycoord && row.imgType == .chip)
        #expect(row.isSkyCenter && row.isRangeInPixels && !row.isWholeFile)
        #expect(row.surveyName == "3PI" && row.ippRelease == "3PI.PV3")
        #expect(row.tessID == nil && row.dataGroup == nil && row.reqfilt == nil && row.runType == nil)
        #expect(row.component == "")
        #expect(row.mjdMin == 55249 && row.mjdMax == 0)
        #expect(row.comment == "search by coords")
    }

    @Test(
        "ROWNUM missing, 0, negative or not digits: 21",
        arguments: [
            RequestValue.missing, .integer(0), .integer(-3), .text("1a"), .text("+1"), .text(""), .real(1.5),
        ])
    func rownum(value: RequestValue) {
        let r = Self.rejection { $0["ROWNUM"] = value }
        #expect(r?.code == .invalidRequest)
        #expect(r?.message.contains("ROWNUM") == true)
    }

    @Test(
        "JOB_TYPE other than stamp or get_image (list_uri, list, none, missing): 21",
        arguments: ["list_uri", "list", "none", "Stamp", ""])
    func jobType(value: String) {
        #expect(Self.rejection { $0["JOB_TYPE"] = .text(value) }?.code == .invalidRequest)
    }

    @Test("REQ_TYPE not one of the five: 21")
    func reqType() {
        #expect(Self.rejection { $0["REQ_TYPE"] = .text("byname") }?.code == .invalidRequest)
        #expect(Self.rejection { $0["REQ_TYPE"] = .missing }?.code == .invalidRequest)
    }

    @Test("get_image only byid/byexp, byskycell stack, or any stack_summary: else 21")
    func getImage() {
        #expect(Self.rejection { $0["JOB_TYPE"] = .text("get_image") }?.code == .invalidRequest)  // bycoord chip
        #expect(
            Self.rejection {
                $0["JOB_TYPE"] = .text("get_image"); $0["REQ_TYPE"] = .text("byid"); $0["ID"] = .text("6323")
            } == nil)
        #expect(
            Self.rejection {
                $0["JOB_TYPE"] = .text("get_image"); $0["REQ_TYPE"] = .text("byskycell"); $0["IMG_TYPE"] = .text("stack")
            } == nil)
        #expect(
            Self.rejection {
                $0["JOB_TYPE"] = .text("get_image"); $0["REQ_TYPE"] = .text("byskycell"); $0["IMG_TYPE"] = .text("warp")
            }?.code == .invalidRequest)
        #expect(
            Self.rejection {
                $0["JOB_TYPE"] = .text("get_image"); $0["IMG_TYPE"] = .text("stack_summary")
            } == nil)
    }

    @Test(
        "MJD_MIN, MJD_MAX, FWHM_MIN, FWHM_MAX not a number: 21; absent means 0",
        arguments: ["MJD_MIN", "MJD_MAX", "FWHM_MIN", "FWHM_MAX"])
    func numbers(column: String) throws {
        #expect(Self.rejection { $0[column] = .text("soon") }?.code == .invalidRequest)
        #expect(Self.rejection { $0[column] = .text("1e") }?.code == .invalidRequest)
        #expect(Self.rejection { $0[column] = .real(.nan) }?.code == .invalidRequest)
        #expect(Self.rejection { $0[column] = .text("-1.5E+3") } == nil)
        var raw = Self.good()
        raw[column] = .missing
        let row = try RequestRow(validating: raw)
        #expect(column == "MJD_MIN" ? row.mjdMin == 0 : true)
        #expect(column == "FWHM_MAX" ? row.fwhmMax == 0 : true)
    }

    @Test("a pixel centre needs COMPONENT unless whole-file, stack, or USE_IMFILE_ID: 21")
    func pixelCentreNeedsComponent() {
        func pixelRow(_ change: @escaping (inout RawRequestRow) -> Void) -> RequestRowRejection? {
            Self.rejection {
                $0["COORD_MASK"] = .integer(3); $0["REQ_TYPE"] = .text("byid"); $0["ID"] = .text("62326")
                $0["CENTER_X"] = .real(100); $0["CENTER_Y"] = .real(200)
                change(&$0)
            }
        }
        #expect(pixelRow { _ in }?.code == .invalidRequest)
        #expect(pixelRow { $0["COMPONENT"] = .text("all") }?.code == .invalidRequest)
        #expect(pixelRow { $0["COMPONENT"] = .text("XY62") } == nil)
        #expect(pixelRow { $0["IMG_TYPE"] = .text("stack") } == nil)
        #expect(pixelRow { $0["OPTION_MASK"] = .integer(16384 + 1) } == nil)
        #expect(
            pixelRow {
                $0["CENTER_X"] = .real(0); $0["CENTER_Y"] = .real(0)
            } == nil)  // whole file
        #expect(
            pixelRow {
                $0["WIDTH"] = .real(0); $0["HEIGHT"] = .real(0)
            } == nil)  // whole file
    }

    @Test("IMG_TYPE not one of the six: 21")
    func imgType() {
        #expect(Self.rejection { $0["IMG_TYPE"] = .text("skycal") }?.code == .invalidRequest)
        for t in ImageType.allCases where t != .stack && t != .stackSummary {
            #expect(Self.rejection { $0["IMG_TYPE"] = .text(t.rawValue) } == nil, "\(t)")
        }
    }

    @Test(
        "stamp or bycoord with a non-numeric centre or size (NaN too): 21",
        arguments: ["CENTER_X", "CENTER_Y", "WIDTH", "HEIGHT"])
    func region(column: String) {
        #expect(Self.rejection { $0[column] = .real(.nan) }?.code == .invalidRequest)
        #expect(Self.rejection { $0[column] = .text("abc") }?.code == .invalidRequest)
        #expect(Self.rejection { $0[column] = .missing }?.code == .invalidRequest)
    }

    @Test("negative size, or more than 8000 pixels: 21 (PStamp refuses what ppstamp silently changed)")
    func sizeLimits() {
        #expect(Self.rejection { $0["WIDTH"] = .real(-100) }?.code == .invalidRequest)
        #expect(Self.rejection { $0["HEIGHT"] = .real(8001) }?.code == .invalidRequest)
        #expect(
            Self.rejection {
                $0["WIDTH"] = .real(8000); $0["HEIGHT"] = .real(8000)
            } == nil)
        // In arcseconds (COORD_MASK bit 2 clear) 9000 is 2.5 arcmin: allowed.
        #expect(
            Self.rejection {
                $0["COORD_MASK"] = .integer(0); $0["WIDTH"] = .real(9000)
            } == nil)
    }

    @Test("byexp of a stack or stack_summary: 11 NOT_IMPLEMENTED")
    func byexpStack() {
        for stage in ["stack", "stack_summary"] {
            let r = Self.rejection {
                $0["REQ_TYPE"] = .text("byexp"); $0["IMG_TYPE"] = .text(stage); $0["ID"] = .text("o6136g0055o")
            }
            #expect(r?.code == .notImplemented)
        }
    }

    @Test("bycoord with a pixel centre: 21")
    func bycoordPixel() {
        let r = Self.rejection {
            $0["COORD_MASK"] = .integer(3); $0["COMPONENT"] = .text("XY62")
        }
        #expect(r?.code == .invalidRequest)
        #expect(r?.message.contains("sky") == true)
    }

    @Test("byid and bydiff need a positive integer ID: 21", arguments: ["byid", "bydiff"])
    func ids(reqType: String) {
        for bad in ["null", "0", "-5", "12a", ""] {
            #expect(
                Self.rejection {
                    $0["REQ_TYPE"] = .text(reqType); $0["ID"] = .text(bad)
                }?.code == .invalidRequest, "\(bad)")
        }
        #expect(
            Self.rejection {
                $0["REQ_TYPE"] = .text(reqType); $0["ID"] = .text("62326")
            } == nil)
    }

    @Test("the first failing check decides: a bad ROWNUM wins over a bad JOB_TYPE")
    func order() {
        let r = Self.rejection {
            $0["ROWNUM"] = .integer(0); $0["JOB_TYPE"] = .text("list")
        }
        #expect(r?.message.contains("ROWNUM") == true)
        let s = Self.rejection {
            $0["MJD_MIN"] = .text("x"); $0["IMG_TYPE"] = .text("bogus")
        }
        #expect(s?.message.contains("MJD_MIN") == true)
    }

    @Test("normalisation: OPTION_MASK |= 1, one-letter REQFILT gets %, COMPONENT null/all, DATA_GROUP from LABEL")
    func normalisation() throws {
        var raw = Self.good()
        raw["OPTION_MASK"] = .integer(2048 + 64)
        raw["REQFILT"] = .text("i")
        raw["COMPONENT"] = .text("ALL")
        raw["DATA_GROUP"] = .missing
        raw["LABEL"] = .text("LAP.ThreePi.20120706%")
        let row = try RequestRow(validating: raw)
        #expect(row.optionMask.rawValue == 2048 + 64 + 1)
        #expect(row.requestedOptionMask == 2048 + 64)
        #expect(row.reqfilt == "i%")
        #expect(row.component == "")
        #expect(row.dataGroup == "LAP.ThreePi.20120706%")

        raw["REQFILT"] = .text("i.00000")
        #expect(try RequestRow(validating: raw).reqfilt == "i.00000")
        raw["JOB_TYPE"] = .text("get_image"); raw["REQ_TYPE"] = .text("byid"); raw["ID"] = .text("6323")
        raw["IMG_TYPE"] = .text("warp"); raw["COMPONENT"] = .text("null")
        #expect(try RequestRow(validating: raw).component == "all")
        raw["IMG_TYPE"] = .text("stack")
        #expect(try RequestRow(validating: raw).component == "")
        raw["COMPONENT"] = .text("skycell.078")
        #expect(try RequestRow(validating: raw).component == "skycell.078")
    }

    @Test("OPTION_MASK or COORD_MASK that are not non-negative integers: 21")
    func masks() {
        #expect(Self.rejection { $0["OPTION_MASK"] = .integer(-1) }?.code == .invalidRequest)
        #expect(Self.rejection { $0["COORD_MASK"] = .text("0x2") }?.code == .invalidRequest)
        #expect(Self.rejection { $0["OPTION_MASK"] = .missing } == nil)
    }

    @Test("the IPP number syntax: signed decimal, optional exponent; no hex, no NaN, no bare dot")
    func numberSyntax() {
        for good in ["1", "-1", "+2.5", ".5", "5.", "1e10", "1E-3", "-0.861489"] {
            #expect(RequestValue.isValidNumber(good), "\(good)")
        }
        for bad in ["", ".", "e5", "1e", "0x10", "nan", "inf", "1.2.3", " 1", "1 ", "--1"] {
            #expect(!RequestValue.isValidNumber(bad), "\(bad)")
        }
        #expect(RequestValue.isDigits("007") && !RequestValue.isDigits("-7") && !RequestValue.isDigits(""))
    }
}
