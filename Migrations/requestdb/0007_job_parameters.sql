-- PStamp addition: each job's parameters record (the IPP's `<outputBase>.mdc` params block: the
-- image's files and attributes and the request row's region), written by the parse in the same
-- transaction as the job, read by the job runner and the finisher. A JSON object, as the
-- `<outputBase>.params.json` files earlier versions wrote (still read for jobs that have no row here).
-- Kept in the database rather than one file per job: creating 10,000 small files was most of a big parse.
CREATE TABLE pstampJobParameters (
    job_id INTEGER PRIMARY KEY REFERENCES pstampJob(job_id) ON DELETE CASCADE,
    parameters TEXT NOT NULL
);
