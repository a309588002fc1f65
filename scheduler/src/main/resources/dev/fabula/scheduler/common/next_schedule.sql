-- When the next schedule occurrence is due (paused schedules wait for their resume).
-- Parameters: none.
-- Returns:    one row: the earliest next_run_at, or null.
SELECT min(next_run_at)
FROM ${qualified_prefix}job_schedules
WHERE NOT paused
