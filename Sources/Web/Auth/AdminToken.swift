/// The operator's token for the API's operator actions (`admin_token` in the serve configuration, or
/// $PSTAMP_ADMIN_TOKEN), sent as `Authorization: Bearer TOKEN`. A caller presenting it is the operator,
/// as `pstamptool` on the server's own machine is.
public struct AdminToken: Sendable {
    let secret: [UInt8]

    /// Nil for an empty token: an empty secret would let anyone in.
    public init?(_ secret: String) {
        guard !secret.isEmpty else { return nil }
        self.secret = Array(secret.utf8)
    }

    /// Whether `token` is the admin token, in time that depends only on the lengths (every byte is
    /// compared, whatever the first difference), so the answer's timing tells nothing of the secret.
    public func matches(_ token: String) -> Bool {
        let candidate = Array(token.utf8)
        var difference = UInt8(truncatingIfNeeded: candidate.count ^ secret.count)
        for index in secret.indices {
            difference |= secret[index] ^ (index < candidate.count ? candidate[index] : 0)
        }
        return difference == 0
    }
}
