/// A refusal of a Virtual Observatory request, as DALI 1.1 §3 and SODA 1.0 §5 name them. The label
/// starts the text of every error document (`UsageError: POS …`), so clients can tell a mistake of
/// theirs (permanent) from a passing failure of ours (transient).
public struct DALIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error labels of DALI and SODA.
    public enum Label: String, Sendable, CaseIterable {
        case error = "Error"
        case usageError = "UsageError"
        case notFound = "NotFound"
        case authenticationError = "AuthenticationError"
        case authorizationError = "AuthorizationError"
        case serviceUnavailable = "ServiceUnavailable"
        case multiValuedParamNotSupported = "MultiValuedParamNotSupported"
    }

    public let label: Label
    public let message: String

    public init(_ label: Label, _ message: String) {
        self.label = label
        self.message = message
    }

    /// A permanent mistake in the caller's parameters.
    public static func usage(_ message: String) -> DALIError { DALIError(.usageError, message) }

    /// The one-line text of the error: `UsageError: <message>` (the body of a `text/plain` answer).
    public var description: String { "\(label.rawValue): \(message)" }

    /// The HTTP status a synchronous service answers with (DALI 1.1 §4.2: 4xx for the caller's mistakes,
    /// 5xx for ours). Asynchronous errors are served with 200 from the job's `error` resource.
    public var httpStatus: Int {
        switch label {
        case .usageError, .multiValuedParamNotSupported: 400
        case .notFound: 404
        case .authenticationError: 401
        case .authorizationError: 403
        case .serviceUnavailable: 503
        case .error: 500
        }
    }

    /// Whether retrying later may succeed (the UWS `errorSummary type`).
    public var isTransient: Bool { label == .serviceUnavailable }
}
