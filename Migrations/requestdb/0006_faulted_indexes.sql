-- PStamp addition: faults that heal in seconds. retry_after (migration 0003) now holds each faulted
-- row's next try: the revert tasks set it from the back-off (RetryBackoff: about 10 s after the first
-- fault, doubling, capped at the IPP's revert period) when they first see the fault, revert the row
-- once it has passed, and every revert clears it. The revert tasks look for faulted rows each time a
-- row changes; these partial indexes hold only the faulted rows, so the look costs the same with a
-- million healthy jobs as with none.
CREATE INDEX pstampRequest_faulted ON pstampRequest(fault) WHERE fault != 0;
CREATE INDEX pstampJob_faulted ON pstampJob(fault) WHERE fault != 0;
CREATE INDEX pstampDependent_faulted ON pstampDependent(fault) WHERE fault != 0;
