/// The access rules, in one place: what a request's sender may see, and who may
/// read a product of the outgoing data store. Every face (upload page, form, parameter interface,
/// data-store poll, `pstamptool -addreq`, `/ds`) and the parser call these; none decides on its own.
///
/// - A request's EMAIL is a claim. It decides the access level (through `pstampUser`, then
///   `pstampUserDomain`, as the IPP's `getUsersAccessLevel`) only when the request came with an
///   authenticated identity: a registered data store or the operator (the EMAIL is theirs to vouch
///   for, as in the IPP), or a logged-in user (token or front-end header), whose own address is used
///   instead of the EMAIL.
/// - Without one, the default level applies: the EMAIL's rows may lower it (a refused domain stays
///   refused) but never raise it, and give no product or label.
/// - Results of a request above the default level go to a product only its owner may read: never to
///   a public one.
public enum AccessRules {
    /// The address whose user and domain rows are looked up: a logged-in user's own, else the EMAIL.
    public static func address(identity: RequestIdentity, email: String?) -> String? {
        switch identity.source {
        case .token, .proxy: return identity.user
        case .none, .dataStore, .operator: return email
        }
    }

    /// Whether the rows of `address(identity:email:)` may raise the level above the default.
    public static func vouchesForAddress(_ identity: RequestIdentity) -> Bool { identity.isAuthenticated }

    /// The level a request gets from the level its address's rows give (`found`).
    public static func level(found: Int, defaultLevel: Int, identity: RequestIdentity) -> Int {
        vouchesForAddress(identity) ? found : min(found, defaultLevel)
    }

    /// More than an anonymous sender gets: its results must not be public.
    public static func isElevated(level: Int, defaultLevel: Int) -> Bool { level > defaultLevel }

    /// Whether a request's results must go to a product owned by its sender: an elevated request of a
    /// logged-in user. (A data store's requests go to the store's product, whose access the operator sets.)
    public static func needsOwnProduct(level: Int, defaultLevel: Int, identity: RequestIdentity) -> Bool {
        isElevated(level: level, defaultLevel: defaultLevel) && (identity.source == .token || identity.source == .proxy)
            && identity.user != nil
    }

    /// The product a user's elevated results go to when the operator gave the user none of their own:
    /// `private.<user>:<domain>` (a data-store name), or `private.<hash>` for an address that cannot be one.
    public static func privateProduct(for user: String) -> String {
        let name = "private." + user.replacingOccurrences(of: "@", with: ":")
        if DataStoreName.isValid(name, as: .product) { return name }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, stable across runs
        for byte in user.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return "private." + String(hash, radix: 16)
    }

    /// Who may read a product over HTTP.
    public enum ProductAccess: Sendable, Hashable {
        /// Everyone: a product without an access setting (the IPP's behaviour).
        case `public`
        /// Only this `user@domain`, logged in with a token or the front-end header.
        case owner(String)
        /// Nobody over HTTP (operators read it on disk).
        case closed
    }

    /// Whether `identity` may list and read a product with `access`.
    public static func mayRead(_ access: ProductAccess, identity: RequestIdentity) -> Bool {
        switch access {
        case .public: return true
        case .closed: return false
        case .owner(let owner):
            guard identity.source == .token || identity.source == .proxy, let user = identity.user else { return false }
            return user.lowercased() == owner.lowercased()
        }
    }

    /// What an intake face tells the sender about their identity (a line of its answer).
    public static func intakeNotice(identity: RequestIdentity, email: String?) -> String {
        switch identity.source {
        case .token, .proxy:
            let who = identity.user ?? "?"
            if let email, email.lowercased() != who.lowercased() {
                return "identity: \(identity.description); access is decided for \(who), not for the EMAIL \(email)"
            }
            return "identity: \(identity.description)"
        case .none:
            return "identity: none; the EMAIL \(email ?? "(none)") was not taken as your identity: the default "
                + "access level applies (send a token from `pstamptool -adduser` as 'Authorization: Bearer TOKEN' for more)"
        case .dataStore, .operator:
            return "identity: \(identity.description)"
        }
    }
}
