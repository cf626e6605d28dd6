/// Who sent a request, as decided when it came in and stored with it (`pstampRequestIdentity`); the
/// parser only reads it. The request file's own EMAIL is a claim, not an identity.
public struct RequestIdentity: Sendable, Hashable {
    /// How the sender was known.
    public enum Source: String, Sendable, CaseIterable {
        /// Nobody: an anonymous client of the upload page, the form or the parameter interface.
        case none
        /// A token issued by `pstamptool -adduser` / `-addtoken`, sent as `Authorization: Bearer …`
        /// (or as the password of HTTP basic authentication).
        case token
        /// A front-end login: the user named by the configured header of a trusted reverse proxy.
        case proxy
        /// An incoming data store the operator registered (`-adddatastore`): its requests are trusted
        /// as the IPP trusted them, EMAIL included.
        case dataStore = "datastore"
        /// The operator, adding a request by hand with `pstamptool -addreq`.
        case `operator`
    }

    public var source: Source
    /// `user@domain` of a token or proxy user; nil otherwise.
    public var user: String?
    /// The token that identified the sender (`pstampUserToken.token_id`), for the record.
    public var tokenID: Int64?

    public init(source: Source, user: String? = nil, tokenID: Int64? = nil) {
        self.source = source
        self.user = user
        self.tokenID = tokenID
    }

    public static let anonymous = RequestIdentity(source: .none)
    public static let dataStore = RequestIdentity(source: .dataStore)
    public static let `operator` = RequestIdentity(source: .operator)

    /// A user who logged in (token or proxy header).
    public static func user(_ user: String, source: Source, tokenID: Int64? = nil) -> RequestIdentity {
        RequestIdentity(source: source, user: user, tokenID: tokenID)
    }

    /// Anything but an anonymous sender.
    public var isAuthenticated: Bool { source != .none }

    /// How the identity reads in a log or an answer.
    public var description: String {
        switch source {
        case .none: return "anonymous"
        case .token: return "token user \(user ?? "?")"
        case .proxy: return "front-end user \(user ?? "?")"
        case .dataStore: return "registered data store"
        case .operator: return "operator"
        }
    }
}
