import PStampCore

extension RequestFile {
    /// The extension names a request file may carry at intake: a postage-stamp request (named by
    /// REQ_NAME) or a MOPS detectability query (named by QUERY_ID).
    static let intakeNameKeys = ["PS1_PS_REQUEST": "REQ_NAME", "MOPS_DETECTABILITY_QUERY": "QUERY_ID"]

    /// The header of a file handed in at the upload page, checked as the IPP's `pstamp_insert_request.pl`
    /// checks it: the first extension's EXTNAME must be `PS1_PS_REQUEST` or `MOPS_DETECTABILITY_QUERY`,
    /// the name keyword must be set and EXTVER present. Anything else is PS_EXIT_DATA_ERROR (5). The rest
    /// of the header (ACTION, a version the parser can read) is the parser's to check (21); `version` is
    /// 0 when EXTVER is not a whole number. EMAIL, when set, is the sender's claim.
    public static func readIntakeHeader(_ path: String) throws(PStampError) -> RequestHeader {
        let file: FITSFile
        do { file = try FITSFile.open(path) } catch {
            throw PStampError(.dataError, "not a FITS file")
        }
        defer { file.closeQuietly() }
        guard (try? file.hduCount()) ?? 0 >= 2, (try? file.moveTo(hdu: 2)) != nil else {
            throw PStampError(.dataError, "the file has no request table extension")
        }
        let extname = (try? file.readString("EXTNAME"))?.fitsTrimmed ?? ""
        guard let nameKey = intakeNameKeys[extname] else {
            throw PStampError(.dataError, "EXTNAME is '\(extname)', not PS1_PS_REQUEST or MOPS_DETECTABILITY_QUERY")
        }
        guard let name = (try? file.readString(nameKey))?.fitsTrimmed, !name.isEmpty else {
            throw PStampError(.dataError, "the request file has no \(nameKey)")
        }
        guard let extver = try? file.readValueText("EXTVER"), !extver.isEmpty else {
            throw PStampError(.dataError, "the request file has no EXTVER")
        }
        func optional(_ key: String) -> String? {
            guard let value = (try? file.readString(key))?.fitsTrimmed, !value.isEmpty else { return nil }
            return value
        }
        return RequestHeader(reqName: name, version: Int(extver) ?? 0, action: optional("ACTION"), email: optional("EMAIL"))
    }
}
