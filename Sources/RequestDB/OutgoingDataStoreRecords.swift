import Foundation
import GRDB

/// A product of the outgoing data store (`dsProduct`).
public struct DSProduct: Sendable, Equatable {
    public var prodID: Int64
    public var name: String
    /// `last_update`, UTC `YYYY-MM-DD HH:MM:SS`.
    public var lastUpdate: String?
    public var lastFileset: String?
    public var type: String?
    public var description: String?
    /// `prod_col_0..7`: labels of the product-specific columns.
    public var columnLabels: [String?]

    init(row: Row) {
        prodID = row["prod_id"]; name = row["prod_name"]; lastUpdate = row["last_update"]
        lastFileset = row["last_fs"]; type = row["type"]; description = row["description"]
        columnLabels = (0..<8).map { row["prod_col_\($0)"] }
    }
}

/// A fileset of the outgoing data store (`dsFileset`).
public struct DSFileset: Sendable, Equatable {
    public var filesetID: Int64
    public var prodID: Int64
    public var name: String
    /// `reg_time`, UTC `YYYY-MM-DD HH:MM:SS`.
    public var registered: String
    public var hidden: Bool
    public var type: String?
    /// `prod_col_0..7` values.
    public var values: [String?]

    init(row: Row) {
        filesetID = row["fileset_id"]; prodID = row["prod_id"]; name = row["fileset_name"]
        registered = row["reg_time"]; hidden = (row["hide"] as Int64? ?? 0) != 0; type = row["type"]
        values = (0..<8).map { row["prod_col_\($0)"] }
    }
}

/// A file of the outgoing data store (`dsFile`).
public struct DSFile: Sendable, Equatable {
    public var fileID: Int64
    public var filesetID: Int64
    public var name: String
    public var bytes: Int64?
    public var md5: String?
    public var type: String?
    /// `type_col_0..7` values.
    public var values: [String?]

    public init(
        fileID: Int64 = 0, filesetID: Int64 = 0, name: String, bytes: Int64?, md5: String?, type: String?,
        values: [String?] = []
    ) {
        self.fileID = fileID; self.filesetID = filesetID; self.name = name; self.bytes = bytes
        self.md5 = md5; self.type = type; self.values = values
    }

    init(row: Row) {
        fileID = row["file_id"]; filesetID = row["fileset_id"]; name = row["file_name"]
        bytes = row["bytes"]; md5 = row["md5sum"]; type = row["type"]
        values = (0..<8).map { row["type_col_\($0)"] }
    }
}

/// Why a registry change was refused. Messages follow the IPP's dsreg where it has one.
public enum OutgoingDataStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case productExists(String)
    case productNotFound(String)
    case filesetExists(fileset: String, product: String)
    case filesetNotFound(fileset: String, product: String)

    public var description: String {
        switch self {
        case .productExists(let p): return "product '\(p)' already exists"
        case .productNotFound(let p): return "product '\(p)' not found"
        case .filesetExists(let f, let p): return "Fileset '\(f)' already exists in product \(p)."
        case .filesetNotFound(let f, let p): return "Fileset '\(f)' not found in \(p)."
        }
    }
}
