import GRDB
import PStampCore

/// `pstampFile`: files a job wrote outside its request's working directory, for cleanup.
public struct FileStore: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// `-addfile`; returns the new file_id.
    public func add(jobID: Int64, path: String) throws -> Int64 {
        try writer.immediateTransaction { db in
            try db.execute(sql: "INSERT INTO pstampFile (job_id, path) VALUES (?, ?)", arguments: [jobID, nonEmpty(path)])
            return db.lastInsertedRowID
        }
    }

    /// `-listfile` rows (a selector is required): file_id S64, job_id S64, path STR, req_id S64.
    public func list(jobID: Int64? = nil, reqID: Int64? = nil, fileID: Int64? = nil, limit: Int? = nil) throws -> [MetadataRow] {
        var c = SQLConditions()
        c.add("pstampFile.job_id", "=", jobID)
        c.add("pstampJob.req_id", "=", reqID)
        c.add("pstampFile.file_id", "=", fileID)
        guard !c.isEmpty else { throw PStampError(.unknownError, "search arguments are required") }
        return try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT pstampFile.file_id, pstampFile.job_id, pstampFile.path, pstampJob.req_id
                    FROM pstampFile JOIN pstampJob ON pstampJob.job_id = pstampFile.job_id
                    WHERE \(c.sql) ORDER BY pstampFile.file_id
                    """ + limitSQL(limit), arguments: c.arguments
            ).map { row in
                MetadataRow([
                    MetadataItem("file_id", .s64(row["file_id"])),
                    MetadataItem("job_id", .s64(row["job_id"])),
                    MetadataItem("path", .str(row["path"])),
                    MetadataItem("req_id", .s64(row["req_id"])),
                ])
            }
        }
    }

    /// `-deletefile`: forgets every file of a job; returns how many.
    public func delete(jobID: Int64) throws -> Int {
        try writer.immediateTransaction { db in
            try db.execute(sql: "DELETE FROM pstampFile WHERE job_id = ?", arguments: [jobID])
            return db.changesCount
        }
    }
}

/// `pstampWebRequest`: numbers for naming web uploads `web_<num>`.
public struct WebRequestStore: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// `-getwebrequestnum`: a new, never reused number.
    public func next() throws -> Int64 {
        try writer.immediateTransaction { db in
            try db.execute(sql: "INSERT INTO pstampWebRequest DEFAULT VALUES")
            return db.lastInsertedRowID
        }
    }
}
