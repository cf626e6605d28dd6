import Logging

extension Logger {
    /// This logger with the rows its lines are about as metadata (`req_id`, `job_id`, `dep_id`), so a
    /// log search (or the JSON log format's fields) finds every line of one request, job or dependent.
    func about(reqID: Int64? = nil, jobID: Int64? = nil, depID: Int64? = nil) -> Logger {
        var logger = self
        if let reqID { logger[metadataKey: "req_id"] = "\(reqID)" }
        if let jobID { logger[metadataKey: "job_id"] = "\(jobID)" }
        if let depID { logger[metadataKey: "dep_id"] = "\(depID)" }
        return logger
    }
}
