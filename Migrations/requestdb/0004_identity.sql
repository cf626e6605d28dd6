-- PStamp addition (issue 11): who sent each request, the users' tokens, and who may read a product.
-- A request's EMAIL is only a claim; the access level it gives depends on the identity stored here.

-- API tokens issued by `pstamptool -adduser` / `-addtoken`. Only a hash of each token is kept
-- (SHA-256, hex); the token itself is printed once, when it is issued.
CREATE TABLE pstampUserToken (
    token_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    userName   TEXT NOT NULL,
    domainName TEXT NOT NULL,
    tokenHash  TEXT NOT NULL UNIQUE,
    created    TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (userName, domainName) REFERENCES pstampUser(userName, domainName) ON DELETE CASCADE
);
CREATE INDEX pstampUserToken_user ON pstampUserToken(userName, domainName);

-- The identity a request came with, decided where it came in: none (anonymous), token (a token
-- user), proxy (a trusted front end's user header), datastore (a registered incoming data store),
-- operator (pstamptool -addreq). user is user@domain for token and proxy.
CREATE TABLE pstampRequestIdentity (
    req_id   INTEGER PRIMARY KEY REFERENCES pstampRequest(req_id) ON DELETE CASCADE,
    source   TEXT NOT NULL,
    user     TEXT,
    token_id INTEGER
);
-- Requests already in the database: those of a data store are its; the others are anonymous.
INSERT INTO pstampRequestIdentity (req_id, source)
    SELECT req_id, CASE WHEN ds_id > 0 AND ds_id IN (SELECT ds_id FROM pstampDataStore) THEN 'datastore' ELSE 'none' END
    FROM pstampRequest;

-- Who may read a product of the outgoing data store over HTTP. No row: everyone (the IPP's
-- behaviour). A row: only its owner (user@domain, logged in), or nobody when owner is NULL.
CREATE TABLE dsProductAccess (
    prod_name TEXT PRIMARY KEY,
    owner     TEXT
);
