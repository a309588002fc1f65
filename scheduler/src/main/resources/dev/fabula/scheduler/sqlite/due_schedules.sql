-- Schedules with an occurrence due; the caller holds the write lock.
-- Parameters: :now, :limit
-- Returns:    the schedules' columns.
SELECT
    ${schedule_columns}
FROM ${qualified_prefix}job_schedules AS s
WHERE s.next_run_at <= :now
ORDER BY s.next_run_at
LIMIT :limit
