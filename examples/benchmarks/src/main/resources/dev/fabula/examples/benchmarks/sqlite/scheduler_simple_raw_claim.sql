-- Benchmark baseline only (SchedulerWorkload): the simple raw claim: up to :limit ready jobs of a
-- queue (state 0 -> 1, running), one atomic UPDATE … RETURNING; the caller holds the write lock.
-- Parameters: :queue, :now, :lease_until, :owner, :limit
-- Returns:    the ids claimed.
UPDATE ${qualified_prefix}simple_jobs
SET state = 1,
    lease_owner = :owner,
    lease_until = :lease_until
WHERE id IN (
    SELECT id
    FROM ${qualified_prefix}simple_jobs INDEXED BY ${prefix}simple_jobs_ready_ix
    WHERE state = 0
      AND queue = :queue
      AND run_at <= :now
    ORDER BY run_at, id
    LIMIT :limit
)
RETURNING id
