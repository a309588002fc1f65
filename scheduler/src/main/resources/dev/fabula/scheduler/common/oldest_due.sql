-- The run time of the oldest pending job that is due.
-- Parameters: :now
-- Returns:    one row: the earliest run_at, or null.
SELECT min(run_at)
FROM ${qualified_prefix}jobs
WHERE state = 'pending'
  AND run_at <= :now
