/// The row checks of the IPP parser (formats-and-cutouts.md §1.6, `pstampparse.pl` checkRow), in its
/// order: the first failed check decides the code. Pure: no database, no files.
///
///   switch RequestRow.validate(raw) { case .success(let row): …; case .failure(let rejection): … }
///
/// Checks added by PStamp, each refusing the row with 21 rather than passing odd values downstream:
/// OPTION_MASK or COORD_MASK that are not non-negative integers, a negative WIDTH or HEIGHT, and a
/// pixel WIDTH or HEIGHT above 8000 (ppstamp silently took the absolute value and capped at 8000).
/// Out-of-range numbers are refused here too, before anything is stored, so no value can trap a later
/// conversion or fail the results file: MJDs beyond year 9999, OPTION_MASK above the 32-bit column
/// it is echoed in, a pixel centre beyond ±10^6 pixels, a sky centre off −360…360 / −90…90 degrees.
extension RequestRow {
    /// The largest stamp side in pixels (ppstamp's cap).
    public static let maxPixelSize: Double = 8000
    /// The newest MJD a row may name: 9999-12-31 (a date cut must become a date-time).
    public static let maximumMJD: Double = 2_973_483
    /// The largest pixel coordinate of a centre (any image is far smaller).
    public static let maxPixelCoordinate: Double = 1_000_000
    /// The largest OPTION_MASK: the results file echoes it in a 32-bit signed column (J).
    public static let maxOptionMask = Int64(Int32.max)

    public static func validate(_ raw: RawRequestRow) -> Result<RequestRow, RequestRowRejection> {
        do {
            return .success(try RequestRow(validating: raw))
        } catch let rejection as RequestRowRejection {
            return .failure(rejection)
        } catch {
            return .failure(RequestRowRejection(rownum: 0, code: .invalidRequest, message: "\(error)"))
        }
    }

