import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import PStampCore
import RequestDB

/// Decides each web request's identity before any route runs (the intake side of `AccessRules`):
/// the operator's admin token (`AdminToken`: the operator), a token from `pstamptool -adduser` sent as `Authorization: Bearer TOKEN` (or as the password of HTTP
/// basic authentication, for clients that only speak that), else a trusted front end's user header,
/// else nobody. A token that is unknown or revoked is refused with 401 and a reason, never quietly
/// taken as anonymous; a user header from an untrusted address is ignored (and logged).
public struct IdentityMiddleware: AuthenticatorMiddleware {
    public typealias Context = PStampRequestContext
    public typealias Identity = RequestIdentity
    let authentication: WebAuthentication

    public init(_ authentication: WebAuthentication) { self.authentication = authentication }

    public func authenticate(request: Request, context: Context) async throws -> RequestIdentity? {
        if let token = request.headers.bearer?.token ?? request.headers.basic?.password {
            if authentication.admin?.matches(token) == true { return .operator }
            guard let tokens = authentication.tokens, let found = try tokens.user(forToken: token) else {
                throw PlainTextError(
                    .unauthorized, "the token is not known here or was revoked; ask the operator for one (pstamptool -addtoken)\n",
                    headers: [.wwwAuthenticate: "Bearer realm=\"pstamp\""])
            }
            return .user(found.user, source: .token, tokenID: found.tokenID)
        }
        if let proxy = authentication.proxy, let name = HTTPField.Name(proxy.header),
            let user = request.headers[name]?.trimmingCharacters(in: .whitespaces), !user.isEmpty
        {
            guard proxy.trusts(context.remoteAddress) else {
                context.logger.warning(
                    "ignored \(proxy.header): \(user) from \(context.remoteAddress?.ipAddress ?? "?"), not a trusted front end")
                return nil
            }
            guard Self.isAddress(user) else {
                throw PlainTextError(.badRequest, "the front end's \(proxy.header) '\(user)' is not user@domain\n")
            }
            return .user(user, source: .proxy)
        }
        return nil
    }

    /// `user@domain`, as the access tables key their users.
    static func isAddress(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && !s.contains(where: { $0.isWhitespace })
    }
}
