// FITSError: every cfitsio status becomes a Swift error carrying the status, cfitsio's own text for it
// and cfitsio's error-message stack (the detail lines cfitsio logged while failing).
//
//   do { try file.moveTo(extname: "PS1_PS_REQUEST") }
//   catch let e as FITSError { e.status /* 301 */; e.message /* "illegal HDU number" */ }
//
// Errors found on the Swift side (a missing column, a region outside the image) use the matching
// cfitsio status number (COL_NOT_FOUND 219, BAD_PIX_NUM 321, …) so callers can switch on one field.
import CFITSIO

public struct FITSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The cfitsio status number (e.g. 104 FILE_NOT_OPENED, 202 KEY_NO_EXIST).
    public let status: Int32
    /// cfitsio's short text for the status (`fits_get_errstatus`).
    public let message: String
    /// The lines of cfitsio's error-message stack at the time of the failure, oldest first.
    public let details: [String]
    /// What we were doing, e.g. `open /data/x.fits` or `read column CENTER_X`.
    public let operation: String

    public init(status: Int32, operation: String, message: String? = nil, details: [String] = []) {
        self.status = status
        self.operation = operation
        self.message = message ?? FITSError.statusText(status)
        self.details = details
    }

    public var description: String {
        var text = "FITS error \(status) (\(message)) while trying to \(operation)"
        if !details.isEmpty { text += ": " + details.joined(separator: " / ") }
        return text
    }

    /// cfitsio's text for a status number.
    public static func statusText(_ status: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(FLEN_STATUS) + 1)
        ffgerr(status, &buffer)
        return String(fitsChars: buffer)
    }

    /// Builds the error for a failed cfitsio call, draining cfitsio's message stack.
    static func fromCFITSIO(_ status: Int32, operation: String) -> FITSError {
        var details: [String] = []
        var buffer = [CChar](repeating: 0, count: Int(FLEN_ERRMSG) + 1)
        while ffgmsg(&buffer) != 0 {
            let line = String(fitsChars: buffer).fitsTrimmed
            if !line.isEmpty && details.count < 20 { details.append(line) }
        }
        return FITSError(status: status, operation: operation, details: details)
    }

    // cfitsio status numbers used for errors detected on the Swift side.
    public static let keyNotFound: Int32 = 202  // KEY_NO_EXIST
    public static let fileNotCreated: Int32 = 105  // FILE_NOT_CREATED
    public static let writeError: Int32 = 106  // WRITE_ERROR
    public static let memoryAllocation: Int32 = 113  // MEMORY_ALLOCATION
    public static let columnNotFound: Int32 = 219  // COL_NOT_FOUND
    public static let notBinaryTable: Int32 = 227  // NOT_BTABLE
    public static let notImage: Int32 = 233  // NOT_IMAGE
    public static let badHDUNumber: Int32 = 301  // BAD_HDU_NUM
    public static let badRowNumber: Int32 = 307  // BAD_ROW_NUM
    public static let badDimension: Int32 = 320  // BAD_DIMEN
    public static let badPixelNumber: Int32 = 321  // BAD_PIX_NUM
    public static let badDatatype: Int32 = 410  // BAD_DATATYPE
    public static let numericOverflow: Int32 = 412  // NUM_OVERFLOW
    public static let badTFORM: Int32 = 261  // BAD_TFORM
    public static let arrayTooBig: Int32 = 111  // ARRAY_TOO_BIG
    public static let wcsError: Int32 = 506  // WCS_ERROR-like: used for wcslib failures
}

/// Throws a FITSError when a cfitsio status is non-zero.
@inline(__always)
func checkStatus(_ status: Int32, _ operation: @autoclosure () -> String) throws {
    if status != 0 { throw FITSError.fromCFITSIO(status, operation: operation()) }
}

extension String {
    /// Trims blanks (spaces and tabs) at both ends, as FITS string values are compared.
    var fitsTrimmed: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}

extension String {
    /// A string from a NUL-terminated C buffer filled by cfitsio.
    init(fitsChars buffer: [CChar]) {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
