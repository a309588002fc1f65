-- Benchmark baseline only (SchedulerWorkload): the simple raw claim: up to :limit ready jobs of a
-- queue (state 0 -> 1, running), FOR UPDATE SKIP LOCKED, leased to :owner until :lease_until.
-- Parameters: :queue, :now, :lease_until, :owner, :limit
-- Returns:    the ids claimed.
UPDATE ${qualified_prefix}simple_jobs
SET state = 1,
    lease_owner = :owner,
    lease_until = :lease_until
WHERE id = ANY(ARRAY(
    SELECT id
    FROM ${qualified_prefix}simple_jobs
    WHERE state = 0
      AND queue = :queue
      AND run_at <= :now
    ORDER BY run_at, id
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
))
RETURNING id
