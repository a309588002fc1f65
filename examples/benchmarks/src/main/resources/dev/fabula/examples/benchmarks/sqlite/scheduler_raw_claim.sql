-- Benchmark baseline only (SchedulerWorkload): the hand-written queue loop, an atomic
-- UPDATE … RETURNING of a batch, no limits, no history. The caller holds the write lock.
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
WHERE id IN (
    SELECT id
    FROM ${qualified_prefix}jobs INDEXED BY ${prefix}jobs_runnable_ix
    WHERE state = 'pending'
      AND run_at <= :now
    ORDER BY priority DESC, run_at, id
    LIMIT :limit
)
RETURNING id
