import GRDB

extension DatabaseWriter {
    /// Runs `body` in one IMMEDIATE transaction: the write lock is taken at BEGIN, so a read-then-write
    /// (find-or-create, guarded state change) cannot interleave with another process's.
    func immediateTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }
}
