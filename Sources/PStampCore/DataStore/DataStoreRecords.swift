import Foundation

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

    public init(
        prodID: Int64, name: String, lastUpdate: String?, lastFileset: String?, type: String?, description: String?,
        columnLabels: [String?]
    ) {
        self.prodID = prodID; self.name = name; self.lastUpdate = lastUpdate; self.lastFileset = lastFileset
        self.type = type; self.description = description; self.columnLabels = columnLabels
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

    public init(
        filesetID: Int64, prodID: Int64, name: String, registered: String, hidden: Bool, type: String?, values: [String?]
    ) {
        self.filesetID = filesetID; self.prodID = prodID; self.name = name; self.registered = registered
        self.hidden = hidden; self.type = type; self.values = values
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
}
