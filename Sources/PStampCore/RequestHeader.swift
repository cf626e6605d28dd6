/// The header of a request table: REQ_NAME, EXTVER, ACTION, EMAIL (formats-and-cutouts.md §1.2).
public struct RequestHeader: Sendable, Equatable {
    /// The request name; it becomes the results fileset name, so it must be one token.
    public var reqName: String
    /// 1 or 2.
    public var version: Int
    /// `PROCESS` or `PREVIEW` (v2); nil when absent (v1 files are taken as PROCESS).
    public var action: String?
    /// `user@domain` (v2); nil when absent.
    public var email: String?

    public init(reqName: String, version: Int, action: String? = nil, email: String? = nil) {
        self.reqName = reqName; self.version = version; self.action = action; self.email = email
    }

    public enum Action: String, Sendable { case process = "PROCESS", preview = "PREVIEW" }

    /// The action the server performs: v1 files always PROCESS; v2 as written (case-insensitive).
    public var effectiveAction: Action? {
        if version == 1 { return .process }
        return action.flatMap { Action(rawValue: $0.uppercased()) }
    }

    /// The (user, domain) of EMAIL, or nil when it has no `user@domain` form.
    public var emailParts: (user: String, domain: String)? {
        guard let email, let at = email.firstIndex(of: "@") else { return nil }
        let user = String(email[..<at]), domain = String(email[email.index(after: at)...])
        guard !user.isEmpty, !domain.isEmpty, !domain.contains("@") else { return nil }
        return (user, domain)
    }

    /// Both header checks, in the parser's order: `validateStructure()` (21), then `checkEmail()` (29).
    public func validate() throws(PStampError) {
        try validateStructure()
        try checkEmail()
    }

    /// The access check on EMAIL: a v2 EMAIL without `user@domain` (the literal `null` included) gives
    /// access level −1, answered with 29 NOT_AUTHORIZED. The IPP makes this check after the duplicate
    /// REQ_NAME check (20), so it is separate from `validateStructure()`.
    public func checkEmail() throws(PStampError) {
        if version >= 2, emailParts == nil {
            throw PStampError(.notAuthorized, "EMAIL '\(email ?? "")' is not of the form user@domain")
        }
    }

    /// Checks what the parser checks before anything else. A bad header refuses the whole request with
    /// 21 INVALID_REQUEST: a missing or malformed REQ_NAME or EXTVER, and in v2 a missing or unknown
    /// ACTION or a missing EMAIL.
    ///
    /// The IPP's parser exits with status 4 (a retried system fault) for a missing REQ_NAME or a bad
    /// EXTVER; retrying cannot mend a file, so PStamp reports 21 instead.
    public func validateStructure() throws(PStampError) {
        guard !reqName.isEmpty else { throw PStampError(.invalidRequest, "REQ_NAME is missing from the request header") }
        guard reqName.utf8.count <= RequestFileFormat.maxRequestNameLength else {
            throw PStampError(
                .invalidRequest,
                "REQ_NAME is \(reqName.utf8.count) characters long (at most \(RequestFileFormat.maxRequestNameLength))")
        }
        guard reqName.unicodeScalars.allSatisfy(RequestHeader.isNameCharacter) else {
            throw PStampError(
                .invalidRequest,
                "REQ_NAME '\(reqName)' must be one word of letters, digits and - + _ . :")
        }
        guard version == 1 || version == 2 else {
            throw PStampError(.invalidRequest, "EXTVER \(version) is not a request file version (1 or 2)")
        }
        if version >= 2 {
            guard let action, !action.isEmpty else {
                throw PStampError(.invalidRequest, "ACTION is missing from a version 2 request header")
            }
            guard effectiveAction != nil else {
                throw PStampError(.invalidRequest, "ACTION '\(action)' is not PROCESS or PREVIEW")
            }
            guard let email, !email.isEmpty else {
                throw PStampError(.invalidRequest, "EMAIL is missing from a version 2 request header")
            }
        }
    }

    static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "+", "_", ".", ":": return true
        default: return false
        }
    }
}
