-- Every schedule, by name.
-- Parameters: none.
-- Returns:    the schedules' columns.
SELECT
    ${schedule_columns}
FROM ${qualified_prefix}job_schedules AS s
ORDER BY s.name
