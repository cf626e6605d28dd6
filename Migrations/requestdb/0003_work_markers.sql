-- PStamp addition (issue 11): crash safety. None of these columns is part of any pstamptool listing.
--
-- work_started: attempts at a row's work (request parse or finish, job run, dependent check) that were
--   started and have not ended. A task adds 1 before it starts the work and sets 0 when the work ends in
--   any way but the death of the process; so at rest it counts the deaths in a row under that work, and
--   a row that reaches max_crashes (2) is set aside with PSTAMP_SYSTEM_ERROR (10) instead of started.
-- fault_count (requests; jobs and dependents have the IPP's): faults so far; a request reverted
--   max_request_retries (10) times stops with 10 at its next fault.
-- retry_after: the earliest UTC time the row's fault may be reverted (NULL: at once); reserved for the
--   per-row back-off schedules (issue 17).
-- set_aside (requests): the code the request was set aside with; its finish then echoes nothing of
--   its request file and the request ends stop with this fault.
ALTER TABLE pstampRequest ADD COLUMN work_started INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pstampRequest ADD COLUMN fault_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pstampRequest ADD COLUMN retry_after TEXT;
ALTER TABLE pstampRequest ADD COLUMN set_aside INTEGER;
ALTER TABLE pstampJob ADD COLUMN work_started INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pstampJob ADD COLUMN retry_after TEXT;
ALTER TABLE pstampDependent ADD COLUMN work_started INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pstampDependent ADD COLUMN retry_after TEXT;
