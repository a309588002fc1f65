-- Benchmark baseline only (SchedulerWorkload): the hand-written queue loop users run today,
-- "get_next_pending_job()": claim a batch with FOR UPDATE SKIP LOCKED, no limits, no history.
-- Parameters: :now, :lease_until, :owner, :limit
-- Returns:    the ids claimed.
UPDATE ${qualified_prefix}jobs
SET state = 'running',
    attempt = attempt + 1,
    lease_token = lease_token + 1,
    lease_owner = :owner,
    lease_until = :lease_until,
    claimed_at = :now,
    updated_at = :now
WHERE id = ANY(ARRAY(
    SELECT id
    FROM ${qualified_prefix}jobs
    WHERE state = 'pending'
      AND run_at <= :now
    ORDER BY priority DESC, run_at, id
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
))
RETURNING id
