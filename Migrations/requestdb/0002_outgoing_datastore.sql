-- The outgoing data store: the products, filesets and files served under /ds
-- (IPP DataStoreServer/scripts/tabledefs.sql; in the IPP a separate database, DS_DBNAME).
-- Times are UTC text 'YYYY-MM-DD HH:MM:SS', as MySQL DATETIME prints them.

CREATE TABLE dsProduct (
    prod_id     INTEGER PRIMARY KEY AUTOINCREMENT, -- BIGINT
    prod_name   TEXT NOT NULL UNIQUE,              -- VARCHAR(64)
    last_update TEXT,                              -- DATETIME: last registration
    last_fs     TEXT,                              -- VARCHAR(64): most recent fileset
    type        TEXT,                              -- VARCHAR(64): psresults, psrequest, ...
    description TEXT,                              -- VARCHAR(255)
    prod_col_0  TEXT, prod_col_1 TEXT, prod_col_2 TEXT, prod_col_3 TEXT, -- labels of the
    prod_col_4  TEXT, prod_col_5 TEXT, prod_col_6 TEXT, prod_col_7 TEXT  -- product-specific columns
);

CREATE TABLE dsFileset (
    fileset_id   INTEGER PRIMARY KEY AUTOINCREMENT,                  -- BIGINT: registration order
    prod_id      INTEGER NOT NULL REFERENCES dsProduct(prod_id),     -- BIGINT
    fileset_name TEXT NOT NULL,                                      -- VARCHAR(64)
    reg_time     TEXT NOT NULL,                                      -- DATETIME (UTC)
    hide         INTEGER NOT NULL DEFAULT 0,                         -- TINYINT: left out of the product index
    type         TEXT,                                               -- VARCHAR(64): PSRESULTS, PSREQUEST, ...
    prod_col_0   TEXT, prod_col_1 TEXT, prod_col_2 TEXT, prod_col_3 TEXT, -- values (pstamp: req_id in 0)
    prod_col_4   TEXT, prod_col_5 TEXT, prod_col_6 TEXT, prod_col_7 TEXT,
    UNIQUE (prod_id, fileset_name)
);

CREATE TABLE dsFile (
    file_id    INTEGER PRIMARY KEY AUTOINCREMENT,                                  -- BIGINT: listing order
    fileset_id INTEGER NOT NULL REFERENCES dsFileset(fileset_id) ON DELETE CASCADE, -- BIGINT
    file_name  TEXT NOT NULL,                                                       -- VARCHAR(255)
    bytes      INTEGER,                                                             -- BIGINT
    md5sum     TEXT,                                                                -- VARCHAR(255)
    type       TEXT,                                                                -- VARCHAR(64): table, text, pstamp, fits, tgz, ...
    type_col_0 TEXT, type_col_1 TEXT, type_col_2 TEXT, type_col_3 TEXT,
    type_col_4 TEXT, type_col_5 TEXT, type_col_6 TEXT, type_col_7 TEXT,
    UNIQUE (fileset_id, file_name)
);
CREATE INDEX dsFile_fileset ON dsFile(fileset_id);

-- The labels of each file type's specific columns, as the IPP seeds them.
CREATE TABLE dsFileType (
    type       TEXT PRIMARY KEY, -- VARCHAR(64)
    type_col_0 TEXT, type_col_1 TEXT, type_col_2 TEXT, type_col_3 TEXT
);
INSERT INTO dsFileType (type, type_col_0) VALUES ('chip', 'chipname');
INSERT INTO dsFileType (type, type_col_0) VALUES ('dbinfo', 'component');
INSERT INTO dsFileType (type, type_col_0) VALUES ('text', 'component');
INSERT INTO dsFileType (type, type_col_0) VALUES ('tgz', 'component');
