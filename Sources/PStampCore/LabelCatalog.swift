/// A row of a `Label` table: a processing label with its priority (higher is served first) and whether
/// work with it is selected at all.
public struct LabelEntry: Sendable, Hashable {
    public var label: String
    public var priority: Int32?
    public var active: Bool?
    public var comment: String?

    /// A label with no `Label` row is active with this priority, in every pending-work query.
    public static let missingPriority: Int64 = 10000

    public init(label: String, priority: Int32?, active: Bool?, comment: String?) {
        self.label = label
        self.priority = priority
        self.active = active
        self.comment = comment
    }

    /// The row as labeltool prints it (table `Label`: label STR, priority S32, active BOOL, comment STR).
    public var metadataRow: MetadataRow {
        MetadataRow([
            MetadataItem("label", .str(label)),
            MetadataItem("priority", .s32(priority)),
            MetadataItem("active", .bool(active)),
            MetadataItem("comment", .str(comment)),
        ])
    }
}

/// What `labeltool -updatelabel` changes; nil leaves a column alone.
public struct LabelChange: Sendable, Hashable {
    public var priority: Int32?
    public var active: Bool?
    public var comment: String?
    public init(priority: Int32? = nil, active: Bool? = nil, comment: String? = nil) {
        self.priority = priority
        self.active = active
        self.comment = comment
    }
    public var isEmpty: Bool { priority == nil && active == nil && comment == nil }
}

/// What `labeltool -listlabel` selects.
public struct LabelQuery: Sendable, Hashable {
    public enum Order: Sendable, Hashable { case highToLow, lowToHigh }
    /// SQL LIKE pattern on the label.
    public var pattern: String?
    /// Only active (true) or only inactive (false) labels.
    public var active: Bool?
    /// Without an order the rows come in the table's order.
    public var order: Order?
    public var limit: Int?
    public init(pattern: String? = nil, active: Bool? = nil, order: Order? = nil, limit: Int? = nil) {
        self.pattern = pattern
        self.active = active
        self.order = order
        self.limit = limit
    }
}

/// A database holding a `Label` table. The request database has one (labels of requests); an image
/// database (gpc1) has another (labels of update runs, `ps_ud_<label>`). labeltool talks to either
/// through this protocol, chosen by `-dbname`.
public protocol LabelCatalog: Sendable {
    /// Inserts a label; a label that exists already is an error.
    func define(_ entry: LabelEntry) throws
    /// Changes one label; returns the number of rows changed (0 when the label does not exist).
    func update(label: String, _ change: LabelChange) throws -> Int
    /// Deletes one label; returns the number of rows deleted.
    func delete(label: String) throws -> Int
    func list(_ query: LabelQuery) throws -> [LabelEntry]
}
