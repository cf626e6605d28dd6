import NIOCore
import RequestDB

/// How the server knows who a web client is (`pstamp serve` settings): the users' tokens in the
/// request database, and optionally a front-end login (a reverse proxy that sets a header naming the
/// logged-in user, trusted only from the proxy's own addresses), and the operator's admin token.
public struct WebAuthentication: Sendable {
    public var tokens: UserTokenStore?
    public var proxy: TrustedProxy?
    /// The operator's token (the API's operator actions); nil: no operator actions over HTTP.
    public var admin: AdminToken?

    public init(tokens: UserTokenStore? = nil, proxy: TrustedProxy? = nil, admin: AdminToken? = nil) {
        self.tokens = tokens
        self.proxy = proxy
        self.admin = admin
    }
}

/// A front end that logs its users in and passes the user on in a header (`user_header`, e.g.
/// `X-Remote-User`), believed only from `addresses` (`trusted_proxies`): a client that sets the header
/// itself, from anywhere else, is anonymous.
public struct TrustedProxy: Sendable, Hashable {
    public var header: String
    public var addresses: Set<String>

    public init(header: String, addresses: [String]) {
        self.header = header
        self.addresses = Set(addresses)
    }

    /// Whether a connection from `address` may set the header.
    public func trusts(_ address: SocketAddress?) -> Bool {
        guard let ip = address?.ipAddress else { return false }
        if addresses.contains(ip) { return true }
        // An IPv4 client seen on an IPv6 socket.
        if ip.hasPrefix("::ffff:"), addresses.contains(String(ip.dropFirst(7))) { return true }
        return false
    }
}
