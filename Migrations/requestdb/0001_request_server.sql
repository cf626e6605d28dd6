-- PStamp request-server database, version 1: the IPP postage-stamp tables and Label
-- (IPP ippTools/share/pxadmin_create_tables.sql), with the IPP column names and column order,
-- in SQLite types. The IPP (MySQL) type of each column is given in the comment after it; the
-- tools print values with the metadata type that type maps to (BIGINT S64, SMALLINT S16, INT S32,
-- TINYINT BOOL, VARCHAR STR, DATETIME/TIMESTAMP time, FLOAT F32/F64).
-- Times are UTC text 'YYYY-MM-DD HH:MM:SS', as MySQL DATETIME shows them.

-- Incoming request sources: data stores the server polls for request files.
CREATE TABLE pstampDataStore (
    ds_id        INTEGER PRIMARY KEY AUTOINCREMENT, -- BIGINT
    state        TEXT,                              -- VARCHAR(64): enabled / disabled
    lastFileset  TEXT,                              -- VARCHAR(64)
    timestamp    TEXT,                              -- DATETIME: last poll
    label        TEXT,                              -- VARCHAR(64)
    outProduct   TEXT UNIQUE,                       -- VARCHAR(64)
    uri          TEXT,                              -- VARCHAR(255)
    pollInterval INTEGER DEFAULT 60,                -- INT, seconds
    need_magic   INTEGER                            -- TINYINT
);

-- Projects: the PROJECT column of request rows, naming the image database.
CREATE TABLE pstampProject (
    proj_id    INTEGER PRIMARY KEY AUTOINCREMENT, -- BIGINT
    name       TEXT UNIQUE,                       -- VARCHAR(64)
    state      TEXT,                              -- VARCHAR(64): enabled / disabled
    dbname     TEXT,                              -- VARCHAR(64): image database
    dvodb      TEXT,                              -- VARCHAR(64)
    camera     TEXT,                              -- VARCHAR(64)
    telescope  TEXT,                              -- VARCHAR(64)
    need_magic INTEGER                            -- TINYINT
);

-- One row per request file.
CREATE TABLE pstampRequest (
    req_id     INTEGER PRIMARY KEY AUTOINCREMENT, -- BIGINT
    ds_id      INTEGER,                           -- BIGINT: 0 for web/manual requests
    state      TEXT,                              -- VARCHAR(64): new run parsed stop goto_cleaned cleaned hold
    name       TEXT UNIQUE,                       -- VARCHAR(64): REQ_NAME, also the results fileset name
    reqType    TEXT,                              -- VARCHAR(16): pstamp dquery unknown
    label      TEXT,                              -- VARCHAR(64)
    outProduct TEXT,                              -- VARCHAR(64)
    uri        TEXT,                              -- VARCHAR(255)
    outdir     TEXT,                              -- VARCHAR(255)
    username   TEXT,                              -- VARCHAR(255)
    proj_id    INTEGER,                           -- BIGINT
    registered TEXT,                              -- DATETIME
    timestamp  TEXT DEFAULT CURRENT_TIMESTAMP,    -- TIMESTAMP: last change
    fault      INTEGER                            -- SMALLINT
);
CREATE INDEX pstampRequest_state_fault ON pstampRequest(state, fault);
CREATE INDEX pstampRequest_fault ON pstampRequest(fault);
CREATE INDEX pstampRequest_label ON pstampRequest(label);
CREATE INDEX pstampRequest_username ON pstampRequest(username);

-- One row per input image of a request row.
CREATE TABLE pstampJob (
    job_id      INTEGER PRIMARY KEY AUTOINCREMENT,     -- BIGINT
    req_id      INTEGER REFERENCES pstampRequest(req_id), -- BIGINT
    rownum      TEXT,                                  -- VARCHAR(64)
    state       TEXT,                                  -- VARCHAR(64): run parsed stop cancel
    jobType     TEXT,                                  -- VARCHAR(16)
    fault       INTEGER,                               -- SMALLINT
    exp_id      INTEGER,                               -- BIGINT
    outputBase  TEXT,                                  -- VARCHAR(255)
    options     INTEGER,                               -- BIGINT: OPTION_MASK
    dep_id      INTEGER,                               -- BIGINT: 0/NULL = none
    fault_count INTEGER,                               -- INT
    parent_id   INTEGER DEFAULT NULL,                  -- BIGINT
    is_parent   INTEGER DEFAULT 0                      -- TINYINT
);
CREATE INDEX pstampJob_req_state ON pstampJob(req_id, state);
CREATE INDEX pstampJob_state_fault ON pstampJob(state, fault);
CREATE INDEX pstampJob_dep_id ON pstampJob(dep_id);
CREATE INDEX pstampJob_parent_id ON pstampJob(parent_id);

