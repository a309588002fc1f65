-- The execution history of one schedule (its runs and missed occurrences), oldest first.
-- Parameters: :schedule_name
-- Returns:    all history columns.
SELECT
    ${run_columns}
FROM ${qualified_prefix}job_runs AS r
WHERE r.schedule_name = :schedule_name
ORDER BY r.id
