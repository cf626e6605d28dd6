import Foundation

/// Reads the `index.txt` listings of any IPP-style data store, as the IPP clients do
/// (`DataStore/lib/DataStore/{Product,FileSet,File}/Parser.pm`): blank lines and lines starting with
/// `#` are skipped; each line is split on `|` (empty trailing fields dropped, as Perl's `split`
/// does) and every field trimmed; a line with a field holding `#`, too few fields or a malformed
/// field is skipped and reported in `skipped`, never fatal.
///
/// Types are checked against the data-store character set only, not against the IPP's fixed lists
/// of known types, so a store that invents a type still works.
public enum DataStoreIndexParser {
    public struct Product: Sendable, Equatable {
        public var name: String
        public var lastFileset: String
        public var lastUpdate: String
        public var type: String
        public var description: String
    }

    public struct Fileset: Sendable, Equatable {
        public var name: String
        public var registered: String
        public var type: String
        /// Product-specific values (`prod_col_*`), as listed.
        public var extra: [String]
        public init(name: String, registered: String, type: String, extra: [String] = []) {
            self.name = name; self.registered = registered; self.type = type; self.extra = extra
        }
    }

    public struct File: Sendable, Equatable {
        public var name: String
        public var bytes: Int64
        public var md5: String?
        public var type: String
        public var extra: [String]
    }

    public struct Listing<Entry: Sendable & Equatable>: Sendable, Equatable {
        public var entries: [Entry]
        /// Lines left out: (1-based line number, why).
        public var skipped: [Skip]
    }

    public struct Skip: Sendable, Equatable {
        public var line: Int
        public var reason: String
    }

    public static func products(_ text: String) -> Listing<Product> {
        parse(text, minimumFields: 5) { f in
            guard isStandard(f[1]) else { return .failure("fileset '\(f[1])' is not a data-store name") }
            guard DataStoreTime.parse(f[2]) != nil else { return .failure("time '\(f[2])' is not YYYY-MM-DDTHH:MM:SSZ") }
            guard isStandard(f[3]) else { return .failure("type '\(f[3])' is not a data-store name") }
            return .success(Product(name: f[0], lastFileset: f[1], lastUpdate: f[2], type: f[3], description: f[4]))
        }
    }

    public static func filesets(_ text: String) -> Listing<Fileset> {
        parse(text, minimumFields: 3) { f in
            guard isStandard(f[0]) else { return .failure("fileset '\(f[0])' is not a data-store name") }
            guard isStandard(f[2]) else { return .failure("type '\(f[2])' is not a data-store name") }
            guard DataStoreTime.parse(f[1]) != nil else { return .failure("time '\(f[1])' is not YYYY-MM-DDTHH:MM:SSZ") }
            return .success(Fileset(name: f[0], registered: f[1], type: f[2], extra: Array(f.dropFirst(3))))
        }
    }

    public static func files(_ text: String) -> Listing<File> {
        parse(text, minimumFields: 4) { f in
            guard isStandard(f[0]) else { return .failure("file '\(f[0])' is not a data-store name") }
            guard isStandard(f[3]) else { return .failure("type '\(f[3])' is not a data-store name") }
            guard !f[1].isEmpty, f[1].allSatisfy(\.isASCIIDigit), let bytes = Int64(f[1]) else {
                return .failure("bytes '\(f[1])' is not a number")
            }
            var md5: String? = nil
            if !f[2].isEmpty {
                guard isMD5(f[2]) else { return .failure("md5 '\(f[2])' is not 32 lowercase hex digits") }
                md5 = f[2]
            }
            return .success(File(name: f[0], bytes: bytes, md5: md5, type: f[3], extra: Array(f.dropFirst(4))))
        }
    }

    /// 32 lowercase hex digits.
    public static func isMD5(_ s: String) -> Bool {
        s.utf8.count == 32 && s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    private static func isStandard(_ s: String) -> Bool { DataStoreName.isStandardField(s) }

    private enum LineResult<T> { case success(T), failure(String) }

    private static func parse<T: Sendable & Equatable>(
        _ text: String, minimumFields: Int,
        _ make: ([String]) -> LineResult<T>
    ) -> Listing<T> {
        var listing = Listing<T>(entries: [], skipped: [])
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.allSatisfy({ $0.isWhitespace }) || trimmed.hasPrefix("#") { continue }
            var fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            while let last = fields.last, last.isEmpty { fields.removeLast() }
            if fields.count < minimumFields {
                listing.skipped.append(Skip(line: i + 1, reason: "not enough fields")); continue
            }
            if fields.contains(where: { $0.contains("#") }) {
                listing.skipped.append(Skip(line: i + 1, reason: "a field contains #")); continue
            }
            let trimmedFields = fields.map { $0.trimmingCharacters(in: .whitespaces) }
            switch make(trimmedFields) {
            case .success(let entry): listing.entries.append(entry)
            case .failure(let reason): listing.skipped.append(Skip(line: i + 1, reason: reason))
            }
        }
        return listing
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
