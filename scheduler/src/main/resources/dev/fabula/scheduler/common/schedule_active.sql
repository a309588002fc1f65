-- Whether a schedule has an unfinished job (its runs never overlap).
-- Parameters: :schedule_name
-- Returns:    one row: the count of its waiting, pending or running jobs.
SELECT count(*)
FROM ${qualified_prefix}jobs
WHERE schedule_name = :schedule_name
  AND state IN ('waiting', 'pending', 'running')
