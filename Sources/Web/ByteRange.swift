import Foundation

/// The `Range: bytes=…` request header, single ranges only (RFC 9110 §14). A request with several
/// ranges, or a header we cannot read, gets the whole file (which the RFC allows); a range that
/// misses the file is unsatisfiable (416).
enum ByteRange: Equatable {
    case whole
    case part(ClosedRange<Int>)
    case unsatisfiable

    static func parse(_ header: String?, size: Int) -> ByteRange {
        guard let header = header?.trimmingCharacters(in: .whitespaces), header.hasPrefix("bytes=") else { return .whole }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        if spec.contains(",") { return .whole }
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .whole }
        let first = parts[0].trimmingCharacters(in: .whitespaces)
        let last = parts[1].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            // Suffix: the last N bytes.
            guard let n = Int(last), n >= 0 else { return .whole }
            if n == 0 || size == 0 { return .unsatisfiable }
            return .part(max(0, size - n)...(size - 1))
        }
        guard let start = Int(first), start >= 0 else { return .whole }
        var end = size - 1
        if !last.isEmpty {
            guard let e = Int(last), e >= start else { return .whole }
            end = min(e, size - 1)
        }
        if start >= size { return .unsatisfiable }
        return .part(start...end)
    }
}
