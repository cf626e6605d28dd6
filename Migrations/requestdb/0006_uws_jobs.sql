-- PStamp addition: what the IVOA UWS 1.1 face adds to an asynchronous SODA job. The job is the
-- request req_id (label SODA), worked on by the pipeline like any other; its phase is read from the
-- request and its jobs. This row keeps the rest: the owner and RUNID, the parameters as sent (JSON
-- [[name, value], ...]), the wall-clock limit (EXECUTIONDURATION, seconds, 0 = none), when the job is
-- destroyed (DESTRUCTION: the request goes to goto_cleaned), and when it was run and ended.
CREATE TABLE pstampUWSJob (
    req_id INTEGER PRIMARY KEY REFERENCES pstampRequest(req_id) ON DELETE CASCADE,
    owner TEXT,
    run_id TEXT,
    parameters TEXT NOT NULL,
    execution_duration INTEGER NOT NULL DEFAULT 0,
    destruction TEXT NOT NULL,
    started TEXT,
    aborted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX pstampUWSJob_destruction ON pstampUWSJob(destruction);
