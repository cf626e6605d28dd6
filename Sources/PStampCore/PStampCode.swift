/// The result and fault codes of the postage-stamp server (IPP `pstamp.h` `pstampJobErrors` and the
/// generic `PS_EXIT_*` statuses), with the strings written to the results file's ERROR_STR column.
///
/// The rule every task follows: a fault below 10 is a retryable system fault (the reverter clears it);
/// a fault of 10 or more is final and is reported to the user in the results.
public struct PStampCode: RawRepresentable, Codable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public init(_ rawValue: Int) { self.rawValue = rawValue }

    // Generic IPP exit statuses (PS_EXIT_*), used as system faults.
    public static let success = PStampCode(0)
    public static let unknownError = PStampCode(1)
    public static let sysError = PStampCode(2)
    public static let configError = PStampCode(3)
    public static let progError = PStampCode(4)
    public static let dataError = PStampCode(5)
    public static let timeoutError = PStampCode(6)

    // Postage-stamp result codes (PSTAMP_*), final and reported.
    public static let systemError = PStampCode(10)
    public static let notImplemented = PStampCode(11)
    public static let pstampUnknownError = PStampCode(12)
    public static let dupRequest = PStampCode(20)
    public static let invalidRequest = PStampCode(21)
    public static let unknownProject = PStampCode(22)
    public static let noImageMatch = PStampCode(23)
    public static let notDestreaked = PStampCode(24)
    public static let notAvailable = PStampCode(25)
    public static let gone = PStampCode(26)
    public static let noJobsQueued = PStampCode(27)
    public static let noOverlap = PStampCode(28)
    public static let notAuthorized = PStampCode(29)
    public static let noValidPixels = PStampCode(30)
    public static let bgRestoreNotAvailable = PStampCode(31)

    /// The first code that is reported to the user rather than retried.
    public static let firstReportedCode = 10

    /// A fault below 10 is a system fault: the reverter retries it.
    public var isRetryable: Bool { rawValue > 0 && rawValue < Self.firstReportedCode }
    /// A code of 10 or more is final and reported in the results.
    public var isReported: Bool { rawValue >= Self.firstReportedCode }

    /// Data-store faults: a failed HTTP transfer is recorded as its status minus 300
    /// (HTTP 500 -> 200, HTTP 404 -> 104), as the IPP's dsget does.
    public static func dataStoreFault(httpStatus: Int) -> PStampCode { PStampCode(httpStatus - 300) }
    /// The request fault the seed calls the most common: the source data store answered HTTP 500.
    public static let dataStoreServerError = dataStoreFault(httpStatus: 500)

    /// The symbolic name (`PSTAMP_NO_OVERLAP`, `PS_EXIT_SYS_ERROR`), or nil for an unnamed code.
    public var name: String? { Self.names[rawValue] }

    /// The ERROR_STR written to results files, as RequestFile.pm `get_error_string` answers: the IPP's
    /// list names 0–6, 10–12 and 20–30, holds `undefined` for 7–9 and 13–19, and ends at 30, so 31
    /// (PSTAMP_BG_RESTORE_NOT_AVAILABLE), higher and negative codes are `unknown`. Clients of the IPP
    /// compare these strings, and the column is 24 characters wide (`24A`): the 31-character name of 31
    /// would not fit. `name` still names 31 for logs and pages.
    public var errorString: String {
        if rawValue == Self.bgRestoreNotAvailable.rawValue { return "unknown" }
        if let name { return name }
        if (7...9).contains(rawValue) || (13...19).contains(rawValue) { return "undefined" }
        return "unknown"
    }

    public var description: String { name.map { "\(rawValue) (\($0))" } ?? "\(rawValue)" }
    public static func < (a: PStampCode, b: PStampCode) -> Bool { a.rawValue < b.rawValue }

    /// Every named code, in numeric order.
    public static let all: [PStampCode] = names.keys.sorted().map { PStampCode($0) }

    static let names: [Int: String] = [
        0: "PSTAMP_SUCCESS",
        1: "PS_EXIT_UNKNOWN_ERROR", 2: "PS_EXIT_SYS_ERROR", 3: "PS_EXIT_CONFIG_ERROR",
        4: "PS_EXIT_PROG_ERROR", 5: "PS_EXIT_DATA_ERROR", 6: "PS_EXIT_TIMEOUT_ERROR",
        10: "PSTAMP_SYSTEM_ERROR", 11: "PSTAMP_NOT_IMPLEMENTED", 12: "PSTAMP_UNKNOWN_ERROR",
        20: "PSTAMP_DUP_REQUEST", 21: "PSTAMP_INVALID_REQUEST", 22: "PSTAMP_UNKNOWN_PROJECT",
        23: "PSTAMP_NO_IMAGE_MATCH", 24: "PSTAMP_NOT_DESTREAKED", 25: "PSTAMP_NOT_AVAILABLE",
        26: "PSTAMP_GONE", 27: "PSTAMP_NO_JOBS_QUEUED", 28: "PSTAMP_NO_OVERLAP",
        29: "PSTAMP_NOT_AUTHORIZED", 30: "PSTAMP_NO_VALID_PIXELS", 31: "PSTAMP_BG_RESTORE_NOT_AVAILABLE",
    ]
}

/// An error carrying a PStamp code and a message a user or operator can act on.
public struct PStampError: Error, Sendable, CustomStringConvertible, Equatable {
    public let code: PStampCode
    public let message: String
    public init(_ code: PStampCode, _ message: String) { self.code = code; self.message = message }
    public var description: String { "\(code.errorString) (\(code.rawValue)): \(message)" }
}
