import Hummingbird
import HummingbirdAuth
import PStampCore

/// Who is calling the API, as the `IdentityMiddleware` decided, for the generated handlers (which see
/// only their input): set for the call's task by `APICallerMiddleware`.
enum APICaller {
    @TaskLocal static var identity: RequestIdentity? = nil

    /// Reads and submissions: open, unless the server requires a user token (401 without one).
    static func requireReader(tokenRequired: Bool) throws -> RequestIdentity {
        let identity = Self.identity ?? .anonymous
        if tokenRequired && !identity.isAuthenticated {
            throw APIProblem(.unauthorized, "this server needs a user token (Authorization: Bearer TOKEN; pstamptool -adduser)")
        }
        return identity
    }

    /// Operator actions: the admin token only (401 without a token, 403 with anyone else's).
    static func requireOperator() throws {
        let identity = Self.identity ?? .anonymous
        guard identity.source == .operator else {
            if identity.isAuthenticated {
                throw APIProblem(.forbidden, "\(identity.description) may not do operator actions: they need the admin token")
            }
            throw APIProblem(.unauthorized, "operator actions need the admin token (Authorization: Bearer TOKEN)")
        }
    }
}

/// Hands the caller's identity to the API handlers.
struct APICallerMiddleware<Context: AuthRequestContext<RequestIdentity>>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await APICaller.$identity.withValue(context.identity) { try await next(request, context) }
    }
}
