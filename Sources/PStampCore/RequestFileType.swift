/// `pstampRequest.reqType`: what the parse found the request file to be.
public enum RequestFileType: String, Sendable, CaseIterable, Codable {
    /// A postage-stamp request file.
    case pstamp
    /// A detectability query.
    case dquery
    /// A file that could not be read as a request: its results say 21 and echo nothing of it.
    case unknown

    /// Parses a type as an operator types it; an unknown type is refused with the list of types.
    public static func parse(_ text: String) throws(PStampError) -> RequestFileType {
        if let type = RequestFileType(rawValue: text) { return type }
        let known = allCases.map(\.rawValue).joined(separator: ", ")
        throw PStampError(.configError, "'\(text)' is not a request type (types: \(known))")
    }
}
