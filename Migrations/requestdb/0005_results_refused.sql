-- PStamp addition: a request whose results could not be written where it asked (unwritable results)
-- is marked here when its refusal is registered, so a finish resumed after a crash between the
-- registration and the state change still ends it stop with PSTAMP_INVALID_REQUEST (21). Not part of
-- any pstamptool listing.
ALTER TABLE pstampRequest ADD COLUMN results_refused INTEGER NOT NULL DEFAULT 0;
