-- PStamp addition: each stopped job's outputs, one `name|bytes|md5|type|` line per file (the IPP's
-- `<outdir>/reglist<job_id>`), written in the transaction that stops the job and read by the finisher
-- for the results fileset. `reglist<job_id>` files, written by earlier versions, are still read for
-- jobs that have no row here. Kept in the database rather than one file per job: next to the stamp
-- itself, the list was the second file created per stamp on a big request.
CREATE TABLE pstampJobOutputs (
    job_id INTEGER PRIMARY KEY REFERENCES pstampJob(job_id) ON DELETE CASCADE,
    entries TEXT NOT NULL
);
