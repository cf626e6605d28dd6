import HTTPTypes
import OpenAPIRuntime

/// The transport the generated server registers its operations on: it passes each one on and notes the
/// methods of each path, so that `answerOtherMethods()` can answer every other method of a documented
/// path with 405 and the `Allow` header (not 404: the path exists).
final class MethodRecordingTransport<Base: ServerTransport>: ServerTransport {
    let base: Base
    private var methods: [String: [HTTPRequest.Method]] = [:]
    /// The methods answered with 405 where a path does not take them.
    static var otherMethods: [HTTPRequest.Method] {
        [.get, .post, .put, .delete, .patch, .options, .trace, HTTPRequest.Method("QUERY")!]
    }

    init(_ base: Base) { self.base = base }

    func register(
        _ handler: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
        method: HTTPRequest.Method, path: String
    ) throws {
        try base.register(handler, method: method, path: path)
        methods[path, default: []].append(method)
    }

    /// Registers the 405 answers; call once the generated server has registered its operations.
    func answerOtherMethods() throws {
        for (path, taken) in methods {
            let allow = taken.map(\.rawValue).joined(separator: ", ")
            for method in Self.otherMethods where !taken.contains(method) {
                try base.register(
                    { _, _, _ in
                        let (response, body) = try APIProblemMiddleware.response(
                            APIProblem(.methodNotAllowed, "\(path) takes \(allow), not \(method.rawValue)"))
                        var headed = response
                        headed.headerFields[.allow] = allow
                        return (headed, body)
                    }, method: method, path: path)
            }
        }
    }
}