    /// Validates and normalises a row; throws the rejection the IPP would record.
    public init(validating raw: RawRequestRow) throws {
        let rownumValue = raw["ROWNUM"]
        // A rejection names the row only by a ROWNUM the results file can echo (uint32); else 0.
        let rownumber = rownumValue.digits.flatMap { $0 > 0 && $0 <= Int64(UInt32.max) ? $0 : nil } ?? 0
        func reject(_ message: String) -> RequestRowRejection {
            RequestRowRejection(rownum: rownumber, code: .invalidRequest, message: message)
        }
        func reject(code: PStampCode, _ message: String) -> RequestRowRejection {
            RequestRowRejection(rownum: rownumber, code: code, message: message)
        }

        // ROWNUM: a positive integer, digits only.
        guard let rownum = rownumValue.digits, rownum > 0, rownum <= Int64(UInt32.max) else {
            throw reject("\(rownumValue.text ?? "NULL") is not a valid ROWNUM")
        }
        guard let jobTypeText = raw["JOB_TYPE"].text, let jobType = JobType(rawValue: jobTypeText.trimmedBlanks),
            JobType.requestable.contains(jobType)
        else {
            throw reject("\(raw["JOB_TYPE"].text ?? "NULL") is not a valid JOB_TYPE")
        }
        guard let reqTypeText = raw["REQ_TYPE"].text, let reqType = RequestType(rawValue: reqTypeText.trimmedBlanks) else {
            throw reject("\(raw["REQ_TYPE"].text ?? "NULL") is not a valid REQ_TYPE")
        }
        let stageText = raw["IMG_TYPE"].text?.trimmedBlanks ?? ""
        if jobType == .getImage {
            let allowed =
                reqType == .byid || reqType == .byexp
                || (reqType == .byskycell && stageText == "stack") || stageText == "stack_summary"
            guard allowed else {
                throw reject("REQ_TYPE must be 'byid' or 'byexp' for JOB_TYPE 'get_image' and IMG_TYPE \(stageText)")
            }
        }

        // COMPONENT: null/all/absent mean none, except for a non-stack get_image (all).
        var component = raw["COMPONENT"].text?.trimmedBlanks ?? ""
        if component.isEmpty || component.lowercased() == "null" || component.lowercased() == "all" {
            let wholeComponent = jobType == .getImage && stageText != "stack" && stageText != "stack_summary"
            component = wholeComponent ? "all" : ""
        }

        // REQFILT: one character becomes a prefix pattern.
        var reqfilt = RequestRow.optionalText(raw["REQFILT"])
        if let f = reqfilt, f.count == 1 { reqfilt = f + "%" }

        func optionalNumber(_ column: String) throws -> Double {
            let value = raw[column]
            if value == .missing { return 0 }
            guard let number = value.number else { throw reject("\(value) is not a valid \(column)") }
            return number
        }
        let mjdMin = try optionalNumber("MJD_MIN")
        let mjdMax = try optionalNumber("MJD_MAX")
        let fwhmMin = try optionalNumber("FWHM_MIN")
        let fwhmMax = try optionalNumber("FWHM_MAX")
        for (column, mjd) in [("MJD_MIN", mjdMin), ("MJD_MAX", mjdMax)] where abs(mjd) > RequestRow.maximumMJD {
            throw reject(
                "\(column) \(raw[column]) is out of range (an MJD of at most \(RequestValue.format(RequestRow.maximumMJD)), year 9999)")
        }

        // DATA_GROUP falls back to the v1 LABEL column.
        let dataGroupValue = raw["DATA_GROUP"] == .missing ? raw["LABEL"] : raw["DATA_GROUP"]
        let dataGroup = RequestRow.optionalText(dataGroupValue)

        // OPTION_MASK and COORD_MASK: non-negative integers (absent: 0).
        let requestedOptionMask: Int64
        if raw["OPTION_MASK"] == .missing {
            requestedOptionMask = 0
        } else {
            guard let m = raw["OPTION_MASK"].digits else { throw reject("\(raw["OPTION_MASK"]) is not a valid OPTION_MASK") }
            guard m <= RequestRow.maxOptionMask else {
                throw reject("OPTION_MASK \(m) is out of range (at most \(RequestRow.maxOptionMask))")
            }
            requestedOptionMask = m
        }
        let coordBits: Int64
        if raw["COORD_MASK"] == .missing {
            coordBits = 0
        } else {
            guard let m = raw["COORD_MASK"].digits, m <= Int64(Int32.max) else {
                throw reject("\(raw["COORD_MASK"]) is not a valid COORD_MASK")
            }
            coordBits = m
        }
        let optionMask = OptionMask(rawValue: requestedOptionMask).union(.image)
        let coordMask = CoordMask(rawValue: Int32(coordBits))
        let skyCenter = !coordMask.contains(.centerInPixels)

        // Numbers of the region; checked below when a region is needed.
        let cx = raw["CENTER_X"].number, cy = raw["CENTER_Y"].number
        let w = raw["WIDTH"].number, h = raw["HEIGHT"].number
        let wholeFile = (w == 0 && h == 0) || (!skyCenter && cx == 0 && cy == 0)
        let needsRegion = jobType == .stamp || reqType == .bycoord
        if needsRegion || !wholeFile, let cx, let cy {
            if skyCenter {
                guard abs(cx) <= 360, abs(cy) <= 90 else {
                    throw reject("invalid ROI: the sky centre (\(cx), \(cy)) is outside RA −360…360 and Dec −90…90 degrees")
                }
            } else if abs(cx) > RequestRow.maxPixelCoordinate || abs(cy) > RequestRow.maxPixelCoordinate {
                throw reject(
                    "invalid ROI: the pixel centre (\(cx), \(cy)) is beyond \(RequestValue.format(RequestRow.maxPixelCoordinate)) pixels")
            }
        }

        if !skyCenter && !wholeFile && component.isEmpty && stageText != "stack"
            && !optionMask.contains(.useImfileID)
        {
            throw reject("COMPONENT must be specified for pixel coordinate ROI center")
        }
        guard let imgType = ImageType(rawValue: stageText) else {
            throw reject("\(raw["IMG_TYPE"].text ?? "NULL") is not a valid IMG_TYPE")
        }
        if needsRegion {
            guard let cx, let cy, let w, let h else {
                throw reject(
                    "invalid ROI: CENTER_X, CENTER_Y, WIDTH and HEIGHT must be numbers "
                        + "(\(raw["CENTER_X"]), \(raw["CENTER_Y"]), \(raw["WIDTH"]), \(raw["HEIGHT"]))")
            }
            _ = (cx, cy)
            guard w >= 0, h >= 0 else { throw reject("invalid ROI: WIDTH and HEIGHT must not be negative (\(w) × \(h))") }
            if coordMask.contains(.rangeInPixels), w > RequestRow.maxPixelSize || h > RequestRow.maxPixelSize {
                throw reject("invalid ROI: \(w) × \(h) pixels exceeds the \(RequestValue.format(RequestRow.maxPixelSize)) pixel limit")
            }
        }
        if reqType == .byexp && (imgType == .stack || imgType == .stackSummary) {
            throw reject(code: .notImplemented, "byexp not implemented for \(imgType.rawValue) stage")
        }
        if reqType == .bycoord && !skyCenter {
            throw reject("center must be specified in sky coordinates for bycoord")
        }
        let idText = raw["ID"].text?.trimmedBlanks ?? ""
        if reqType == .byid || reqType == .bydiff {
            guard RequestValue.isDigits(idText), let id = Int64(idText), id > 0 else {
                throw reject("ID must be a positive integer for REQ_TYPE \(reqType.rawValue) (got '\(idText)')")
            }
        }
        guard let project = raw["PROJECT"].text?.trimmedBlanks, !project.isEmpty else {
            throw reject(code: .unknownProject, "PROJECT is missing")
        }

        self.rownum = rownum
        self.centerX = cx ?? 0
        self.centerY = cy ?? 0
        self.width = w ?? 0
        self.height = h ?? 0
        self.coordMask = coordMask
        self.jobType = jobType
        self.optionMask = optionMask
        self.requestedOptionMask = requestedOptionMask
        self.project = project
        self.surveyName = RequestRow.optionalText(raw["SURVEY_NAME"])
        self.ippRelease = RequestRow.optionalText(raw["IPP_RELEASE"])
        self.reqType = reqType
        self.imgType = imgType
        self.id = idText
        self.tessID = RequestRow.optionalText(raw["TESS_ID"])
        self.component = component
        self.dataGroup = dataGroup
        self.reqfilt = reqfilt
        self.mjdMin = mjdMin
        self.mjdMax = mjdMax
        self.runType = RequestRow.optionalText(raw["RUN_TYPE"])
        self.fwhmMin = fwhmMin
        self.fwhmMax = fwhmMax
        self.comment = raw["COMMENT"].text?.trimmedBlanks ?? ""
        self.asRequested = raw
    }

    /// A string field where empty and `null` (any case) mean "not given".
    static func optionalText(_ value: RequestValue) -> String? {
        guard let text = value.text?.trimmedBlanks, !text.isEmpty, text.lowercased() != "null" else { return nil }
        return text
    }
}
