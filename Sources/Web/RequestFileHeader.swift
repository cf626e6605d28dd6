import FITS
import Foundation
import PStampCore

/// The header of an uploaded request file, checked as the IPP's `pstamp_insert_request.pl` does:
/// the first extension's EXTNAME must be `PS1_PS_REQUEST` (a postage-stamp request, named by
/// REQ_NAME) or `MOPS_DETECTABILITY_QUERY` (named by QUERY_ID), and EXTVER must be present.
/// Anything else is PS_EXIT_DATA_ERROR (5).
struct RequestFileHeader: Equatable {
    var extname: String
    var name: String
    var extver: String
    /// The EMAIL keyword, if any: the sender's claim, shown back in the intake notice.
    var email: String? = nil

    static func read(_ path: String) throws -> RequestFileHeader {
        let file: FITSFile
        do { file = try FITSFile.open(path) } catch {
            throw PStampError(.dataError, "not a FITS file")
        }
        defer { file.closeQuietly() }
        guard (try? file.hduCount()) ?? 0 >= 2, (try? file.moveTo(hdu: 2)) != nil else {
            throw PStampError(.dataError, "the file has no request table extension")
        }
        let extname = (try? file.readString("EXTNAME"))?.trimmingCharacters(in: .whitespaces) ?? ""
        let nameKey: String
        switch extname {
        case "PS1_PS_REQUEST": nameKey = "REQ_NAME"
        case "MOPS_DETECTABILITY_QUERY": nameKey = "QUERY_ID"
        default:
            throw PStampError(.dataError, "EXTNAME is '\(extname)', not PS1_PS_REQUEST or MOPS_DETECTABILITY_QUERY")
        }
        guard let name = (try? file.readString(nameKey))?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
            throw PStampError(.dataError, "the request file has no \(nameKey)")
        }
        guard let extver = try? file.readValueText("EXTVER"), !extver.isEmpty else {
            throw PStampError(.dataError, "the request file has no EXTVER")
        }
        let email = (try? file.readString("EMAIL"))?.trimmingCharacters(in: .whitespaces)
        return RequestFileHeader(
            extname: extname, name: name, extver: extver.trimmingCharacters(in: CharacterSet(charactersIn: "' ")),
            email: email.flatMap { $0.isEmpty ? nil : $0 })
    }
}