-- One row per image component that must be regenerated ("updated") before its jobs can run.
CREATE TABLE pstampDependent (
    dep_id      INTEGER PRIMARY KEY AUTOINCREMENT, -- BIGINT
    state       TEXT,                              -- VARCHAR(64): new hold full
    stage       TEXT,                              -- VARCHAR(64): chip warp diff
    stage_id    INTEGER,                           -- BIGINT
    component   TEXT,                              -- VARCHAR(64)
    imagedb     TEXT,                              -- VARCHAR(64)
    outdir      TEXT,                              -- VARCHAR(255)
    rlabel      TEXT,                              -- VARCHAR(64)
    need_magic  INTEGER,                           -- TINYINT
    fault       INTEGER,                           -- SMALLINT
    fault_count INTEGER                            -- INT
);
CREATE INDEX pstampDependent_state_fault ON pstampDependent(state, fault);
CREATE INDEX pstampDependent_stage_id ON pstampDependent(stage_id);
-- At most one open (new/hold) dependent per image component: what the IPP enforced with
-- SELECT ... FOR UPDATE, here a constraint, so two concurrent -getdependent calls yield one row.
CREATE UNIQUE INDEX pstampDependent_open_component
    ON pstampDependent(stage, imagedb, stage_id, component) WHERE state IN ('new', 'hold');

-- Files written outside a request's working directory, for cleanup.
CREATE TABLE pstampFile (
    file_id INTEGER PRIMARY KEY AUTOINCREMENT, -- BIGINT
    job_id  INTEGER NOT NULL,                  -- BIGINT
    path    TEXT                               -- VARCHAR(255)
);
CREATE INDEX pstampFile_job_id ON pstampFile(job_id);

-- Access control.
CREATE TABLE pstampUserDomain (
    domainName     TEXT PRIMARY KEY, -- VARCHAR(64)
    accessLevel    INTEGER,          -- INT
    defaultProduct TEXT,             -- VARCHAR(255)
    defaultLabel   TEXT              -- VARCHAR(64)
);

CREATE TABLE pstampUser (
    userName       TEXT,    -- VARCHAR(64)
    domainName     TEXT,    -- VARCHAR(64)
    accessLevel    INTEGER, -- INT
    defaultProduct TEXT,    -- VARCHAR(255)
    defaultLabel   TEXT,    -- VARCHAR(64)
    PRIMARY KEY (userName, domainName)
);

CREATE TABLE pstampAccessLevel (
    proj_id     INTEGER REFERENCES pstampProject(proj_id), -- BIGINT
    accessLevel INTEGER,                                   -- INT
    mjd_min     REAL DEFAULT 0,                            -- FLOAT
    mjd_max     REAL DEFAULT 0,                            -- FLOAT: 0 unlimited, negative no access
    PRIMARY KEY (proj_id, accessLevel)
);

-- Numbers for naming web uploads web_<num>.
CREATE TABLE pstampWebRequest (
    num INTEGER PRIMARY KEY AUTOINCREMENT -- BIGINT
);

-- Processing labels with their priorities (higher first). A label with no row is active, priority 10000.
CREATE TABLE Label (
    label    TEXT PRIMARY KEY, -- VARCHAR(64)
    priority INTEGER,          -- INT
    active   INTEGER,          -- TINYINT
    comment  TEXT              -- VARCHAR(80)
);
CREATE INDEX Label_priority ON Label(priority);

-- PStamp addition (the IPP's pantasks kept this in memory): which worker has taken a job it is running,
-- so two workers never run one job. A job with a claim is not handed out again until the claim is
-- released or grows stale (its worker died). Not part of any pstamptool listing.
CREATE TABLE pstampJobClaim (
    job_id     INTEGER PRIMARY KEY REFERENCES pstampJob(job_id) ON DELETE CASCADE,
    worker     TEXT NOT NULL,
    claimed_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
