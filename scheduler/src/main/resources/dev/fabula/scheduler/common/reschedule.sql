-- Move a job that has not started yet to another run time.
-- Parameters: :id, :run_at, :now
-- Returns:    the id; no row when the job does not exist or is not waiting or pending.
UPDATE ${qualified_prefix}jobs
SET run_at = :run_at,
    run_trigger = CASE WHEN run_trigger = 'retry' THEN 'manual' ELSE run_trigger END,
    updated_at = :now
WHERE id = :id
  AND state IN ('waiting', 'pending')
RETURNING id
