import GRDB
import PStampCore

/// A row of `pstampDataStore`: a data store the server polls for request files.
public struct IncomingDataStoreRecord: Sendable, Hashable, FetchableRecord {
    public var dsID: Int64
    public var state: String?
    public var lastFileset: String?
    /// Last poll.
    public var timestamp: MetadataTime?
    public var label: String?
    /// The product in the outgoing data store where results go.
    public var outProduct: String?
    /// The product URI; its index is `<uri>/index.txt`.
    public var uri: String?
    public var pollInterval: Int?
    public var needMagic: Bool?

    public init(row: Row) throws {
        dsID = row["ds_id"]
        state = row["state"]
        lastFileset = row["lastFileset"]
        timestamp = row.time("timestamp")
        label = row["label"]
        outProduct = row["outProduct"]
        uri = row["uri"]
        pollInterval = row["pollInterval"]
        needMagic = row["need_magic"]
    }

    public var metadataRow: MetadataRow {
        MetadataRow([
            MetadataItem("ds_id", .s64(dsID)),
            MetadataItem("state", .str(state)),
            MetadataItem("lastFileset", .str(lastFileset)),
            MetadataItem("timestamp", .time(timestamp)),
            MetadataItem("label", .str(label)),
            MetadataItem("outProduct", .str(outProduct)),
            MetadataItem("uri", .str(uri)),
            MetadataItem("pollInterval", .s32(pollInterval.map { Int32(clamping: $0) })),
            MetadataItem("need_magic", .bool(needMagic)),
        ])
    }
}

/// What `-moddatastore` changes; nil leaves a column alone.
public struct IncomingDataStoreChange: Sendable, Hashable {
    public var lastFileset: String?
    public var uri: String?
    public var state: DataStoreState?
    public var label: String?
    public var pollInterval: Int?
    public var updateTimestamp = false
    public init() {}
    public var isEmpty: Bool {
        lastFileset == nil && uri == nil && state == nil && label == nil && pollInterval == nil && !updateTimestamp
    }
}

/// `pstampDataStore`: the incoming data stores polled for requests.
public struct IncomingDataStoreStore: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// `-adddatastore`; returns the new ds_id. The timestamp starts NULL, which counts as ready.
    public func add(
        uri: String, outProduct: String, lastFileset: String? = nil, state: DataStoreState = .enabled,
        label: String? = nil, pollInterval: Int = 60
    ) throws -> Int64 {
        try writer.immediateTransaction { db in
            try db.execute(
                sql: """
                    INSERT INTO pstampDataStore (state, lastFileset, timestamp, label, outProduct, uri, pollInterval, need_magic)
                    VALUES (?, ?, NULL, ?, ?, ?, ?, 0)
                    """, arguments: [state.rawValue, nonEmpty(lastFileset), nonEmpty(label), outProduct, uri, pollInterval])
            return db.lastInsertedRowID
        }
    }

    /// `-datastore`: the enabled stores; `ready` keeps those not polled for more than their pollInterval.
    /// QUIRK fixed: the IPP never found a store with a NULL timestamp ready, so a new store was never
    /// polled until someone set its timestamp; here a store never polled is ready.
    public func list(dsID: Int64? = nil, ready: Bool = false) throws -> [IncomingDataStoreRecord] {
        var c = SQLConditions()
        c.add("ds_id", "=", dsID)
        if ready {
            c.add(
                "(timestamp IS NULL OR CAST(strftime('%s', 'now') AS INTEGER) - CAST(strftime('%s', timestamp) AS INTEGER) > pollInterval)")
        }
        return try writer.read { db in
            try IncomingDataStoreRecord.fetchAll(
                db,
                sql: """
                    SELECT ds_id, state, lastFileset, timestamp, label, outProduct, uri, pollInterval, need_magic
                    FROM pstampDataStore WHERE state = 'enabled' AND \(c.sql) ORDER BY ds_id
                    """, arguments: c.arguments)
        }
    }

    /// `-moddatastore`: always sets the timestamp to now; exactly one store must change.
    public func modify(dsID: Int64, _ change: IncomingDataStoreChange) throws {
        guard !change.isEmpty else {
            throw PStampError(.unknownError, "at least one -set option or -update_timestamp is required")
        }
        try writer.immediateTransaction { db in
            if let state = change.state,
                let current = try String.fetchOne(db, sql: "SELECT state FROM pstampDataStore WHERE ds_id = ?", arguments: [dsID])
            {
                try checkTransition(StateTransitions.dataStore, id: dsID, from: current, to: state, what: "data store")
            }
            var sets = ["timestamp = datetime('now')"]
            var args = StatementArguments()
            if let v = change.lastFileset { sets.append("lastFileset = ?"); args += [v] }
            if let v = change.uri { sets.append("uri = ?"); args += [v] }
            if let v = change.state { sets.append("state = ?"); args += [v.rawValue] }
            if let v = change.label { sets.append("label = ?"); args += [v] }
            if let v = change.pollInterval { sets.append("pollInterval = ?"); args += [v] }
            args += [dsID]
            try db.execute(sql: "UPDATE pstampDataStore SET \(sets.joined(separator: ", ")) WHERE ds_id = ?", arguments: args)
            guard db.changesCount == 1 else {
                throw RowCountError("should have affected one row but \(db.changesCount) rows were modified")
            }
        }
    }
}
