import GRDB
import PStampCore

/// What the poller writes for the incoming data stores (`pstampDataStore`): each fileset taken is
/// recorded in one transaction with its requests, so a crash neither loses nor repeats a fileset.
extension IncomingDataStoreStore {
    /// Inserts one request per file URI (state `new`, fault 0, the store's ds_id and label, as
    /// `RequestStore.add` / `pstamptool -addreq` do) and advances the store's `lastFileset` to
    /// `fileset` and its timestamp to now, all in one transaction.
    ///
    /// Guarded: it happens only if the store's `lastFileset` is still `previous`; otherwise another
    /// poller took the fileset first, nothing is written and the result is nil.
    /// - Returns: the new req_ids in file order.
    public func recordFileset(
        dsID: Int64, previous: String?, fileset: String, requestURIs: [String],
        label: String?
    ) throws -> [Int64]? {
        try writer.immediateTransaction { db in
            try db.execute(
                sql: """
                    UPDATE pstampDataStore SET lastFileset = ?, timestamp = datetime('now')
                    WHERE ds_id = ? AND lastFileset IS ?
                    """, arguments: [fileset, dsID, nonEmpty(previous)])
            guard db.changesCount == 1 else { return nil }
            return try requestURIs.map { uri in
                try RequestStore.insert(db, NewRequest(uri: uri, dsID: dsID, label: label, identity: .dataStore))
            }
        }
    }

    /// Moves only the store's timestamp to now (a poll that found nothing, or a failing store).
    public func touch(dsID: Int64) throws {
        var change = IncomingDataStoreChange()
        change.updateTimestamp = true
        try modify(dsID: dsID, change)
    }
}
