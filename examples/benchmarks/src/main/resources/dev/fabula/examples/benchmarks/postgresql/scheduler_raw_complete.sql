-- Benchmark baseline only (SchedulerWorkload): mark a claimed batch done, without fencing or
-- history.
-- Parameters: :ids (JSON array), :now
-- Returns:    nothing.
UPDATE ${qualified_prefix}jobs
SET state = 'succeeded',
    lease_until = NULL,
    finished_at = :now,
    updated_at = :now
WHERE id IN (SELECT CAST(jsonb_array_elements_text(CAST(:ids AS jsonb)) AS bigint))
