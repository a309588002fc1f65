-- Start the compensations of parents that failed or were cancelled (JobRequest.afterFailureOf).
-- Parameters: :parents (JSON array of job ids), :now.
-- Returns:    the ids of the released jobs.
UPDATE ${qualified_prefix}jobs
SET state = 'pending',
    run_trigger = 'dependent',
    run_at = max(run_at, :now),
    updated_at = :now
WHERE parent_id IN (SELECT value FROM json_each(:parents))
  AND state = 'waiting'
  AND on_parent_failure
RETURNING id
