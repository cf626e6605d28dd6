import Hummingbird
import HummingbirdAuth
import NIOCore
import PStampCore

/// The request context of every PStamp route: Hummingbird's core context, the identity the
/// `IdentityMiddleware` found (nil: anonymous) and the client's address (for a trusted front end).
public struct PStampRequestContext: AuthRequestContext, RemoteAddressRequestContext {
    public typealias Identity = RequestIdentity
    public var coreContext: CoreRequestContextStorage
    public var identity: RequestIdentity?
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        remoteAddress = source.channel.remoteAddress
    }
}

extension AuthRequestContext where Identity == RequestIdentity {
    /// Who sent the request: the authenticated identity, else anonymous.
    public var sender: RequestIdentity { identity ?? .anonymous }
}
