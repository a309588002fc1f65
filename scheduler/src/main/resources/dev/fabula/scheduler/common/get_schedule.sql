-- One schedule.
-- Parameters: :name
-- Returns:    the schedule's columns, or no row.
SELECT
    ${schedule_columns}
FROM ${qualified_prefix}job_schedules AS s
WHERE s.name = :name
