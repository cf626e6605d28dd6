import GRDB
import PStampCore

/// `pstampJobParameters`: each job's parameters record (a JSON object the pipeline owns), written by
/// `commitParse` with the job and read by the job runner and the finisher.
public struct JobParameterStore: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// The record of one job (nil: the job has none in the database).
    public func get(jobID: Int64) throws -> String? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT parameters FROM pstampJobParameters WHERE job_id = ?", arguments: [jobID])
        }
    }

    /// The records of some jobs (a batch), by job_id, in one read (jobs without a row are not in it).
    public func get(jobIDs: [Int64]) throws -> [Int64: String] {
        try writer.read { db in
            var texts: [Int64: String] = [:]
            for chunk in stride(from: 0, to: jobIDs.count, by: 500).map({ Array(jobIDs[$0..<min($0 + 500, jobIDs.count)]) }) {
                let marks = chunk.map { _ in "?" }.joined(separator: ", ")
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT job_id, parameters FROM pstampJobParameters WHERE job_id IN (\(marks))",
                    arguments: StatementArguments(chunk))
                while let row = try rows.next() { texts[row[0]] = row[1] }
            }
            return texts
        }
    }

    /// The records of a request's jobs, by job_id, in one read.
    public func all(reqID: Int64) throws -> [Int64: String] {
        try JobTextTable.all(writer, table: "pstampJobParameters", column: "parameters", reqID: reqID)
    }

    static func insert(_ db: Database, jobID: Int64, _ parameters: String) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO pstampJobParameters (job_id, parameters) VALUES (?, ?)")
            .execute(arguments: [jobID, parameters])
    }
}

extension RequestDatabase {
    public var jobParameters: JobParameterStore { JobParameterStore(pool) }
}
