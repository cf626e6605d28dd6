import Foundation

/// The three `index.txt` listings of an IPP data store, byte for byte (formats-and-cutouts §5.2;
/// IPP `DataStoreServer/scripts/dsrootindex`, `dsprodindex`, `dsfsindex`).
///
/// Every field, the last included, is followed by `|`; header lines start with `#`; fields are
/// left-justified and padded with spaces to a minimum width, never cut.
public enum DataStoreIndex {
    /// One product row of the root index (`dsProduct`).
    public struct ProductEntry: Sendable, Equatable {
        public var name: String
        public var lastFileset: String?
        public var lastUpdate: Date?
        public var type: String?
        public var description: String?
        public init(name: String, lastFileset: String?, lastUpdate: Date?, type: String?, description: String?) {
            self.name = name; self.lastFileset = lastFileset; self.lastUpdate = lastUpdate
            self.type = type; self.description = description
        }
    }

    /// One fileset row of a product index (`dsFileset`).
    public struct FilesetEntry: Sendable, Equatable {
        public var name: String
        public var registered: Date
        public var type: String?
        /// `prod_col_0..7` values; NULL prints `null`.
        public var values: [String?]
        public init(name: String, registered: Date, type: String?, values: [String?] = []) {
            self.name = name; self.registered = registered; self.type = type; self.values = values
        }
    }

    /// One file row of a fileset index (`dsFile`).
    public struct FileEntry: Sendable, Equatable {
        public var name: String
        public var bytes: Int64?
        public var md5: String?
        public var type: String?
        /// `type_col_0..3` values; printing stops at the first NULL.
        public var values: [String?]
        public init(name: String, bytes: Int64?, md5: String?, type: String?, values: [String?] = []) {
            self.name = name; self.bytes = bytes; self.md5 = md5; self.type = type; self.values = values
        }
    }

    /// A NULL fileset type: the IPP script dies and the CGI answers 404.
    public struct MissingFilesetType: Error, Equatable, Sendable {
        public let fileset: String
        public init(fileset: String) { self.fileset = fileset }
    }

    public static let rootHeader = "# productID  |Most recent |Time registered     |type     |Description                     |"
    public static let filesetHeader = "# fileID          |bytes   |md5sum                          |type        |"

    /// The file types' specific column labels seeded by the IPP (`dsFileType`, `tabledefs.sql`).
    public static let standardFileTypeColumns: [String: [String]] = [
        "chip": ["chipname"], "dbinfo": ["component"], "text": ["component"], "tgz": ["component"],
    ]

    /// `printf "%-Ns"`: pads to a minimum width, never cuts.
    public static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    /// `/ds/index.txt`. Rows in the order given (the store orders them by type).
    public static func rootText(_ products: [ProductEntry]) -> String {
        var out = rootHeader + "\n"
        for p in products {
            let last = (p.lastFileset ?? "").isEmpty ? "none" : p.lastFileset!
            // A NULL last_update: the script glues empty date and time around T and Z.
            let time = p.lastUpdate.map(DataStoreTime.format) ?? "TZ"
            out +=
                pad(p.name, 13) + "|" + pad(last, 12) + "|" + pad(time, 20) + "|"
                + pad(p.type ?? "", 9) + "|" + pad(p.description ?? "", 32) + "|\n"
        }
        return out
    }

    /// `/ds/<product>/index.txt`. `labels` are `prod_col_0..7` (printing stops at the first NULL);
    /// every column, header included, is padded to its widest value.
    public static func productText(labels: [String?], filesets: [FilesetEntry]) throws -> String {
        let used = Array(labels.prefix(8).prefix { $0 != nil }.map { $0! })
        var columns: [[String]] = [["# filesetID"], ["time registered"], ["type"]] + used.map { [$0] }
        for fs in filesets {
            guard let type = fs.type else { throw MissingFilesetType(fileset: fs.name) }
            columns[0].append(fs.name)
            columns[1].append(DataStoreTime.format(fs.registered))
            columns[2].append(type)
            for i in used.indices {
                columns[3 + i].append((i < fs.values.count ? fs.values[i] : nil) ?? "null")
            }
        }
        let widths = columns.map { $0.map(\.count).max() ?? 0 }
        var out = ""
        for row in 0...filesets.count {
            for c in columns.indices { out += pad(columns[c][row], widths[c]) + "|" }
            out += "\n"
        }
        return out
    }

    /// `/ds/<product>/<fileset>/index.txt`. A header is printed before the first row and again when
    /// the type changes and the header text with the new type's columns differs from the last one.
    public static func filesetText(
        _ files: [FileEntry],
        typeColumns: [String: [String]] = standardFileTypeColumns
    ) -> String {
        var out = ""
        var printHeader = true
        var lastType = ""
        var lastHeader = ""
        for f in files {
            let type = f.type ?? ""
            if type != lastType { printHeader = true; lastType = type }
            if printHeader {
                let labels = (typeColumns[type] ?? []).prefix(4)
                let header = filesetHeader + labels.map { pad($0, 8) + "|" }.joined()
                if header != lastHeader { out += header + "\n"; lastHeader = header }
                printHeader = false
            }
            var line =
                pad(f.name, 18) + "|" + pad(f.bytes.map(String.init) ?? "", 8) + "|"
                + pad(f.md5 ?? "", 32) + "|" + pad(type, 12) + "|"
            for value in f.values.prefix(4) {
                guard let value else { break }
                line += pad(value, 8) + "|"
            }
            out += line + "\n"
        }
        if printHeader { out += filesetHeader + "\n" }
        return out
    }
}
