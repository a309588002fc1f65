-- Schedules with an occurrence due (paused ones wait), locked for the caller's transaction;
-- schedules another process is handling are skipped.
-- Parameters: :now, :limit
-- Returns:    the schedules' columns.
SELECT
    ${schedule_columns}
FROM ${qualified_prefix}job_schedules AS s
WHERE s.next_run_at <= :now
  AND NOT s.paused
ORDER BY s.next_run_at
LIMIT :limit
FOR UPDATE SKIP LOCKED
