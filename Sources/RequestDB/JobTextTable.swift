import GRDB

/// A table of one text per job (`pstampJobParameters`, `pstampJobOutputs`): job_id is its key, and its
/// rows go with their job (ON DELETE CASCADE).
enum JobTextTable {
    /// The texts of a request's jobs, by job_id, in one read (jobs without a row are not in it).
    static func all(_ writer: any DatabaseWriter, table: String, column: String, reqID: Int64) throws -> [Int64: String] {
        try writer.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: "SELECT t.job_id, t.\(column) FROM \(table) t JOIN pstampJob j ON j.job_id = t.job_id WHERE j.req_id = ?",
                arguments: [reqID])
            var texts: [Int64: String] = [:]
            while let row = try rows.next() { texts[row[0]] = row[1] }
            return texts
        }
    }
}
