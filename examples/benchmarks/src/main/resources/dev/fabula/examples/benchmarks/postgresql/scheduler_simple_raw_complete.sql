-- Benchmark baseline only (SchedulerWorkload): the simple raw completion of a claimed batch
-- (state 2, done), only while this owner still holds the lease.
-- Parameters: :ids (JSON array), :owner
-- Returns:    nothing.
UPDATE ${qualified_prefix}simple_jobs
SET state = 2,
    lease_owner = NULL,
    lease_until = NULL
WHERE id IN (SELECT CAST(jsonb_array_elements_text(CAST(:ids AS jsonb)) AS bigint))
  AND lease_owner = :owner
